import { readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Dataset } from "../pipeline/dataset.js";
import { InputTarError } from "../pipeline/errors.js";
import { extractTarGzSafely } from "./tar.js";

export interface FileInputs {
  /** The input folder (absolute); CALDP calibrates in place there. */
  dir: string;
  /** The tarball that was extracted, or undefined when loose FITS files were used. */
  tarball: string | undefined;
  /** The input files, absolute and sorted: `<ds5>*.fits` for ipst, `<ds>_input.out` for svm/mvm. */
  files: string[];
}

/** The folder of a `file:<dir>` URI, absolute (relative to `cwd`); `file:` alone is `cwd`. */
export function fileUriDir(uri: string, cwd: string): string {
  if (!uri.startsWith("file:")) throw new InputTarError(`Not a file: URI: '${uri}'`);
  return resolve(cwd, uri.slice("file:".length) || ".");
}

function namesIn(dir: string, uri: string): string[] {
  const stat = statSync(dir, { throwIfNoEntry: false });
  if (!stat) throw new InputTarError(`Input directory ${dir} (from ${uri}) does not exist`);
  if (!stat.isDirectory()) throw new InputTarError(`Input path ${dir} (from ${uri}) is not a directory`);
  return readdirSync(dir).sort();
}

/**
 * CALDP's `file:<dir>` input: the folder must hold exactly one `<ds5>*.tar.gz` (ipst) or `<ds>*.tar.gz`
 * (svm/mvm), which is extracted safely in place. Our extension: with no tarball, loose `<ds5>*.fits`
 * files are used for ipst. Any problem is an InputTarError (21) saying what was expected.
 */
export async function prepareFileInputs(uri: string, dataset: Dataset, cwd = process.cwd()): Promise<FileInputs> {
  const dir = fileUriDir(uri, cwd);
  const prefix = dataset.type === "ipst" ? dataset.ds5 : dataset.name;
  const tarballs = namesIn(dir, uri).filter((n) => n.startsWith(prefix) && n.endsWith(".tar.gz"));
  const wanted = `${prefix}*.tar.gz`;
  if (tarballs.length > 1) {
    throw new InputTarError(
      `Too many tar files for ${dataset.name} in ${dir}: ${tarballs.join(", ")}; expected exactly one ${wanted}`,
    );
  }
  let tarball: string | undefined;
  if (tarballs.length === 1) {
    tarball = join(dir, tarballs[0]);
    await extractTarGzSafely(tarball, dir);
  }
  const names = namesIn(dir, uri);
  const files =
    dataset.type === "ipst"
      ? names.filter((n) => n.startsWith(dataset.ds5) && n.endsWith(".fits"))
      : names.filter((n) => n === `${dataset.name}_input.out`);
  if (files.length === 0) {
    const inputs = dataset.type === "ipst" ? `${dataset.ds5}*.fits` : `${dataset.name}_input.out`;
    const expected = dataset.type === "ipst" ? `one ${wanted} (or loose ${inputs} files)` : `one ${wanted}`;
    const found = tarball ? `the tarball ${tarball} holds no ${inputs}` : `no input tar files`;
    throw new InputTarError(`No inputs for ${dataset.name} in ${dir}: ${found}; expected exactly ${expected}`);
  }
  return { dir, tarball, files: files.map((n) => join(dir, n)) };
}
