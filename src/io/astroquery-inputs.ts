import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Dataset } from "../core/dataset.js";
import { MastError } from "./errors.js";
import type { FileInputs } from "./file-input.js";
import { MastClient, type MastClientOptions, type MastProduct } from "./mast.js";
import { describeError } from "./remote-retry.js";

/** The product subgroups CALDP downloads per instrument (contract §5). */
export const DOWNLOAD_SUFFIXES: Readonly<Record<string, readonly string[]>> = {
  acs: ["ASN", "RAW"],
  wfc3: ["ASN", "RAW"],
  cos: ["ASN", "RAW", "EPC", "SPT", "RAWACCUM", "RAWACCUM_A", "RAWACCUM_B", "RAWACQ", "RAWTAG", "RAWTAG_A"].concat([
    "RAWTAG_B",
    "PHA_A",
    "PHA_B",
  ]),
  stis: ["ASN", "RAW", "EPC", "TAG", "WAV"],
};

export interface RetrieveOptions {
  /** Keep only products whose description contains this (drizzlepac's product_type: "DADS" or "HAP"). */
  descriptionContains?: string;
}

/**
 * drizzlepac's retrieve_observation without its silent fallbacks: the FITS products of the observations matching
 * `obsId` whose subgroup is one of `suffixes`, downloaded into `dir` with retries and size checks. Returns the
 * files, absolute and sorted. No observation, no matching product, or a failed download is a MastError
 * naming the dataset, the MAST URL and the cause (CALDP went on with no inputs, or switched to FLT files).
 */
export async function retrieveObservation(
  client: MastClient,
  obsId: string,
  suffixes: readonly string[],
  dir: string,
  options: RetrieveOptions = {},
): Promise<string[]> {
  const where = `MAST (${client.baseUrl})`;
  let products: MastProduct[];
  try {
    const observations = await client.observations(obsId);
    if (observations.length === 0) throw new MastError(`${where} has no observation with obs_id ${obsId}`);
    const obsids = [...new Set(observations.map((o) => String(o.obsid ?? "")).filter(Boolean))];
    products = await client.products(obsids);
  } catch (error) {
    if (error instanceof MastError) throw error;
    // the message carries the cause: the fatal report shows one error
    throw new MastError(`Cannot list the products of ${obsId} on ${where}: ${describeError(error)}`);
  }
  const wanted = new Set(suffixes.map((s) => s.toUpperCase()));
  const byName = new Map<string, MastProduct>();
  for (const product of products) {
    if (!wanted.has(product.productSubGroupDescription.toUpperCase())) continue;
    if (!product.productFilename.toLowerCase().endsWith(".fits")) continue;
    if (options.descriptionContains && !product.description.includes(options.descriptionContains)) continue;
    if (!byName.has(product.productFilename)) byName.set(product.productFilename, product);
  }
  if (byName.size === 0) {
    const listed = [...new Set(products.map((p) => p.productSubGroupDescription || "?"))].sort().join(", ");
    throw new MastError(
      `${where} lists no ${[...wanted].join("/")} FITS products for ${obsId} ` +
        `(${products.length} products listed${listed ? `: ${listed}` : ""})`,
    );
  }
  for (const name of byName.keys()) {
    // the name becomes a path in the input folder: MAST's names are plain, anything else could write elsewhere
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(name)) {
      throw new MastError(`${where} lists a product of ${obsId} with an unsafe file name '${name}'`);
    }
  }
  await mkdir(dir, { recursive: true });
  const files: string[] = [];
  for (const [name, product] of [...byName].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const destination = join(dir, name);
    try {
      await client.download(product, destination);
    } catch (error) {
      throw new MastError(
        `Cannot download ${name} of ${obsId} from ${client.downloadUrl(product.dataURI)}: ${describeError(error)}`,
      );
    }
    files.push(destination);
  }
  return files;
}

export interface AstroqueryInputOptions extends MastClientOptions {
  client?: MastClient;
}

/**
 * CALDP's `astroquery:` input for an ipppssoot: the instrument's products (contract §5 table) downloaded from
 * MAST into `workDir` (usually `./inputs/<ds>`, created). The base URL is CALDP_MAST_URL or MAST's. SVM and MVM
 * datasets need their poller files first and are not handled here. Failure: MastError.
 */
export async function prepareAstroqueryInputs(
  dataset: Dataset,
  workDir: string,
  options: AstroqueryInputOptions = {},
): Promise<FileInputs> {
  const suffixes = dataset.type === "ipst" ? DOWNLOAD_SUFFIXES[dataset.instrument ?? ""] : undefined;
  if (!suffixes) {
    throw new MastError(`astroquery: inputs for ${dataset.name} (${dataset.type}) are not supported`);
  }
  const baseUrl = options.baseUrl ?? process.env.CALDP_MAST_URL;
  const client = options.client ?? new MastClient({ ...options, baseUrl });
  const dir = resolve(workDir);
  const files = await retrieveObservation(client, dataset.name, suffixes, dir);
  options.log?.info(`Downloaded ${files.length} file(s) of ${dataset.name} from MAST (${client.baseUrl}) to ${dir}`);
  return { dir, tarball: undefined, files };
}
