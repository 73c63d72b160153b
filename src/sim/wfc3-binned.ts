/**
 * A 2 × 2 binned WFC3/UVIS read of a corner of UVIS2 through amp C (calibration.md §0.4, §4): 12 binned
 * prescan columns, then science; every reference but the SNKCFILE (full unbinned chips, as CRDS serves it)
 * is binned alike (LTM 0.5) and covers a larger region,
 * while the BPIXTAB stays in unbinned science pixels (SIZAXIS of the region), so DQICORR has to go
 * through its unbinned scratch. LTV follows the IRAF convention: binned pixel k of the science holds
 * unbinned pixels 2k and 2k + 1, so LTV = 0.25 − corner (+ 12 in the raw). Flight software reads no
 * binned subarrays; this exercises the binned geometry of every step. Writes raw, references and truth.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { Header } from "../fits/index.js";
import { exposeCcdChip, type PixelList } from "./ccd.js";
import { type ChipLayout, detectorModel } from "./detectors.js";
import { rawPrimaryHeader } from "./headers.js";
import { instrumentSetup } from "./instruments.js";
import { type ChipMaps, makeChipMaps } from "./maps.js";
import { Random } from "./random.js";
import { writeCcdRaw } from "./raw.js";
import {
  columnsOf,
  type ReferenceFile,
  referenceKeyword,
  referencePrimary,
  writeBpixtab,
  writeImsetFile,
  writeTableFile,
} from "./reference-files.js";
import { ref, writeCcdReferences } from "./references-ccd.js";
import { makeScene, type Scene } from "./scene.js";
import { writeSinkMap } from "./wfc3-sinks.js";

export interface SimulatedUvisBinned {
  raw: string;
  referenceDir: string;
  references: Record<string, string>;
  scene: Scene;
  cosmicRays: PixelList;
  /** Binned science columns with a bad-column defect, and the subarray's size and binned corner. */
  badColumns: number[];
  nx: number;
  ny: number;
  corner: [number, number];
}

const PRESCAN = 12;
const REGION: [number, number] = [200, 140];
const SUB = { x0: 0, y0: 20, nx: 160, ny: 100 };

function layout(amp: ChipLayout["amps"][number], nx: number, ny: number): ChipLayout {
  const a = { ...amp, rawX0: 0, rawX1: PRESCAN + nx, sciRawX0: PRESCAN, sciX0: 0, sciWidth: nx };
  return { extver: 1, ccdchip: 2, rawNx: PRESCAN + nx, rawNy: ny, sciRawY0: 0, sciNx: nx, sciNy: ny, amps: [a] };
}

const binnedHeader = (ltv1: number, bunit: string) =>
  new Header()
    .set("CCDCHIP", 2)
    .set("BUNIT", bunit)
    .set("LTV1", ltv1, { float: true })
    .set("LTV2", 0.25, { float: true })
    .set("LTM1_1", 0.5, { float: true })
    .set("LTM2_2", 0.5, { float: true });

