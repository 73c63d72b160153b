/**
 * A WFC3/IR MultiAccum subarray (calibration.md §0.4, §5): an n × n science square plus the 5-pixel
 * reference border, somewhere inside the detector. The PFLTFILE and NLINFILE cover a larger region
 * (their own LTV), so calibration has to read each at the subarray's corner; the flat has a strong
 * gradient and an 8 % pixel-to-pixel texture so that a misplaced section shows. The DARKFILE is a
 * subarray dark of the science image's size and LTV, as CRDS's are for each SUBTYPE (calwf3.e reads the
 * dark at the science pixel's own index, without an offset). Ramp model as ir.ts (reset pedestal = NLINFILE
 * ZSCI, per-read drift seen by the reference pixels, non-linearity, jumps, full-well clipping).
 * Writes raw, references and truth; no CRDS cache.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { FitsWriter, Header, type PixelArray } from "../fits/index.js";
import type { PixelList } from "./ccd.js";
import { type ChipLayout, detectorModel } from "./detectors.js";
import { rawExtensionHeader, rawPrimaryHeader } from "./headers.js";
import { instrumentSetup } from "./instruments.js";
import { BORDER, cosmicRayJumps, listOf, measured, NONLINEARITY, sampleTimes } from "./ir.js";
import { BAD_COLUMN_RATE, type ChipMaps, makeChipMaps } from "./maps.js";
import { Random } from "./random.js";
import {
  columnsOf,
  type ReferenceFile,
  referenceKeyword,
  referencePrimary,
  writeTableFile,
} from "./reference-files.js";
import { ref, writeCcdReferences } from "./references-ccd.js";
import { makeScene, type Scene } from "./scene.js";
import { writeTruthFile } from "./truth.js";

export interface IrSubarrayOptions {
  rootname: string;
  out: string;
  seed?: number;
  /** Non-zero reads (default 8, SPARS25). */
  nsamp?: number;
}

export interface SimulatedIrSubarray {
  raw: string;
  referenceDir: string;
  references: Record<string, string>;
  truth: string;
  scene: Scene;
  /** Science coordinates of the subarray (0-based) and the read after which each jump arrived. */
  cosmicRays: PixelList;
  jumpReads: Int16Array;
  saturated: PixelList;
  /** Science pixels per side and the raw LTV. */
  n: number;
  ltv: [number, number];
}

/** Science pixels per side, their first detector (1024-frame) column/row, and the reference region. */
const N_SCI = 96;
// Centred on the detector, as every real IR subarray is: calwf3.e splits the quadrants at AMPX/AMPY moved
// by the offset without clamping them to the image, so an off-centre subarray makes it write past its arrays.
const CORNER: [number, number] = [464, 464];
const REGION_X0 = 440;
const REGION_Y0 = 440;
const REGION = 160;
const PEDESTAL = 11000;

function regionMaps(random: Random): ChipMaps {
  const full = detectorModel("WFC3", "IR");
  const a = full.chips[0].amps[0];
  const chip: ChipLayout = {
    extver: 1,
    ccdchip: 1,
    rawNx: REGION,
    rawNy: REGION,
    sciRawY0: 0,
    sciNx: REGION,
    sciNy: REGION,
    amps: [{ ...a, rawX0: 0, rawX1: REGION, sciRawX0: 0, sciX0: 0, sciWidth: REGION }],
  };
  const maps = makeChipMaps({ ...full, chips: [chip] }, chip, random);
  const texture = random.fork("flat texture");
  for (let y = 0; y < REGION; y++) {
    for (let x = 0; x < REGION; x++) {
      const gradient = 1 + 0.3 * (x / REGION - 0.5) + 0.2 * (y / REGION - 0.5);
      maps.flat[y * REGION + x] *= gradient * (1 + 0.08 * Math.max(-2, Math.min(2, texture.normal())));
    }
  }
  return maps;
}

const placed = (h: Header, ltv: [number, number]) =>
  h.set("LTV1", ltv[0], { float: true }).set("LTV2", ltv[1], { float: true });

/** NSAMP+1 (or one) five-extension groups, the first written being EXTVER 1. */
function writeGroups(
  path: string,
  primary: Header,
  groups: { sci: PixelArray; samp: number; time: number; header: Header }[],
  axes: [number, number],
) {
  const writer = new FitsWriter(path);
  try {
    writer.writeImage(primary.clone().set("NEXTEND", 5 * groups.length));
    groups.forEach((g, i) => {
      const h = (name: string) =>
        g.header
          .clone()
          .set("EXTNAME", name)
          .set("EXTVER", i + 1);
      writer.writeImage(h("SCI"), g.sci, axes);
      writer.writeConstantImage(h("ERR"), 0, axes, -32);
      writer.writeConstantImage(h("DQ"), 0, axes, 16);
      writer.writeConstantImage(h("SAMP"), g.samp, axes, 16);
      writer.writeConstantImage(h("TIME"), g.time, axes, -32);
    });
    writer.close();
  } catch (e) {
    writer.abort();
    throw e;
  }
}

