/**
 * The console's one way to the server: the SageMaker and CloudWatch Logs actions through
 * `POST /console/api/call` (the same handlers as `POST /`, with the session cookie and its CSRF token in place
 * of SigV4), and the console's own routes. A 401 sends the browser to the sign-in page.
 */

/** What the server says of this session. */
export interface SessionInfo {
  readonly csrfToken: string;
  /** "token", or the access key id the browser signed in with. */
  readonly signedInWith: string;
  /** True when the server runs jobs on a cluster (then the console shows its workers). */
  readonly cluster: boolean;
}

let session: Promise<SessionInfo> | undefined;

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
  // The runtime names model errors in a header (ModelError); the control plane in the body's __type.
  let type = response.headers.get("x-amzn-errortype") ?? `HTTP ${response.status}`;
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

/** The session, fetched once per page load. */
export function sessionInfo(): Promise<SessionInfo> {
  session ??= fetch("/console/api/session", { credentials: "same-origin" }).then(async (response) => {
    if (!response.ok) throw await failure(response);
    return (await response.json()) as SessionInfo;
  });
  session.catch(() => {
    session = undefined;
  });
  return session;
}

async function csrf(): Promise<string> {
  return (await sessionInfo()).csrfToken;
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
  session = undefined;
  window.location.assign("/sign-in");
}

/**
 * Uploads a file as the raw body of `PUT /console/api/uploads` (streamed to disk on the server), reporting
 * progress — which fetch cannot do for an upload — and gives the path the server stored it at.
 */
export async function uploadFile(file: File, onProgress: (fraction: number) => void): Promise<string> {
  const { csrfToken } = await sessionInfo();
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("PUT", `/console/api/uploads?name=${encodeURIComponent(file.name)}`);
    xhr.setRequestHeader("x-csrf-token", csrfToken);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onload = () => {
      let body: { path?: string; message?: string } = {};
      try {
        body = JSON.parse(xhr.responseText) as typeof body;
      } catch {
        // not JSON: the status says it
      }
      if (xhr.status === 201 && body.path !== undefined) resolve(body.path);
      else reject(new Error(body.message ?? `The upload failed (HTTP ${xhr.status}).`));
    };
    xhr.onerror = () => reject(new Error("The upload failed: the connection was closed."));
    xhr.send(file);
  });
}