export function simulateUvisBinned(options: { rootname: string; out: string; seed?: number }): SimulatedUvisBinned {
  const seed = options.seed ?? 1;
  const exptime = 400;
  const full = detectorModel("WFC3", "UVIS");
  const allAmps = full.chips.flatMap((c) => c.amps);
  const ampC = allAmps.find((a) => a.amp === "C")!;
  const regionChip = layout(ampC, REGION[0], REGION[1]);
  const model = { ...full, ccdamp: "C", chips: [regionChip] };
  const random = new Random(seed);
  const region = makeChipMaps(model, regionChip, random.fork("maps"));
  const dir = join(options.out, "references");
  mkdirSync(dir, { recursive: true });
  const c = { model, seed, dir };
  const setup = instrumentSetup(model, false);
  const refs: ReferenceFile[] = writeCcdReferences({ ...c, maps: [region], ...setup }, ["imphttab"]);
  const image = (filekind: string, filetype: string, bunit: string, sci: Float32Array, raw: boolean) => {
    const r = ref(c, filekind);
    const [nx, ny] = raw ? [regionChip.rawNx, REGION[1]] : REGION;
    // calwf3.e reads CCDAMP and CCDGAIN from every image reference (real ones have both).
    const keys = new Header()
      .set("CCDAMP", "C")
      .set("CCDGAIN", model.ccdgain, { float: true })
      .set("BINAXIS1", 2)
      .set("BINAXIS2", 2);
    // A flat names its filter, which calwf3.e checks against the science's.
    if (filekind === "pfltfile") for (const [k, v] of Object.entries(setup.spectralElements)) keys.set(k, v);
    const part = { header: binnedHeader(raw ? PRESCAN + 0.25 : 0.25, bunit), sci, axes: [nx, ny], err: 0, dq: 0 };
    writeImsetFile(r.path, referencePrimary(model, filetype, `Synthetic 2x2 binned ${filetype.toLowerCase()}`, keys), [
      part,
    ]);
    refs.push(r);
  };
  image("biasfile", "BIAS", "COUNTS", afterPrescanLevel(region.bias, regionChip.rawNx, REGION[1]), true);
  image("darkfile", "DARK", "ELECTRONS/S", region.dark, false);
  image("pfltfile", "PIXEL-TO-PIXEL FLAT", "UNITLESS", region.flat, false);
  // The one full-chip, unbinned SNKCFILE CRDS gives every UVIS exposure (calwf3.e skips sinks on binned data).
  refs.push(writeSinkMap({ model: full, maps: full.chips.map((ch) => ({ chip: ch }) as ChipMaps), seed, dir }));
  refs.push(...binnedTables(c, region.badColumns, allAmps));

  const scene = makeScene({
    nx: SUB.nx,
    ny: SUB.ny,
    sky: 4 * model.sky,
    psfSigma: 0.6,
    maxStarFlux: (model.fullWell / exptime) * 30,
    random: random.fork("scene"),
  });
  const chip = layout(ampC, SUB.nx, SUB.ny);
  const crop = (a: Float32Array, width: number, first: number, columns: number) =>
    Float32Array.from(
      { length: columns * SUB.ny },
      (_, k) => a[(Math.floor(k / columns) + SUB.y0) * width + first + (k % columns)],
    );
  const maps = {
    chip,
    bias: crop(region.bias, regionChip.rawNx, SUB.x0, chip.rawNx),
    dark: crop(region.dark, REGION[0], SUB.x0, SUB.nx),
    flat: crop(region.flat, REGION[0], SUB.x0, SUB.nx),
    hotPixels: [],
    badColumns: region.badColumns.filter((x) => x < SUB.nx),
  };
  const result = exposeCcdChip(model, maps, scene.rate, exptime, exptime, random.fork("exposure"));

  const keyword = (name: string) => referenceKeyword(model, refs, name);
  const primary = rawPrimaryHeader({
    rootname: options.rootname,
    model,
    spectralElements: setup.spectralElements,
    aperture: "UVIS2-C512C-SUB",
    start: Date.parse("2012-06-05T10:21:44Z") / 1000,
    exptime,
    targname: "CALDP-SIM-FIELD",
    ra: 150.1163,
    dec: 2.2058,
    crsplit: 1,
    nextend: 3,
    switches: setup.switches,
    references: setup.referenceKeywords.map((k) => [k, keyword(k)]),
    extra: setup.extra,
  })
    .set("SUBARRAY", true)
    .set("BINAXIS1", 2)
    .set("BINAXIS2", 2);
  const raw = join(options.out, `${options.rootname}_raw.fits`);
  writeCcdRaw(raw, primary, { rootname: options.rootname, model, ra: 150.1163, dec: 2.2058 }, [
    {
      chip,
      extver: 1,
      raw: result.raw,
      finish: (h) =>
        h
          .set("LTV1", PRESCAN + 0.25 - SUB.x0, { float: true })
          .set("LTV2", 0.25 - SUB.y0, { float: true })
          .set("LTM1_1", 0.5, { float: true })
          .set("LTM2_2", 0.5, { float: true })
          .set("BINAXIS1", 2)
          .set("BINAXIS2", 2),
    },
  ]);
  return {
    raw,
    referenceDir: dir,
    references: Object.fromEntries(refs.map((r) => [r.filekind.toUpperCase(), r.path])),
    scene,
    cosmicRays: result.cosmicRays,
    badColumns: maps.badColumns,
    nx: SUB.nx,
    ny: SUB.ny,
    corner: [SUB.x0, SUB.y0],
  };
}

