/**
 * calcos on FUV TIME-TAG raws (`<root>_rawtag_a.fits` / `_rawtag_b.fits`): like calcos, either segment's file
 * stands for the exposure, and every segment present beside it is calibrated (segment A first). Each segment is
 * checked and computed in full before its products are written; the trailer `<root>.tra` lists what was done.
 */
import { existsSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { CalibrationError } from "../../calib/common/errors.js";
import { FUV_X } from "../../calib/cos/events.js";
import type { Header } from "../../fits/index.js";
import { readAssociation } from "../association.js";
import { readRawPrimary } from "../program.js";
import type { ProgramOptions, ProgramResult } from "../program-run.js";
import { type SegmentLampflash, writeFuvLampflash } from "./fuv-lampflash.js";
import { mergeSegmentKeywords } from "./fuv-merge.js";
import { checkFuvSwitches, type FuvSegment, fuvSwitches, rawtagName } from "./fuv-switches.js";
import { calibrateFuvSegment } from "./fuv-timetag.js";
import { type FuvSegmentX1d, writeFuvX1d } from "./fuv-x1d.js";
import { anythingToDo, type CosSwitches } from "./switches.js";

const FUV_RAWTAG = /_rawtag_[ab]\.fits$/;

export const isFuvRawtag = (name: string) => FUV_RAWTAG.test(name);

/**
 * The FUV raws the inputs stand for: the FUV `_rawtag_a/_b` files themselves, or an association's members that
 * have one in `dir` (calcos takes either); undefined when the inputs are not FUV TIME-TAG raws.
 */
export function fuvRawtags(inputs: readonly string[], dir: string): string[] | undefined {
  if (inputs.some(isFuvRawtag)) return [...inputs];
  const asn = inputs.find((n) => n.endsWith("_asn.fits"));
  if (asn === undefined || inputs.length !== 1) return undefined;
  const members = readAssociation(join(dir, basename(asn))).exposures.map((m) => m.name);
  const raws = members.flatMap((m) =>
    ["a", "b"].map((s) => `${m}_rawtag_${s}.fits`).filter((f) => existsSync(join(dir, f))),
  );
  return raws.length > 0 ? raws : undefined;
}

const text = (primary: Header, key: string) =>
  String(primary.get(key) ?? "")
    .trim()
    .toUpperCase();

export async function calcosFuv(
  inputs: readonly string[],
  options: ProgramOptions,
  calVer: string,
): Promise<ProgramResult> {
  const { dir, log } = options;
  const outDir = options.outDir ?? dir;
  const other = inputs.find((n) => !isFuvRawtag(n));
  if (other !== undefined) {
    throw new CalibrationError("INVALID_VALUE", `${basename(other)}: FUV _rawtag_a/_b files are calibrated alone`);
  }
  const roots = [...new Set(inputs.map((n) => basename(n).replace(FUV_RAWTAG, "")))];
  const outputs: string[] = [];
  const nothingToDo: string[] = [];
  for (const root of roots) {
    const segments = (["FUVA", "FUVB"] as FuvSegment[]).filter((s) => existsSync(join(dir, rawtagName(root, s))));
    const trailer: string[] = [`CALCOS (${calVer}) on ${segments.map((s) => rawtagName(root, s)).join(" ")}`];
    // every segment's raw is checked before anything is computed; a later failure removes what this exposure wrote
    const switches = segments.map((segment) => checkedSwitches(dir, root, segment));
    const written: string[] = [];
    const flashes: SegmentLampflash[] = [];
    const spectra: FuvSegmentX1d[] = [];
    try {
      segments.forEach((segment, i) => {
        if (!anythingToDo(switches[i])) return;
        const result = calibrateFuvSegment({ ...options, outDir }, root, segment, switches[i], calVer);
        trailer.push(...result.trailer);
        written.push(...result.outputs);
        if (result.lampflash) flashes.push(result.lampflash);
        if (result.x1d) spectra.push(result.x1d);
      });
      if (flashes.length > 0) {
        written.push(`${root}_lampflash.fits`);
        writeFuvLampflash(join(outDir, `${root}_lampflash.fits`), flashes, FUV_X);
      }
      if (spectra.length > 0) {
        written.push(`${root}_x1d.fits`);
        writeFuvX1d(outDir, root, spectra);
      }
      if (written.length > 0) mergeSegmentKeywords(outDir, root);
    } catch (e) {
      for (const name of written) rmSync(join(outDir, name), { force: true });
      throw e;
    }
    outputs.push(...written);
    const todo = written.length > 0;
    if (!todo) {
      log(`${root}: no calibration switch is PERFORM: nothing to do`);
      nothingToDo.push(root);
      continue;
    }
    mergeSegmentKeywords(outDir, root);
    const tra = join(outDir, `${root}.tra`);
    const temporary = join(outDir, `.${root}.tra.${process.pid}`);
    writeFileSync(temporary, `${trailer.join("\n")}\n`);
    renameSync(temporary, tra);
    for (const line of trailer) log(line);
  }
  for (const name of outputs) log(`wrote ${name}`);
  return { outputs, nothingToDo };
}

/** The segment's raw is an FUV TIME-TAG COS raw of that segment, with no switch PERFORM that is not native. */
function checkedSwitches(dir: string, root: string, segment: FuvSegment): CosSwitches {
  const name = rawtagName(root, segment);
  const primary = readRawPrimary(dir, root, `_rawtag_${segment.slice(-1).toLowerCase()}`);
  if (text(primary, "INSTRUME") !== "COS") {
    throw new CalibrationError("INVALID_VALUE", `${name}: INSTRUME is '${text(primary, "INSTRUME")}', not COS`);
  }
  const mode = `DETECTOR ${text(primary, "DETECTOR") || "missing"}, OBSMODE ${text(primary, "OBSMODE") || "missing"}`;
  if (text(primary, "DETECTOR") !== "FUV" || text(primary, "OBSMODE") !== "TIME-TAG") {
    throw new CalibrationError("INVALID_VALUE", `${name}: ${mode}: not an FUV TIME-TAG raw`);
  }
  if (text(primary, "SEGMENT") !== segment) {
    throw new CalibrationError("HEADER_PROBLEM", `${name}: SEGMENT is '${text(primary, "SEGMENT")}', not ${segment}`);
  }
  checkFuvSwitches(primary, name);
  return fuvSwitches(primary);
}
