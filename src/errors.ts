/**
 * The error registry: every failure Strata reports to a user has a stable code here, with the HTTP status and
 * the SageMaker error name the API layer answers with. Messages say what went wrong, the value, the
 * constraint and the way out; `details` carries the same facts for machines (`--json`, API bodies).
 * Every code is documented in docs/errors.md (a test checks it).
 * @module
 */

export interface ErrorSpec {
  /** HTTP status the API answers with. */
  readonly status: number;
  /** SageMaker / AWS error name (`__type`) for API responses. */
  readonly awsType: string;
  /** One line: when this error is raised. */
  readonly summary: string;
}

/** Every error code Strata raises. Add new codes here and document them in docs/errors.md. */
export const ERROR_CODES = {
  // Data sources and loading
  SOURCE_NOT_FOUND: {
    status: 404,
    awsType: "ValidationException",
    summary: "A data file, URL or object does not exist.",
  },
  SOURCE_UNREACHABLE: {
    status: 503,
    awsType: "ServiceUnavailable",
    summary: "A remote source (S3, HTTPS) could not be reached.",
  },
  SOURCE_ACCESS_DENIED: {
    status: 403,
    awsType: "AccessDeniedException",
    summary: "The remote source refused access.",
  },
  UNSUPPORTED_SOURCE: {
    status: 400,
    awsType: "ValidationException",
    summary: "A URI scheme or file format Strata cannot read.",
  },
  EMPTY_DATA: {
    status: 400,
    awsType: "ValidationException",
    summary: "A data source has no header or no rows.",
  },
  CSV_RAGGED_ROW: {
    status: 400,
    awsType: "ValidationException",
    summary: "A CSV line has a different number of fields than the header.",
  },
  CSV_PARSE_ERROR: {
    status: 400,
    awsType: "ValidationException",
    summary: "A CSV, JSON, Parquet or Arrow IPC file could not be parsed.",
  },
  NON_NUMERIC_VALUE: {
    status: 400,
    awsType: "ValidationException",
    summary: "A numeric column holds a value that is not a number.",
  },
  MISSING_COLUMN: {
    status: 400,
    awsType: "ValidationException",
    summary: "A column the step needs is not in the data.",
  },
  DUPLICATE_INDEX: {
    status: 400,
    awsType: "ValidationException",
    summary: "Two rows have the same index value.",
  },
  NO_ROWS_LEFT: { status: 400, awsType: "ValidationException", summary: "Cleaning removed every row." },
  VALUE_OUT_OF_RANGE: {
    status: 400,
    awsType: "ValidationException",
    summary:
      "A number in the data is outside what its use allows (a --weight of 0 or below); the message names the column and the rows.",
  },
  // Arguments and hyperparameters
  INVALID_ARGUMENT: {
    status: 400,
    awsType: "ValidationException",
    summary: "A command-line option or API argument is out of range.",
  },
  INVALID_HYPERPARAMETER: {
    status: 400,
    awsType: "ValidationException",
    summary: "A hyperparameter has a value outside its allowed range or type.",
  },
  UNKNOWN_HYPERPARAMETER: {
    status: 400,
    awsType: "ValidationException",
    summary: "A hyperparameter name the algorithm does not define.",
  },
  MISSING_HYPERPARAMETER: {
    status: 400,
    awsType: "ValidationException",
    summary: "A required hyperparameter was not given.",
  },
  NOT_IMPLEMENTED: {
    status: 501,
    awsType: "ValidationException",
    summary: "A mode or action that this version of Strata does not provide yet.",
  },
  WIDTH_MISMATCH: {
    status: 400,
    awsType: "ValidationException",
    summary: "Input rows have a different number of features than the model.",
  },
  // Formats and artifacts
  FORMAT_ERROR: {
    status: 400,
    awsType: "ValidationException",
    summary: "Bytes that do not follow a binary format (NDArray, RecordIO, protobuf, tar, gzip).",
  },
  ARTIFACT_INVALID: {
    status: 400,
    awsType: "ValidationException",
    summary: "A model artifact is readable but not a model Strata can use.",
  },
  // Object storage
  BUCKET_NOT_FOUND: { status: 404, awsType: "ValidationException", summary: "An S3 bucket does not exist." },
  KEY_NOT_FOUND: { status: 404, awsType: "ValidationException", summary: "An S3 key does not exist." },
  INPUT_TOO_LARGE: {
    status: 400,
    awsType: "ValidationException",
    summary:
      "An input that would grow past a limit when decoded (decompressed size, densified sparse records).",
  },
  LOCATION_NOT_ALLOWED: {
    status: 400,
    awsType: "ValidationException",
    summary:
      "A path or URL the server may not read or write (outside its roots, not a regular file, private host).",
  },
  MANIFEST_INVALID: {
    status: 400,
    awsType: "ValidationException",
    summary: "An input with S3DataType ManifestFile names an object that is not a SageMaker manifest.",
  },
  MIXED_RECORD_FORMATS: {
    status: 400,
    awsType: "ValidationException",
    summary: "The objects of one input are not all in the channel's record format.",
  },
  // Training jobs and the registry
  INVALID_JOB_REQUEST: {
    status: 400,
    awsType: "ValidationException",
    summary: "A CreateTrainingJob request field is missing or out of range.",
  },
  JOB_NOT_FOUND: { status: 400, awsType: "ResourceNotFound", summary: "No training job has the given name." },
  JOB_NAME_IN_USE: {
    status: 400,
    awsType: "ResourceInUse",
    summary: "A training job with the given name already exists.",
  },
  JOB_NOT_STOPPABLE: {
    status: 400,
    awsType: "ValidationException",
    summary: "StopTrainingJob on a job that is not InProgress.",
  },
  TRAINING_JOB_FAILED: {
    status: 400,
    awsType: "UnexpectedStatusException",
    summary: "A training job that was waited for ended Failed or Stopped.",
  },
  WAIT_TIMEOUT: {
    status: 408,
    awsType: "RequestTimeout",
    summary: "Waiting for a training job took longer than the timeout.",
  },
  ILLEGAL_STATUS_TRANSITION: {
    status: 500,
    awsType: "InternalFailure",
    summary: "A job status change the lifecycle does not allow (a bug).",
  },
  REGISTRY_UNAVAILABLE: {
    status: 500,
    awsType: "InternalFailure",
    summary: "The SQLite registry cannot be opened or is from a newer Strata.",
  },
  // Hosting: models, endpoint configs, endpoints, transform jobs (SageMaker answers ValidationException
  // "Could not find ..." for missing hosting resources; the SDK's EndpointDeleted waiter relies on it)
  MODEL_NOT_FOUND: { status: 400, awsType: "ValidationException", summary: "No model has the given name." },
  ENDPOINT_CONFIG_NOT_FOUND: {
    status: 400,
    awsType: "ValidationException",
    summary: "No endpoint configuration has the given name.",
  },
  ENDPOINT_NOT_FOUND: {
    status: 400,
    awsType: "ValidationException",
    summary: "No endpoint has the given name.",
  },
  TRANSFORM_JOB_NOT_FOUND: {
    status: 400,
    awsType: "ResourceNotFound",
    summary: "No transform job has the given name.",
  },
  RESOURCE_EXISTS: {
    status: 400,
    awsType: "ValidationException",
    summary: "A model, endpoint configuration or endpoint with the given name already exists.",
  },
  RESOURCE_IN_USE: {
    status: 400,
    awsType: "ResourceInUse",
    summary: "A transform job name that exists, or a resource another one still needs.",
  },
  ENDPOINT_NOT_IN_SERVICE: {
    status: 400,
    awsType: "ValidationException",
    summary: "An endpoint that is not InService was invoked or updated.",
  },
  INVALID_HOSTING_REQUEST: {
    status: 400,
    awsType: "ValidationException",
    summary: "A CreateModel, CreateEndpointConfig, CreateEndpoint or CreateTransformJob field is invalid.",
  },
  // Invocations (the container's answers; InvokeEndpoint wraps them in a 424 ModelError)
  INVALID_PAYLOAD: {
    status: 400,
    awsType: "ValidationException",
    summary: "An invocation body that cannot be parsed in its Content-Type.",
  },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    awsType: "ValidationException",
    summary: "An invocation Content-Type the model does not read.",
  },
  NOT_ACCEPTABLE: {
    status: 406,
    awsType: "ValidationException",
    summary: "An invocation Accept type the model cannot write.",
  },
  PAYLOAD_TOO_LARGE: {
    status: 413,
    awsType: "ValidationException",
    summary: "A request body over 6 MB (6,291,456 bytes).",
  },
  // The HTTP API: protocol and authentication
  UNKNOWN_OPERATION: {
    status: 400,
    awsType: "UnknownOperationException",
    summary: "An X-Amz-Target action or route Strata does not implement.",
  },
  SERIALIZATION_ERROR: {
    status: 400,
    awsType: "SerializationException",
    summary: "A control-plane request body that is not a JSON object.",
  },
  MISSING_AUTHENTICATION: {
    status: 403,
    awsType: "MissingAuthenticationTokenException",
    summary: "A request without an AWS Signature Version 4 Authorization header.",
  },
  UNRECOGNIZED_CLIENT: {
    status: 403,
    awsType: "UnrecognizedClientException",
    summary: "A request signed with an access key the server does not know.",
  },
  SIGNATURE_MISMATCH: {
    status: 403,
    awsType: "InvalidSignatureException",
    summary: "A request whose signature does not match the server's computation.",
  },
  SIGNATURE_EXPIRED: {
    status: 403,
    awsType: "InvalidSignatureException",
    summary: "A request signed more than 15 minutes away from the server's clock.",
  },
  // CloudWatch Logs (the SDK's logs_for_job reads ResourceNotFoundException as "no log streams yet")
  LOG_GROUP_NOT_FOUND: {
    status: 400,
    awsType: "ResourceNotFoundException",
    summary: "A CloudWatch Logs request names a log group Strata does not have.",
  },
  LOG_STREAM_NOT_FOUND: {
    status: 400,
    awsType: "ResourceNotFoundException",
    summary: "A CloudWatch Logs request names a log stream Strata does not have.",
  },
  INVALID_LOGS_PARAMETER: {
    status: 400,
    awsType: "InvalidParameterException",
    summary: "A CloudWatch Logs request parameter is missing or out of range.",
  },
  // The web console (src/api/console)
  SIGN_IN_REQUIRED: {
    status: 401,
    awsType: "AccessDeniedException",
    summary: "A console request without a live session (never signed in, signed out, or expired).",
  },
  SIGN_IN_FAILED: {
    status: 401,
    awsType: "AccessDeniedException",
    summary: "A console sign-in with a token that is unknown, used or expired, or a wrong access key pair.",
  },
  CSRF_TOKEN_INVALID: {
    status: 403,
    awsType: "AccessDeniedException",
    summary: "A state-changing console request without its session's CSRF token, or from another origin.",
  },
  UPLOAD_TOO_LARGE: {
    status: 413,
    awsType: "ValidationException",
    summary: "A console upload larger than the server's upload limit.",
  },
  // Transport: requests refused before a route sees them
  HOST_NOT_ALLOWED: {
    status: 403,
    awsType: "AccessDeniedException",
    summary: "A request to an unauthenticated server under a Host that is not a loopback name.",
  },
  HTTP_REQUEST_TIMEOUT: {
    status: 408,
    awsType: "RequestTimeoutException",
    summary: "A request whose headers or body did not arrive within the server's time limit.",
  },
  HTTP_HEADERS_TOO_LARGE: {
    status: 431,
    awsType: "RequestHeaderFieldsTooLarge",
    summary: "A request whose headers exceed the server's size limit.",
  },
  MALFORMED_HTTP: {
    status: 400,
    awsType: "MalformedHttpRequestException",
    summary: "A request that is not valid HTTP/1.1.",
  },
  // Output
  OUTPUT_NOT_WRITABLE: {
    status: 500,
    awsType: "InternalFailure",
    summary: "The output location cannot be written.",
  },
  INTERNAL: {
    status: 500,
    awsType: "InternalFailure",
    summary: "An unexpected failure inside Strata (a bug: please report it).",
  },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface StrataErrorOptions {
  readonly details?: Record<string, unknown>;
  readonly cause?: unknown;
}

/** The one error type Strata raises on purpose. `code` is stable; `message` is for people. */
export class StrataError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: StrataErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "StrataError";
    this.code = code;
    this.details = options.details ?? {};
  }

  get status(): number {
    return ERROR_CODES[this.code].status;
  }

  get awsType(): string {
    return ERROR_CODES[this.code].awsType;
  }
}

/** True when `e` is a StrataError, optionally of one code. */
export function isStrataError(e: unknown, code?: ErrorCode): e is StrataError {
  return e instanceof StrataError && (code === undefined || e.code === code);
}

/** Quotes user input in messages the same way everywhere. */
export function quote(value: unknown): string {
  return JSON.stringify(typeof value === "string" ? value : String(value));
}
