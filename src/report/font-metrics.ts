/**
 * Advance widths of a TrueType font (its 'cmap' format 4 and 'hmtx' tables), to measure text without a canvas:
 * Vega's text metrics (text-metrics.ts) and the county map's legend (charts/county-map.ts) measure with DejaVu
 * Sans, the font resvg draws the PNGs with.
 * @module
 */
import { readFileSync } from "node:fs";

/** Advance width in em of a code point, for one font. */
export type Advance = (codePoint: number) => number;

/** Parses a TrueType file's advance widths (cmap format 4 + hmtx), in em. */
export function parseAdvances(font: Uint8Array): Advance {
  const view = new DataView(font.buffer, font.byteOffset, font.byteLength);
  const u16 = (o: number) => view.getUint16(o);
  const tables = new Map<string, number>();
  for (let i = 0, n = u16(4); i < n; i++) {
    const rec = 12 + 16 * i;
    tables.set(String.fromCharCode(...font.subarray(rec, rec + 4)), view.getUint32(rec + 8));
  }
  const head = tables.get("head")!;
  const hhea = tables.get("hhea")!;
  const hmtx = tables.get("hmtx")!;
  const cmap = tables.get("cmap")!;
  const unitsPerEm = u16(head + 18);
  const numberOfHMetrics = u16(hhea + 34);
  let sub = -1;
  for (let i = 0, n = u16(cmap + 2); i < n; i++) {
    const rec = cmap + 4 + 8 * i;
    const platform = u16(rec);
    const encoding = u16(rec + 2);
    const at = cmap + view.getUint32(rec + 4);
    if (u16(at) === 4 && ((platform === 3 && encoding === 1) || platform === 0)) sub = at;
  }
  const segCount = sub < 0 ? 0 : u16(sub + 6) / 2;
  const ends = sub + 14;
  const starts = ends + 2 * segCount + 2;
  const deltas = starts + 2 * segCount;
  const offsets = deltas + 2 * segCount;
  const glyphOf = (c: number): number => {
    for (let i = 0; i < segCount; i++) {
      if (u16(ends + 2 * i) < c) continue;
      const start = u16(starts + 2 * i);
      if (start > c) return 0;
      const delta = u16(deltas + 2 * i);
      const rangeOffset = u16(offsets + 2 * i);
      if (rangeOffset === 0) return (c + delta) & 0xffff;
      const g = u16(offsets + 2 * i + rangeOffset + 2 * (c - start));
      return g === 0 ? 0 : (g + delta) & 0xffff;
    }
    return 0;
  };
  const cache = new Map<number, number>();
  return (c) => {
    let w = cache.get(c);
    if (w === undefined) {
      const g = Math.min(glyphOf(c), numberOfHMetrics - 1);
      w = c === 0 || sub < 0 ? 0.6 : u16(hmtx + 4 * g) / unitsPerEm;
      cache.set(c, w);
    }
    return w;
  };
}

/** A font file's advances; 0.6 em per character when the file is missing. */
export function loadAdvances(path: string): Advance {
  try {
    return parseAdvances(readFileSync(path));
  } catch {
    return () => 0.6;
  }
}

/** Width in px of `text` at `fontSize` with the given advances. */
export function measureText(advance: Advance, text: string, fontSize: number): number {
  let em = 0;
  for (const ch of text) em += advance(ch.codePointAt(0)!);
  return em * fontSize;
}

const loaded = new Map<string, { regular: Advance; bold: Advance }>();

/** DejaVu Sans' regular and bold advances from `fontDir`, read once per process. */
export function dejaVuAdvances(fontDir: string): { regular: Advance; bold: Advance } {
  let fonts = loaded.get(fontDir);
  if (fonts === undefined) {
    fonts = {
      regular: loadAdvances(`${fontDir}/DejaVuSans.ttf`),
      bold: loadAdvances(`${fontDir}/DejaVuSans-Bold.ttf`),
    };
    loaded.set(fontDir, fonts);
  }
  return fonts;
}