interface Context {
  model: ReturnType<typeof detectorModel>;
  seed: number;
  dir: string;
}

/** Science pixels per side plus the border, the raw LTV, and the region pixel under raw pixel (i, j). */
const RAW = N_SCI + 2 * BORDER;
const RAW_LTV: [number, number] = [2 * BORDER - CORNER[0], 2 * BORDER - CORNER[1]];
const regionIndex = (i: number, j: number) =>
  (CORNER[1] - BORDER + j - REGION_Y0) * REGION + CORNER[0] - BORDER + i - REGION_X0;

function writeRegionReferences(c: Context, maps: ChipMaps, zsci: Float32Array, times: number[]): ReferenceFile[] {
  const gain = maps.chip.amps[0].gain;
  const ltv: [number, number] = [BORDER - REGION_X0, BORDER - REGION_Y0];
  const axes: [number, number] = [REGION, REGION];
  const keys = () =>
    new Header().set("CCDAMP", "ABCD").set("CCDGAIN", c.model.ccdgain, { float: true }).set("SAMP_SEQ", "SPARS25");

  const dark = ref(c, "darkfile");
  const darkPrimary = referencePrimary(c.model, "DARK", "Synthetic IR subarray dark (DN since the zeroth read)", keys())
    // calwf3.e refuses a dark whose SAMP_SEQ or SUBTYPE is not the science's.
    .set("SUBTYPE", `SQ${N_SCI}SUB`)
    .set("NUMEXPOS", times.length)
    .set("NSAMP", times.length);
  const darkGroups = [...times].reverse().map((t, i) => {
    darkPrimary.set(`EXPOS_${i + 1}`, t, { float: true });
    const sci = new Float32Array(RAW * RAW);
    for (let j = 0; j < RAW; j++) {
      for (let i = 0; i < RAW; i++) {
        const r = regionIndex(i, j);
        const bad = maps.badColumns.includes(r % REGION) ? BAD_COLUMN_RATE : 0;
        sci[j * RAW + i] = ((maps.dark[r] + bad) * t) / gain;
      }
    }
    const header = placed(new Header().set("BUNIT", "COUNTS"), RAW_LTV).set("SAMPTIME", t, { float: true });
    return { sci, samp: times.length - 1 - i, time: t, header };
  });
  writeGroups(dark.path, darkPrimary, darkGroups, [RAW, RAW]);

  const flat = ref(c, "pfltfile");
  const flatPrimary = referencePrimary(
    c.model,
    "PIXEL-TO-PIXEL FLAT",
    "Synthetic IR region flat",
    keys().set("FILTER", "F160W"),
  );
  writeGroups(
    flat.path,
    flatPrimary,
    [{ sci: maps.flat, samp: 0, time: 0, header: placed(new Header().set("BUNIT", "UNITLESS"), ltv) }],
    axes,
  );

  const nlin = ref(c, "nlinfile");
  const primary = referencePrimary(c.model, "LINEARITY COEFFICIENTS", "Synthetic IR region non-linearity", new Header())
    .set("NCOEF", 4)
    .set("NERR", 4)
    .set("NEXTEND", 12);
  const writer = new FitsWriter(nlin.path);
  const ext = (name: string, ver: number) => placed(new Header().set("EXTNAME", name).set("EXTVER", ver), ltv);
  writer.writeImage(primary);
  [0, NONLINEARITY, 0, 0].forEach((v, k) => {
    writer.writeImage(ext("COEF", k + 1), new Float32Array(REGION * REGION).fill(v), axes);
  });
  for (let k = 1; k <= 4; k++) writer.writeConstantImage(ext("ERR", k), 0, axes, -32);
  writer.writeConstantImage(ext("DQ", 1), 0, axes, 16);
  writer.writeImage(
    ext("NODE", 1),
    new Float32Array(REGION * REGION).fill(measured(c.model.fullWell / gain) - 50),
    axes,
  );
  writer.writeImage(ext("ZSCI", 1), zsci, axes);
  writer.writeConstantImage(ext("ZERR", 1), 5, axes, -32);
  writer.close();
  return [dark, flat, nlin];
}

