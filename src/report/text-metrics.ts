/**
 * Text widths for charts rendered in Node. Without a canvas Vega estimates every character as 0.8 em wide,
 * which is a third too wide for DejaVu Sans: labels were cut short ("low Pri…") and layouts padded. Vega lets
 * a host supply `textMetrics.width` (vl-convert does the same), so this reads the advance widths of the very
 * font resvg draws the PNGs with (DejaVu Sans, its 'cmap' format 4 and 'hmtx' tables) and measures with them.
 * Falls back to 0.6 em per character when the font file is missing.
 * @module
 */
import { readFileSync } from "node:fs";
import * as vega from "vega";

/** Advance width in em of a code point, for one font. */
type Advance = (codePoint: number) => number;

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

function loadAdvances(path: string): Advance {
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

interface TextItem {
  text?: unknown;
  fontSize?: number;
  fontWeight?: string | number;
}

let installed = false;

/**
 * Makes Vega measure text with DejaVu Sans' real advance widths (regular, or bold for bold text). Idempotent.
 * @param fontDir the directory holding DejaVuSans.ttf and DejaVuSans-Bold.ttf.
 */
export function installTextMetrics(fontDir: string): void {
  if (installed) return;
  installed = true;
  const regular = loadAdvances(`${fontDir}/DejaVuSans.ttf`);
  const bold = loadAdvances(`${fontDir}/DejaVuSans-Bold.ttf`);
  const metrics = (vega as unknown as { textMetrics: { width: (item: TextItem, text?: unknown) => number } })
    .textMetrics;
  metrics.width = (item, text) => {
    const value = text ?? item.text;
    const s = Array.isArray(value) ? value.join(" ") : value == null ? "" : String(value);
    const size = item.fontSize ?? 11;
    const isBold = item.fontWeight === "bold" || Number(item.fontWeight) >= 600;
    return size <= 0 ? 0 : measureText(isBold ? bold : regular, s, size);
  };
}
