/**
 * The registry schema as an ordered list of migrations. Each migration runs once, inside a transaction, and
 * records its number in `schema_version`; a database whose version is newer than the last entry here is
 * refused (an older Strata must not write a newer schema). Never edit a released migration: append one.
 *
 * Times are integer milliseconds since the epoch (UTC). SageMaker descriptions that the hosting issue will
 * fill (models, endpoint configs, endpoints, transform jobs) are stored as JSON next to the few columns that
 * are queried, so that issue extends the JSON rather than migrating columns.
 * @module
 */

export interface Migration {
  readonly version: number;
  readonly description: string;
  readonly sql: string;
}

const OWNER_COLUMNS = `
  owner_pid INTEGER,
  owner_hostname TEXT,
  owner_token TEXT,
  owner_start TEXT`;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: "training jobs, logs, metrics; models, endpoint configs, endpoints, transform jobs",
    sql: `
CREATE TABLE training_jobs (
  name TEXT PRIMARY KEY,
  arn TEXT NOT NULL,
  algorithm TEXT NOT NULL,
  request_json TEXT NOT NULL,
  status TEXT NOT NULL,
  secondary_status TEXT NOT NULL,
  transitions_json TEXT NOT NULL,
  failure_reason TEXT,
  creation_time INTEGER NOT NULL,
  training_start_time INTEGER,
  training_end_time INTEGER,
  last_modified_time INTEGER NOT NULL,
  artifact_uri TEXT,
  metadata_uri TEXT,
  progress REAL,
  progress_message TEXT,
  stop_reason TEXT,${OWNER_COLUMNS}
);
CREATE INDEX training_jobs_by_status ON training_jobs (status, creation_time);
CREATE INDEX training_jobs_by_creation ON training_jobs (creation_time);

CREATE TABLE training_job_logs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  job_name TEXT NOT NULL REFERENCES training_jobs (name) ON DELETE CASCADE,
  time INTEGER NOT NULL,
  level TEXT NOT NULL,
  message TEXT NOT NULL
);
CREATE INDEX training_job_logs_by_job ON training_job_logs (job_name, id);

CREATE TABLE training_job_metrics (
  job_name TEXT NOT NULL REFERENCES training_jobs (name) ON DELETE CASCADE,
  metric_name TEXT NOT NULL,
  value REAL,
  timestamp INTEGER NOT NULL,
  PRIMARY KEY (job_name, metric_name)
);

CREATE TABLE models (
  name TEXT PRIMARY KEY,
  arn TEXT NOT NULL,
  training_job_name TEXT,
  model_data_url TEXT,
  description_json TEXT NOT NULL,
  creation_time INTEGER NOT NULL
);

CREATE TABLE endpoint_configs (
  name TEXT PRIMARY KEY,
  arn TEXT NOT NULL,
  description_json TEXT NOT NULL,
  creation_time INTEGER NOT NULL
);

CREATE TABLE endpoints (
  name TEXT PRIMARY KEY,
  arn TEXT NOT NULL,
  endpoint_config_name TEXT NOT NULL,
  status TEXT NOT NULL,
  failure_reason TEXT,
  description_json TEXT NOT NULL,
  creation_time INTEGER NOT NULL,
  last_modified_time INTEGER NOT NULL,${OWNER_COLUMNS}
);

CREATE TABLE transform_jobs (
  name TEXT PRIMARY KEY,
  arn TEXT NOT NULL,
  model_name TEXT NOT NULL,
  request_json TEXT NOT NULL,
  status TEXT NOT NULL,
  failure_reason TEXT,
  description_json TEXT NOT NULL,
  creation_time INTEGER NOT NULL,
  last_modified_time INTEGER NOT NULL,${OWNER_COLUMNS}
);
CREATE INDEX transform_jobs_by_status ON transform_jobs (status, creation_time);
`,
  },
  {
    version: 2,
    description: "log lines of transform jobs and endpoints; one view of every resource's log lines",
    sql: `
CREATE TABLE resource_logs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  time INTEGER NOT NULL,
  level TEXT NOT NULL,
  message TEXT NOT NULL
);
CREATE INDEX resource_logs_by_resource ON resource_logs (kind, name, time, id);
CREATE INDEX training_job_logs_by_time ON training_job_logs (job_name, time, id);

CREATE VIEW log_events AS
  SELECT id, 'training-job' AS kind, job_name AS name, time, level, message FROM training_job_logs
  UNION ALL
  SELECT id, kind, name, time, level, message FROM resource_logs;
`,
  },
  {
    version: 3,
    description: "one-time sign-in tokens of the web console",
    sql: `
CREATE TABLE console_tokens (
  hash TEXT PRIMARY KEY,
  created INTEGER NOT NULL,
  expires INTEGER NOT NULL
);
`,
  },
  {
    version: 4,
    description: "segmentation runs (strata run and the console) and their step events",
    sql: `
CREATE TABLE runs (
  id TEXT PRIMARY KEY,
  source TEXT NOT NULL,
  options_json TEXT NOT NULL,
  out_dir TEXT NOT NULL,
  status TEXT NOT NULL,
  creation_time INTEGER NOT NULL,
  end_time INTEGER,
  failure_reason TEXT,
  result_json TEXT,${OWNER_COLUMNS}
);
CREATE INDEX runs_by_creation ON runs (creation_time);

CREATE TABLE run_events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  time INTEGER NOT NULL,
  kind TEXT NOT NULL,
  step TEXT,
  message TEXT NOT NULL
);
CREATE INDEX run_events_by_run ON run_events (run_id, seq);
`,
  },
];

/** The schema version this Strata writes. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
