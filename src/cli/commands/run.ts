/**
 * `strata run`: the whole census segmentation on this machine — load, clean, explore, scale, PCA, choose
 * components, K-Means, assign, explain — then summary.json and assignments.csv in the out dir, the report
 * (report.html and charts/, unless `--no-report`), and a readable summary on stdout (or the summary document
 * itself with `--json`). Component and segment names (automatic, or `--component-names`, `--segment-names`,
 * `--names`) are the same in the summary, the report and the terminal.
 * @module
 */
import type { Command } from "commander";
import { droppedSentence, indexPhrase, unusedSentence } from "../../explain/cleaning-words.js";
import {
  checkNameCount,
  mergeOverrides,
  type NameOverrides,
  parseNameList,
  readNamesFile,
} from "../../explain/names.js";
import { restartsNote, type Summary, silhouetteSampleNote } from "../../explain/summary-document.js";
import { TRANSFORMS, type TransformName } from "../../preprocess/feature-transform.js";
import type { FlagRule } from "../../util/hyperparameter-engine.js";
import { AUTO_RANGE } from "../../workflow/k-sweep.js";
import {
  DEFAULT_OPTIONS,
  defaultSource,
  RUN_FLAG_RULES,
  type SegmentationOptions,
} from "../../workflow/options.js";
import { executeRun } from "../../workflow/run.js";
import { STEPS } from "../../workflow/segmentation.js";
import { flagError, parseChoice, parseIntegerIn, parseList } from "../arguments.js";
import { printJson, printLines } from "../output.js";
import { createProgress } from "../progress.js";

/** `--clusters 7`, `--clusters auto` (2..12) or `--clusters 3..9`. */
function parseClusters(text: string): number | readonly [number, number] {
  if (text === "auto") return AUTO_RANGE;
  const range = /^(\d+)\.\.(\d+)$/.exec(text.trim());
  if (range === null) return byRule(RUN_FLAG_RULES.clusters)(text);
  const from = byRule(RUN_FLAG_RULES.clusters)(range[1]!);
  const to = byRule(RUN_FLAG_RULES.clusters)(range[2]!);
  if (to <= from) RUN_FLAG_RULES.clusters.refuse(text, "a range from..to with from < to, or auto (2..12)");
  return [from, to];
}

/** `--transform asinh` (every feature) or `--transform Income:log1p,TotalPop:asinh`. */
function parseTransform(text: string): { all?: TransformName; byFeature?: Record<string, TransformName> } {
  const known = (t: string): t is TransformName => (TRANSFORMS as readonly string[]).includes(t);
  const refuse = (): never => {
    throw flagError(
      "--transform",
      text,
      `${TRANSFORMS.join(" or ")} for every feature, or feature:${TRANSFORMS[0]},feature:${TRANSFORMS[1]} for some`,
    );
  };
  const trimmed = text.trim();
  if (known(trimmed)) return { all: trimmed };
  const byFeature: Record<string, TransformName> = {};
  for (const item of parseList(text)) {
    const at = item.lastIndexOf(":");
    const name = item.slice(0, at).trim();
    const how = item.slice(at + 1).trim();
    if (at <= 0 || !known(how)) refuse();
    byFeature[name] = how as TransformName;
  }
  if (Object.keys(byFeature).length === 0) refuse();
  return { byFeature };
}

/** A commander parser from one of the run's flag rules (bounds that need the data are checked once it is read). */
const byRule =
  (rule: FlagRule) =>
  (text: string): number =>
    rule.parse(text) as number;

interface RunFlags {
  data?: string;
  out: string;
  components?: number | "auto";
  pcaComponents?: number;
  clusters: number | readonly [number, number];
  seed: number;
  restarts: number | "auto";
  index?: string[];
  id?: string[];
  features?: string[];
  exclude?: string[];
  impute?: "median" | "mean";
  weight?: string;
  entity?: string;
  stability?: number;
  scale?: "minmax" | "standard";
  transform?: { all?: TransformName; byFeature?: Record<string, TransformName> };
  json?: boolean;
  quiet?: boolean;
  report: boolean;
  png?: boolean;
  hist?: string[];
  componentNames?: string;
  segmentNames?: string;
  names?: string;
  name?: string;
  replaceModels?: boolean;
  stream?: boolean;
}

