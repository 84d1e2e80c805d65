/**
 * Issue 15: the row-panel kernels of randomized PCA against loops written out here: centring (with the
 * squares), the weighted and the signed accumulation (for short panels too, whose missing rows are zero and
 * weigh 0), and the projection.
 * @module
 */
import { test } from "node:test";
import { createRng } from "../../src/linalg/rng.js";
import {
  addSignedPanel,
  addWeightedPanel,
  centrePanel,
  PANEL_ROWS,
  projectPanel,
} from "../../src/linalg/row-panels.js";
import { expectClose } from "../helpers/expect-close.js";

const rng = createRng(12);
const gaussians = (n: number) => Float64Array.from({ length: n }, () => rng.nextGaussian());

test("centrePanel, addWeightedPanel, addSignedPanel and projectPanel equal their loops, for panels of 1 to 4 rows", () => {
  const d = 9;
  const k = 5;
  const X = gaussians(6 * d).map((v) => 50 + v);
  const shift = gaussians(d).map((v) => 50 + v);
  for (let rows = 1; rows <= PANEL_ROWS; rows++) {
    const panel = new Float64Array(PANEL_ROWS * d).fill(Number.NaN);
    const squares = new Float64Array(d);
    centrePanel(X, d, 2, rows, shift, panel, squares);
    const centred = (r: number, j: number) => (r < rows ? X[(2 + r) * d + j]! - shift[j]! : 0);
    expectClose(
      panel,
      Array.from({ length: PANEL_ROWS * d }, (_, i) => centred(Math.floor(i / d), i % d)),
      { atol: 0 },
      "panel",
    );
    expectClose(
      squares,
      Array.from({ length: d }, (_, j) => [0, 1, 2, 3].reduce((s, r) => s + centred(r, j) ** 2, 0)),
      { rtol: 1e-15 },
      "squares",
    );

    const signs = Float64Array.from({ length: PANEL_ROWS * k }, (_, i) =>
      Math.floor(i / k) >= rows ? 0 : rng.nextFloat() < 0.5 ? -1 : 1,
    );
    const start = gaussians(k * d);
    const expected = start.map((v, i) => {
      const [c, j] = [Math.floor(i / d), i % d];
      return v + [0, 1, 2, 3].reduce((s, r) => s + signs[r * k + c]! * centred(r, j), 0);
    });
    const weighted = Float64Array.from(start);
    addWeightedPanel(weighted, k, d, panel, signs);
    expectClose(weighted, expected, { atol: 1e-13 }, "weighted");
    const signed = Float64Array.from(start);
    addSignedPanel(signed, k, d, panel, signs, new Float64Array(8 * d));
    expectClose(signed, expected, { atol: 1e-13 }, "signed");

    const basis = gaussians(k * d);
    const z = new Float64Array(PANEL_ROWS * k);
    projectPanel(panel, d, basis, k, z);
    expectClose(
      z,
      Array.from({ length: PANEL_ROWS * k }, (_, i) => {
        const [r, c] = [Math.floor(i / k), i % k];
        let s = 0;
        for (let j = 0; j < d; j++) s += centred(r, j) * basis[c * d + j]!;
        return s;
      }),
      { atol: 1e-13 },
      "projections",
    );
  }
});
