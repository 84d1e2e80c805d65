/** Training jobs: the registry's list with status and name filters, newest first, refreshed while jobs run. */
import { useState } from "preact/hooks";
import { sagemaker } from "../api";
import { ErrorBox, Loading, PageTitle, Status } from "../components/common";
import { duration, when } from "../components/format";
import { useLoad } from "../components/hooks";

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
  const list = jobs.value?.TrainingJobSummaries;
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
      <ErrorBox error={jobs.error} />
      {list === undefined ? (
        jobs.error === undefined && <Loading what="training jobs" />
      ) : list.length === 0 ? (
        <p>No training jobs{status || nameContains ? " match these filters" : " yet"}.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Status</th>
              <th scope="col">Created</th>
              <th scope="col">Duration</th>
            </tr>
          </thead>
          <tbody>
            {list.map((j) => (
              <tr key={j.TrainingJobName}>
                <td>
                  <a href={`/jobs/${encodeURIComponent(j.TrainingJobName)}`}>{j.TrainingJobName}</a>
                </td>
                <td>
                  <Status status={j.TrainingJobStatus} />
                </td>
                <td>{when(j.CreationTime)}</td>
                <td>{duration(j.CreationTime, j.TrainingEndTime)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
