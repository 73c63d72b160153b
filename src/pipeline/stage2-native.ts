/**
 * caldp-process's native stage 2, in place of `runastrodriz -n 1 <input>`: for each association or lone
 * exposure whose flt says DRIZCORR=PERFORM (runastrodriz skips the others), updatewcs on the flt/flc that have
 * no distortion WCS yet but name an IDCTAB, then the native drizzle stage: `<asn>_drz.fits` (and `_drc.fits`
 * from the flc), or `<root>_drz.fits` for a lone exposure, beside the inputs, where the products are collected.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "../core/log.js";
import { readAssociation } from "../engine/association.js";
import { drizzleInputs } from "../engine/drizzle/run.js";
import { updateWcsFile } from "../engine/updatewcs-file.js";
import { FitsFile } from "../fits/index.js";
import { hasDistortion, readHduWcs } from "../wcs/index.js";

/** What stage 2 needs of managers.ts's StageContext (not imported: managers.ts loads this file). */
interface Stage2Context {
  dir: string;
  log: Logger;
  env: NodeJS.ProcessEnv;
}

function exposuresOf(input: string, dir: string): string[] {
  if (input.endsWith("_asn.fits")) return readAssociation(join(dir, input)).exposures.map((m) => m.name);
  return [input.replace(/_raw\.fits$/, "")];
}

/** DRIZCORR of the flt's primary header, and whether its first SCI lacks a distortion WCS that IDCTAB gives. */
function inspect(path: string): { drizcorr: string; needsUpdate: boolean } {
  const file = FitsFile.open(path);
  try {
    const primary = file.hdus[0].header;
    const idctab = String(primary.get("IDCTAB") ?? "N/A").trim();
    const sci = file.hdus.find((h) => h.name === "SCI");
    const distorted = sci ? hasDistortion(readHduWcs(file, sci)) : true;
    return {
      drizcorr: String(primary.get("DRIZCORR") ?? "OMIT")
        .trim()
        .toUpperCase(),
      needsUpdate: !distorted && idctab !== "" && idctab.toUpperCase() !== "N/A",
    };
  } finally {
    file.close();
  }
}

export async function nativeStage2(ctx: Stage2Context, inputs: string[]): Promise<void> {
  for (const input of inputs) {
    const roots = exposuresOf(input, ctx.dir);
    const flt = roots.map((r) => join(ctx.dir, `${r}_flt.fits`));
    if (flt.length === 0 || !flt.every(existsSync)) {
      ctx.log.warning(`stage 2: ${input}: no flt for every exposure; nothing to drizzle`);
      continue;
    }
    const first = inspect(flt[0]);
    if (first.drizcorr !== "PERFORM") {
      ctx.log.info(`stage 2: ${input}: DRIZCORR=${first.drizcorr}, not drizzled (as runastrodriz)`);
      continue;
    }
    const flc = roots.map((r) => join(ctx.dir, `${r}_flc.fits`)).filter(existsSync);
    for (const file of [...flt, ...flc]) {
      if (!inspect(file).needsUpdate) continue;
      updateWcsFile(file, file, ctx.env);
      ctx.log.info(`stage 2: updatewcs ${file}`);
    }
    const products = input.endsWith("_asn.fits")
      ? await drizzleInputs([join(ctx.dir, input)])
      : [...(await drizzleInputs(flt)), ...(flc.length === flt.length ? await drizzleInputs(flc) : [])];
    for (const { path, result } of products) {
      ctx.log.info(`stage 2 (native drizzle): ${path} from ${result.chips.length} chip(s)`);
      ctx.log.warning(`stage 2: ${path}: AstroDrizzle steps not native yet, not run: ${result.skipped.join(", ")}`);
    }
  }
}
