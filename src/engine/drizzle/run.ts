/**
 * `caldp drizzle` and caldp-process stage 2: the inputs (an `_asn` or flt/flc files) read, their parameters
 * taken from AstroDrizzle's defaults, then the MDRIZTAB row when one is given, then the options given explicitly;
 * AstroDrizzle's steps run and the product written as `<root>_drz.fits` (from flt) and `<root>_drc.fits` (from
 * flc, when an association's flc are all present), beside the inputs unless `output` says otherwise. The `_crmask`
 * files, singles, median and CR-flagged exposures go where the options say.
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { readChips, resolveInputs } from "./inputs.js";
import { writeCrMasks, writeFlaggedExposure, writeSinglesAndMedian } from "./intermediates.js";
import { type FinalParameters, type MdriztabRow, readMdriztab } from "./mdriztab.js";
import type { AdrizParameters } from "./parameters.js";
import { writeDrizzleProduct } from "./product.js";
import { checkSkyFileNames } from "./sky-user.js";
import { type DrizzleStageOptions, type DrizzleStep, runDrizzleStage, type StageResult } from "./stage.js";
import { blotStep, drizCrStep, medianStep, separateStep } from "./steps-cr.js";
import { skyStep, staticMaskStep } from "./steps-mask-sky.js";

/** AstroDrizzle's steps before the final drizzle, each run when its switch is on. */
export const ADRIZ_STEPS: DrizzleStep[] = [staticMaskStep, skyStep, separateStep, medianStep, blotStep, drizCrStep];

export interface DrizzleRunOptions extends DrizzleStageOptions {
  /** The product's path (one product) or its root name; default `<root>_drz.fits` beside the inputs. */
  output?: string;
  /** An MDRIZTAB whose row (by filter and number of exposures) sets the parameters the options leave unset. */
  mdriztab?: string;
  /** Where the `_crmask` files go (default: beside the product, as AstroDrizzle). */
  crmaskDir?: string;
  /** Where the singles and the median are written (default: not written). */
  intermediates?: string;
  /**
   * Exposures with the CR bit in DQ and MDRIZSKY: "in-place" rewrites each input (for the stage's own copies in
   * caldp-process), a folder writes new files there, undefined leaves the inputs alone.
   */
  flaggedExposures?: "in-place" | string;
}

export interface DrizzleProduct {
  path: string;
  result: StageResult;
  mdriztab?: MdriztabRow;
  crmasks: string[];
}

function productPath(output: string | undefined, folder: string, root: string, kind: "drz" | "drc"): string {
  if (output === undefined) return join(folder, `${root}_${kind}.fits`);
  if (/\.fits$/i.test(output)) return output.replace(/_(drz|drc)\.fits$/i, `_${kind}.fits`);
  return `${output}_${kind}.fits`;
}

/** The options with the MDRIZTAB row under them: explicit options win, as on AstroDrizzle's command line. */
function withTable(options: DrizzleRunOptions, row: MdriztabRow | undefined): DrizzleStageOptions {
  if (!row) return options;
  const final: FinalParameters = row.final;
  const adriz: Partial<AdrizParameters> = { ...row.steps, ...options.adriz };
  return {
    ...options,
    kernel: options.kernel ?? final.kernel,
    pixfrac: options.pixfrac ?? final.pixfrac,
    weightType: options.weightType ?? final.weightType,
    bits: options.bits ?? final.bits,
    fillValue: options.fillValue ?? final.fillValue,
    adriz,
  };
}

async function drizzleOne(files: string[], path: string, options: DrizzleRunOptions): Promise<DrizzleProduct> {
  const chips = files.flatMap(readChips);
  const row = options.mdriztab ? readMdriztab(options.mdriztab, chips[0].primary, files.length) : undefined;
  const keepIntermediates = options.intermediates !== undefined;
  const result = await runDrizzleStage(chips, { ...withTable(options, row), keepIntermediates }, ADRIZ_STEPS);
  const crmasks = writeCrMasks(result, options.crmaskDir ?? dirname(path));
  if (options.intermediates) writeSinglesAndMedian(result, options.intermediates, path);
  if (options.flaggedExposures !== undefined && result.crMasks.size > 0) {
    for (const file of files) {
      const target =
        options.flaggedExposures === "in-place" ? file : join(options.flaggedExposures, file.split("/").at(-1)!);
      writeFlaggedExposure(file, target, result);
    }
  }
  return { path: writeDrizzleProduct(result, path, row), result, mdriztab: row, crmasks };
}

const flcOf = (flt: string) => flt.replace(/_flt\.fits$/i, "_flc.fits");

/** Before anything is written: a skyfile (or skyuser's "@file") naming an image the command was not given fails. */
function checkUserSkyFiles(options: DrizzleRunOptions, files: string[]): void {
  const { skyfile, skyuser, skysub } = options.adriz ?? {};
  // AstroDrizzle reads the skyfile with skysub on only, skyuser with skysub off only
  if (skyfile?.trim() && skysub !== false) checkSkyFileNames(skyfile.trim(), files);
  if (skyuser?.trim().startsWith("@") && skysub === false) checkSkyFileNames(skyuser.trim().slice(1), files, "skyuser");
}

export async function drizzleInputs(paths: string[], options: DrizzleRunOptions = {}): Promise<DrizzleProduct[]> {
  const isAsn = paths.some((p) => /_asn\.fits$/i.test(p));
  const flt = resolveInputs(paths, "flt");
  const fromFlc = !isAsn && flt.files.every((f) => /_flc\.fits$/i.test(f));
  checkUserSkyFiles(options, isAsn ? [...flt.files, ...flt.files.map(flcOf)] : flt.files);
  const products = [
    await drizzleOne(flt.files, productPath(options.output, flt.folder, flt.root, fromFlc ? "drc" : "drz"), options),
  ];
  if (isAsn) {
    const flcFiles = flt.files.map(flcOf);
    if (flcFiles.every((f) => existsSync(f))) {
      products.push(await drizzleOne(flcFiles, productPath(options.output, flt.folder, flt.root, "drc"), options));
    }
  }
  return products;
}
