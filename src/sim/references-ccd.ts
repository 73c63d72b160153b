/**
 * Synthetic references for the CCDs (ACS WFC/HRC, WFC3 UVIS, STIS CCD), built from the same maps that
 * exposed the raws: BIASFILE (DN; untrimmed, trimmed for STIS), DARKFILE (e-/s), PFLTFILE, SATUFILE
 * (ACS, e), SNKCFILE (WFC3, wfc3-sinks.ts), BPIXTAB, CCDTAB, OSCNTAB, CRREJTAB, IMPHTTAB.
 */
import { Header } from "../fits/index.js";
import { type ChipLayout, type DetectorModel, detectorModel, rawOffsets, scienceOffsets } from "./detectors.js";
import { HOT_PIXEL_THRESHOLD } from "./maps.js";
import type { ReferenceContext } from "./reference-context.js";
import {
  columnsOf,
  type ImsetPart,
  type ReferenceFile,
  referenceName,
  referencePath,
  referencePrimary,
  writeBpixtab,
  writeImsetFile,
  writeTableFile,
} from "./reference-files.js";
import { stisBiasAfterBlev } from "./stis-bias.js";
import { writeSinkMap } from "./wfc3-sinks.js";

export type { ReferenceContext };

export const chipHeader = (chip: ChipLayout, trimmed: boolean, bunit: string) => {
  const { ltv1, ltv2 } = trimmed ? scienceOffsets(chip) : rawOffsets(chip);
  return new Header()
    .set("CCDCHIP", chip.ccdchip, { comment: "CCD chip" })
    .set("BUNIT", bunit, { comment: "brightness units" })
    .set("LTV1", ltv1, { float: true })
    .set("LTV2", ltv2, { float: true })
    .set("LTM1_1", 1, { float: true })
    .set("LTM2_2", 1, { float: true });
};

export function ref(c: { model: DetectorModel; seed: number; dir: string }, filekind: string): ReferenceFile {
  const name = referenceName(c.model, c.seed, filekind);
  return { filekind, name, path: referencePath(c.dir, name) };
}

const matchKeys = (m: DetectorModel) =>
  new Header().set("CCDAMP", m.ccdamp).set("CCDGAIN", m.ccdgain, { float: m.instrument !== "STIS" });

const WRITERS: Record<string, (c: ReferenceContext) => ReferenceFile> = {
  biasfile: bias,
  darkfile: dark,
  pfltfile: flat,
  bpixtab,
  ccdtab,
  crrejtab,
  oscntab,
  imphttab,
  satufile,
  snkcfile: writeSinkMap,
};

/** Writes the references of the given types (default: every type the detector's calibration uses). */
export function writeCcdReferences(c: ReferenceContext, filekinds = ccdFilekinds(c.model)): ReferenceFile[] {
  return filekinds.map((filekind) => WRITERS[filekind](c));
}

function ccdFilekinds(m: DetectorModel): string[] {
  const kinds = ["biasfile", "darkfile", "pfltfile", "bpixtab", "ccdtab", "crrejtab"];
  kinds.push(...(m.instrument === "STIS" ? ["imphttab"] : ["oscntab", "imphttab"]));
  if (m.instrument === "ACS") kinds.push("satufile");
  if (m.instrument === "WFC3") kinds.push("snkcfile");
  return kinds;
}

function bias(c: ReferenceContext): ReferenceFile {
  const m = c.model;
  const trimmed = m.instrument === "STIS";
  const r = ref(c, "biasfile");
  const parts: ImsetPart[] = c.maps.map((map) => {
    const { chip } = map;
    const sci = trimmed
      ? stisBiasAfterBlev(chip, map.bias)
      : m.detector === "UVIS"
        ? afterBiasLevel(chip, map.bias)
        : map.bias;
    const axes = trimmed ? [chip.sciNx, chip.sciNy] : [chip.rawNx, chip.rawNy];
    return { header: chipHeader(chip, trimmed, "COUNTS"), sci, axes, err: 0.05, dq: 0 };
  });
  const keys = matchKeys(m).set("NAXIS1", c.maps[0].chip.rawNx).set("NAXIS2", c.maps[0].chip.rawNy);
  writeImsetFile(r.path, referencePrimary(m, "BIAS", `Synthetic bias (DN) for ${m.detector}`, keys), parts);
  return r;
}

