/**
 * Text widths for charts rendered in Node. Without a canvas Vega estimates every character as 0.8 em wide,
 * which is a third too wide for DejaVu Sans: labels were cut short ("low Pri…") and layouts padded. Vega lets
 * a host supply `textMetrics.width` (vl-convert does the same), so this measures with the advance widths of
 * the very font resvg draws the PNGs with (font-metrics.ts).
 * @module
 */
import { dejaVuAdvances, measureText } from "./font-metrics.js";
import { vega } from "./vega.js";

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
  const { regular, bold } = dejaVuAdvances(fontDir);
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
