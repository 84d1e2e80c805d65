/**
 * The local files one table source names: a file (a path, `file://`, `s3://` or `https://` object; remote
 * objects through the download cache), or a folder — a local directory or an `s3://` prefix ending in "/" —
 * whose files, in name order, are read as one table (hidden, `_`-prefixed and empty files left out). Every file of a folder must have the same format and
 * compression (by content, table-format.ts), so DuckDB can read them as one relation.
 * @module
 */
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { StrataError } from "../errors.js";
import { type FetchOptions, fetchToCache } from "./cache.js";
import { localPath } from "./sources/file.js";
import { listInputObjects } from "./sources/input-objects.js";
import { type Compression, detectTableFormat, type TableFormat } from "./table-format.js";

export interface TableFiles {
  /** The source as the user named it, for messages. */
  readonly name: string;
  /** Local paths, in read order (one for a single file). */
  readonly files: readonly string[];
  readonly format: TableFormat;
  readonly compression: Compression;
  /** The files' total size in bytes (compressed, as stored). */
  readonly bytes: number;
}

const isRemote = (source: string) => /^(s3|https?):\/\//i.test(source);

/** Whether a source names a folder: an `s3://` prefix ending in "/", or a local directory. */
export async function isFolderSource(source: string): Promise<boolean> {
  if (isRemote(source)) return /^s3:\/\//i.test(source) && source.endsWith("/");
  return (await stat(localPath(source)).catch(() => undefined))?.isDirectory() === true;
}

/**
 * The files of a table source, fetched to local paths, with their common format.
 * @throws StrataError SOURCE_NOT_FOUND (nothing there, or an empty folder), UNSUPPORTED_SOURCE (files of
 *   different formats), and the stores' errors
 */
export async function tableFiles(source: string, options: FetchOptions = {}): Promise<TableFiles> {
  let files: string[];
  if (!(await isFolderSource(source))) files = [(await fetchToCache(source, options)).path];
  else if (isRemote(source)) {
    files = [];
    // The prefix's own files, as a local folder's: not nested keys, markers (_SUCCESS), hidden or empty ones.
    const objects = (await listInputObjects(source, "S3Prefix")).filter(
      (o) => o.size > 0 && !o.relativeKey.includes("/") && !/^[._]/.test(o.relativeKey),
    );
    if (objects.length === 0)
      throw new StrataError("SOURCE_NOT_FOUND", `${source} holds no data files.`, { details: { source } });
    for (const object of objects) files.push((await fetchToCache(object.uri, options)).path);
  } else {
    const dir = localPath(source);
    const entries = await readdir(dir, { withFileTypes: true });
    files = [];
    // Hidden files, markers such as Spark's _SUCCESS, and empty files are not part of the table.
    for (const e of entries) {
      if (e.name.startsWith(".") || e.name.startsWith("_")) continue;
      // stat follows symbolic links, so a folder of links to the data is a table too.
      const info = await stat(join(dir, e.name)).catch(() => undefined);
      if (info?.isFile() === true && info.size > 0) files.push(join(dir, e.name));
    }
    files.sort();
    if (files.length === 0)
      throw new StrataError("SOURCE_NOT_FOUND", `${dir} is a folder with no data files in it.`, {
        details: { path: dir },
      });
  }
  const first = await detectTableFormat(files[0]!);
  let bytes = 0;
  for (const file of files) {
    bytes += (await stat(file)).size;
    if (file === files[0]) continue;
    const detected = await detectTableFormat(file);
    if (detected.format !== first.format || detected.compression !== first.compression)
      throw new StrataError(
        "UNSUPPORTED_SOURCE",
        `${source}: ${file} is ${describe(detected)} but ${files[0]} is ${describe(first)}; the files of one table must share a format.`,
        { details: { source, file, format: detected.format, expected: first.format } },
      );
  }
  return { name: source, files, format: first.format, compression: first.compression, bytes };
}

function describe(d: { format: TableFormat; compression: Compression }): string {
  return d.compression === "none" ? d.format : `${d.format} (${d.compression})`;
}
