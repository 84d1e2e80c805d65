/**
 * Where a process may read and write, as rules passed to the services that read and write for others.
 * The CLI reads any path its user names (UNRESTRICTED). `strata serve` acts for whoever holds its
 * credentials, so it gets the server's rules (docs/security.md):
 *
 * - `s3://` always.
 * - Local paths and `file://` only under the allowed roots. Reads may come from `$STRATA_HOME` and each
 *   `--data-root`; writes may go to `$STRATA_HOME/artifacts` and each `--output-root`. A path is resolved
 *   with realpath, so neither `..` nor a symlink escapes. An object read must be a regular file of at most
 *   `maxFileBytes`, so `/dev/zero`, FIFOs and `/proc` are refused.
 * - `http(s)://` only when `allowHttp` is set, and never to a loopback, link-local, private, multicast or
 *   unspecified address. The check is made on every address the name resolves to, at Create time and again
 *   before each read. Redirects are not followed under these rules.
 *
 * Requests are checked with `checkReadLocation` / `checkWriteLocation` when they are created. Every object a
 * job or transform actually opens is checked again with `checkObjectRead`: prefixes, manifests and symlinks
 * are only known then.
 * @module
 */
import { realpath, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import type { BlockList } from "node:net";
import { dirname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { quote, StrataError } from "../../errors.js";
import { uriScheme } from "./resolve.js";

/** Plain data, so the rules travel to worker threads with the job. */
export interface AccessRules {
  /** Roots local reads must stay under (realpaths); null: anywhere. */
  readonly readRoots: readonly string[] | null;
  /** Roots local writes must stay under (realpaths); null: anywhere. */
  readonly writeRoots: readonly string[] | null;
  /** Whether http(s) sources may be read at all. */
  readonly allowHttp: boolean;
  /** Whether http(s) may reach loopback and private addresses (the CLI's own fetches may). */
  readonly allowPrivateHosts: boolean;
  /** Largest local object read, in bytes. */
  readonly maxFileBytes: number;
}

/** The CLI's rules: the user names their own files and URLs. */
export const UNRESTRICTED: AccessRules = {
  readRoots: null,
  writeRoots: null,
  allowHttp: true,
  allowPrivateHosts: true,
  maxFileBytes: Number.POSITIVE_INFINITY,
};

/** The default cap on one local object a server reads: 1 GiB. */
export const DEFAULT_MAX_FILE_BYTES = 1024 ** 3;

export interface ServerAccessOptions {
  /** Extra directories the server may read from (`--data-root`). */
  readonly dataRoots?: readonly string[];
  /** Extra directories the server may write to (`--output-root`). */
  readonly outputRoots?: readonly string[];
  /** Read http(s) sources (`--allow-http-sources`); public addresses only. */
  readonly allowHttp?: boolean;
  readonly maxFileBytes?: number;
}

async function realRoot(dir: string, flag: string): Promise<string> {
  try {
    const real = await realpath(resolve(dir));
    if (!(await stat(real)).isDirectory()) throw new Error("not a directory");
    return real;
  } catch (cause) {
    throw new StrataError("INVALID_ARGUMENT", `${flag} ${quote(dir)} is not an existing directory.`, {
      details: { flag, dir },
      cause,
    });
  }
}

/**
 * The rules of `strata serve` over `home`.
 * @throws StrataError INVALID_ARGUMENT for a root that is not a directory
 */
export async function serverAccessRules(
  home: string,
  options: ServerAccessOptions = {},
): Promise<AccessRules> {
  const realHome = await realRoot(home, "STRATA_HOME");
  const data = await Promise.all((options.dataRoots ?? []).map((d) => realRoot(d, "--data-root")));
  const output = await Promise.all((options.outputRoots ?? []).map((d) => realRoot(d, "--output-root")));
  return {
    readRoots: [realHome, ...data],
    writeRoots: [join(realHome, "artifacts"), ...output],
    allowHttp: options.allowHttp ?? false,
    allowPrivateHosts: false,
    maxFileBytes: options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
  };
}

function refused(field: string, uri: string, why: string): StrataError {
  return new StrataError("LOCATION_NOT_ALLOWED", `${field} ${quote(uri)} is not allowed: ${why}`, {
    details: { field, uri },
  });
}

/** The URI's scheme family; an unknown scheme is refused naming the field. */
function schemeOf(uri: string, field: string): "file" | "s3" | "https" {
  try {
    return uriScheme(uri);
  } catch {
    throw refused(field, uri, "expected a path, file://, s3:// or https://.");
  }
}

function localPathOf(uri: string): string {
  return uri.startsWith("file:") ? fileURLToPath(uri) : resolve(uri);
}

/** The realpath of the deepest existing ancestor, joined with the rest (already normalized by resolve). */
async function realpathOfExisting(path: string): Promise<string> {
  const rest: string[] = [];
  let at = path;
  for (;;) {
    try {
      return join(await realpath(at), ...rest.reverse());
    } catch {
      const parent = dirname(at);
      if (parent === at) return path;
      rest.push(at.slice(parent.length + (parent.endsWith(sep) ? 0 : 1)));
      at = parent;
    }
  }
}

function within(path: string, roots: readonly string[]): boolean {
  return roots.some((root) => path === root || path.startsWith(root.endsWith(sep) ? root : root + sep));
}

function rootsText(roots: readonly string[]): string {
  return roots.join(", ");
}

// node:net and node:dns load on first use: every command imports this module, and only the http(s) checks need
// them (about 2 ms of each start, with the streams net brings).
const require = createRequire(import.meta.url);
const net = (): typeof import("node:net") => require("node:net");
const dns = (): typeof import("node:dns/promises") => require("node:dns/promises");

let privateRanges: BlockList | undefined;

/** Addresses a server must never fetch for a caller. */
function privateAddresses(): BlockList {
  if (privateRanges !== undefined) return privateRanges;
  const ranges = new (net().BlockList)();
  for (const [address, bits] of [
    ["0.0.0.0", 8],
    ["10.0.0.0", 8],
    ["100.64.0.0", 10],
    ["127.0.0.0", 8],
    ["169.254.0.0", 16],
    ["172.16.0.0", 12],
    ["192.0.0.0", 24],
    ["192.168.0.0", 16],
    ["198.18.0.0", 15],
    ["224.0.0.0", 4],
    ["240.0.0.0", 4],
  ] as const)
    ranges.addSubnet(address, bits, "ipv4");
  for (const [address, bits] of [
    ["::", 128],
    ["::1", 128],
    ["fc00::", 7],
    ["fe80::", 10],
    ["ff00::", 8],
  ] as const)
    ranges.addSubnet(address, bits, "ipv6");
  privateRanges = ranges;
  return ranges;
}

/** True for an address the server may fetch from (public unicast). */
export function isPublicAddress(address: string): boolean {
  const family = net().isIP(address);
  if (family === 0) return false;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return !privateAddresses().check(mapped[1]!, "ipv4");
  return !privateAddresses().check(address, family === 4 ? "ipv4" : "ipv6");
}

async function checkHttp(uri: string, rules: AccessRules, field: string): Promise<void> {
  if (!rules.allowHttp)
    throw refused(
      field,
      uri,
      "this server does not read http(s) sources (start it with --allow-http-sources, or use s3://).",
    );
  if (rules.allowPrivateHosts) return;
  let host: string;
  try {
    host = new URL(uri).hostname.replace(/^\[|\]$/g, "");
  } catch {
    throw refused(field, uri, "it is not a valid URL.");
  }
  let addresses: string[];
  try {
    addresses = net().isIP(host)
      ? [host]
      : (await dns().lookup(host, { all: true, verbatim: true })).map((a) => a.address);
  } catch {
    throw refused(field, uri, `the host ${quote(host)} does not resolve.`);
  }
  const blocked = addresses.find((a) => !isPublicAddress(a));
  if (blocked !== undefined)
    throw refused(
      field,
      uri,
      `${quote(host)} resolves to ${blocked}, a loopback, link-local or private address.`,
    );
}

/**
 * Checks at Create time that a request may read `uri` (an object, a prefix or a manifest).
 * @throws StrataError LOCATION_NOT_ALLOWED naming the field
 */
export async function checkReadLocation(uri: string, rules: AccessRules, field: string): Promise<void> {
  const scheme = schemeOf(uri, field);
  if (scheme === "s3") return;
  if (scheme === "https") return checkHttp(uri, rules, field);
  if (rules.readRoots === null) return;
  const real = await realpathOfExisting(localPathOf(uri));
  if (!within(real, rules.readRoots))
    throw refused(
      field,
      uri,
      `this server reads local files only under ${rootsText(rules.readRoots)} (add directories with --data-root).`,
    );
}

/**
 * Checks at Create time that a request may write under `uri` (an output prefix).
 * @throws StrataError LOCATION_NOT_ALLOWED naming the field
 */
export async function checkWriteLocation(uri: string, rules: AccessRules, field: string): Promise<void> {
  const scheme = schemeOf(uri, field);
  if (scheme === "s3") return;
  if (scheme === "https") throw refused(field, uri, "outputs go to s3:// or a local directory, not http(s).");
  if (rules.writeRoots === null) return;
  const real = await realpathOfExisting(localPathOf(uri));
  if (!within(real, rules.writeRoots))
    throw refused(
      field,
      uri,
      `this server writes only under ${rootsText(rules.writeRoots)} (add directories with --output-root).`,
    );
}

/**
 * Checks one object just before it is read: under the read roots after every symlink, a regular file, not
 * larger than the cap; or an allowed http(s) host.
 * @throws StrataError LOCATION_NOT_ALLOWED, SOURCE_NOT_FOUND
 */
export async function checkObjectRead(uri: string, rules: AccessRules): Promise<void> {
  const scheme = schemeOf(uri, "The object");
  if (scheme === "s3") return;
  if (scheme === "https") return checkHttp(uri, rules, "The object");
  if (rules.readRoots === null && rules.maxFileBytes === Number.POSITIVE_INFINITY) return;
  const path = localPathOf(uri);
  let real: string;
  try {
    real = await realpath(path);
  } catch (cause) {
    throw new StrataError("SOURCE_NOT_FOUND", `File not found: ${path}.`, { details: { uri }, cause });
  }
  if (rules.readRoots !== null && !within(real, rules.readRoots))
    throw refused("The object", uri, `it resolves outside ${rootsText(rules.readRoots)}.`);
  const info = await stat(real);
  if (!info.isFile()) throw refused("The object", uri, "it is not a regular file.");
  if (info.size > rules.maxFileBytes)
    throw refused(
      "The object",
      uri,
      `it has ${info.size} bytes; this server reads objects of at most ${rules.maxFileBytes}.`,
    );
}
