/**
 * Models, endpoint configurations and endpoints in the SQLite registry (tables of migration 1). Each row keeps
 * the validated request as JSON (`description_json`) beside the columns that are queried, so the hosting
 * shapes can grow without migrations. Names are primary keys: an insert of an existing name is refused
 * (RESOURCE_EXISTS) inside the same statement, so two processes cannot both create one.
 * @module
 */
import { StrataError } from "../errors.js";
import type { RegistryDb } from "./db.js";
import { isDuplicateKey, ownerFromRow, ownerParams, type ProcessOwner } from "./owner.js";

/** A stored model or endpoint configuration: its request as given, validated. */
export interface StoredResource<T> {
  readonly name: string;
  readonly arn: string;
  readonly request: T;
  readonly creationTime: Date;
}

/** SageMaker's EndpointStatus values Strata uses. */
export type EndpointStatus = "Creating" | "InService" | "Updating" | "Deleting" | "Failed";

/** Strata's own endpoint fields, kept in `description_json`. */
export interface EndpointExtras {
  readonly tags?: readonly { readonly Key: string; readonly Value: string }[];
  /** The config an UpdateEndpoint is moving to (while Updating). */
  readonly pendingConfigName?: string;
  /** When the serving config was last loaded (DeployedImages.ResolutionTime). */
  readonly deployedAt?: number;
}

export interface EndpointRecord {
  readonly name: string;
  readonly arn: string;
  readonly configName: string;
  readonly status: EndpointStatus;
  readonly failureReason: string | null;
  readonly extras: EndpointExtras;
  readonly creationTime: Date;
  readonly lastModifiedTime: Date;
  readonly owner: ProcessOwner | null;
}

interface EndpointRow {
  name: string;
  arn: string;
  endpoint_config_name: string;
  status: string;
  failure_reason: string | null;
  description_json: string;
  creation_time: number;
  last_modified_time: number;
  owner_pid: number | null;
  owner_hostname: string | null;
  owner_token: string | null;
  owner_start: string | null;
}

function endpointFromRow(r: EndpointRow): EndpointRecord {
  return {
    name: r.name,
    arn: r.arn,
    configName: r.endpoint_config_name,
    status: r.status as EndpointStatus,
    failureReason: r.failure_reason,
    extras: JSON.parse(r.description_json) as EndpointExtras,
    creationTime: new Date(r.creation_time),
    lastModifiedTime: new Date(r.last_modified_time),
    owner: ownerFromRow(r),
  };
}

function exists(kind: string, arn: string): StrataError {
  return new StrataError("RESOURCE_EXISTS", `Cannot create already existing ${kind} "${arn}".`, {
    details: { arn },
  });
}

/** Changes {@link HostingStore.updateEndpoint} may make. */
export type EndpointPatch = Partial<
  Pick<EndpointRecord, "configName" | "status" | "failureReason" | "extras" | "owner">
>;

/** Typed access to the `models`, `endpoint_configs` and `endpoints` tables. */
export class HostingStore {
  constructor(readonly db: RegistryDb) {}

  /** @throws StrataError RESOURCE_EXISTS */
  insertModel(
    record: StoredResource<unknown>,
    trainingJobName: string | null,
    modelDataUrl: string | null,
  ): void {
    try {
      this.db
        .prepare(
          "INSERT INTO models (name, arn, training_job_name, model_data_url, description_json, creation_time) VALUES (?, ?, ?, ?, ?, ?)",
        )
        .run(
          record.name,
          record.arn,
          trainingJobName,
          modelDataUrl,
          JSON.stringify(record.request),
          record.creationTime.getTime(),
        );
    } catch (e) {
      if (isDuplicateKey(e)) throw exists("model", record.arn);
      throw e;
    }
  }

  getModel<T>(name: string): StoredResource<T> | null {
    return this.#getResource<T>("models", name);
  }

  listModels<T>(): StoredResource<T>[] {
    return this.#listResources<T>("models");
  }

