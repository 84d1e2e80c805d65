/**
 * The console's one way to the server: the SageMaker and CloudWatch Logs actions through
 * `POST /console/api/call` (the same handlers as `POST /`, with the session cookie and its CSRF token in place
 * of SigV4), and the console's own routes. A 401 sends the browser to the sign-in page.
 */

let csrfToken: string | undefined;

/** An error the server answered, with its AWS error type and message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

async function failure(response: Response): Promise<ApiError> {
  if (response.status === 401) window.location.assign("/sign-in");
  let type = `HTTP ${response.status}`;
  let message = response.statusText;
  try {
    const body = (await response.json()) as { __type?: string; message?: string };
    type = body.__type ?? type;
    message = body.message ?? message;
  } catch {
    // Not JSON: keep the status line.
  }
  return new ApiError(response.status, type, message);
}

/** The session's CSRF token, fetched once per page load. */
export async function csrf(): Promise<string> {
  if (csrfToken !== undefined) return csrfToken;
  const response = await fetch("/console/api/session", { credentials: "same-origin" });
  if (!response.ok) throw await failure(response);
  csrfToken = ((await response.json()) as { csrfToken: string }).csrfToken;
  return csrfToken;
}

/** A console route that changes state (or may): POSTed with the CSRF token. */
export async function post(
  path: string,
  body?: BodyInit,
  headers: Record<string, string> = {},
): Promise<Response> {
  const response = await fetch(path, {
    method: "POST",
    credentials: "same-origin",
    headers: { "x-csrf-token": await csrf(), ...headers },
    ...(body === undefined ? {} : { body }),
  });
  if (!response.ok) throw await failure(response);
  return response;
}

/** A console route read with GET. */
export async function get(path: string): Promise<Response> {
  const response = await fetch(path, { credentials: "same-origin" });
  if (!response.ok) throw await failure(response);
  return response;
}

/** A SageMaker action, by name (`ListTrainingJobs`), with SageMaker's request and answer shapes. */
export async function sagemaker<T>(action: string, input: object = {}): Promise<T> {
  const response = await post("/console/api/call", JSON.stringify(input), {
    "content-type": "application/x-amz-json-1.1",
    "x-amz-target": `SageMaker.${action}`,
  });
  return (await response.json()) as T;
}

/** A CloudWatch Logs action, by name (`GetLogEvents`). */
export async function logs<T>(action: string, input: object): Promise<T> {
  const response = await post("/console/api/call", JSON.stringify(input), {
    "content-type": "application/x-amz-json-1.1",
    "x-amz-target": `Logs_20140328.${action}`,
  });
  return (await response.json()) as T;
}

/** Ends the session and goes to the sign-in page. */
export async function signOut(): Promise<void> {
  await post("/console/api/sign-out");
  csrfToken = undefined;
  window.location.assign("/sign-in");
}
