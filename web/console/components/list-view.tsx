/**
 * A page's list of resources: its error, "loading", the words for an empty list, or a table with one row per
 * resource. Every list page (runs, training jobs, models, endpoints, transform jobs, workers) draws its list
 * with it.
 */
import type { ComponentChildren } from "preact";
import { ErrorBox, Loading } from "./common";
import type { Loaded } from "./hooks";

export interface ListColumn<T> {
  readonly header: string;
  readonly cell: (row: T) => ComponentChildren;
  /** Right-aligned figures. */
  readonly numeric?: boolean;
}

export function ListView<T>(props: {
  loaded: Loaded<unknown>;
  rows: readonly T[] | undefined;
  rowKey: (row: T) => string;
  columns: readonly ListColumn<T>[];
  /** What the list holds, for "Loading …". */
  what: string;
  /** Shown instead of an empty table. */
  empty: ComponentChildren;
}) {
  const { loaded, rows, columns } = props;
  if (rows === undefined)
    return loaded.error === undefined ? <Loading what={props.what} /> : <ErrorBox error={loaded.error} />;
  return (
    <>
      <ErrorBox error={loaded.error} />
      {rows.length === 0 ? (
        <p>{props.empty}</p>
      ) : (
        <DataTable rows={rows} rowKey={props.rowKey} columns={columns} />
      )}
    </>
  );
}

/** A table with a header row and one row per item: the lists' tables, and the pages' own (transitions, components). */
export function DataTable<T>(props: {
  rows: readonly T[];
  rowKey: (row: T, index: number) => string;
  columns: readonly ListColumn<T>[];
}) {
  const { rows, columns } = props;
  return (
    <table>
      <thead>
        <tr>
          {columns.map((c) => (
            <th key={c.header} scope="col" class={c.numeric ? "num" : undefined}>
              {c.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row, i) => (
          <tr key={props.rowKey(row, i)}>
            {columns.map((c) => (
              <td key={c.header} class={c.numeric ? "num" : undefined}>
                {c.cell(row)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A link to a resource's page. */
export function ResourceLink({ base, name, label }: { base: string; name: string; label?: string }) {
  return <a href={`${base}/${encodeURIComponent(name)}`}>{label ?? name}</a>;
}
