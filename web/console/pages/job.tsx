/**
 * One training job: status and its transitions, hyperparameters, input and output, final metrics, the model
 * artifact, live log lines, and a stop button while it runs.
 */

import { useState } from "preact/hooks";
import { useRoute } from "preact-iso";
import { sagemaker } from "../api";
import { Crumbs, ErrorBox, Facts, Loading, PageTitle, RowTable, Status } from "../components/common";
import { duration, num, when } from "../components/format";
import { useLoad } from "../components/hooks";
import { DataTable } from "../components/list-view";
import { LogView } from "../components/log-view";

interface Transition {
  Status: string;
  StartTime: number;
  EndTime?: number;
  StatusMessage?: string;
}

export interface TrainingJob {
  TrainingJobName: string;
  TrainingJobStatus: string;
  SecondaryStatus: string;
  FailureReason?: string;
  AlgorithmSpecification: { TrainingImage: string };
  HyperParameters?: Record<string, string>;
  InputDataConfig: {
    ChannelName: string;
    ContentType?: string;
    DataSource: { S3DataSource: { S3Uri: string; S3DataDistributionType?: string } };
  }[];
  OutputDataConfig: { S3OutputPath: string };
  ResourceConfig: { InstanceType: string; InstanceCount: number };
  ModelArtifacts?: { S3ModelArtifacts: string };
  FinalMetricDataList?: { MetricName: string; Value: number }[];
  SecondaryStatusTransitions?: Transition[];
  CreationTime: number;
  TrainingStartTime?: number;
  TrainingEndTime?: number;
}

const LIVE = new Set(["InProgress", "Stopping"]);

export function Job() {
  const { params } = useRoute();
  const name = params["name"] ?? "";
  const job = useLoad(() => sagemaker<TrainingJob>("DescribeTrainingJob", { TrainingJobName: name }), name, {
    pollMs: 1000,
    poll: (j) => LIVE.has(j.TrainingJobStatus),
  });
  const [stopError, setStopError] = useState<Error | undefined>(undefined);
  const [stopping, setStopping] = useState(false);
  const j = job.value;

  const stop = async () => {
    setStopping(true);
    try {
      await sagemaker("StopTrainingJob", { TrainingJobName: name });
      setStopError(undefined);
      job.reload();
    } catch (e) {
      setStopError(e as Error);
    } finally {
      setStopping(false);
    }
  };

  return (
    <>
      <PageTitle title={name}>
        {j?.TrainingJobStatus === "InProgress" && (
          <button type="button" class="danger" onClick={stop} disabled={stopping}>
            Stop training job
          </button>
        )}
      </PageTitle>
      <Crumbs href="/jobs" list="Training jobs" here={name} />
      <ErrorBox error={job.error} />
      <ErrorBox error={stopError} />
      {j === undefined ? (
        job.error === undefined && <Loading what="the training job" />
      ) : (
        <>
          <Facts
            rows={[
              [
                "Status",
                <span key="s">
                  <Status status={j.TrainingJobStatus} /> {j.SecondaryStatus}
                </span>,
              ],
              ["Failure reason", j.FailureReason],
              ["Algorithm", j.AlgorithmSpecification.TrainingImage],
              ["Instances", `${j.ResourceConfig.InstanceCount} × ${j.ResourceConfig.InstanceType}`],
              ["Created", when(j.CreationTime)],
              ["Training time", duration(j.TrainingStartTime, j.TrainingEndTime)],
              ["Model artifact", j.ModelArtifacts?.S3ModelArtifacts],
              ["Output path", j.OutputDataConfig.S3OutputPath],
            ]}
          />
          <div class="columns">
            <section aria-labelledby="hp-heading">
              <h2 id="hp-heading">Hyperparameters</h2>
              <RowTable rows={Object.entries(j.HyperParameters ?? {})} />
            </section>
            <section aria-labelledby="channels-heading">
              <h2 id="channels-heading">Input channels</h2>
              <RowTable
                rows={j.InputDataConfig.map((c) => [
                  c.ChannelName,
                  <>
                    {c.DataSource.S3DataSource.S3Uri}
                    {c.ContentType !== undefined && <span class="muted"> ({c.ContentType})</span>}
                  </>,
                ])}
              />
              {(j.FinalMetricDataList?.length ?? 0) > 0 && (
                <>
                  <h2>Final metrics</h2>
                  <RowTable rows={j.FinalMetricDataList!.map((m) => [m.MetricName, num(m.Value)])} />
                </>
              )}
            </section>
          </div>
          <section aria-labelledby="transitions-heading">
            <h2 id="transitions-heading">Status transitions</h2>
            <DataTable
              rows={j.SecondaryStatusTransitions ?? []}
              rowKey={(t) => `${t.Status}-${t.StartTime}`}
              columns={[
                { header: "Status", cell: (t) => t.Status },
                { header: "Started", cell: (t) => when(t.StartTime) },
                {
                  header: "Took",
                  cell: (t) => (t.EndTime === undefined ? "…" : duration(t.StartTime, t.EndTime)),
                },
                { header: "Message", cell: (t) => t.StatusMessage },
              ]}
            />
          </section>
          <LogView
            group="/aws/sagemaker/TrainingJobs"
            prefix={`${name}/`}
            live={LIVE.has(j.TrainingJobStatus)}
          />
        </>
      )}
    </>
  );
}
