/**
 * Deterministic benchmark data, written at run time under bench/.data/ (git-ignored; never committed):
 * - "census-like": 34 correlated columns shaped like the ACS census table (counts in the thousands,
 *   percentages 0–100, incomes in the tens of thousands), driven by 6 latent factors so PCA has structure;
 * - "blobs": 5-dimensional Gaussian blobs around 7 centres that overlap, so Lloyd needs many iterations;
 * - "wide": 1,000 columns driven by 50 latent factors of geometrically decaying strength over a noise floor,
 *   the shape randomized PCA is for (a spectrum that decays, then flattens).
 * Each data set is kept as CSV, Parquet (DuckDB COPY) and raw little-endian float64 (for numpy's fromfile),
 * and reused when a file with the same name already exists: the seed and sizes fix its contents.
 * @module
 */
import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { sqlString, withConnection } from "../src/data/duckdb.js";
import { type Matrix, matrix } from "../src/linalg/matrix.js";
import { createRng } from "../src/linalg/rng.js";

export const DATA_DIR = resolve(dirname(fileURLToPath(import.meta.url)), ".data");
const VERSION = 1;

/** A generated data set and where its files are. */
export interface DataSet {
  readonly name: string;
  readonly matrix: Matrix;
  readonly columns: readonly string[];
  readonly csv: string;
  readonly parquet: string;
  /** Raw float64, row-major. */
  readonly f64: string;
}

/** n × 34 census-like rows (seeded). */
export function censusLike(n: number): Matrix {
  const d = 34;
  const f = 6;
  const rng = createRng(2015);
  const loadings = new Float64Array(d * f);
  for (let i = 0; i < loadings.length; i++) loadings[i] = rng.nextGaussian();
  const scale = new Float64Array(d);
  const base = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    // three kinds of column, as in the census: counts, percentages, money
    scale[j] = j < 6 ? 5000 : j < 28 ? 8 : 9000;
    base[j] = j < 6 ? 30000 : j < 28 ? 30 : 45000;
  }
  const x = matrix(n, d);
  const z = new Float64Array(f);
  for (let i = 0; i < n; i++) {
    for (let q = 0; q < f; q++) z[q] = rng.nextGaussian();
    for (let j = 0; j < d; j++) {
      let v = 0.5 * rng.nextGaussian();
      for (let q = 0; q < f; q++) v += loadings[j * f + q]! * z[q]!;
      x.data[i * d + j] = Math.round((base[j]! + scale[j]! * v) * 10) / 10;
    }
  }
  return x;
}

/** n × 5 overlapping Gaussian blobs around 7 centres (seeded). */
export function blobs(n: number): Matrix {
  const d = 5;
  const k = 7;
  const rng = createRng(7);
  const centres = new Float64Array(k * d);
  for (let i = 0; i < centres.length; i++) centres[i] = 4 * rng.nextGaussian();
  const x = matrix(n, d);
  for (let i = 0; i < n; i++) {
    const c = rng.nextInt(k);
    for (let t = 0; t < d; t++) x.data[i * d + t] = centres[c * d + t]! + 1.5 * rng.nextGaussian();
  }
  return x;
}

/** n × 1,000 rows from 50 latent factors (strength 0.9^q) plus unit noise (seeded). */
export function wide(n: number): Matrix {
  const d = 1000;
  const f = 50;
  const rng = createRng(1000);
  const loadings = new Float64Array(d * f);
  for (let i = 0; i < loadings.length; i++) loadings[i] = rng.nextGaussian();
  const x = matrix(n, d);
  const z = new Float64Array(f);
  for (let i = 0; i < n; i++) {
    for (let q = 0; q < f; q++) z[q] = 3 * 0.9 ** q * rng.nextGaussian();
    for (let j = 0; j < d; j++) {
      let v = rng.nextGaussian();
      for (let q = 0; q < f; q++) v += loadings[j * f + q]! * z[q]!;
      x.data[i * d + j] = v;
    }
  }
  return x;
}

async function writeCsv(path: string, m: Matrix, columns: readonly string[]): Promise<void> {
  const tmp = `${path}.tmp`;
  const out = createWriteStream(tmp);
  out.write(`${columns.join(",")}\n`);
  const { rows, cols, data } = m;
  for (let start = 0; start < rows; start += 10_000) {
    const lines: string[] = [];
    for (let i = start; i < Math.min(rows, start + 10_000); i++) {
      lines.push(Array.from(data.subarray(i * cols, (i + 1) * cols)).join(","));
    }
    if (!out.write(`${lines.join("\n")}\n`)) await new Promise<void>((r) => out.once("drain", () => r()));
  }
  await new Promise<void>((r, j) => out.end((e?: Error | null) => (e ? j(e) : r())));
  renameSync(tmp, path);
}

/** Generates (or reuses) a data set's CSV, Parquet and float64 files. */
export async function dataSet(kind: "census-like" | "blobs" | "wide", n: number): Promise<DataSet> {
  mkdirSync(DATA_DIR, { recursive: true });
  const m = kind === "census-like" ? censusLike(n) : kind === "blobs" ? blobs(n) : wide(n);
  const prefix = kind === "census-like" ? "c" : "x";
  const columns = Array.from(
    { length: m.cols },
    (_, j) => `${prefix}${String(j).padStart(kind === "wide" ? 4 : 2, "0")}`,
  );
  const name = `${kind}-${n}-v${VERSION}`;
  const csv = resolve(DATA_DIR, `${name}.csv`);
  const parquet = resolve(DATA_DIR, `${name}.parquet`);
  const f64 = resolve(DATA_DIR, `${name}.f64`);
  if (!existsSync(f64))
    writeFileSync(f64, new Uint8Array(m.data.buffer, m.data.byteOffset, m.data.byteLength));
  if (kind === "census-like") {
    if (!existsSync(csv)) await writeCsv(csv, m, columns);
    if (!existsSync(parquet)) {
      await withConnection(async (con) => {
        await con.run(
          `COPY (SELECT * FROM read_csv(${sqlString(csv)}, header=true)) TO ${sqlString(`${parquet}.tmp`)} (FORMAT parquet)`,
        );
      });
      renameSync(`${parquet}.tmp`, parquet);
    }
  }
  return { name, matrix: m, columns, csv, parquet, f64 };
}

/** Writes a small matrix (initial centres) as raw float64 and returns its path. */
export function writeF64(name: string, m: Matrix): string {
  mkdirSync(DATA_DIR, { recursive: true });
  const path = resolve(DATA_DIR, `${name}.f64`);
  writeFileSync(
    path,
    new Uint8Array(m.data.buffer.slice(m.data.byteOffset, m.data.byteOffset + m.data.byteLength)),
  );
  return path;
}

/** Reads back a raw float64 file (a sanity check used by the cases). */
export function readF64(path: string, cols: number): Matrix {
  const b = readFileSync(path);
  const data = new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  return matrix(data.length / cols, cols, data);
}