/**
 * WFC3/UVIS subtracts the bias level (BLEVCORR) before the bias image (calibration.md §4), so its
 * BIASFILE holds the structure left after that: per amp, the straight line fitted to the row medians of
 * the amp's serial virtual overscan (the columns of OSCNTAB BIASSECTC/D below) is taken off.
 */
function afterBiasLevel(chip: ChipLayout, raw: Float32Array): Float32Array {
  const out = Float32Array.from(raw);
  const left = chip.amps[0];
  const middleStart = left.sciRawX0 + left.sciWidth;
  chip.amps.forEach((a, k) => {
    const first = middleStart + (k === 0 ? 4 : 34);
    const rows = Array.from({ length: chip.sciNy }, (_, j) => j + chip.sciRawY0);
    const levels = rows.map((y) => {
      const values = Array.from({ length: 23 }, (_, i) => raw[y * chip.rawNx + first + i]).sort((p, q) => p - q);
      return values[11];
    });
    const n = rows.length;
    const my = rows.reduce((sum, y) => sum + y, 0) / n;
    const ml = levels.reduce((sum, v) => sum + v, 0) / n;
    let sxy = 0;
    let sxx = 0;
    rows.forEach((y, j) => {
      sxy += (y - my) * (levels[j] - ml);
      sxx += (y - my) ** 2;
    });
    const slope = sxy / sxx;
    for (let y = 0; y < chip.rawNy; y++) {
      const level = ml + slope * (y - my);
      for (let x = a.rawX0; x < a.rawX1; x++) out[y * chip.rawNx + x] -= level;
    }
  });
  return out;
}

function dark(c: ReferenceContext): ReferenceFile {
  const m = c.model;
  const r = ref(c, "darkfile");
  const parts: ImsetPart[] = c.maps.map((map) => {
    const dq = new Int16Array(map.dark.length);
    for (const p of map.hotPixels) if (p.rate > HOT_PIXEL_THRESHOLD) dq[p.y * map.chip.sciNx + p.x] = 16;
    const axes = [map.chip.sciNx, map.chip.sciNy];
    return { header: chipHeader(map.chip, true, "ELECTRONS/S"), sci: map.dark, axes, err: 0.001, dq };
  });
  const keys = matchKeys(m);
  writeImsetFile(r.path, referencePrimary(m, "DARK", `Synthetic dark (e-/s) for ${m.detector}`, keys), parts);
  return r;
}

function flat(c: ReferenceContext): ReferenceFile {
  const m = c.model;
  const r = ref(c, "pfltfile");
  const parts: ImsetPart[] = c.maps.map((map) => ({
    header: chipHeader(map.chip, true, "UNITLESS"),
    sci: map.flat,
    axes: [map.chip.sciNx, map.chip.sciNy],
    err: 0.002,
    dq: 0,
  }));
  const keys = new Header().set("CCDAMP", m.ccdamp);
  for (const [k, v] of Object.entries(c.spectralElements)) keys.set(k, v);
  writeImsetFile(r.path, referencePrimary(m, "PIXEL-TO-PIXEL FLAT", `Synthetic flat for ${m.detector}`, keys), parts);
  return r;
}

/**
 * The full well (e-) of each raw chip. A subarray gets its whole chip, as the archive's SATUFILE is: calacs.e
 * 10.5.0 overlays a SATUFILE of the subarray's own size from the subarray's corner on the chip (dofwsat.c's
 * full-frame branch), past the end of the image for any subarray but the WFC2C corner, which corrupts its SCI.
 */
