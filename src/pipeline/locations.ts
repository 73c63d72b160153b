/**
 * Where a caldp-process run reads and writes (contract §2, §10): the folder the inputs are calibrated in,
 * the local folder of the products, and the stores of the message files.
 */
import { join } from "node:path";
import { fileUriDir } from "../io/file-input.js";
import { LocalStore, type ObjectStore } from "../io/object-store.js";
import { isS3Uri, parseS3Uri } from "../io/s3-uri.js";
import type { Dataset } from "./dataset.js";
import { CmdlineError } from "./errors.js";

export type InputKind = "file" | "s3" | "astroquery";

export interface Locations {
  inputKind: InputKind;
  /** file: the given folder (calibration in place); s3: and astroquery: `<cwd>/inputs/<ds>`. */
  workDir: string;
  /** The folder holding `<ds>/` with the products: the file: output folder, or `<cwd>/outputs` for s3:. */
  localOutputRoot: string;
  /** `<localOutputRoot>/<ds>`. */
  productDir: string;
  /** The s3:// output URI, when the outputs go to S3. */
  s3Output?: string;
}

export function inputKind(uri: string): InputKind {
  if (uri.startsWith("file:")) return "file";
  if (isS3Uri(uri)) return "s3";
  if (uri.startsWith("astroquery:")) return "astroquery";
  throw new CmdlineError(`input '${uri}' is not one of file:<dir>, s3://<bucket>[/prefix], astroquery:`);
}

/** CALDP's path_finder: an output starting with "none" becomes the file: input (the inputs folder otherwise). */
export function resolveOutputUri(outputUri: string, inputUri: string, dataset: string): string {
  if (!/^none/i.test(outputUri)) return outputUri;
  return inputUri.startsWith("file:") ? inputUri : `file:inputs/${dataset}`;
}

export function locations(inputUri: string, outputUri: string, dataset: Dataset, cwd: string): Locations {
  const kind = inputKind(inputUri);
  const workDir = kind === "file" ? fileUriDir(inputUri, cwd) : join(cwd, "inputs", dataset.name);
  const output = resolveOutputUri(outputUri, inputUri, dataset.name);
  let localOutputRoot: string;
  let s3Output: string | undefined;
  if (output.startsWith("file:")) localOutputRoot = fileUriDir(output, cwd);
  else if (isS3Uri(output)) {
    localOutputRoot = join(cwd, "outputs");
    s3Output = output;
  } else throw new CmdlineError(`output '${outputUri}' is not one of file:<dir>, s3://<bucket>, none`);
  return { inputKind: kind, workDir, localOutputRoot, productDir: join(localOutputRoot, dataset.name), s3Output };
}

/** The stores of the message files: the working folder, and the output bucket for s3: output. */
export async function messageStores(where: Locations, cwd: string): Promise<ObjectStore[]> {
  const stores: ObjectStore[] = [new LocalStore(cwd)];
  if (where.s3Output) {
    const { S3Store } = await import("../io/s3-store.js");
    stores.push(new S3Store({ bucket: parseS3Uri(where.s3Output).bucket }));
  }
  return stores;
}
