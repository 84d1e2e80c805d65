/**
 * The credentials `strata serve` checks signatures against: `STRATA_ACCESS_KEY_ID` and
 * `STRATA_SECRET_ACCESS_KEY` when both are set; otherwise `$STRATA_HOME/credentials.json`, generated on first
 * start (an `AKIA…`-style 20-character id, a 40-character secret, file mode 0600) so a fresh install is never
 * open by accident. Clients use them as ordinary AWS credentials (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY).
 * @module
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { StrataError } from "../errors.js";
import type { ServerCredentials } from "./sigv4.js";

export interface LoadedCredentials extends ServerCredentials {
  /** "env", or the path of the credentials file. */
  readonly source: string;
  /** True when the file was created just now (print the credentials once). */
  readonly generated: boolean;
}

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

function randomId(): string {
  const bytes = randomBytes(16);
  return `STRK${Array.from(bytes, (b) => ALPHABET[b & 31]).join("")}`;
}

/**
 * Loads (or on first start creates) the server's credentials.
 * @throws StrataError INVALID_ARGUMENT when only one of the two variables is set or the file is unreadable
 * @example
 * const { accessKeyId, secretAccessKey, generated } = loadServerCredentials("/tmp/strata-home");
 */
export function loadServerCredentials(home: string, env: NodeJS.ProcessEnv = process.env): LoadedCredentials {
  const id = env["STRATA_ACCESS_KEY_ID"];
  const secret = env["STRATA_SECRET_ACCESS_KEY"];
  if (id || secret) {
    if (!id || !secret)
      throw new StrataError(
        "INVALID_ARGUMENT",
        "Set both STRATA_ACCESS_KEY_ID and STRATA_SECRET_ACCESS_KEY, or neither.",
      );
    return { accessKeyId: id, secretAccessKey: secret, source: "env", generated: false };
  }
  const path = join(home, "credentials.json");
  if (existsSync(path)) {
    try {
      const parsed = JSON.parse(readFileSync(path, "utf8")) as Partial<ServerCredentials>;
      if (typeof parsed.accessKeyId === "string" && typeof parsed.secretAccessKey === "string")
        return {
          accessKeyId: parsed.accessKeyId,
          secretAccessKey: parsed.secretAccessKey,
          source: path,
          generated: false,
        };
    } catch (cause) {
      throw new StrataError(
        "INVALID_ARGUMENT",
        `${path} is not valid JSON; fix or delete it to generate new credentials.`,
        { cause },
      );
    }
    throw new StrataError("INVALID_ARGUMENT", `${path} needs "accessKeyId" and "secretAccessKey" strings.`);
  }
  const created = { accessKeyId: randomId(), secretAccessKey: randomBytes(30).toString("base64") };
  mkdirSync(home, { recursive: true });
  writeFileSync(path, `${JSON.stringify(created, null, 2)}\n`, { mode: 0o600, flag: "wx" });
  return { ...created, source: path, generated: true };
}

/** True for 127.0.0.0/8, ::1 and localhost: the only binds `--no-auth` allows. */
export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || host === "[::1]" || /^127(\.\d{1,3}){3}$/.test(host);
}