function satufile(c: ReferenceContext): ReferenceFile {
  const m = c.model;
  const r = ref(c, "satufile");
  const wholeChip = (chip: ChipLayout) =>
    chip.origin === undefined
      ? chip
      : detectorModel(m.instrument, m.detector).chips.find((full) => full.ccdchip === chip.ccdchip)!;
  const parts: ImsetPart[] = c.maps
    .map((map) => wholeChip(map.chip))
    .map((chip) => ({
      header: chipHeader(chip, false, "ELECTRONS"),
      sci: new Float32Array(chip.rawNx * chip.rawNy).fill(m.fullWell - 500),
      axes: [chip.rawNx, chip.rawNy],
      err: 0,
      dq: 0,
    }));
  writeImsetFile(r.path, referencePrimary(m, "FULL-WELL SATURATION", "Synthetic full well (e-)", new Header()), parts);
  return r;
}

function bpixtab(c: ReferenceContext): ReferenceFile {
  const m = c.model;
  const r = ref(c, "bpixtab");
  const runs = c.maps.flatMap((map) =>
    map.badColumns.map((x) => ({
      ccdchip: map.chip.ccdchip,
      pix1: x + 1,
      pix2: 1,
      length: map.chip.sciNy,
      axis: 2 as const,
      value: 4,
    })),
  );
  const chip = c.maps[0].chip;
  writeBpixtab(r.path, referencePrimary(m, "BAD PIXELS", "Synthetic bad columns", new Header()), runs, [
    chip.sciNx,
    chip.sciNy,
  ]);
  return r;
}

function ccdtab(c: ReferenceContext): ReferenceFile {
  const m = c.model;
  const r = ref(c, "ccdtab");
  const primary = referencePrimary(m, "CCD PARAMETERS", "Synthetic CCD parameters", new Header());
  if (m.instrument === "STIS") {
    const a = c.maps[0].chip.amps[0];
    const rows = [
      {
        CCDAMP: m.ccdamp,
        CCDGAIN: m.ccdgain,
        BINAXIS1: 1,
        BINAXIS2: 1,
        CCDOFFST: 3,
        ATODGAIN: a.gain,
        CCDBIAS: a.bias,
        READNSE: a.readNoise / a.gain,
        SATURATE: m.atodsat,
      },
    ];
    const ints = new Set(["CCDGAIN", "BINAXIS1", "BINAXIS2", "CCDOFFST"]);
    writeTableFile(r.path, primary, [{ columns: columnsOf(rows, ints) }]);
    return r;
  }
  const rows = c.maps.map(({ chip }) => {
    const row: Record<string, string | number> = {
      CCDAMP: m.ccdamp,
      CCDCHIP: chip.ccdchip,
      CCDGAIN: m.ccdgain,
      BINAXIS1: 1,
      BINAXIS2: 1,
    };
    // WFC3 CCDTAB rows list all four amps (calwf3's FLATCORR gain is their mean): UVIS takes the other
    // chip's amps, IR reads four quadrants with the electronics the simulator gives amp A (ir.ts).
    // ACS and STIS rows list only the amps of the chip.
    const allAmps = c.maps.flatMap((mp) => mp.chip.amps);
    const perAmp = (key: string, pick: (a: ChipLayout["amps"][number]) => number, fallback = 0) => {
      for (const amp of "ABCD") {
        const own = chip.amps.find((x) => x.amp === amp);
        const wfc3 = m.detector === "IR" ? chip.amps[0] : allAmps.find((x) => x.amp === amp);
        const a = own ?? (m.instrument === "WFC3" ? wfc3 : undefined);
        row[`${key}${amp}`] = a ? pick(a) : fallback;
      }
    };
    // IR headers carry no CCDOFST; calwf3 needs a CCDTAB row with 0 there (calibration.md Appendix).
    for (const amp of "ABCD") row[`CCDOFST${amp}`] = m.detector === "IR" ? 0 : 3;
    perAmp("CCDBIAS", (a) => a.bias);
    perAmp("ATODGN", (a) => a.gain);
    perAmp("READNSE", (a) => a.readNoise);
    // One WFC amp: calacs.e's slots put a chip's left amp (C, A) before AMPX, clamped to the image width.
    const leftWfcAmp = m.detector === "WFC" && chip.amps.length === 1 && "AC".includes(chip.amps[0].amp);
    row.AMPX = chip.amps.length > 1 ? chip.amps[1].sciX0 : leftWfcAmp ? 2048 : 0;
    row.AMPY = m.detector === "IR" ? chip.sciNy / 2 : 0;
    if (m.instrument === "ACS") row.ATODSAT = m.atodsat;
    row.SATURATE = Math.floor(m.fullWell / chip.amps[0].gain);
    if (m.instrument === "ACS") {
      row.OVRHFLS = 0;
      row.OVRHUFLS = 0;
    }
    return row;
  });
  const ints = new Set(["CCDCHIP", "BINAXIS1", "BINAXIS2", "AMPX", "AMPY", "ATODSAT"]);
  for (const amp of "ABCD") ints.add(`CCDOFST${amp}`);
  writeTableFile(r.path, primary, [{ columns: columnsOf(rows, ints) }]);
  return r;
}

