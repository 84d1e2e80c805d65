/**
 * Small HTML helpers for the report: escaping text and attributes, embedding JSON safely in a script element,
 * and tables (optionally sortable: the client script sorts them by a clicked header, numerically for columns
 * marked "num", using each cell's data-value when it has one).
 * @module
 */
import { escapeMarkup } from "../util/escape-markup.js";
import { groupDigits } from "../util/group-digits.js";

/**
 * JSON safe inside `<script type="application/json">`: `<` is written as \u003c, so no "</script" can occur.
 * @example `<script type="application/json">${jsonForScript(data)}</script>`
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** A column of {@link htmlTable}. */
export interface HtmlColumn<T> {
  readonly header: string;
  /** Displayed text (escaped). */
  readonly text: (row: T) => string;
  /** Sort key for numeric columns. */
  readonly value?: (row: T) => number;
}

/** A table; numeric columns (with `value`) are right-aligned and sort by their value. */
export function htmlTable<T>(
  rows: readonly T[],
  columns: readonly HtmlColumn<T>[],
  options: { sortable?: boolean; className?: string } = {},
): string {
  const classes = [options.sortable ? "sortable" : "", options.className ?? ""].filter(Boolean).join(" ");
  const head = columns
    .map((c) => `<th${c.value ? ' class="num"' : ""} scope="col">${escapeMarkup(c.header)}</th>`)
    .join("");
  const body = rows
    .map(
      (r) =>
        `<tr>${columns
          .map((c) =>
            c.value
              ? `<td class="num" data-value="${c.value(r)}">${escapeMarkup(c.text(r))}</td>`
              : `<td>${escapeMarkup(c.text(r))}</td>`,
          )
          .join("")}</tr>`,
    )
    .join("\n");
  return `<table${classes ? ` class="${classes}"` : ""}><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/** A figure holding an inline SVG chart. */
export function chartFigure(svg: string | undefined, name: string, caption?: string): string {
  if (!svg) return "";
  const cap = caption ? `<figcaption>${escapeMarkup(caption)}</figcaption>` : "";
  return `<figure class="chart" id="chart-${name}">${svg}${cap}</figure>`;
}

/** A number with thousands separators. */
export function int(n: number): string {
  return groupDigits(n);
}

/** A share as a percentage with one decimal. */
export function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}
