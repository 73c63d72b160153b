/**
 * A WFC3/UVIS subarray exposure read through amp C of UVIS2 (calibration.md §0.4, §4): either a corner
 * subarray that keeps the 25 physical prescan columns (LTV1 = 25, BLEVCORR from them) or an inner one
 * with no overscan at all (BLEVCORR subtracts the CCDTAB bias). The references cover a larger region of
 * the chip than the science (their own LTV), so calibration has to cut the right section out of each.
 * Optionally post-flashed (FLSHFILE × FLASHDUR). Writes raw, references and truth; no CRDS cache.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { FitsWriter, Header } from "../fits/index.js";
import { exposeCcdChip, type PixelList } from "./ccd.js";
import { type AmpLayout, type ChipLayout, type DetectorModel, detectorModel } from "./detectors.js";
import { rawExtensionHeader, rawPrimaryHeader } from "./headers.js";
import { instrumentSetup } from "./instruments.js";
import { type ChipMaps, makeChipMaps } from "./maps.js";
import { Random } from "./random.js";
import { columnsOf, type ReferenceFile, referencePrimary, writeImsetFile, writeTableFile } from "./reference-files.js";
import { ref, writeCcdReferences } from "./references-ccd.js";
import { makeScene, type Scene } from "./scene.js";
import { writeTruthFile } from "./truth.js";

export type UvisSubarrayKind = "prescan" | "inner";

export interface UvisSubarrayOptions {
  rootname: string;
  out: string;
  kind: UvisSubarrayKind;
  seed?: number;
  exptime?: number;
  /** Post-flash duration (s); > 0 adds FLSHFILE × FLASHDUR electrons and sets FLSHCORR = PERFORM. */
  flashdur?: number;
  /** Shutter shading: every pixel sees EXPTIME + SHADFILE seconds of the scene; sets SHADCORR = PERFORM. */
  shading?: boolean;
  /** Write a SATUFILE (e): the full well on the left half of the region, LOW_FULL_WELL on the right half. */
  satufile?: boolean;
  /** Member of a CR-SPLIT association (its id and size): CRCORR = PERFORM, own noise, later start. */
  association?: { id: string; count: number; member: number };
}

export interface SimulatedUvisSubarray {
  raw: string;
  referenceDir: string;
  references: Record<string, string>;
  truth: string;
  /** The scene (e-/s) per science pixel of the subarray, the cosmic rays and saturated pixels. */
  scene: Scene;
  cosmicRays: PixelList;
  saturated: PixelList;
  model: DetectorModel;
  /** Science-pixel size and corner on the chip (0-based). */
  nx: number;
  ny: number;
  corner: [number, number];
  ltv: [number, number];
}

const PRESCAN = 25;
/** The references cover science columns [0, REGION_NX) and rows [0, REGION_NY) of UVIS2. */
const REGION_NX = 480;
const REGION_NY = 320;
const SUBARRAYS: Record<UvisSubarrayKind, { x0: number; y0: number; nx: number; ny: number }> = {
  prescan: { x0: 0, y0: 40, nx: 400, ny: 256 },
  inner: { x0: 64, y0: 32, nx: 384, ny: 256 },
};
/** SATUFILE value (e) of the right half of the region: far below the full well, so that the map shows. */
export const LOW_FULL_WELL = 500;
/** Post-flash rate (e-/s) of the synthetic FLSHFILE. */
const FLASH_RATE = 1.2;

function layout(amp: AmpLayout, prescan: number, nx: number, ny: number): ChipLayout {
  const a = { ...amp, rawX0: 0, rawX1: prescan + nx, sciRawX0: prescan, sciX0: 0, sciWidth: nx };
  return { extver: 1, ccdchip: 2, rawNx: prescan + nx, rawNy: ny, sciRawY0: 0, sciNx: nx, sciNy: ny, amps: [a] };
}

/** The part of the region maps under the subarray (bias with the raw columns, the rest science). */
function cropMaps(region: ChipMaps, chip: ChipLayout, x0: number, y0: number, prescan: number): ChipMaps {
  const { sciNx, sciNy, rawNx } = chip;
  const bias = new Float32Array(rawNx * sciNy);
  const dark = new Float32Array(sciNx * sciNy);
  const flat = new Float32Array(sciNx * sciNy);
  const rawX0 = PRESCAN - prescan + x0;
  for (let y = 0; y < sciNy; y++) {
    const from = (y + y0) * region.chip.rawNx + rawX0;
    bias.set(region.bias.subarray(from, from + rawNx), y * rawNx);
    const s = (y + y0) * region.chip.sciNx + x0;
    dark.set(region.dark.subarray(s, s + sciNx), y * sciNx);
    flat.set(region.flat.subarray(s, s + sciNx), y * sciNx);
  }
  const inside = (x: number, y: number) => x >= x0 && x < x0 + sciNx && y >= y0 && y < y0 + sciNy;
  return {
    chip,
    bias,
    dark,
    flat,
    hotPixels: region.hotPixels.filter((p) => inside(p.x, p.y)).map((p) => ({ ...p, x: p.x - x0, y: p.y - y0 })),
    badColumns: region.badColumns.filter((x) => x >= x0 && x < x0 + sciNx).map((x) => x - x0),
  };
}

