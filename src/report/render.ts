/**
 * Charts rendered in Node without a canvas: Vega-Lite spec → Vega (vega-lite's compile) → SVG (a headless
 * vega View, renderer "none", toSVG); rasterise.ts turns them into PNGs, and is loaded only for them (resvg
 * is a native addon). Vega and Vega-Lite warnings go to the caller's Logger, never to the console.
 * @module
 */
import type { TopLevelSpec } from "vega-lite";
import { type Logger, silentLogger } from "../util/logger.js";
import { FONT_DIR } from "./fonts.js";
import { installTextMetrics } from "./text-metrics.js";
import { vega, vl } from "./vega.js";

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
