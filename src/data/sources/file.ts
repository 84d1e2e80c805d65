/**
 * The local-disk ObjectStore: plain paths (absolute or relative to the working directory) and `file://`
 * URIs. Writes go through a temp file and a rename; the version tag combines size, nanosecond mtime and
 * inode, so any rewrite (which renames a new file into place) changes it.
 * @module
 */
import { createReadStream, type Dirent } from "node:fs";
import { copyFile, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { StrataError } from "../../errors.js";
import { streamToFileAtomically, TEMP_MARKER, writeAtomically } from "./atomic-file.js";
import type { ObjectInfo, ObjectStore, PutBody } from "./object-store.js";

/** The absolute local path a path or `file://` URI names. */
export function localPath(uri: string): string {
  return uri.startsWith("file:") ? fileURLToPath(uri) : resolve(uri);
}

function errnoCode(e: unknown): string | undefined {
  return typeof e === "object" && e !== null && "code" in e
    ? String((e as { code: unknown }).code)
    : undefined;
}

function notFound(uri: string, path: string, cause: unknown): StrataError {
  return new StrataError("SOURCE_NOT_FOUND", `File not found: ${path}.`, {
    details: { uri, path },
    cause,
  });
}

function notWritable(uri: string, path: string, cause: unknown): StrataError {
  return new StrataError("OUTPUT_NOT_WRITABLE", `Cannot write ${path}: ${(cause as Error).message}.`, {
    details: { uri, path },
    cause,
  });
}

async function isFileBehindLink(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** ObjectStore over the local file system. */
export class FileStore implements ObjectStore {
  readonly scheme = "file";

  async stat(uri: string): Promise<ObjectInfo> {
    const path = localPath(uri);
    try {
      const s = await stat(path, { bigint: true });
      if (!s.isFile())
        throw new StrataError("SOURCE_NOT_FOUND", `${path} is not a file.`, { details: { uri, path } });
      return {
        uri,
        size: Number(s.size),
        etag: `"${s.size.toString(16)}-${s.mtimeNs.toString(16)}-${s.ino.toString(16)}"`,
        lastModified: new Date(Number(s.mtimeMs)),
      };
    } catch (e) {
      if (e instanceof StrataError) throw e;
      if (errnoCode(e) === "ENOENT" || errnoCode(e) === "ENOTDIR") throw notFound(uri, path, e);
      throw e;
    }
  }

  async getBytes(uri: string): Promise<Uint8Array> {
    const path = localPath(uri);
    try {
      return new Uint8Array(await readFile(path));
    } catch (e) {
      if (errnoCode(e) === "ENOENT" || errnoCode(e) === "EISDIR") throw notFound(uri, path, e);
      throw e;
    }
  }

  async getToFile(uri: string, target: string): Promise<ObjectInfo> {
    const info = await this.stat(uri);
    await writeAtomically(resolve(target), (tmp) => copyFile(localPath(uri), tmp));
    return info;
  }

  async put(uri: string, body: PutBody, _options?: unknown): Promise<ObjectInfo> {
    const path = localPath(uri);
    try {
      if (body instanceof Uint8Array) await writeAtomically(path, (tmp) => writeFile(tmp, body));
      else await streamToFileAtomically(createReadStream(body.file), path);
    } catch (e) {
      if (errnoCode(e) === "ENOENT" && !(body instanceof Uint8Array)) throw notFound(body.file, body.file, e);
      throw notWritable(uri, path, e);
    }
    return this.stat(uri);
  }

  async list(prefixUri: string): Promise<ObjectInfo[]> {
    const asUri = prefixUri.startsWith("file:");
    const raw = asUri ? fileURLToPath(prefixUri) : prefixUri;
    const prefix = resolve(raw) + (raw.endsWith("/") || raw.endsWith(sep) ? sep : "");
    const root = prefix.endsWith(sep) ? prefix : dirname(prefix);
    const out: ObjectInfo[] = [];
    const walk = async (dir: string): Promise<void> => {
      let entries: Dirent[];
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch (e) {
        if (errnoCode(e) === "ENOENT" || errnoCode(e) === "ENOTDIR") return;
        throw e;
      }
      for (const entry of entries) {
        const full = join(dir, entry.name);
        if (entry.isDirectory()) {
          if ((full + sep).startsWith(prefix) || prefix.startsWith(full + sep)) await walk(full);
        } else if (
          full.startsWith(prefix) &&
          !entry.name.includes(TEMP_MARKER) &&
          (entry.isFile() || (entry.isSymbolicLink() && (await isFileBehindLink(full))))
        ) {
          // A symlink to a file is listed like S3 lists a key (readers check where it leads); never skipped silently.
          out.push(await this.stat(asUri ? pathToFileURL(full).href : full));
        }
      }
    };
    await walk(root);
    return out.sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0));
  }

  async delete(uri: string): Promise<void> {
    const path = localPath(uri);
    try {
      await rm(path, { force: true });
    } catch (e) {
      throw notWritable(uri, path, e);
    }
  }
}
