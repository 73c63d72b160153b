/**
 * caldp-process's native stage 2, in place of `runastrodriz -n 1 <input>`: for each association or lone
 * exposure whose flt says DRIZCORR=PERFORM (runastrodriz skips the others), updatewcs on the flt/flc that have
 * no distortion WCS yet but name an IDCTAB, then the native drizzle stage with AstroDrizzle's steps and the
 * parameters of the MDRIZTAB the flt names (as runastrodriz's mdriztab=True): `<asn>_drz.fits` (and `_drc.fits`
 * from the flc), or `<root>_drz.fits` for a lone exposure, beside the inputs, where the products are collected.
 * As AstroDrizzle, driz_cr's CR bit (4096) and MDRIZSKY go into the flt/flc: these are the stage's own copies in
 * the scratch folder (rewritten under a temporary name), never the user's inputs; the _crmask files are
 * intermediates, removed as runastrodriz's clean=True removes them.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "../core/log.js";
import { readAssociation } from "../engine/association.js";
import { DrizzleStageError } from "../engine/drizzle/errors.js";
import { type DrizzleRunOptions, drizzleInputs } from "../engine/drizzle/run.js";
import { resolveReference } from "../engine/reference-files.js";
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

/** DRIZCORR of the flt's primary header, its MDRIZTAB, and whether its first SCI lacks the distortion WCS. */
function inspect(path: string): { drizcorr: string; needsUpdate: boolean; mdriztab?: string } {
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
      mdriztab: typeof primary.get("MDRIZTAB") === "string" ? String(primary.get("MDRIZTAB")) : undefined,
    };
  } finally {
    file.close();
  }
}

/** The MDRIZTAB the flt names, resolved as the other references; undefined for N/A or none. */
function mdriztabOf(flt: string, value: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  let path: string | undefined;
  try {
    path = resolveReference("MDRIZTAB", value, env);
  } catch (e) {
    throw new DrizzleStageError((e as Error).message.replace(/^.*?: /, ""), flt, "MDRIZTAB");
  }
  if (path !== undefined && !existsSync(path)) {
    throw new DrizzleStageError(`'${value}': ${path} does not exist`, flt, "MDRIZTAB");
  }
  return path;
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
    const mdriztab = mdriztabOf(flt[0], first.mdriztab, ctx.env);
    const crmaskDir = mkdtempSync(join(ctx.dir, ".adriz-"));
    const options: DrizzleRunOptions = { mdriztab, crmaskDir, flaggedExposures: "in-place" };
    try {
      const products = input.endsWith("_asn.fits")
        ? await drizzleInputs([join(ctx.dir, input)], options)
        : [
            ...(await drizzleInputs(flt, options)),
            ...(flc.length === flt.length ? await drizzleInputs(flc, options) : []),
          ];
      for (const { path, result, mdriztab: row } of products) {
        const from = row ? `, parameters from ${row.table} row ${row.row}` : ", AstroDrizzle's default parameters";
        ctx.log.info(`stage 2 (native drizzle): ${path} from ${result.chips.length} chip(s)${from}`);
        for (const step of result.steps)
          ctx.log.info(`stage 2: ${step.name}: ${step.ran ? "ran" : "not run"}, ${step.detail}`);
        for (const warning of result.warnings) ctx.log.warning(`stage 2 (native drizzle): ${warning}`);
      }
    } finally {
      rmSync(crmaskDir, { recursive: true, force: true });
    }
  }
}
