/**
 * The references of the simulated UVIS2 amp-C subarrays (wfc3-subarray.ts), over a region of the chip
 * larger than any subarray: BIASFILE (less the prescan level BLEVCORR removes when the prescan is read),
 * FLSHFILE and SATUFILE (untrimmed like the bias), SHADFILE (trimmed), single-amp CCDTAB and OSCNTAB rows.
 */
import { Header } from "../fits/index.js";
import type { AmpLayout, DetectorModel } from "./detectors.js";
import type { ChipMaps } from "./maps.js";
import { columnsOf, type ReferenceFile, referencePrimary, writeImsetFile, writeTableFile } from "./reference-files.js";
import { ref } from "./references-ccd.js";

export type SubarrayKind = "prescan" | "inner";
type Context = { model: DetectorModel; seed: number; dir: string };

export const PRESCAN = 25;
/** The references cover science columns [0, REGION_NX) and rows [0, REGION_NY) of UVIS2. */
export const REGION_NX = 480;
export const REGION_NY = 320;
/** SATUFILE value (e) of the right half of the region: far below the full well, so that the map shows. */
export const LOW_FULL_WELL = 500;
/** Post-flash rate (e-/s) of the synthetic FLSHFILE. */
export const FLASH_RATE = 1.2;

/** The physical prescan's row level fitted by a line against row (what BLEVCORR removes), per region row. */
export function prescanLevels(region: ChipMaps): Float64Array {
  const { rawNx, rawNy } = region.chip;
  const levels = Array.from({ length: rawNy }, (_, y) => {
    const values = Array.from({ length: 20 }, (_, i) => region.bias[y * rawNx + 4 + i]).sort((p, q) => p - q);
    return (values[9] + values[10]) / 2;
  });
  const n = rawNy;
  const my = (n - 1) / 2;
  const ml = levels.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  levels.forEach((v, y) => {
    sxy += (y - my) * (v - ml);
    sxx += (y - my) ** 2;
  });
  return Float64Array.from(levels, (_, y) => ml + (sxy / sxx) * (y - my));
}

export function regionHeader(ltv1: number, bunit: string): Header {
  return new Header()
    .set("CCDCHIP", 2)
    .set("BUNIT", bunit)
    .set("LTV1", ltv1, { float: true })
    .set("LTV2", 0, { float: true })
    .set("LTM1_1", 1, { float: true })
    .set("LTM2_2", 1, { float: true });
}

export function writeBias(c: Context, region: ChipMaps, kind: SubarrayKind) {
  const r = ref(c, "biasfile");
  const sci = Float32Array.from(region.bias);
  if (kind === "prescan") {
    const level = prescanLevels(region);
    for (let y = 0; y < region.chip.rawNy; y++) {
      for (let x = 0; x < region.chip.rawNx; x++) sci[y * region.chip.rawNx + x] -= level[y];
    }
  }
  const part = {
    header: regionHeader(PRESCAN, "COUNTS"),
    sci,
    axes: [region.chip.rawNx, region.chip.rawNy],
    err: 0.05,
    dq: 0,
  };
  const keys = new Header().set("CCDAMP", "C").set("CCDGAIN", c.model.ccdgain, { float: true });
  writeImsetFile(r.path, referencePrimary(c.model, "BIAS", "Synthetic UVIS2 region bias (DN)", keys), [part]);
  return r;
}

/** The post-flash (e-/s) per science pixel of the region: a left-to-right ramp, so that its section matters. */
export function flashRates(): Float32Array {
  return Float32Array.from(
    { length: REGION_NX * REGION_NY },
    (_, k) => FLASH_RATE * (1 + (0.5 * (k % REGION_NX)) / REGION_NX),
  );
}

/** FLSHFILE untrimmed like the bias (calwf3 subtracts it before the trim): zero in the prescan columns. */
export function writeFlash(c: Context, region: ChipMaps): ReferenceFile {
  const r = ref(c, "flshfile");
  const { rawNx, rawNy } = region.chip;
  const sci = new Float32Array(rawNx * rawNy);
  const rates = flashRates();
  for (let y = 0; y < rawNy; y++) sci.set(rates.subarray(y * REGION_NX, (y + 1) * REGION_NX), y * rawNx + PRESCAN);
  const part = { header: regionHeader(PRESCAN, "ELECTRONS/S"), sci, axes: [rawNx, rawNy], err: 0.01, dq: 0 };
  writeImsetFile(r.path, referencePrimary(c.model, "POST FLASH", "Synthetic post-flash (e-/s)", new Header()), [part]);
  return r;
}