  /** The names of the models whose names start with `prefix` (one indexed range query, however many exist). */
  modelNamesStartingWith(prefix: string): string[] {
    const escaped = prefix.replace(/[*?[]/g, "[$&]");
    // The names alone, not an object per row: a run's registry after a thousand runs holds thousands.
    return this.db
      .prepare("SELECT name FROM models WHERE name GLOB ?")
      .pluck()
      .all(`${escaped}*`) as string[];
  }

  /** Removes a model; false when there was none. */
  deleteModel(name: string): boolean {
    return this.db.prepare("DELETE FROM models WHERE name = ?").run(name).changes > 0;
  }

  /** @throws StrataError RESOURCE_EXISTS */
  insertEndpointConfig(record: StoredResource<unknown>): void {
    try {
      this.db
        .prepare(
          "INSERT INTO endpoint_configs (name, arn, description_json, creation_time) VALUES (?, ?, ?, ?)",
        )
        .run(record.name, record.arn, JSON.stringify(record.request), record.creationTime.getTime());
    } catch (e) {
      if (isDuplicateKey(e)) throw exists("endpoint configuration", record.arn);
      throw e;
    }
  }

  getEndpointConfig<T>(name: string): StoredResource<T> | null {
    return this.#getResource<T>("endpoint_configs", name);
  }

  listEndpointConfigs<T>(): StoredResource<T>[] {
    return this.#listResources<T>("endpoint_configs");
  }

  deleteEndpointConfig(name: string): boolean {
    return this.db.prepare("DELETE FROM endpoint_configs WHERE name = ?").run(name).changes > 0;
  }

  /** @throws StrataError RESOURCE_EXISTS */
  insertEndpoint(record: EndpointRecord): void {
    try {
      this.db
        .prepare(
          `INSERT INTO endpoints (name, arn, endpoint_config_name, status, failure_reason, description_json,
             creation_time, last_modified_time, owner_pid, owner_hostname, owner_token, owner_start)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          record.name,
          record.arn,
          record.configName,
          record.status,
          record.failureReason,
          JSON.stringify(record.extras),
          record.creationTime.getTime(),
          record.lastModifiedTime.getTime(),
          ...ownerParams(record.owner),
        );
    } catch (e) {
      if (isDuplicateKey(e)) throw exists("endpoint", record.arn);
      throw e;
    }
  }

  getEndpoint(name: string): EndpointRecord | null {
    const row = this.db.prepare("SELECT * FROM endpoints WHERE name = ?").get(name) as
      | EndpointRow
      | undefined;
    return row === undefined ? null : endpointFromRow(row);
  }

  listEndpoints(): EndpointRecord[] {
    return (
      this.db.prepare("SELECT * FROM endpoints ORDER BY creation_time, name").all() as EndpointRow[]
    ).map(endpointFromRow);
  }

  /** name → last_modified_time of every endpoint (the server's cheap change check). */
  endpointVersions(): Map<string, { status: EndpointStatus; modified: number }> {
    const rows = this.db.prepare("SELECT name, status, last_modified_time AS m FROM endpoints").all() as {
      name: string;
      status: string;
      m: number;
    }[];
    return new Map(rows.map((r) => [r.name, { status: r.status as EndpointStatus, modified: r.m }]));
  }

  /**
   * Read-modify-write of one endpoint in an IMMEDIATE transaction; `change` returns the patch or null for none.
   * @returns the record after the change, or null when the endpoint does not exist
   */
  updateEndpoint(
    name: string,
    change: (current: EndpointRecord) => EndpointPatch | null,
    now = new Date(),
  ): EndpointRecord | null {
    const run = this.db.transaction(() => {
      const current = this.getEndpoint(name);
      if (current === null) return null;
      const patch = change(current);
      if (patch === null) return current;
      const next: EndpointRecord = { ...current, ...patch, lastModifiedTime: now };
      this.db
        .prepare(
          `UPDATE endpoints SET endpoint_config_name = ?, status = ?, failure_reason = ?, description_json = ?,
             last_modified_time = ?, owner_pid = ?, owner_hostname = ?, owner_token = ?, owner_start = ? WHERE name = ?`,
        )
        .run(
          next.configName,
          next.status,
          next.failureReason,
          JSON.stringify(next.extras),
          // Strictly increasing, so servers polling last_modified_time never miss a change made in the same ms.
          Math.max(now.getTime(), current.lastModifiedTime.getTime() + 1),
          ...ownerParams(next.owner),
          name,
        );
      return this.getEndpoint(name);
    });
    return run.immediate();
  }

  deleteEndpoint(name: string): boolean {
    return this.db.prepare("DELETE FROM endpoints WHERE name = ?").run(name).changes > 0;
  }

  #getResource<T>(table: "models" | "endpoint_configs", name: string): StoredResource<T> | null {
    const row = this.db
      .prepare(`SELECT name, arn, description_json, creation_time FROM ${table} WHERE name = ?`)
      .get(name) as
      | { name: string; arn: string; description_json: string; creation_time: number }
      | undefined;
    return row === undefined
      ? null
      : {
          name: row.name,
          arn: row.arn,
          request: JSON.parse(row.description_json) as T,
          creationTime: new Date(row.creation_time),
        };
  }

  #listResources<T>(table: "models" | "endpoint_configs"): StoredResource<T>[] {
    const rows = this.db
      .prepare(`SELECT name, arn, description_json, creation_time FROM ${table} ORDER BY creation_time, name`)
      .all() as {
      name: string;
      arn: string;
      description_json: string;
      creation_time: number;
    }[];
    return rows.map((row) => ({
      name: row.name,
      arn: row.arn,
      request: JSON.parse(row.description_json) as T,
      creationTime: new Date(row.creation_time),
    }));
  }
}
