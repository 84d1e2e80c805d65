/** Small pieces every page uses: status badges, error boxes, key-value lists, page headings. */
import type { ComponentChildren } from "preact";
import { useEffect } from "preact/hooks";

/** The page's heading, also the document's title. */
export function PageTitle({ children, title }: { children?: ComponentChildren; title: string }) {
  useEffect(() => {
    document.title = `${title} · Strata console`;
  }, [title]);
  return (
    <div class="page-title">
      <h1>{title}</h1>
      {children}
    </div>
  );
}

const STATUS_CLASS: Record<string, string> = {
  Completed: "ok",
  InService: "ok",
  InProgress: "busy",
  Creating: "busy",
  Updating: "busy",
  Stopping: "busy",
  Deleting: "busy",
  Failed: "bad",
  Stopped: "idle",
  OutOfService: "bad",
};

export function Status({ status }: { status: string | undefined }) {
  if (status === undefined) return null;
  return <span class={`status status-${STATUS_CLASS[status] ?? "idle"}`}>{status}</span>;
}

export function ErrorBox({ error }: { error: Error | undefined }) {
  if (error === undefined) return null;
  return (
    <p class="error" role="alert">
      {error.message}
    </p>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p class="loading" aria-live="polite">
      Loading {what}…
    </p>
  );
}

/** A definition list of label/value rows; rows with an undefined value are left out. */
export function Facts({ rows }: { rows: readonly (readonly [string, ComponentChildren | undefined])[] }) {
  return (
    <dl class="facts">
      {rows
        .filter(([, v]) => v !== undefined && v !== null && v !== "")
        .map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
    </dl>
  );
}

/** A table whose rows are each headed by their name (hyperparameters, channels, metrics). */
export function RowTable({ rows }: { rows: readonly (readonly [string, ComponentChildren])[] }) {
  return (
    <table>
      <tbody>
        {rows.map(([name, value]) => (
          <tr key={name}>
            <th scope="row">{name}</th>
            <td>{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The trail under a page's title: the list it belongs to, then where it is. */
export function Crumbs({ href, list, here }: { href: string; list: string; here: string }) {
  return (
    <p class="crumbs">
      <a href={href}>{list}</a> / {here}
    </p>
  );
}

/**
 * SageMaker's resource-name rule as an HTML `pattern` (anchored by the browser): 1 to 63 letters, digits and
 * hyphens, starting and ending with a letter or digit. A hint before the server checks the same rule.
 */
export const RESOURCE_NAME_PATTERN = "[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}";
