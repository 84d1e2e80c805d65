/**
 * PCA `algorithm_mode=randomized` as an algorithm of the contract (src/contract): SageMaker's one-pass sketch
 * (spec §1.2; sketch-stats.ts), optionally followed by `power_iterations` passes of subspace iteration
 * (power-pass.ts) — a Strata extension after Halko, Martinsson & Tropp ("Finding structure with randomness",
 * SIAM Review 2011). Rounds:
 *
 *   pass 0: sketch C = Σ hᵢ (xᵢ − mean) (ℓ×d), with n, mean, h, the column sums of squares
 *           ─▶ Cᵀ = Q·R (Householder) ─▶ power_iterations = 0: the SVD of C is Q·W, √Λ with W, Λ the eigenpairs of
 *              R·Rᵀ — the model (s² = Λ/ℓ, below)
 *           ─▶ else broadcast the basis Q (ℓ×d) and the mean
 *   pass k: Y = Σ (Q x̃ᵢ) x̃ᵢ and T = Q·A·Qᵀ over the rows (A = X̃ᵀX̃, never formed)
 *           ─▶ k < power_iterations: the next basis is Y orthonormalised (QR)
 *           ─▶ k = power_iterations: Rayleigh–Ritz: the eigenpairs (W, Λ) of T give components Q·W, s² = Λ
 *
 * So power_iterations = 1 is Halko et al.'s basic randomized SVD (range finder, then a projection pass), and
 * p > 1 their subspace iteration with q = p − 1, re-orthonormalised between passes (their Algorithm 4.4).
 *
 * Scale of `s` with no power pass: with H the ℓ×n sign matrix, E[HᵀH] = ℓ·I, so E[CᵀC] = ℓ·X̃ᵀX̃ and the
 * sketch's squared singular values are ℓ times those of the centred data for the directions that dominate
 * it (for one dominant direction, ‖H u‖² ≈ ℓ). Strata divides them by ℓ so that `s` estimates regular
 * mode's singular values of the centred data (spec §1.3) and the two modes' `s` are comparable; the sum of
 * all ℓ of them then estimates the total sum of squares without bias, though the top ones absorb some of the
 * tail's (docs/training-jobs.md gives the census figures). The Rayleigh–Ritz values of a power pass need no
 * scale: T is the scatter itself restricted to the basis, so its eigenvalues are lower bounds of the exact
 * ones that converge to them.
 *
 * ℓ ≥ d leaves nothing to save (the d×d scatter is no larger than the ℓ×d sketch): fit-plan.ts runs regular
 * mode's exact statistics instead; {@link randomizedStart} refuses it.
 * @module
 */
import { checkChunkWidth } from "../contract/checks.js";
import type { AlgorithmRef, RoundOutcome, ShardAlgorithm } from "../contract/contract.js";
import { StrataError } from "../errors.js";
import { signKey } from "../linalg/counter-signs.js";
import { householderQR } from "../linalg/householder-qr.js";
import { matrix } from "../linalg/matrix.js";
import { symmetricEigen } from "../linalg/sym-eigen.js";
import { definedRef } from "../util/module-ref.js";
import { type PCAParams, sketchSize } from "./hyperparameters.js";
import type { PCAModel } from "./pca-model.js";
import { emptyPower, mergePower, type PowerStats, powerRowRange } from "./power-pass.js";
import {
  emptySketch,
  mergeSketch,
  type SketchStats,
  sketchRowRange,
  sketchToFactor,
  sketchTrace,
} from "./sketch-stats.js";
import { checkFitShape, type FinalizeOptions, modelFromSpectrum } from "./spectrum-model.js";

/** The first round's state: what every shard needs to sketch its rows. */
export interface SketchState {
  readonly pass: 0;
  readonly params: PCAParams;
  /** ℓ. */
  readonly sketchRows: number;
  /** The signs' key (linalg/counter-signs.ts `signKey(params.seed)`). */
  readonly key: number;
}

/** A power pass's state: the basis to multiply by, and what the sketch found that the model keeps. */
export interface PowerState {
  /** 1 … params.powerIterations. */
  readonly pass: number;
  readonly params: PCAParams;
  readonly sketchRows: number;
  readonly count: number;
  /** The data's column means. */
  readonly mean: Float64Array;
  /** The total (centred, or raw for subtract_mean=false) sum of squares. */
  readonly trace: number;
  /** ℓ×d, orthonormal rows. */
  readonly basis: Float64Array;
}

export type RandomizedState = SketchState | PowerState;
export type RandomizedPartial = SketchStats | PowerStats;

const isSketch = (state: RandomizedState): state is SketchState => state.pass === 0;

/**
 * The first state of a randomized fit over data `width` columns wide.
 * @throws INTERNAL when ℓ ≥ width (fit-plan.ts falls back to regular mode before asking).
 * @example const state = randomizedStart(validatePCAOptions({ numComponents: 5, algorithmMode: "randomized" }), 34);
 */
export function randomizedStart(params: PCAParams, width: number): SketchState {
  const sketchRows = sketchSize(params);
  if (sketchRows >= width)
    throw new StrataError("INTERNAL", `A sketch of ${sketchRows} rows over ${width} features saves nothing.`);
  return Object.freeze({ pass: 0, params, sketchRows, key: signKey(params.seed) });
}

/** The centring of a power pass: the mean, or nothing for subtract_mean=false. */
function shiftOf(state: PowerState): Float64Array {
  return state.params.subtractMean ? state.mean : new Float64Array(state.mean.length);
}

