/**
 * Starting a segmentation: a table from an upload (streamed to the server, with progress) or a path / s3://
 * URI; its columns with the roles the server detected, each changeable, and a transform per feature; then
 * scaling, components, and k or a k sweep. The run's options are `strata run`'s.
 */

import { useState } from "preact/hooks";
import { useLocation } from "preact-iso";
import { ApiError, post, uploadFile } from "../api";
import { Crumbs, ErrorBox, PageTitle } from "../components/common";

type Role = "feature" | "identifier" | "index" | "unused";

interface Column {
  name: string;
  numeric: boolean;
  role: Role;
  reason: string | null;
  transform: "" | "log1p" | "asinh";
}

interface Preview {
  source: string;
  rows: number;
  columns: Column[];
}

function ColumnsTable({ columns, onChange }: { columns: Column[]; onChange: (c: Column[]) => void }) {
  const set = (i: number, patch: Partial<Column>) =>
    onChange(columns.map((c, j) => (j === i ? { ...c, ...patch } : c)));
  return (
    <table class="columns-table">
      <thead>
        <tr>
          <th scope="col">Column</th>
          <th scope="col">Values</th>
          <th scope="col">Role</th>
          <th scope="col">Transform</th>
        </tr>
      </thead>
      <tbody>
        {columns.map((c, i) => (
          <tr key={c.name}>
            <th scope="row">
              {c.name}
              {c.reason !== null && c.role !== "feature" && <div class="muted small">{c.reason}</div>}
            </th>
            <td>{c.numeric ? "numbers" : "text"}</td>
            <td>
              <select
                aria-label={`Role of ${c.name}`}
                value={c.role}
                onChange={(e) => set(i, { role: e.currentTarget.value as Role })}
              >
                {c.numeric && <option value="feature">feature</option>}
                <option value="identifier">identifier</option>
                <option value="index">row label</option>
                <option value="unused">not used</option>
              </select>
            </td>
            <td>
              {c.role === "feature" && (
                <select
                  aria-label={`Transform of ${c.name}`}
                  value={c.transform}
                  onChange={(e) => set(i, { transform: e.currentTarget.value as Column["transform"] })}
                >
                  <option value="">none</option>
                  <option value="log1p">log1p</option>
                  <option value="asinh">asinh</option>
                </select>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function NewRun() {
  const { route } = useLocation();
  const [file, setFile] = useState<File | undefined>(undefined);
  const [path, setPath] = useState("");
  const [progress, setProgress] = useState<number | undefined>(undefined);
  const [preview, setPreview] = useState<Preview | undefined>(undefined);
  const [error, setError] = useState<Error | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [scale, setScale] = useState("minmax");
  const [components, setComponents] = useState("5");
  const [sweep, setSweep] = useState(false);
  const [k, setK] = useState("7");
  const [from, setFrom] = useState("2");
  const [to, setTo] = useState("12");
  const [name, setName] = useState("");

  const readColumns = async (event: SubmitEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      let source = path.trim();
      if (file !== undefined) {
        setProgress(0);
        source = await uploadFile(file, setProgress);
        setPath(source);
      }
      const response = await post("/console/api/columns", JSON.stringify({ source }), {
        "content-type": "application/json",
      });
      const body = (await response.json()) as Omit<Preview, "columns"> & {
        columns: Omit<Column, "transform">[];
      };
      setPreview({ ...body, columns: body.columns.map((c) => ({ ...c, transform: "" })) });
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
      setProgress(undefined);
    }
  };

  const start = async (event: SubmitEvent) => {
    event.preventDefault();
    if (preview === undefined) return;
    setBusy(true);
    setError(undefined);
    const byRole = (role: Role) => preview.columns.filter((c) => c.role === role).map((c) => c.name);
    const transforms = Object.fromEntries(
      preview.columns
        .filter((c) => c.role === "feature" && c.transform !== "")
        .map((c) => [c.name, c.transform]),
    );
    try {
      const response = await post(
        "/console/api/runs",
        JSON.stringify({
          source: preview.source,
          ...(name.trim() === "" ? {} : { name: name.trim() }),
          index: byRole("index"),
          ids: [...byRole("index"), ...byRole("identifier")],
          features: byRole("feature"),
          ...(Object.keys(transforms).length > 0 ? { transformByFeature: transforms } : {}),
          scale,
          components: components === "auto" ? "auto" : Number(components),
          ...(sweep ? { clusterRange: [Number(from), Number(to)] } : { clusters: Number(k) }),
        }),
        { "content-type": "application/json" },
      );
      const { runId } = (await response.json()) as { runId: string };
      route(`/runs/${encodeURIComponent(runId)}`);
    } catch (e) {
      setError(e instanceof ApiError ? new Error(e.message) : (e as Error));
      setBusy(false);
    }
  };

  return (
    <>
      <PageTitle title="New segmentation" />
      <Crumbs href="/runs" list="Segmentations" here="new" />
      <form class="stacked" onSubmit={readColumns} aria-labelledby="table-heading">
        <h2 id="table-heading">1. The table</h2>
        <label>
          Upload a file <span class="muted">(CSV, TSV, Parquet, JSON or JSON Lines; gzip too)</span>
          <input
            type="file"
            accept=".csv,.tsv,.txt,.parquet,.json,.jsonl,.ndjson,.gz"
            onChange={(e) => setFile(e.currentTarget.files?.[0])}
          />
        </label>
        <label>
          Or a path or URI <span class="muted">(a file or folder the server may read, or s3://)</span>
          <input value={path} onInput={(e) => setPath(e.currentTarget.value)} disabled={file !== undefined} />
        </label>
        {progress !== undefined && (
          <label>
            Uploading
            <progress max={1} value={progress} />
          </label>
        )}
        <button type="submit" disabled={busy || (file === undefined && path.trim() === "")}>
          Read columns
        </button>
      </form>
      <ErrorBox error={error} />
      {preview !== undefined && (
        <form class="stacked wide" onSubmit={start} aria-labelledby="columns-heading">
          <h2 id="columns-heading">2. Columns</h2>
          <p>
            {preview.rows.toLocaleString()} rows. The roles below were detected from the data; change any of
            them. Features are the numbers the segments are made from; identifiers are kept beside the
            results; the row label names each row.
          </p>
          <ColumnsTable
            columns={preview.columns}
            onChange={(columns) => setPreview({ ...preview, columns })}
          />
          <h2>3. The model</h2>
          <div class="row">
            <label>
              Scaling
              <select value={scale} onChange={(e) => setScale(e.currentTarget.value)}>
                <option value="minmax">min-max to [0, 1]</option>
                <option value="standard">standard (z-scores)</option>
              </select>
            </label>
            <label>
              Components kept <span class="muted">(a number, or auto)</span>
              <input value={components} onInput={(e) => setComponents(e.currentTarget.value)} required />
            </label>
            <label>
              Run name <span class="muted">(optional; models are named after it)</span>
              <input
                value={name}
                onInput={(e) => setName(e.currentTarget.value)}
                pattern="[a-z0-9](-?[a-z0-9])*"
              />
            </label>
          </div>
          <fieldset>
            <legend>Segments</legend>
            <label class="inline">
              <input type="radio" name="k-mode" checked={!sweep} onChange={() => setSweep(false)} />k =
            </label>
            <input
              aria-label="k"
              class="narrow"
              type="number"
              min={2}
              value={k}
              onInput={(e) => setK(e.currentTarget.value)}
              disabled={sweep}
            />
            <label class="inline">
              <input type="radio" name="k-mode" checked={sweep} onChange={() => setSweep(true)} />
              sweep k from
            </label>
            <input
              aria-label="Sweep from"
              class="narrow"
              type="number"
              min={2}
              value={from}
              onInput={(e) => setFrom(e.currentTarget.value)}
              disabled={!sweep}
            />{" "}
            to{" "}
            <input
              aria-label="Sweep to"
              class="narrow"
              type="number"
              min={3}
              value={to}
              onInput={(e) => setTo(e.currentTarget.value)}
              disabled={!sweep}
            />
          </fieldset>
          <button type="submit" disabled={busy}>
            Start segmentation
          </button>
        </form>
      )}
    </>
  );
}