/**
 * Shutter shading (s) per science pixel of the region, trimmed: exaggerated (20–60 s) so that its effect
 * stands out of the noise of a 400 s exposure.
 */
export function shadingSeconds(): Float32Array {
  return Float32Array.from({ length: REGION_NX * REGION_NY }, (_, k) => 20 + (40 * (k % REGION_NX)) / REGION_NX);
}

export function writeShading(c: Context): ReferenceFile {
  const r = ref(c, "shadfile");
  const part = {
    header: regionHeader(0, "SECONDS"),
    sci: shadingSeconds(),
    axes: [REGION_NX, REGION_NY],
    err: 0,
    dq: 0,
  };
  writeImsetFile(r.path, referencePrimary(c.model, "SHUTTER SHADING", "Synthetic shutter shading (s)", new Header()), [
    part,
  ]);
  return r;
}

/** SATUFILE (e) untrimmed like the bias: the full well, but LOW_FULL_WELL on the right half of the science columns. */
export function writeSaturation(c: Context, region: ChipMaps): ReferenceFile {
  const r = ref(c, "satufile");
  const { rawNx, rawNy } = region.chip;
  const sci = Float32Array.from({ length: rawNx * rawNy }, (_, k) =>
    (k % rawNx) - PRESCAN >= REGION_NX / 2 ? LOW_FULL_WELL : c.model.fullWell - 500,
  );
  const part = { header: regionHeader(PRESCAN, "ELECTRONS"), sci, axes: [rawNx, rawNy], err: 0, dq: 0 };
  writeImsetFile(r.path, referencePrimary(c.model, "FULL-WELL SATURATION", "Synthetic full well (e-)", new Header()), [
    part,
  ]);
  return r;
}

/** CCDTAB and OSCNTAB rows for a single-amp (C) readout of UVIS2, all four amps' electronics listed. */
export function writeTables(c: Context, all: AmpLayout[]): ReferenceFile[] {
  const m = c.model;
  const ccd = ref(c, "ccdtab");
  const row: Record<string, string | number> = {
    CCDAMP: "C",
    CCDCHIP: 2,
    CCDGAIN: m.ccdgain,
    BINAXIS1: 1,
    BINAXIS2: 1,
  };
  for (const a of "ABCD") row[`CCDOFST${a}`] = 3;
  const amp = (name: string) => all.find((x) => x.amp === name)!;
  for (const a of "ABCD") row[`CCDBIAS${a}`] = amp(a).bias;
  for (const a of "ABCD") row[`ATODGN${a}`] = amp(a).gain;
  for (const a of "ABCD") row[`READNSE${a}`] = amp(a).readNoise;
  // A one-amp row reads the whole line: AMPX past any image (real CCDTABs: 4096), which calwf3.e needs (AMPX 0 means amp D).
  Object.assign(row, { AMPX: 4096, AMPY: 0, SATURATE: Math.floor(m.fullWell / amp("C").gain) });
  const ints = new Set(["CCDCHIP", "BINAXIS1", "BINAXIS2", "AMPX", "AMPY", ...[..."ABCD"].map((a) => `CCDOFST${a}`)]);
  writeTableFile(ccd.path, referencePrimary(m, "CCD PARAMETERS", "Synthetic CCD parameters", new Header()), [
    { columns: columnsOf([row], ints) },
  ]);
  const osc = ref(c, "oscntab");
  const o: Record<string, string | number> = { CCDAMP: "C", CCDCHIP: 2, BINX: 1, BINY: 1, NX: 4146, NY: 2051 };
  Object.assign(o, { TRIMX1: PRESCAN, TRIMX2: PRESCAN, TRIMX3: 0, TRIMX4: 0, TRIMY1: 0, TRIMY2: 0 });
  for (const k of ["VX1", "VX2", "VY1", "VY2", "VX3", "VX4", "VY3", "VY4"]) o[k] = 0;
  Object.assign(o, { BIASSECTA1: 5, BIASSECTA2: 24, BIASSECTB1: 4125, BIASSECTB2: 4144 });
  Object.assign(o, { BIASSECTC1: 0, BIASSECTC2: 0, BIASSECTD1: 0, BIASSECTD2: 0 });
  const oscInts = new Set(Object.keys(o).filter((k) => k !== "CCDAMP"));
  writeTableFile(osc.path, referencePrimary(m, "OVERSCAN REGIONS", "Synthetic overscan regions", new Header()), [
    { columns: columnsOf([o], oscInts) },
  ]);
  return [ccd, osc];
}
