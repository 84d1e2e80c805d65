/** Training jobs: the registry's list with status and name filters, newest first, refreshed while jobs run. */
import { useState } from "preact/hooks";
import { sagemaker } from "../api";
import { PageTitle, Status } from "../components/common";
import { duration, when } from "../components/format";
import { useLoad } from "../components/hooks";
import { ListView, ResourceLink } from "../components/list-view";

interface JobSummary {
  TrainingJobName: string;
  TrainingJobStatus: string;
  CreationTime: number;
  TrainingEndTime?: number;
}

const STATUSES = ["InProgress", "Completed", "Failed", "Stopping", "Stopped"];

export function Jobs() {
  const [status, setStatus] = useState("");
  const [nameContains, setNameContains] = useState("");
  const jobs = useLoad(
    () =>
      sagemaker<{ TrainingJobSummaries: JobSummary[] }>("ListTrainingJobs", {
        SortBy: "CreationTime",
        SortOrder: "Descending",
        MaxResults: 100,
        ...(status === "" ? {} : { StatusEquals: status }),
        ...(nameContains === "" ? {} : { NameContains: nameContains }),
      }),
    `${status}|${nameContains}`,
    {
      pollMs: 2000,
      poll: (v) =>
        v.TrainingJobSummaries.some(
          (j) => j.TrainingJobStatus === "InProgress" || j.TrainingJobStatus === "Stopping",
        ),
    },
  );
  return (
    <>
      <PageTitle title="Training jobs">
        <a class="button" href="/jobs/new">
          Create training job
        </a>
      </PageTitle>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          Status
          <select value={status} onChange={(e) => setStatus(e.currentTarget.value)}>
            <option value="">Any</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label>
          Name contains
          <input type="search" value={nameContains} onInput={(e) => setNameContains(e.currentTarget.value)} />
        </label>
      </form>
      <ListView
        loaded={jobs}
        rows={jobs.value?.TrainingJobSummaries}
        rowKey={(j) => j.TrainingJobName}
        what="training jobs"
        empty={`No training jobs${status || nameContains ? " match these filters" : " yet"}.`}
        columns={[
          { header: "Name", cell: (j) => <ResourceLink base="/jobs" name={j.TrainingJobName} /> },
          { header: "Status", cell: (j) => <Status status={j.TrainingJobStatus} /> },
          { header: "Created", cell: (j) => when(j.CreationTime) },
          { header: "Duration", cell: (j) => duration(j.CreationTime, j.TrainingEndTime) },
        ]}
      />
    </>
  );
}
