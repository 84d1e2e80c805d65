/** Models: the registry's list, and one model's contents (components, loadings, centroids) with a deploy form. */

import { useMemo, useState } from "preact/hooks";
import { useLocation, useRoute } from "preact-iso";
import { centroidHeatmapSpec } from "../../../src/report/charts/centroid-heatmap";
import { componentMakeupSpec } from "../../../src/report/charts/component-makeup";
import { screeSpec } from "../../../src/report/charts/scree";
import type { ModelContents, StageContents } from "../../../src/serving/model-contents";
import { get, post, sagemaker, uploadFile } from "../api";
import { Chart } from "../components/chart";
import { Crumbs, ErrorBox, Facts, Loading, PageTitle, RowTable } from "../components/common";
import { num, when } from "../components/format";
import { useLoad } from "../components/hooks";
import { DataTable, ListView, ResourceLink } from "../components/list-view";

interface ModelSummary {
  ModelName: string;
  CreationTime: number;
}

interface Container {
  Image: string;
  ModelDataUrl: string;
  Environment?: Record<string, string>;
}

interface ModelDescription {
  ModelName: string;
  CreationTime: number;
  PrimaryContainer?: Container;
  Containers?: Container[];
}

/** A model.tar.gz from elsewhere (SageMaker's own), uploaded, read as a model would be, and registered. */
function InspectArtifact() {
  const { route } = useLocation();
  const [file, setFile] = useState<File | undefined>(undefined);
  const [inspected, setInspected] = useState<(ModelContents & { image: string; uri: string }) | undefined>(
    undefined,
  );
  const [name, setName] = useState("");
  const [error, setError] = useState<Error | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const inspect = async (event: SubmitEvent) => {
    event.preventDefault();
    if (file === undefined) return;
    setBusy(true);
    setError(undefined);
    try {
      const uri = await uploadFile(file, () => undefined);
      const response = await post("/console/api/artifacts/contents", JSON.stringify({ uri }), {
        "content-type": "application/json",
      });
      setInspected({ ...((await response.json()) as ModelContents & { image: string }), uri });
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };
  const register = async (event: SubmitEvent) => {
    event.preventDefault();
    if (inspected === undefined) return;
    try {
      await sagemaker("CreateModel", {
        ModelName: name,
        PrimaryContainer: { Image: inspected.image, ModelDataUrl: inspected.uri },
      });
      route(`/models/${encodeURIComponent(name)}`);
    } catch (e) {
      setError(e as Error);
    }
  };
  return (
    <section aria-labelledby="inspect-heading">
      <h2 id="inspect-heading">Inspect a model artifact</h2>
      <form class="inline-form" onSubmit={inspect}>
        <label>
          A model.tar.gz of SageMaker's PCA or K-Means
          <input type="file" accept=".gz" onChange={(e) => setFile(e.currentTarget.files?.[0])} />
        </label>
        <button type="submit" disabled={busy || file === undefined}>
          Inspect
        </button>
      </form>
      <ErrorBox error={error} />
      {inspected !== undefined && (
        <>
          {inspected.containers.map((stage, i) => (
            <StageView key={i} stage={stage} index={i} />
          ))}
          <form class="inline-form" onSubmit={register}>
            <label>
              Register it as a model named
              <input value={name} onInput={(e) => setName(e.currentTarget.value)} required />
            </label>
            <button type="submit">Create model</button>
          </form>
        </>
      )}
    </section>
  );
}

export function Models() {
  const models = useLoad(
    () =>
      sagemaker<{ Models: ModelSummary[] }>("ListModels", {
        SortBy: "CreationTime",
        SortOrder: "Descending",
        MaxResults: 100,
      }),
    "models",
  );
  return (
    <>
      <PageTitle title="Models" />
      <InspectArtifact />
      <h2>Registered models</h2>
      <ListView
        loaded={models}
        rows={models.value?.Models}
        rowKey={(m) => m.ModelName}
        what="models"
        empty="No models yet: strata run registers its models, and so does CreateModel."
        columns={[
          { header: "Name", cell: (m) => <ResourceLink base="/models" name={m.ModelName} /> },
          { header: "Created", cell: (m) => when(m.CreationTime) },
        ]}
      />
    </>
  );
}

const TOP_FEATURES = 10;

function featureName(names: readonly string[] | null, i: number): string {
  return names?.[i] ?? `feature ${i + 1}`;
}

function PcaStage({ stage }: { stage: Extract<StageContents, { kind: "pca" }> }) {
  const ratios = stage.components.map((c) => c.explainedVarianceRatio);
  const kept = stage.keep ?? Math.min(5, stage.components.length);
  const specs = useMemo(
    () => ({
      scree: screeSpec(ratios, kept),
      makeup: componentMakeupSpec(
        stage.components.slice(0, kept).map((c, i) => ({
          label: `component ${i + 1}`,
          top: c.loadings
            .map((weight, f) => ({ feature: featureName(stage.featureNames, f), weight }))
            .sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight))
            .slice(0, TOP_FEATURES),
        })),
      ),
    }),
    [stage],
  );
  return (
    <>
      <p>
        {stage.components.length} components over {stage.mean.length} features
        {stage.keep === null ? "" : `; this stage answers the top ${stage.keep}`}.
      </p>
      <Chart spec={specs.scree} label="Explained variance per component (scree plot)" />
      <Chart spec={specs.makeup} label={`The ${TOP_FEATURES} largest loadings of each component`} />
      <details>
        <summary>Singular values and explained variance</summary>
        <DataTable
          rows={stage.components.map((c, i) => ({ ...c, component: i + 1 }))}
          rowKey={(c) => String(c.component)}
          columns={[
            { header: "Component", cell: (c) => c.component },
            { header: "Singular value", numeric: true, cell: (c) => num(c.singularValue) },
            {
              header: "Explained variance",
              numeric: true,
              cell: (c) => `${(100 * c.explainedVarianceRatio).toFixed(2)}%`,
            },
          ]}
        />
      </details>
    </>
  );
}