/** The bias structure less the line BLEVCORR fits to the prescan's row medians (BIASSECTA: columns 2–10). */
function afterPrescanLevel(bias: Float32Array, nx: number, ny: number): Float32Array {
  const levels = Array.from({ length: ny }, (_, y) => {
    const values = Array.from({ length: 9 }, (_, i) => bias[y * nx + 2 + i]).sort((p, q) => p - q);
    return values[4];
  });
  const my = (ny - 1) / 2;
  const ml = levels.reduce((a, v) => a + v, 0) / ny;
  let sxy = 0;
  let sxx = 0;
  levels.forEach((v, y) => {
    sxy += (y - my) * (v - ml);
    sxx += (y - my) ** 2;
  });
  return bias.map((v, k) => v - (ml + (sxy / sxx) * (Math.floor(k / nx) - my)));
}

/** BPIXTAB in unbinned science pixels (bad binned column x → unbinned 2x), CCDTAB and OSCNTAB rows for bin 2. */
function binnedTables(
  c: { model: ReturnType<typeof detectorModel>; seed: number; dir: string },
  badColumns: number[],
  amps: ChipLayout["amps"],
): ReferenceFile[] {
  const bpx = ref(c, "bpixtab");
  const runs = badColumns.map((x) => ({
    ccdchip: 2,
    pix1: 2 * x + 1,
    pix2: 1,
    length: 2 * REGION[1],
    axis: 2 as const,
    value: 4,
  }));
  const primary = referencePrimary(c.model, "BAD PIXELS", "Synthetic bad columns", new Header());
  writeBpixtab(bpx.path, primary, runs, [2 * REGION[0], 2 * REGION[1]]);

  const ccd = ref(c, "ccdtab");
  const row: Record<string, string | number> = {
    CCDAMP: "C",
    CCDCHIP: 2,
    CCDGAIN: c.model.ccdgain,
    BINAXIS1: 2,
    BINAXIS2: 2,
  };
  const amp = (name: string) => amps.find((a) => a.amp === name)!;
  for (const a of "ABCD") row[`CCDOFST${a}`] = 3;
  for (const a of "ABCD") row[`CCDBIAS${a}`] = amp(a).bias;
  for (const a of "ABCD") row[`ATODGN${a}`] = amp(a).gain;
  for (const a of "ABCD") row[`READNSE${a}`] = amp(a).readNoise;
  // One amp reads the whole line: AMPX past any image, as in real CCDTABs and as calwf3.e needs.
  Object.assign(row, { AMPX: 4096, AMPY: 0, SATURATE: Math.floor(c.model.fullWell / amp("C").gain) });
  const ints = new Set(["CCDCHIP", "BINAXIS1", "BINAXIS2", "AMPX", "AMPY", ...[..."ABCD"].map((a) => `CCDOFST${a}`)]);
  writeTableFile(
    ccd.path,
    referencePrimary(c.model, "CCD PARAMETERS", "Synthetic binned CCD parameters", new Header()),
    [{ columns: columnsOf([row], ints) }],
  );

  const osc = ref(c, "oscntab");
  const o: Record<string, string | number> = { CCDAMP: "C", CCDCHIP: 2, BINX: 2, BINY: 2, NX: 2072, NY: 1026 };
  Object.assign(o, { TRIMX1: PRESCAN, TRIMX2: PRESCAN, TRIMX3: 0, TRIMX4: 0, TRIMY1: 0, TRIMY2: 0 });
  for (const k of ["VX1", "VX2", "VY1", "VY2", "VX3", "VX4", "VY3", "VY4"]) o[k] = 0;
  Object.assign(o, { BIASSECTA1: 3, BIASSECTA2: 11, BIASSECTB1: 2062, BIASSECTB2: 2070 });
  Object.assign(o, { BIASSECTC1: 0, BIASSECTC2: 0, BIASSECTD1: 0, BIASSECTD2: 0 });
  writeTableFile(osc.path, referencePrimary(c.model, "OVERSCAN REGIONS", "Synthetic binned overscan", new Header()), [
    { columns: columnsOf([o], new Set(Object.keys(o).filter((k) => k !== "CCDAMP"))) },
  ]);
  return [bpx, ccd, osc];
}