/** The flags `strata run` and `strata report` share: names and histogram features. */
export interface NameFlags {
  hist?: string[];
  componentNames?: string;
  segmentNames?: string;
  names?: string;
}

/** Adds --hist, --component-names, --segment-names and --names to a command. */
export function addNameOptions(command: Command): Command {
  return command
    .option(
      "--hist <features>",
      "features to draw histograms of (default: Professional,Service,Office where the data has them, else its first three)",
      parseList,
    )
    .option(
      "--component-names <names>",
      "names for the kept components, in order (empty keeps the automatic one)",
    )
    .option(
      "--segment-names <names>",
      "names for the segments, by cluster id from 0 (empty keeps the automatic one)",
    )
    .option("--names <file.json>", 'names file: { "components": [...], "segments": [...] }');
}

/** The name overrides the flags ask for (the file first, the lists on top). */
export function nameOverrides(flags: NameFlags): NameOverrides {
  const fromFile = flags.names ? readNamesFile(flags.names) : {};
  return mergeOverrides(fromFile, {
    ...(flags.componentNames === undefined ? {} : { components: parseNameList(flags.componentNames) }),
    ...(flags.segmentNames === undefined ? {} : { segments: parseNameList(flags.segmentNames) }),
  });
}

export function registerRun(program: Command): void {
  const command = program
    .command("run")
    .description(
      "Run the census segmentation end to end and write summary.json, assignments.csv and the report.",
    )
    .option(
      "--data <uri>",
      "table to segment: path, file://, https:// or s3:// (default: $STRATA_DATA, $STRATA_CENSUS_CSV, else the public census object)",
    )
    .option("--out <dir>", "output directory", "./strata-out")
    .option(
      "--components <n>",
      'principal components kept for clustering (default: 5, at most the number of features; "auto": the fewest that explain 80% of the variance)',
      (text: string) => (text === "auto" ? "auto" : byRule(RUN_FLAG_RULES.components)(text)),
    )
    .option(
      "--pca-components <n>",
      "components the PCA computes (default: features - 1)",
      byRule(RUN_FLAG_RULES.pcaComponents),
    )
    .option(
      "--clusters <k>",
      'number of K-Means clusters; "auto" or a range such as 2..12 sweeps k and picks the highest silhouette',
      parseClusters,
      DEFAULT_OPTIONS.clusters,
    )
    .option(
      "--seed <n>",
      "random seed (K-Means seeding and restarts)",
      byRule(RUN_FLAG_RULES.seed),
      DEFAULT_OPTIONS.seed,
    )
    .option(
      "--restarts <n>",
      'K-Means restarts, best by inertia; "auto": 10, then more until 5 in a row find no lower inertia (100 at most)',
      (text: string) => (text === "auto" ? "auto" : byRule(RUN_FLAG_RULES.restarts)(text)),
      DEFAULT_OPTIONS.restarts,
    )
    .option(
      "--index <columns>",
      "columns joined with '-' into the row label (default: detected, e.g. State,County; \"\" numbers the rows)",
      parseList,
    )
    .option(
      "--id <columns>",
      'columns kept beside the results in assignments.csv, never features (default: the text and id columns; "" for none)',
      parseList,
    )
    .option("--features <columns>", "use exactly these numeric columns as features", parseList)
    .option("--exclude <columns>", "numeric columns not to use as features", parseList)
    .option(
      "--transform <how>",
      'log1p or asinh before scaling: for every feature ("asinh") or some ("Income:log1p,TotalPop:asinh")',
      parseTransform,
    )
    .option(
      "--scale <how>",
      'how features are scaled: "minmax" to [0, 1] (the notebook\'s) or "standard" (z-scores)',
      parseChoice("--scale", ["minmax", "standard"] as const),
    )
    .option(
      "--stability <n>",
      "each segment's stability by the cluster-wise bootstrap over n resamples (mean Jaccard; 0: none)",
      parseIntegerIn("--stability", 0, 1000),
    )
    .option(
      "--weight <column>",
      "a numeric column (e.g. population) whose values weight each row: K-Means sample weights and weighted segment profiles",
    )
    .option("--entity <plural>", 'what the rows are, for the words ("customers"; default from the data)')
    .option(
      "--impute <how>",
      "fill missing feature values with the column's median or mean instead of dropping the row",
      parseChoice("--impute", ["median", "mean"] as const),
    )
    .option(
      "--name <name>",
      "the run's name: its models are <name>-pca, <name>-kmeans, <name>-pipeline (default: the data file's name; taken names get -2, -3, …)",
    )
    .option("--replace-models", "re-register the models of --name instead of taking the next free name")
    .option(
      "--stream",
      "stream the table in chunks (default: when holding it would exceed STRATA_RUN_MEMORY_MB, else a quarter of memory)",
    )
    .option("--no-stream", "hold the table in memory whatever its size")
    .option("--json", "print summary.json on stdout instead of the readable summary")
    .option("--quiet", "no progress lines")
    .option("--no-report", "skip report.html and charts/")
    .option("--png", "also write every chart as a PNG in charts/ (SVGs are always written)");
  addNameOptions(command).action(async (flags: RunFlags) => {
    const started = performance.now();
    const options: SegmentationOptions = {
      source: flags.data ?? defaultSource(),
      components: flags.components,
      clusters: typeof flags.clusters === "number" ? flags.clusters : DEFAULT_OPTIONS.clusters,
      ...(typeof flags.clusters === "number" ? {} : { clusterRange: flags.clusters }),
      seed: flags.seed,
      restarts: flags.restarts,
      indexColumns: flags.index,
      idColumns: flags.id,
      features: flags.features,
      exclude: flags.exclude,
      impute: flags.impute,
      weight: flags.weight,
      entity: flags.entity,
      stability: flags.stability,
      scale: flags.scale,
      transform: flags.transform,
      stream: flags.stream,
      ...(flags.pcaComponents === undefined ? {} : { pcaComponents: flags.pcaComponents }),
    };
    const names = nameOverrides(flags);
    // Too many names is known before the run; a --hist feature that does not exist only after it.
    // With counts given; else once the data says how many (applyReportOptions checks again).
    if (typeof flags.components === "number") checkNameCount(flags.components, names.components, "component");
    if (typeof flags.clusters === "number") checkNameCount(flags.clusters, names.segments, "segment");
    const progress = createProgress({
      totalSteps: STEPS.length + (flags.report ? 2 : 1),
      quiet: flags.quiet ?? false,
    });
    try {
      const outcome = await executeRun(
        {
          ...options,
          outDir: flags.out,
          report: flags.report,
          png: flags.png === true,
          ...(flags.name === undefined ? {} : { name: flags.name }),
          replaceModels: flags.replaceModels === true,
          reportOptions: { names, ...(flags.hist ? { histFeatures: flags.hist } : {}) },
        },
        {
          onReading: (choice) => {
            if (choice.stream)
              progress.note(
                `Streaming the table${choice.reason.startsWith("--") ? ` (${choice.reason})` : `: ${choice.reason}`}.`,
              );
          },
          onStepStart: (s) => progress.start(s),
          onStepDone: (s, ms, detail) => progress.done(s, ms, detail),
          onWriteStart: () => progress.start("write"),
          onWriteDone: (ms, outDir) => progress.done("write", ms, outDir),
          onReportStart: () => progress.start("report"),
          onReportDone: (ms, file) => progress.done("report", ms, file),
        },
      );
      const { summary, reportFile } = outcome;
      progress.stop();
      if (flags.json) printJson(summary);
      else {
        const models = summary.registeredModels;
        printLines(
          ...formatSummary(summary, outcome.outDir, performance.now() - started, reportFile),
          `Models: ${models.pipeline} (raw rows to segments), ${models.pca}, ${models.kmeans}; serve with strata deploy ${models.pipeline} --name <endpoint>.`,
        );
      }
    } finally {
      progress.stop();
    }
  });
}

