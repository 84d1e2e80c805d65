/**
 * Chart SVGs to PNG with resvg and an explicit font. resvg silently drops text when it has no font, and with
 * system fonts it picks whatever the machine has, so PNGs are drawn with DejaVu Sans only (fonts-dejavu-core,
 * present on Debian). Imported only when PNGs are asked for (`--png`): resvg is a native addon.
 * @module
 */
import { Resvg, type ResvgRenderOptions, renderAsync } from "@resvg/resvg-js";
import { StrataError } from "../errors.js";
import { PNG_FONT_FILES } from "./fonts.js";

/** Options of {@link renderPng}. */
export interface PngOptions {
  /** Pixels per SVG unit (default 2, for sharp text). */
  readonly zoom?: number;
  /** Font files to draw text with (default: DejaVu Sans). Empty draws no text at all. */
  readonly fontFiles?: readonly string[];
}

/** A decoded raster: RGBA bytes, row by row. */
export interface Raster {
  readonly width: number;
  readonly height: number;
  readonly pixels: Uint8Array;
}

function resvgOptions(options: PngOptions): ResvgRenderOptions {
  return {
    background: "white",
    fitTo: { mode: "zoom", value: options.zoom ?? 2 },
    font: {
      loadSystemFonts: false,
      fontFiles: [...(options.fontFiles ?? PNG_FONT_FILES)],
      defaultFontFamily: "DejaVu Sans",
      sansSerifFamily: "DejaVu Sans",
    },
  };
}

function resvg(svg: string, options: PngOptions): Resvg {
  try {
    return new Resvg(svg, resvgOptions(options));
  } catch (cause) {
    throw new StrataError("INTERNAL", `Could not rasterise a chart: ${(cause as Error).message}.`, { cause });
  }
}

/**
 * Renders an SVG document to PNG bytes.
 * @example await writeFile("map.png", renderPng(svg));
 */
export function renderPng(svg: string, options: PngOptions = {}): Uint8Array {
  return resvg(svg, options).render().asPng();
}

/**
 * Renders an SVG document to PNG bytes on libuv's thread pool, so several charts rasterise in parallel with
 * the next chart's SVG work.
 */
export async function renderPngAsync(svg: string, options: PngOptions = {}): Promise<Uint8Array> {
  try {
    return (await renderAsync(svg, resvgOptions(options))).asPng();
  } catch (cause) {
    throw new StrataError("INTERNAL", `Could not rasterise a chart: ${(cause as Error).message}.`, { cause });
  }
}

/** Renders an SVG document to raw RGBA pixels (tests: is it blank, is there text). */
export function renderRaster(svg: string, options: PngOptions = {}): Raster {
  const image = resvg(svg, options).render();
  return { width: image.width, height: image.height, pixels: new Uint8Array(image.pixels) };
}