/** OSCNTAB rows for the full frame and the subarray size: 5-pixel borders, reference columns 2–4 each side. */
function writeOscntab(c: Context): ReferenceFile {
  const r = ref(c, "oscntab");
  const rows = [1024, N_SCI + 2 * BORDER].map((nx) => {
    const row: Record<string, string | number> = { CCDAMP: "ABCD", CCDCHIP: 1, BINX: 1, BINY: 1, NX: nx, NY: nx };
    Object.assign(row, { TRIMX1: BORDER, TRIMX2: BORDER, TRIMX3: 0, TRIMX4: 0, TRIMY1: BORDER, TRIMY2: BORDER });
    for (const k of ["VX1", "VX2", "VY1", "VY2", "VX3", "VX4", "VY3", "VY4"]) row[k] = 0;
    Object.assign(row, { BIASSECTA1: 2, BIASSECTA2: 4, BIASSECTB1: nx - 3, BIASSECTB2: nx - 1 });
    Object.assign(row, { BIASSECTC1: 0, BIASSECTC2: 0, BIASSECTD1: 0, BIASSECTD2: 0 });
    return row;
  });
  const ints = new Set(Object.keys(rows[0]).filter((k) => k !== "CCDAMP"));
  writeTableFile(r.path, referencePrimary(c.model, "OVERSCAN REGIONS", "Synthetic IR overscan regions", new Header()), [
    { columns: columnsOf(rows, ints) },
  ]);
  return r;
}