/** OSCNTAB rows (1-based columns) matching the layouts in detectors.ts. */
function oscntab(c: ReferenceContext): ReferenceFile {
  const m = c.model;
  const r = ref(c, "oscntab");
  const rows = c.maps.map(({ chip }) => {
    const top = chip.rawNy - chip.sciNy - chip.sciRawY0;
    const vy = top > 0 ? [chip.rawNy - top + 3, chip.rawNy - 2] : [3, chip.sciRawY0 - 2];
    const left = chip.amps[0];
    const prescan = left.sciRawX0;
    // An amp-corner subarray has the prescan on the amp's side only and no virtual overscan (acs-subarray.ts).
    const last = chip.amps[chip.amps.length - 1];
    const rightPrescan = chip.rawNx - last.sciRawX0 - last.sciWidth;
    const virtual = chip.rawNy > chip.sciNy;
    const row: Record<string, string | number> = {
      CCDAMP: m.ccdamp,
      CCDCHIP: chip.ccdchip,
      BINX: 1,
      BINY: 1,
      NX: chip.rawNx,
      NY: chip.rawNy,
      TRIMX1: prescan,
      TRIMX2: rightPrescan,
    };
    if (m.instrument === "WFC3") {
      const middle = chip.amps.length > 1 ? (chip.amps[1].sciRawX0 - left.sciRawX0 - left.sciWidth) / 2 : 0;
      row.TRIMX3 = middle;
      row.TRIMX4 = middle;
    }
    row.TRIMY1 = chip.sciRawY0;
    row.TRIMY2 = top;
    row.VX1 = virtual ? prescan + 6 : 0;
    row.VX2 = virtual ? prescan + Math.min(2000, chip.sciNx - 12) : 0;
    row.VY1 = virtual ? vy[0] : 0;
    row.VY2 = virtual ? vy[1] : 0;
    if (m.instrument === "WFC3") {
      row.VX3 = chip.rawNx - prescan - Math.min(2000, chip.sciNx - 12);
      row.VX4 = chip.rawNx - prescan - 6;
      row.VY3 = vy[0];
      row.VY4 = vy[1];
    }
    row.BIASSECTA1 = prescan > 0 ? 4 : 0;
    row.BIASSECTA2 = prescan > 0 ? prescan - 2 : 0;
    row.BIASSECTB1 = rightPrescan > 0 ? chip.rawNx - rightPrescan + 3 : 0;
    row.BIASSECTB2 = rightPrescan > 0 ? chip.rawNx - 1 : 0;
    if (m.instrument === "WFC3") {
      const middleStart = left.sciRawX0 + left.sciWidth;
      row.BIASSECTC1 = middleStart + 5;
      row.BIASSECTC2 = middleStart + 27;
      row.BIASSECTD1 = middleStart + 35;
      row.BIASSECTD2 = middleStart + 57;
    }
    return row;
  });
  const ints = new Set(Object.keys(rows[0]).filter((k) => k !== "CCDAMP"));
  const primary = referencePrimary(m, "OVERSCAN REGIONS", "Synthetic overscan regions", new Header());
  writeTableFile(r.path, primary, [{ columns: columnsOf(rows, ints) }]);
  return r;
}