function KMeansStage({ stage }: { stage: Extract<StageContents, { kind: "kmeans" }> }) {
  const dim = stage.centroids[0]?.length ?? 0;
  const spec = useMemo(
    () =>
      centroidHeatmapSpec(
        stage.centroids,
        stage.centroids.map((_, i) => String(i)),
        Array.from({ length: dim }, (_, i) => featureName(stage.featureNames, i)),
        { one: "row", many: "rows" },
      ),
    [stage],
  );
  return (
    <>
      <p>
        {stage.centroids.length} clusters in {dim} dimensions.
      </p>
      <Chart spec={spec} label="Cluster centroids (heatmap)" />
    </>
  );
}

function ScalerStage({ stage }: { stage: Extract<StageContents, { kind: "scaler" }> }) {
  return (
    <details>
      <summary>{stage.scale.length} features scaled as x × scale + offset</summary>
      <RowTable
        rows={stage.scale.map((s, i) => [
          featureName(stage.featureNames, i),
          `× ${num(s)} + ${num(stage.min[i]!)}`,
        ])}
      />
    </details>
  );
}

const STAGE_TITLES: Record<StageContents["kind"], string> = {
  transform: "Feature transforms",
  scaler: "Scaler",
  pca: "PCA",
  kmeans: "K-Means",
};

export function StageView({ stage, index }: { stage: ModelContents["containers"][number]; index: number }) {
  return (
    <section aria-labelledby={`stage-${index}`}>
      <h2 id={`stage-${index}`}>
        {index + 1}. {STAGE_TITLES[stage.kind]} <span class="muted">({stage.image})</span>
      </h2>
      <p class="muted">{stage.modelDataUrl}</p>
      {stage.kind === "pca" && <PcaStage stage={stage} />}
      {stage.kind === "kmeans" && <KMeansStage stage={stage} />}
      {stage.kind === "scaler" && <ScalerStage stage={stage} />}
      {stage.kind === "transform" && <p>{stage.functions.map((f) => f ?? "none").join(", ")}</p>}
    </section>
  );
}

function Deploy({ model }: { model: string }) {
  const { route } = useLocation();
  const [name, setName] = useState(model.replace(/[^a-zA-Z0-9-]/g, "-"));
  const [error, setError] = useState<Error | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const deploy = async (event: SubmitEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      const config = `${name}-${Date.now()}`.slice(0, 63);
      await sagemaker("CreateEndpointConfig", {
        EndpointConfigName: config,
        ProductionVariants: [
          {
            VariantName: "AllTraffic",
            ModelName: model,
            InitialInstanceCount: 1,
            InstanceType: "ml.m5.large",
          },
        ],
      });
      await sagemaker("CreateEndpoint", { EndpointName: name, EndpointConfigName: config });
      route(`/endpoints/${encodeURIComponent(name)}`);
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="inline-form" onSubmit={deploy} aria-labelledby="deploy-heading">
      <h2 id="deploy-heading">Deploy to an endpoint</h2>
      <label>
        Endpoint name
        <input value={name} onInput={(e) => setName(e.currentTarget.value)} required />
      </label>
      <button type="submit" disabled={busy}>
        Deploy
      </button>
      <ErrorBox error={error} />
    </form>
  );
}

export function Model() {
  const { params } = useRoute();
  const name = params["name"] ?? "";
  const description = useLoad(() => sagemaker<ModelDescription>("DescribeModel", { ModelName: name }), name);
  const contents = useLoad(
    async () =>
      (await (await get(`/console/api/models/${encodeURIComponent(name)}/contents`)).json()) as ModelContents,
    name,
  );
  const d = description.value;
  const containers =
    d === undefined ? [] : (d.Containers ?? (d.PrimaryContainer === undefined ? [] : [d.PrimaryContainer]));
  return (
    <>
      <PageTitle title={name} />
      <Crumbs href="/models" list="Models" here={name} />
      <ErrorBox error={description.error} />
      {d !== undefined && (
        <Facts
          rows={[
            ["Created", when(d.CreationTime)],
            ["Containers", containers.map((c) => c.Image.split("/").pop()).join(" → ")],
          ]}
        />
      )}
      {d !== undefined && <Deploy model={name} />}
      <ErrorBox error={contents.error} />
      {contents.value === undefined
        ? contents.error === undefined && <Loading what="the model's contents" />
        : contents.value.containers.map((stage, i) => <StageView key={i} stage={stage} index={i} />)}
    </>
  );
}
