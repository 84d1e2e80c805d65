/**
 * Text edits on drawn SVG documents, for inlining them in one page: no vega needed.
 * @module
 */

/**
 * Makes the ids of an SVG unique within a page (several inline SVGs share one id space): every id="x",
 * url(#x) and href="#x" gets the prefix.
 */
export function prefixSvgIds(svg: string, prefix: string): string {
  return svg
    .replace(/\bid="([^"]+)"/g, `id="${prefix}-$1"`)
    .replace(/url\(#([^)]+)\)/g, `url(#${prefix}-$1)`)
    .replace(/href="#([^"]+)"/g, `href="#${prefix}-$1"`);
}