/** One pass's rows start ≤ i < end of `data` (d columns), row `start` being row `firstRow` of the data. */
function passRows(
  state: RandomizedState,
  data: Float64Array,
  d: number,
  start: number,
  end: number,
  firstRow: number,
): RandomizedPartial {
  if (isSketch(state)) return sketchRowRange(data, d, start, end, firstRow, state.key, state.sketchRows);
  const last = state.pass === state.params.powerIterations;
  return powerRowRange(data, d, start, end, shiftOf(state), state.basis, !last);
}

/**
 * Ends a round: the next state, or the model. The model's components are the top numComponents of the
 * estimate, sign-fixed, with the data's mean, as regular mode's.
 * @throws INVALID_ARGUMENT (fewer than 2 rows), INVALID_HYPERPARAMETER (feature_dim, num_components against
 *   the data), WIDTH_MISMATCH (featureNames length).
 */
export function finishRandomized(
  merged: RandomizedPartial,
  state: RandomizedState,
  options: FinalizeOptions = {},
): RoundOutcome<RandomizedState, PCAModel> {
  const { params, sketchRows: ell } = state;
  const d = merged.numFeatures;
  if (isSketch(state)) {
    const sketch = merged as SketchStats;
    checkFitShape(sketch.count, d, params);
    const trace = sketchTrace(sketch, params.subtractMean);
    const { q, r } = householderQR(matrix(ell, d, sketchToFactor(sketch, params.subtractMean)));
    if (params.powerIterations === 0) {
      // CᵀC = Q·(R·Rᵀ)·Qᵀ: the sketch's squared singular values are the eigenvalues of R·Rᵀ, scaled by 1/ℓ.
      const rrT = new Float64Array(ell * ell);
      for (let a = 0; a < ell; a++)
        for (let b = 0; b < ell; b++) {
          let sum = 0;
          for (let t = Math.max(a, b); t < ell; t++) sum += r.data[a * ell + t]! * r.data[b * ell + t]!;
          rrT[a * ell + b] = sum;
        }
      const model = ritzModel(rrT, q.data, 1 / ell, {
        count: sketch.count,
        mean: sketch.mean,
        trace,
        params,
        options,
      });
      return { done: true, model };
    }
    return {
      done: false,
      state: Object.freeze({
        pass: 1,
        params,
        sketchRows: ell,
        count: sketch.count,
        mean: sketch.mean,
        trace,
        basis: q.data,
      }),
    };
  }
  const power = merged as PowerStats;
  if (state.pass < params.powerIterations) {
    const { q } = householderQR(matrix(ell, d, power.product));
    return { done: false, state: Object.freeze({ ...state, pass: state.pass + 1, basis: q.data }) };
  }
  const model = ritzModel(power.gram, state.basis, 1, { ...state, params, options });
  return { done: true, model };
}

/**
 * The model of a Rayleigh–Ritz step: T (ℓ×ℓ, symmetric) is a matrix restricted to the orthonormal `basis` (ℓ×d);
 * its top eigenpairs (W, Λ) give components basisᵀ·W and eigenvalues scale·Λ.
 */
function ritzModel(
  gram: Float64Array,
  basis: Float64Array,
  scale: number,
  fit: {
    count: number;
    mean: Float64Array;
    trace: number;
    params: PCAParams;
    options: FinalizeOptions;
  },
): PCAModel {
  const ell = Math.round(Math.sqrt(gram.length));
  const d = basis.length / ell;
  const C = fit.params.numComponents;
  const { values, vectors: w } = symmetricEigen(matrix(ell, ell, gram));
  const eigenvalues = new Float64Array(C);
  const vectors = matrix(C, d);
  for (let c = 0; c < C; c++) {
    const idx = ell - 1 - c; // eigenvalues ascend; component 0 is the largest
    eigenvalues[c] = values[idx]! * scale;
    const out = c * d;
    for (let k = 0; k < ell; k++) {
      const weight = w.data[k * ell + idx]!;
      for (let j = 0; j < d; j++) vectors.data[out + j] = vectors.data[out + j]! + weight * basis[k * d + j]!;
    }
  }
  return modelFromSpectrum(
    {
      count: fit.count,
      mean: fit.mean,
      trace: fit.trace,
      eigenvalues,
      vectors,
      largest: values[ell - 1]! * scale,
    },
    fit.params,
    fit.options,
  );
}

export const RANDOMIZED_PCA: ShardAlgorithm<RandomizedState, RandomizedPartial, PCAModel> = {
  name: "Randomized PCA",
  empty: (state, width) =>
    isSketch(state)
      ? emptySketch(width, state.sketchRows)
      : emptyPower(width, state.sketchRows, state.pass < state.params.powerIterations),
  update(partial, chunk, state, firstRow) {
    checkChunkWidth(chunk, partial.numFeatures, this.name);
    const rows = passRows(state, chunk.data, chunk.cols, 0, chunk.rows, firstRow);
    return this.merge(partial, rows, state);
  },
  merge: (a, b, state) =>
    isSketch(state)
      ? mergeSketch(a as SketchStats, b as SketchStats)
      : mergePower(a as PowerStats, b as PowerStats),
  finalize: (merged, state) => finishRandomized(merged, state),
};

export const RANDOMIZED_PCA_REF: AlgorithmRef = definedRef(import.meta.url, "RANDOMIZED_PCA", RANDOMIZED_PCA);
