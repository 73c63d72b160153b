import { chmodSync, constants, copyFileSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Dataset } from "../core/dataset.js";
import { InputError } from "./errors.js";
import { extractTarGzSafely } from "./tar.js";

export interface FileInputs {
  /** The folder the inputs were copied or extracted into (absolute), where calibration runs. */
  dir: string;
  /** The tarball that was extracted, or undefined when loose FITS files were used. */
  tarball: string | undefined;
  /** The input files in `dir`, absolute and sorted: `<ds5>*.fits` for ipst, `<ds>_input.out` for svm/mvm. */
  files: string[];
}

/** The folder of a `file:<dir>` URI, absolute (relative to `cwd`); `file:` alone is `cwd`. */
export function fileUriDir(uri: string, cwd: string): string {
  if (!uri.startsWith("file:")) throw new InputError(`Not a file: URI: '${uri}'`);
  return resolve(cwd, uri.slice("file:".length) || ".");
}

function namesIn(dir: string, uri: string): string[] {
  const stat = statSync(dir, { throwIfNoEntry: false });
  if (!stat) throw new InputError(`Input directory ${dir} (from ${uri}) does not exist`);
  if (!stat.isDirectory()) throw new InputError(`Input path ${dir} (from ${uri}) is not a directory`);
  return readdirSync(dir).sort();
}

/**
 * Refuses anything but a regular file (after links) without opening it: reading a FIFO would block the run
 * forever, a device could be endless.
 */
function checkRegular(path: string): void {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) throw new InputError(`Input ${path} disappeared or is a dangling link`);
  if (stat.isFile()) return;
  const kind = stat.isFIFO()
    ? "a FIFO"
    : stat.isSocket()
      ? "a socket"
      : stat.isCharacterDevice() || stat.isBlockDevice()
        ? "a device"
        : stat.isDirectory()
          ? "a directory"
          : "not a regular file";
  throw new InputError(`Input ${path} is ${kind}, not a regular file; refused without reading it`);
}

/** Copies an input into the scratch folder (a reflink where the file system has them), writable by us. */
function copyInput(source: string, target: string): void {
  copyFileSync(source, target, constants.COPYFILE_FICLONE);
  chmodSync(target, 0o644);
}

/**
 * CALDP's `file:<dir>` input: the folder must hold exactly one `<ds5>*.tar.gz` (ipst) or `<ds>*.tar.gz`
 * (svm/mvm), which is extracted safely into `workDir`. Our extension: with no tarball, loose `<ds5>*.fits`
 * files are copied there for ipst; `<ds>_cal_env.txt` is copied too. The input folder is only read (CALDP
 * calibrated in place). Any problem is an InputError or a TarError saying what was expected.
 */
export async function prepareFileInputs(
  uri: string,
  dataset: Dataset,
  cwd: string,
  workDir: string,
): Promise<FileInputs> {
  const dir = fileUriDir(uri, cwd);
  const prefix = dataset.type === "ipst" ? dataset.ds5 : dataset.name;
  const inputNames = namesIn(dir, uri);
  const tarballs = inputNames.filter((n) => n.startsWith(prefix) && n.endsWith(".tar.gz"));
  const wanted = `${prefix}*.tar.gz`;
  if (tarballs.length > 1) {
    throw new InputError(
      `Too many tar files for ${dataset.name} in ${dir}: ${tarballs.join(", ")}; expected exactly one ${wanted}`,
    );
  }
  mkdirSync(workDir, { recursive: true });
  const calEnv = `${dataset.name}_cal_env.txt`;
  let tarball: string | undefined;
  if (tarballs.length === 1) {
    tarball = join(dir, tarballs[0]);
    checkRegular(tarball);
    await extractTarGzSafely(tarball, workDir);
  } else if (dataset.type === "ipst") {
    for (const name of inputNames.filter((n) => n.startsWith(dataset.ds5) && n.endsWith(".fits"))) {
      checkRegular(join(dir, name));
      copyInput(join(dir, name), join(workDir, name));
    }
  }
  if (inputNames.includes(calEnv) && !readdirSync(workDir).includes(calEnv)) {
    checkRegular(join(dir, calEnv));
    copyInput(join(dir, calEnv), join(workDir, calEnv));
  }
  const names = readdirSync(workDir).sort();
  const files =
    dataset.type === "ipst"
      ? names.filter((n) => n.startsWith(dataset.ds5) && n.endsWith(".fits"))
      : names.filter((n) => n === `${dataset.name}_input.out`);
  if (files.length === 0) {
    const inputs = dataset.type === "ipst" ? `${dataset.ds5}*.fits` : `${dataset.name}_input.out`;
    const expected = dataset.type === "ipst" ? `one ${wanted} (or loose ${inputs} files)` : `one ${wanted}`;
    const found = tarball ? `the tarball ${tarball} holds no ${inputs}` : `no input tar files`;
    throw new InputError(`No inputs for ${dataset.name} in ${dir}: ${found}; expected exactly ${expected}`);
  }
  return { dir: workDir, tarball, files: files.map((n) => join(workDir, n)) };
}
