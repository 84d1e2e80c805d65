/**
 * Charts rendered in Node without a canvas: Vega-Lite spec → Vega (vega-lite's compile) → SVG (a headless
 * vega View, renderer "none", toSVG) → PNG (resvg with an explicit font). resvg silently drops text when it
 * has no font, and with system fonts it picks whatever the machine has, so PNGs are drawn with DejaVu Sans
 * only (fonts-dejavu-core, present on Debian). Vega and Vega-Lite warnings go to the caller's Logger, never
 * to the console.
 * @module
 */
import { Resvg, type ResvgRenderOptions, renderAsync } from "@resvg/resvg-js";
import * as vega from "vega";
import type { TopLevelSpec } from "vega-lite";
import * as vl from "vega-lite";
import { StrataError } from "../errors.js";
import { type Logger, silentLogger } from "../util/logger.js";
import { installTextMetrics } from "./text-metrics.js";

/** Where Debian's fonts-dejavu-core puts DejaVu Sans. */
export const FONT_DIR = "/usr/share/fonts/truetype/dejavu";
/** The font files resvg draws all text with (regular and bold). */
export const PNG_FONT_FILES = [`${FONT_DIR}/DejaVuSans.ttf`, `${FONT_DIR}/DejaVuSans-Bold.ttf`];

installTextMetrics(FONT_DIR);

/** Vega's and Vega-Lite's logger, forwarding warnings and errors to a Strata Logger. */
export function vegaLogger(logger: Logger): ReturnType<typeof vega.logger> {
  return vega.logger(vega.Warn, undefined, (_method, _level, args) => {
    logger.log("warn", `vega: ${args.map(String).join(" ")}`);
  });
}

/** Compiles a Vega-Lite spec to Vega. */
export function compileSpec(spec: TopLevelSpec, logger: Logger = silentLogger): vega.Spec {
  return vl.compile(spec, { logger: vegaLogger(logger) }).spec;
}

/**
 * Renders a Vega-Lite spec to an SVG document (no canvas needed).
 * @example const svg = await renderSvg(screeSpec(ratios, 5));
 */
export async function renderSvg(spec: TopLevelSpec, logger: Logger = silentLogger): Promise<string> {
  const view = new vega.View(vega.parse(compileSpec(spec, logger)), {
    renderer: "none",
    logger: vegaLogger(logger),
  });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

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

/** Rounds path coordinates to 0.1 px: the county map's SVG shrinks by about a third, invisibly. */
export function compactSvg(svg: string): string {
  return svg.replace(/ d="([^"]+)"/g, (_m, d: string) => ` d="${d.replace(/(\d+\.\d)\d+/g, "$1")}"`);
}