export function simulateIrSubarray(options: IrSubarrayOptions): SimulatedIrSubarray {
  const seed = options.seed ?? 1;
  const nsamp = options.nsamp ?? 8;
  const times = sampleTimes(nsamp);
  const model = detectorModel("WFC3", "IR");
  const fullChip = model.chips[0];
  const gain = fullChip.amps[0].gain;
  const readNoise = fullChip.amps[0].readNoise / gain;
  const random = new Random(seed);
  const maps = regionMaps(random.fork("maps"));
  const pedestalRandom = random.fork("pedestal");
  const zsci = Float32Array.from({ length: REGION * REGION }, () => PEDESTAL + 250 * pedestalRandom.normal());
  const referenceDir = join(options.out, "references");
  mkdirSync(referenceDir, { recursive: true });
  mkdirSync(join(options.out, "truth"), { recursive: true });
  const c = { model, seed, dir: referenceDir };
  // BPIXTAB, CCDTAB, CRREJTAB, IMPHTTAB as for a full frame; the bad columns in science coordinates.
  const fullMaps = { ...maps, chip: fullChip, badColumns: maps.badColumns.map((x) => x + REGION_X0 - BORDER) };
  const setup = instrumentSetup(model, false);
  const refs = [
    ...writeCcdReferences({ ...c, maps: [fullMaps], ...setup }, ["bpixtab", "ccdtab", "crrejtab", "imphttab"]),
    ...writeRegionReferences(c, maps, zsci, times),
    writeOscntab(c),
  ];

  const n = N_SCI;
  const raw = RAW;
  const scene = makeScene({
    nx: n,
    ny: n,
    sky: model.sky,
    psfSigma: 0.9,
    maxStarFlux: (model.fullWell / 400) * 30,
    random: random.fork("scene"),
  });
  const electrons = new Float64Array(n * n);
  const saturatedAt = new Uint8Array(n * n);
  const jumps = cosmicRayJumps(n, model.crRate * times[nsamp], nsamp, times, random.fork("cosmic rays"));
  const signal = random.fork("signal");
  const noise = random.fork("read noise");
  // Reference pixels have no photodiode: a flat level of their own rather than the science pedestal.
  const referenceRandom = random.fork("reference pixels");
  const referenceLevel = Float32Array.from({ length: raw * raw }, () => PEDESTAL + 3 * referenceRandom.normal());
  const reads: Uint16Array[] = [];
  for (let k = 0; k <= nsamp; k++) {
    const dt = k === 0 ? 0 : times[k] - times[k - 1];
    const drift = 4 * noise.normal();
    const read = new Uint16Array(raw * raw);
    for (let j = 0; j < raw; j++) {
      for (let i = 0; i < raw; i++) {
        const r = regionIndex(i, j);
        const sx = i - BORDER;
        const sy = j - BORDER;
        let counts = 0;
        if (sx >= 0 && sy >= 0 && sx < n && sy < n) {
          const s = sy * n + sx;
          if (dt > 0) {
            const bad = maps.badColumns.includes(r % REGION) ? BAD_COLUMN_RATE : 0;
            electrons[s] += signal.poisson((scene.rate[s] * maps.flat[r] + maps.dark[r] + bad) * dt);
            for (const hit of jumps.byRead[k].get(s) ?? []) electrons[s] += hit;
            if (electrons[s] >= model.fullWell) {
              electrons[s] = model.fullWell;
              saturatedAt[s] = saturatedAt[s] || k;
            }
          }
          counts = measured(electrons[s] / gain);
        }
        const level = sx >= 0 && sy >= 0 && sx < n && sy < n ? zsci[r] : referenceLevel[j * raw + i];
        const dn = level + drift + counts + readNoise * noise.normal();
        read[j * raw + i] = dn <= 0 ? 0 : dn >= 65535 ? 65535 : Math.round(dn);
      }
    }
    reads.push(read);
  }

  const ltv = RAW_LTV;
  const keyword = (name: string) => referenceKeyword(model, refs, name);
  const primary = rawPrimaryHeader({
    rootname: options.rootname,
    model,
    spectralElements: setup.spectralElements,
    aperture: "IRSUB128",
    start: Date.parse("2012-06-05T10:21:44Z") / 1000,
    exptime: times[nsamp],
    targname: "CALDP-SIM-FIELD",
    ra: 150.1163,
    dec: 2.2058,
    crsplit: 1,
    nextend: 5 * (nsamp + 1),
    switches: setup.switches,
    references: setup.referenceKeywords.map((k) => [k, keyword(k)]),
    extra: [
      ["CCDAMP", "ABCD", "CCD Amplifier Readout Configuration"],
      ["CCDGAIN", model.ccdgain, "commanded gain of CCD"],
      ["SAMP_SEQ", "SPARS25", "MultiAccum exposure time sequence name"],
      ["NSAMP", nsamp + 1, "number of MULTIACCUM samples"],
      ["SAMPZERO", times[1] - 0.020535, "sample time of the zeroth read (sec)"],
      ["SUBTYPE", `SQ${n}SUB`, "Size/type of IR subarray"],
    ],
  }).set("SUBARRAY", true);
  const chip: ChipLayout = { ...fullChip, rawNx: raw, rawNy: raw, sciNx: n, sciNy: n };
  const path = join(options.out, `${options.rootname}_raw.fits`);
  const writer = new FitsWriter(path);
  try {
    writer.writeImage(primary);
    for (let k = nsamp; k >= 0; k--) {
      const base = { rootname: options.rootname, model, chip, extver: nsamp + 1 - k, ra: 150.1163, dec: 2.2058 };
      const timing: [string, number, string][] = [
        ["SAMPNUM", k, "MULTIACCUM sample number"],
        ["SAMPTIME", times[k], "total integration time (sec)"],
        ["DELTATIM", k === 0 ? 0 : times[k] - times[k - 1], "sample integration time (sec)"],
      ];
      const h = (extname: "SCI" | "ERR" | "DQ" | "SAMP" | "TIME", bunit: string, extra: typeof timing = []) =>
        placed(rawExtensionHeader({ ...base, extname, bunit, extra }), ltv);
      writer.writeImage(h("SCI", "COUNTS", timing), reads[k], [raw, raw]);
      writer.writeConstantImage(h("ERR", "COUNTS"), 0, [raw, raw], -32);
      writer.writeConstantImage(h("DQ", "UNITLESS"), 0, [raw, raw], 16);
      writer.writeConstantImage(h("SAMP", "UNITLESS"), k, [raw, raw], 16);
      writer.writeConstantImage(h("TIME", "SECONDS"), times[k], [raw, raw], -32);
    }
    writer.close();
  } catch (e) {
    writer.abort();
    throw e;
  }
  const saturated = listOf(saturatedAt, n, () => model.fullWell);
  const truth = join(options.out, "truth", `${options.rootname}_truth.fits`);
  const subMaps = { ...maps, chip, badColumns: [] };
  writeTruthFile(
    truth,
    { ...model, chips: [chip] },
    [scene],
    [subMaps],
    [
      {
        rootname: options.rootname,
        chips: [{ ccdchip: 1, cosmicRays: jumps.list, saturated, jumpReads: jumps.reads }],
      },
    ],
  );
  return {
    raw: path,
    referenceDir,
    references: Object.fromEntries(refs.map((r) => [r.filekind.toUpperCase(), r.path])),
    truth,
    scene,
    cosmicRays: jumps.list,
    jumpReads: jumps.reads,
    saturated,
    n,
    ltv,
  };
}
