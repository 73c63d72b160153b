/**
 * Where a caldp-process run reads and writes (contract §2, §10): the folder the inputs are calibrated in,
 * the local folder of the products, and the stores of the message files.
 */
import { join } from "node:path";
import type { Dataset } from "../core/dataset.js";
import { CmdlineError } from "../core/errors.js";
import { fileUriDir } from "../io/file-input.js";
import { LocalStore, type ObjectStore } from "../io/object-store.js";
import { isS3Uri, parseS3Uri } from "../io/s3-uri.js";

export type InputKind = "file" | "s3" | "astroquery";

export interface Locations {
  inputKind: InputKind;
  /** Where the inputs are put and calibrated: `<scratch>/<ds>`, never the user's input folder. */
  workDir: string;
  /** The run's scratch folder (see scratch.ts). */
  scratchDir: string;
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

export type OutputLocation = Pick<Locations, "localOutputRoot" | "productDir" | "s3Output">;

export function outputLocation(inputUri: string, outputUri: string, dataset: Dataset, cwd: string): OutputLocation {
  const output = resolveOutputUri(outputUri, inputUri, dataset.name);
  let localOutputRoot: string;
  let s3Output: string | undefined;
  if (output.startsWith("file:")) localOutputRoot = fileUriDir(output, cwd);
  else if (isS3Uri(output)) {
    localOutputRoot = join(cwd, "outputs");
    s3Output = output;
  } else throw new CmdlineError(`output '${outputUri}' is not one of file:<dir>, s3://<bucket>, none`);
  return { localOutputRoot, productDir: join(localOutputRoot, dataset.name), s3Output };
}

export function locations(
  inputUri: string,
  outputUri: string,
  dataset: Dataset,
  cwd: string,
  scratchDir: string,
): Locations {
  const inputKindOf = inputKind(inputUri);
  const output = outputLocation(inputUri, outputUri, dataset, cwd);
  return { inputKind: inputKindOf, workDir: join(scratchDir, dataset.name), scratchDir, ...output };
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
