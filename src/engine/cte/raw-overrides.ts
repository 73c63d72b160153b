/**
 * Users may tune a correction from the raw's primary header (hstcal getCTEParsFromImageHeader): PCTETLEN,
 * PCTENFOR and PCTENPAR replace the PCTETAB's values when greater than 1, FIXROCR when 0 or 1 (anything else is an
 * error), PCTENSMD always. PCTERNOI is not used for ACS (the CCDTAB's read noise is).
 */
import { CalibrationError } from "../../calib/common/errors.js";
import type { Header } from "../../fits/index.js";
import type { PctetabSet } from "./pctetab.js";

function integer(header: Header, keyword: string, raw: string): number | undefined {
  const value = header.get(keyword);
  if (value === undefined) return undefined;
  const n = typeof value === "bigint" ? Number(value) : value;
  if (typeof n !== "number" || !Number.isInteger(n)) {
    throw new CalibrationError("HEADER_PROBLEM", `${raw}: keyword ${keyword} = ${String(value)} is not an integer`);
  }
  return n;
}

/** The set with the raw's overrides applied; `smoothingMode` is the PCTETAB's PCTENSMD. */
export function withRawOverrides(
  set: PctetabSet,
  smoothingMode: number,
  primary: Header,
  raw: string,
): { set: PctetabSet; smoothingMode: number } {
  const over = (keyword: string, current: number) => {
    const value = integer(primary, keyword, raw);
    return value !== undefined && value > 1 ? value : current;
  };
  const trailLength = over("PCTETLEN", set.iterations.trailLength);
  if (trailLength > set.model.profileLength) {
    throw new CalibrationError(
      "INVALID_VALUE",
      `${raw}: keyword PCTETLEN = ${trailLength} is longer than the PCTETAB's profiles (${set.model.profileLength})`,
    );
  }
  const fix = integer(primary, "FIXROCR", raw);
  if (fix !== undefined && fix !== 0 && fix !== 1) {
    throw new CalibrationError("INVALID_VALUE", `${raw}: keyword FIXROCR = ${fix}: only 0 or 1 accepted`);
  }
  const iterations = {
    ...set.iterations,
    trailLength,
    forwardIterations: over("PCTENFOR", set.iterations.forwardIterations),
    parallelTransfers: over("PCTENPAR", set.iterations.parallelTransfers),
    fixReadoutCosmicRays: fix === undefined ? set.iterations.fixReadoutCosmicRays : fix === 1,
  };
  const mode = integer(primary, "PCTENSMD", raw) ?? smoothingMode;
  if (mode !== 0)
    throw new CalibrationError("INVALID_VALUE", `${raw}: keyword PCTENSMD = ${mode}: only read-noise model 0 exists`);
  return { set: { ...set, iterations }, smoothingMode: mode };
}