/** The readable summary: shape, what was dropped, explained variance, component makeup, segments. */
export function formatSummary(s: Summary, outDir: string, totalMs: number, reportFile?: string): string[] {
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const lines = [
    `Strata segmentation of ${s.source}`,
    "",
    `Data: ${s.rows.loaded} rows loaded, ${droppedSentence(s)}; ${s.rows.used} used, ${indexPhrase(s)}; ${s.features.length} feature${s.features.length === 1 ? "" : "s"}.`,
    ...(s.columns.unused.length > 0 ? [`Not used as features: ${unusedSentence(s)}.`] : []),
    `PCA: ${s.pca.numComponents} components; the top ${s.pca.kept}${s.pca.keptRule === null ? "" : ` (${s.pca.keptRule})`} explain ${pct(s.pca.keptExplainedVariance)} of the variance (${pct(s.pca.keptExplainedVarianceSageMaker)} of the ${s.pca.numComponents} components' variance, the notebook's measure).`,
  ];
  s.pca.components.forEach((c, i) => {
    const ratio = s.pca.explainedVarianceRatio[i]!;
    const top = c.top
      .slice(0, 5)
      .map((t) => `${t.feature} ${t.weight >= 0 ? "+" : ""}${t.weight.toFixed(2)}`)
      .join(", ");
    lines.push(`  comp_${i + 1}  ${pct(ratio).padStart(6)}  ${c.name}`, `          ${top}`);
  });
  lines.push(
    ...sweepLines(s),
    `K-Means${s.weight ? ` weighted by ${s.weight.column}` : ""}: k=${s.kmeans.k}, inertia ${s.kmeans.inertia.toFixed(4)}${s.weight ? " (weighted)" : ""}${restartsNote(s.kmeans)}, silhouette ${s.kmeans.silhouette.toFixed(3)}${silhouetteSampleNote(s.kmeans)}, Calinski-Harabasz ${s.kmeans.calinskiHarabasz.toFixed(1)}, Davies-Bouldin ${s.kmeans.daviesBouldin.toFixed(3)}.`,
  );
  const width = Math.max(8, s.entity.many.length);
  const stable = s.stability === null ? "" : "  stability";
  // With --weight, each segment's share of the weight ("TotalPop %") beside its count of rows.
  const weight = s.weight ?? null;
  const shareHeader = weight === null ? "" : `  ${weight.column} %`;
  const share = (c: number) =>
    weight === null
      ? ""
      : `  ${pct((s.segments?.[c]?.weight ?? Number.NaN) / weight.total).padStart(shareHeader.length - 2)}`;
  lines.push(`  cluster  ${s.entity.many.padStart(width)}${shareHeader}${stable}  segment`);
  s.kmeans.sizes.forEach((n, c) => {
    lines.push(
      `  ${String(c).padStart(7)}  ${String(n).padStart(width)}${share(c)}${s.stability === null ? "" : `  ${s.stability.jaccard[c]!.toFixed(2).padStart(9)}`}  ${s.segments?.[c]?.name ?? ""}`.trimEnd(),
    );
  });
  const report = reportFile ? `, ${reportFile.slice(outDir.length + 1)} and charts/` : "";
  lines.push(
    "",
    `Wrote ${outDir}/summary.json, assignments.csv${report} in ${(totalMs / 1000).toFixed(2)} s.`,
  );
  if (reportFile) lines.push(`Report: ${reportFile}`);
  return lines;
}

/** The k sweep, one line per k, when there was one. */
function sweepLines(s: Summary): string[] {
  const sweep = s.kSweep;
  if (sweep === null) return [];
  return [
    `k sweep (${sweep.rule}): k=${sweep.chosen}`,
    "      k     inertia  Calinski-Harabasz  Davies-Bouldin  silhouette",
    ...sweep.points.map(
      (p) =>
        `  ${String(p.k).padStart(5)}  ${p.inertia.toFixed(2).padStart(10)}  ${p.calinskiHarabasz.toFixed(1).padStart(17)}  ${p.daviesBouldin.toFixed(3).padStart(14)}  ${p.silhouette.toFixed(3).padStart(10)}${p.k === sweep.chosen ? "  <" : ""}`,
    ),
  ];
}
