/**
 * The fonts charts are measured (text-metrics.ts) and drawn (rasterise.ts) with: DejaVu Sans, from Debian's
 * fonts-dejavu-core.
 * @module
 */
/** Where Debian's fonts-dejavu-core puts DejaVu Sans. */
export const FONT_DIR = "/usr/share/fonts/truetype/dejavu";
/** The font files resvg draws all text with (regular and bold). */
export const PNG_FONT_FILES = [`${FONT_DIR}/DejaVuSans.ttf`, `${FONT_DIR}/DejaVuSans-Bold.ttf`];
