/**
 * `caldp drizzle` and caldp-process stage 2: the inputs (an `_asn` or flt/flc files) read, drizzled and written
 * as `<root>_drz.fits` (from flt) and `<root>_drc.fits` (from flc, when an association's flc are all present),
 * beside the inputs unless `output` says otherwise.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { readChips, resolveInputs } from "./inputs.js";
import { writeDrizzleProduct } from "./product.js";
import { type DrizzleStageOptions, type DrizzleStep, runDrizzleStage, type StageResult } from "./stage.js";

export interface DrizzleRunOptions extends DrizzleStageOptions {
  /** The product's path (one product) or its root name; default `<root>_drz.fits` beside the inputs. */
  output?: string;
  steps?: DrizzleStep[];
}

export interface DrizzleProduct {
  path: string;
  result: StageResult;
}

function productPath(output: string | undefined, folder: string, root: string, kind: "drz" | "drc"): string {
  if (output === undefined) return join(folder, `${root}_${kind}.fits`);
  if (/\.fits$/i.test(output)) return output.replace(/_(drz|drc)\.fits$/i, `_${kind}.fits`);
  return `${output}_${kind}.fits`;
}

async function drizzleOne(files: string[], path: string, options: DrizzleRunOptions): Promise<DrizzleProduct> {
  const chips = files.flatMap(readChips);
  const result = await runDrizzleStage(chips, options, options.steps);
  return { path: writeDrizzleProduct(result, path), result };
}

export async function drizzleInputs(paths: string[], options: DrizzleRunOptions = {}): Promise<DrizzleProduct[]> {
  const isAsn = paths.some((p) => /_asn\.fits$/i.test(p));
  const flt = resolveInputs(paths, "flt");
  const fromFlc = !isAsn && flt.files.every((f) => /_flc\.fits$/i.test(f));
  const products = [
    await drizzleOne(flt.files, productPath(options.output, flt.folder, flt.root, fromFlc ? "drc" : "drz"), options),
  ];
  if (isAsn) {
    const flcFiles = flt.files.map((f) => f.replace(/_flt\.fits$/i, "_flc.fits"));
    if (flcFiles.every((f) => existsSync(f))) {
      products.push(await drizzleOne(flcFiles, productPath(options.output, flt.folder, flt.root, "drc"), options));
    }
  }
  return products;
}