/** The physical prescan's row level fitted by a line against row (what BLEVCORR removes), per region row. */
function prescanLevels(region: ChipMaps): Float64Array {
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

function regionHeader(ltv1: number, bunit: string): Header {
  return new Header()
    .set("CCDCHIP", 2)
    .set("BUNIT", bunit)
    .set("LTV1", ltv1, { float: true })
    .set("LTV2", 0, { float: true })
    .set("LTM1_1", 1, { float: true })
    .set("LTM2_2", 1, { float: true });
}

function writeBias(c: { model: DetectorModel; seed: number; dir: string }, region: ChipMaps, kind: UvisSubarrayKind) {
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
function flashRates(): Float32Array {
  return Float32Array.from(
    { length: REGION_NX * REGION_NY },
    (_, k) => FLASH_RATE * (1 + (0.5 * (k % REGION_NX)) / REGION_NX),
  );
}

/** FLSHFILE untrimmed like the bias (calwf3 subtracts it before the trim): zero in the prescan columns. */
function writeFlash(c: { model: DetectorModel; seed: number; dir: string }, region: ChipMaps): ReferenceFile {
  const r = ref(c, "flshfile");
  const { rawNx, rawNy } = region.chip;
  const sci = new Float32Array(rawNx * rawNy);
  const rates = flashRates();
  for (let y = 0; y < rawNy; y++) sci.set(rates.subarray(y * REGION_NX, (y + 1) * REGION_NX), y * rawNx + PRESCAN);
  const part = { header: regionHeader(PRESCAN, "ELECTRONS/S"), sci, axes: [rawNx, rawNy], err: 0.01, dq: 0 };
  writeImsetFile(r.path, referencePrimary(c.model, "FLASH", "Synthetic post-flash (e-/s)", new Header()), [part]);
  return r;
}

/**
 * Shutter shading (s) per science pixel of the region, trimmed: exaggerated (20–60 s) so that its effect
 * stands out of the noise of a 400 s exposure.
 */
function shadingSeconds(): Float32Array {
  return Float32Array.from({ length: REGION_NX * REGION_NY }, (_, k) => 20 + (40 * (k % REGION_NX)) / REGION_NX);
}

function writeShading(c: { model: DetectorModel; seed: number; dir: string }): ReferenceFile {
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
function writeSaturation(c: { model: DetectorModel; seed: number; dir: string }, region: ChipMaps): ReferenceFile {
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
function writeTables(c: { model: DetectorModel; seed: number; dir: string }, all: AmpLayout[]): ReferenceFile[] {
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
  Object.assign(row, { AMPX: 0, AMPY: 0, SATURATE: Math.floor(m.fullWell / amp("C").gain) });
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

export function simulateUvisSubarray(options: UvisSubarrayOptions): SimulatedUvisSubarray {
  const seed = options.seed ?? 1;
  const exptime = options.exptime ?? 400;
  const flashdur = options.flashdur ?? 0;
  const sub = SUBARRAYS[options.kind];
  const full = detectorModel("WFC3", "UVIS");
  const ampC = full.chips.find((ch) => ch.ccdchip === 2)!.amps[0];
  const random = new Random(seed);
  const regionChip = layout(ampC, PRESCAN, REGION_NX, REGION_NY);
  const model: DetectorModel = { ...full, ccdamp: "C", chips: [regionChip] };
  const region = makeChipMaps(model, regionChip, random.fork("maps"));
  // An 8 % pixel-to-pixel flat texture: a reference section misplaced by one pixel shows in the residuals.
  const texture = random.fork("flat texture");
  for (let k = 0; k < region.flat.length; k++) region.flat[k] *= 1 + 0.08 * Math.max(-2, Math.min(2, texture.normal()));
  const prescan = options.kind === "prescan" ? PRESCAN : 0;
  const chip = layout(ampC, prescan, sub.nx, sub.ny);
  const maps = cropMaps(region, chip, sub.x0, sub.y0, prescan);
  const referenceDir = join(options.out, "references");
  const truthDir = join(options.out, "truth");
  mkdirSync(referenceDir, { recursive: true });
  mkdirSync(truthDir, { recursive: true });

  const setup = instrumentSetup(model, false);
  const c = { model, maps: [region], seed, dir: referenceDir, ...setup };
  const refs = [
    ...writeCcdReferences(c, ["darkfile", "pfltfile", "bpixtab", "snkcfile", "imphttab", "crrejtab"]),
    writeBias(c, region, options.kind),
    ...writeTables(
      c,
      full.chips.flatMap((ch) => ch.amps),
    ),
  ];
  if (flashdur > 0) refs.push(writeFlash(c, region));
  if (options.shading) refs.push(writeShading(c));
  if (options.satufile) refs.push(writeSaturation(c, region));

  const scene = makeScene({
    nx: sub.nx,
    ny: sub.ny,
    sky: model.sky,
    psfSigma: 1,
    maxStarFlux: (model.fullWell / exptime) * 30,
    random: random.fork("scene"),
  });
  // The post-flash adds its charge like a dark current would over the exposure.
  const flash = flashRates();
  const exposed =
    flashdur > 0
      ? {
          ...maps,
          dark: maps.dark.map((d, k) => {
            const at = (Math.floor(k / sub.nx) + sub.y0) * REGION_NX + (k % sub.nx) + sub.x0;
            return d + (flash[at] * flashdur) / exptime;
          }),
        }
      : maps;
  const shad = shadingSeconds();
  const rate = options.shading
    ? scene.rate.map((v, k) => {
        const at = (Math.floor(k / sub.nx) + sub.y0) * REGION_NX + (k % sub.nx) + sub.x0;
        return v * (1 + shad[at] / exptime);
      })
    : scene.rate;
  const member = options.association?.member ?? 0;
  const exposureRandom = random.fork(member ? `exposure/${member}` : "exposure");
  const result = exposeCcdChip(model, exposed, rate, exptime, exptime, exposureRandom);

  const ltv: [number, number] = [options.kind === "prescan" ? PRESCAN : -sub.x0, -sub.y0];
  const keyword = (name: string) => {
    const r = refs.find((x) => x.filekind === name.toLowerCase());
    return r ? `${model.refPrefix}${r.name}` : "N/A";
  };
  const switches = setup.switches.map(([k, v]): [string, string] => [
    k,
    (k === "FLSHCORR" && flashdur > 0) ||
    (k === "SHADCORR" && options.shading) ||
    (k === "CRCORR" && options.association)
      ? "PERFORM"
      : v,
  ]);
  const primary = rawPrimaryHeader({
    rootname: options.rootname,
    model,
    spectralElements: setup.spectralElements,
    aperture: options.kind === "prescan" ? "UVIS2-C512C-SUB" : "UVIS2-M512C-SUB",
    start: Date.parse("2012-06-05T10:21:44Z") / 1000 + member * (exptime + 120),
    exptime,
    targname: "CALDP-SIM-FIELD",
    ra: 150.1163,
    dec: 2.2058,
    crsplit: options.association?.count ?? 1,
    asn: options.association
      ? { id: options.association.id, table: `${options.association.id}_asn.fits`, memtype: "EXP-CRJ" }
      : undefined,
    nextend: 3,
    switches,
    references: setup.referenceKeywords.map((k) => [k, keyword(k)]),
    extra: setup.extra.map(([k, v, comment]) => [
      k,
      k === "FLASHDUR" ? flashdur : k === "FLASHSTA" && flashdur > 0 ? "SUCCESSFUL" : v,
      comment,
    ]),
  }).set("SUBARRAY", true);
  if (options.satufile)
    primary.set("SATUFILE", keyword("SATUFILE"), { comment: "full-well saturation map", after: "SNKCFILE" });
  const raw = join(options.out, `${options.rootname}_raw.fits`);
  const writer = new FitsWriter(raw);
  try {
    writer.writeImage(primary);
    const axes = [chip.rawNx, chip.rawNy];
    const header = (extname: "SCI" | "ERR" | "DQ", bunit: string) =>
      rawExtensionHeader({
        extname,
        extver: 1,
        rootname: options.rootname,
        chip,
        model,
        ra: 150.1163,
        dec: 2.2058,
        bunit,
      })
        .set("LTV1", ltv[0], { float: true })
        .set("LTV2", ltv[1], { float: true });
    writer.writeImage(header("SCI", "COUNTS"), result.raw, axes);
    writer.writeConstantImage(header("ERR", "COUNTS"), 0, axes, -32);
    writer.writeConstantImage(header("DQ", "UNITLESS"), 0, axes, 16);
    writer.close();
  } catch (e) {
    writer.abort();
    throw e;
  }
  const truth = join(truthDir, `${options.rootname}_truth.fits`);
  const events = [
    { rootname: options.rootname, chips: [{ ccdchip: 2, cosmicRays: result.cosmicRays, saturated: result.saturated }] },
  ];
  writeTruthFile(truth, { ...model, chips: [chip] }, [scene], [maps], events);
  return {
    raw,
    referenceDir,
    references: Object.fromEntries(refs.map((r) => [r.filekind.toUpperCase(), r.path])),
    truth,
    scene,
    cosmicRays: result.cosmicRays,
    saturated: result.saturated,
    model,
    nx: sub.nx,
    ny: sub.ny,
    corner: [sub.x0, sub.y0],
    ltv,
  };
}