function crrejtab(c: ReferenceContext): ReferenceFile {
  const m = c.model;
  const r = ref(c, "crrejtab");
  const rows = Array.from({ length: 8 }, (_, i) => {
    const row: Record<string, string | number | boolean> = {
      CRSPLIT: i + 1,
      MEANEXP: 100000,
      SCALENSE: c.crrejScaleNoise ?? 30,
      INITGUES: "minimum",
      SKYSUB: "mode",
      CRSIGMAS: m.detector === "IR" ? "4" : "6,5,4",
      CRRADIUS: 2.1,
      CRTHRESH: 0.5555,
      BADINPDQ: 39,
      CRMASK: true,
    };
    if (m.instrument === "WFC3") row.IRRAMP = m.detector === "IR" && i === 0;
    return row;
  });
  const columns = columnsOf(rows, new Set(["CRSPLIT"]));
  const badinpdq = columns.findIndex((col) => col.name === "BADINPDQ");
  columns[badinpdq] = { name: "BADINPDQ", data: Int16Array.from(rows.map(() => 39)) };
  const primary = referencePrimary(m, "COSMIC RAY REJECTION", "Synthetic CR rejection parameters", new Header());
  writeTableFile(r.path, primary, [{ columns }]);
  return r;
}

/** Photometry for the one filter simulated, constant in time (an MJD axis with two equal values). */
function imphttab(c: ReferenceContext): ReferenceFile {
  const m = c.model;
  const r = ref(c, "imphttab");
  const filter = Object.values(c.spectralElements).find((f) => !f.startsWith("CLEAR")) ?? "CLEAR";
  const detectors =
    m.instrument === "ACS"
      ? [m.detector === "WFC" ? "wfc1" : m.detector.toLowerCase()]
      : m.detector === "UVIS"
        ? ["uvis1", "uvis2"]
        : [m.detector.toLowerCase()];
  const values: Record<string, number> = { PHOTFLAM: 7.8e-20, PHOTPLAM: 5921.9, PHOTBW: 672.3 };
  const names =
    m.detector === "UVIS" ? ["PHOTFLAM", "PHOTPLAM", "PHOTBW", "PHTFLAM1", "PHTFLAM2"] : Object.keys(values);
  const tables = names.map((name) => {
    const value = values[name] ?? values.PHOTFLAM;
    // STIS: PHOTMODE without its A2D element (cs1 dophot.c), e.g. stis,50ccd,mirror,ccd or stis,25mama,mirror,nuvmama.
    const modes =
      m.instrument === "STIS"
        ? [`stis,${c.aperture.toLowerCase()},mirror,${m.detector.replace("-", "").toLowerCase()}`]
        : detectors.map((d) => `${m.instrument.toLowerCase()},${d},${filter.toLowerCase()}`);
    return {
      extname: name,
      columns: [
        { name: "OBSMODE", data: [...modes, ...modes.map((s) => `${s},mjd#`)] },
        { name: "DATACOL", data: [...modes.map(() => name), ...modes.map(() => `${name}1`)] },
        { name, data: Float64Array.from([...modes, ...modes].map(() => value)) },
        { name: "PEDIGREE", data: [...modes, ...modes].map(() => "MODEL") },
        { name: "DESCRIP", data: [...modes, ...modes].map(() => "synthetic photometry") },
        { name: "NELEM1", data: Int32Array.from([...modes.map(() => 0), ...modes.map(() => 2)]) },
        { name: "PAR1NAMES", data: [...modes.map(() => ""), ...modes.map(() => "MJD#")] },
        {
          name: "PAR1VALUES",
          data: Float64Array.from([...modes, ...modes].flatMap(() => [50000, 70000])),
          format: "2D",
        },
        { name: `${name}1`, data: Float64Array.from([...modes, ...modes].flatMap(() => [value, value])), format: "2D" },
      ],
    };
  });
  const keys = new Header()
    .set("PARNUM", 1, { comment: "number of parameterized variables" })
    .set("PHOTZPT", -21.1, { comment: "ST magnitude zero point" })
    .set("EXTRAP", true, { comment: "extrapolate MJD linearly" })
    // hstcal's GetPhotTab reads NEXTEND (without checking it is there) for how many extensions to compute.
    .set("NEXTEND", tables.length, { comment: "number of extensions" });
  writeTableFile(r.path, referencePrimary(m, "IMAGE PHOTOMETRY TABLE", "Synthetic photometry", keys), tables);
  return r;
}
