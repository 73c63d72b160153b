/**
 * COS FUV reference tables in their real formats, as calcos 3.4 reads them (FILETYPE strings from calcos'
 * `missingRefFiles`, columns and selection keys from its `getTable` calls): BRFTAB (active area and stim
 * positions per segment), HVTAB (one extension per segment: DATE, HVLEVELA/HVLEVELB), GSAGTAB (gain-sagged
 * regions, one extension per segment and high voltage), BPIXTAB, PHATAB (LLT/ULT per segment and OPT_ELEM),
 * DEADTAB (per segment) and FLATFILE (one image per segment, placed by ORIGIN_X/ORIGIN_Y).
 */
import { join } from "node:path";
import { FitsWriter, Header } from "../fits/index.js";
import { FUV_SEGMENTS, type FuvSegment } from "./cos-fuv-layout.js";
import { writeFuvSpectroTables } from "./cos-fuv-spectro.js";
import { cosReferenceName, cosReferencePrimary } from "./cos-references.js";
import type { Random } from "./random.js";

export { FUV_SEGMENTS, type FuvSegment, SPECTRUM_ROWS } from "./cos-fuv-layout.js";

export const FUV_X = 16384;
export const FUV_Y = 1024;

/** The active area of each segment (BRFTAB A_LOW … A_RIGHT), detector pixels. */
export const ACTIVE_AREA: Record<FuvSegment, { low: number; high: number; left: number; right: number }> = {
  FUVA: { low: 380, high: 680, left: 1200, right: 15100 },
  FUVB: { low: 420, high: 720, left: 1000, right: 15000 },
};
/** Stim pulse positions (BRFTAB SX1, SY1, SX2, SY2): outside the active area, near its corners. */
export const STIMS: Record<FuvSegment, [number, number, number, number]> = {
  FUVA: [360.5, 950.5, 15980.5, 60.5],
  FUVB: [380.5, 990.5, 15960.5, 100.5],
};
/** The commanded high voltage of the exposure (HVTAB) and the gain-sag table's extensions. */
export const HV_LEVEL: Record<FuvSegment, number> = { FUVA: 167, FUVB: 163 };
export const PHA_LIMITS = { llt: 3, ult: 23 };
/** Rows covered by the flat (ORIGIN_Y and height); columns cover the whole segment. */
export const FLAT_ROWS = { origin: 360, height: 360 };

const referencePrimary = (filetype: string, descrip: string) => cosReferencePrimary("FUV", filetype, descrip);

type Columns = Parameters<FitsWriter["writeTable"]>[1];

function writeFile(path: string, primary: Header, body: (writer: FitsWriter) => void): void {
  const writer = new FitsWriter(path);
  try {
    writer.writeImage(primary);
    body(writer);
    writer.close();
  } catch (e) {
    writer.abort();
    throw e;
  }
}

const rowsOf = (columns: Columns) => (columns[0].data as { length: number }).length;
const table = (writer: FitsWriter, keys: Header, columns: Columns) => writer.writeTable(keys, columns, rowsOf(columns));
const strings = <T>(rows: T[], f: (r: T) => string) => rows.map(f);
const shorts = <T>(rows: T[], f: (r: T) => number) => Int16Array.from(rows, f);

export interface BadRegion {
  segment: FuvSegment;
  lx: number;
  ly: number;
  dx: number;
  dy: number;
  dq: number;
}

/** BPIXTAB regions: a dead column run, a hot spot on the spectrum, a wrinkle across the active area. */
export const BAD_REGIONS: BadRegion[] = [
  { segment: "FUVA", lx: 3000, ly: 470, dx: 40, dy: 30, dq: 4 },
  { segment: "FUVA", lx: 9000, ly: 380, dx: 6, dy: 300, dq: 2 },
  { segment: "FUVB", lx: 5000, ly: 540, dx: 200, dy: 15, dq: 16 },
  { segment: "FUVB", lx: 12000, ly: 420, dx: 30, dy: 300, dq: 32 },
];
/** GSAGTAB regions (DQ 8192, gain sag) for the exposure's voltages, dated before it; one after it. */
export const GAIN_SAG: (BadRegion & { date: number })[] = [
  { segment: "FUVA", lx: 6000, ly: 485, dx: 80, dy: 10, dq: 8192, date: 55000 },
  { segment: "FUVA", lx: 11000, ly: 495, dx: 50, dy: 8, dq: 8192, date: 56000 },
  { segment: "FUVB", lx: 7000, ly: 545, dx: 120, dy: 12, dq: 8192, date: 55100 },
];

/** BADTTAB intervals (MJD): one inside segment A's first GTI, one across segment B's GTI gap, one long before. */
export const FUV_EXPSTART = 55400.25;
const mjd = (seconds: number) => FUV_EXPSTART + seconds / 86400;
export const BAD_TIMES: { segment: FuvSegment; start: number; stop: number }[] = [
  { segment: "FUVA", start: mjd(40.25), stop: mjd(55.5) },
  { segment: "FUVB", start: mjd(120), stop: mjd(171.75) },
  { segment: "FUVA", start: 55300, stop: 55300.01 },
];

/** The walk images' models (pixels): lower pulse heights land further along X and lower in Y. */
export const xWalk = (s: FuvSegment, pha: number, x: number) =>
  (s === "FUVA" ? 0.06 : 0.05) * (pha - 12) * (1 + 0.2 * Math.sin(x / 2500));
export const yWalk = (s: FuvSegment, pha: number, x: number) =>
  (s === "FUVA" ? -0.09 : -0.08) * (pha - 12) + 0.01 * Math.cos(x / 4000);

export function writeCosFuvReferences(dir: string, seed: number, random: Random): Record<string, string> {
  const name = (suffix: string) => cosReferenceName(seed + 7919, `fuv${suffix}`).replace("_fuv", "_");
  const names = {
    BRFTAB: name("brf"),
    HVTAB: name("hv"),
    GSAGTAB: name("gsag"),
    BPIXTAB: name("bpix"),
    PHATAB: name("pha"),
    DEADTAB: name("dead"),
    FLATFILE: name("flat"),
    BADTTAB: name("badt"),
    XWLKFILE: name("xwalk"),
    YWLKFILE: name("ywalk"),
    XTRACTAB: name("1dx"),
    DISPTAB: name("disp"),
  };
  const segs = [...FUV_SEGMENTS];
  writeFile(join(dir, names.BRFTAB), referencePrimary("BASELINE REFERENCE FRAME TABLE", "synthetic FUV BRF"), (w) =>
    table(w, new Header().set("EXTNAME", "BRFTAB").set("TIMESTEP", 50.0, { comment: "seconds per stim fit" }), [
      { name: "SEGMENT", format: "4A", data: segs },
      { name: "SX1", format: "1D", data: Float64Array.from(segs, (s) => STIMS[s][0]) },
      { name: "SY1", format: "1D", data: Float64Array.from(segs, (s) => STIMS[s][1]) },
      { name: "SX2", format: "1D", data: Float64Array.from(segs, (s) => STIMS[s][2]) },
      { name: "SY2", format: "1D", data: Float64Array.from(segs, (s) => STIMS[s][3]) },
      { name: "XWIDTH", format: "1J", data: Int32Array.from(segs, () => 15) },
      { name: "YWIDTH", format: "1J", data: Int32Array.from(segs, () => 15) },
      { name: "A_LEFT", format: "1J", data: Int32Array.from(segs, (s) => ACTIVE_AREA[s].left) },
      { name: "A_RIGHT", format: "1J", data: Int32Array.from(segs, (s) => ACTIVE_AREA[s].right) },
      { name: "A_LOW", format: "1J", data: Int32Array.from(segs, (s) => ACTIVE_AREA[s].low) },
      { name: "A_HIGH", format: "1J", data: Int32Array.from(segs, (s) => ACTIVE_AREA[s].high) },
      { name: "B_LEFT", format: "1J", data: Int32Array.from(segs, (s) => ACTIVE_AREA[s].left) },
      { name: "B_RIGHT", format: "1J", data: Int32Array.from(segs, (s) => ACTIVE_AREA[s].right) },
      { name: "B_LOW", format: "1J", data: Int32Array.from(segs, (s) => ACTIVE_AREA[s].low) },
      { name: "B_HIGH", format: "1J", data: Int32Array.from(segs, (s) => ACTIVE_AREA[s].high) },
    ]),
  );
  writeFile(join(dir, names.HVTAB), referencePrimary("FUV HIGH VOLTAGE HISTORY", "synthetic FUV HV"), (w) => {
    for (const s of segs) {
      const key = `HVLEVEL${s.slice(-1)}`;
      table(w, new Header().set("EXTNAME", s).set("EXTVER", 1), [
        { name: "DATE", format: "1D", unit: "MJD", data: Float64Array.from([54900, 55300]) },
        { name: key, format: "1J", data: Int32Array.from([HV_LEVEL[s] + 6, HV_LEVEL[s]]) },
      ]);
    }
  });
  writeFile(join(dir, names.GSAGTAB), referencePrimary("GAIN SAG REFERENCE TABLE", "synthetic FUV gain sag"), (w) => {
    for (const s of segs) {
      for (const hv of [HV_LEVEL[s] - 4, HV_LEVEL[s], HV_LEVEL[s] + 4]) {
        const rows = GAIN_SAG.filter((r) => r.segment === s && hv === HV_LEVEL[s]);
        // an extension for another voltage holds a region that must not be used
        const used = rows.length > 0 ? rows : [{ lx: 100 + hv, ly: 500, dx: 10, dy: 10, dq: 8192, date: 54000 }];
        const keys = new Header()
          .set("EXTNAME", "GSAG")
          .set("SEGMENT", s)
          .set(`HVLEVEL${s.slice(-1)}`, hv);
        table(w, keys, [
          { name: "DATE", format: "1D", unit: "MJD", data: Float64Array.from(used, (r) => r.date) },
          { name: "LX", format: "1I", data: shorts(used, (r) => r.lx) },
          { name: "LY", format: "1I", data: shorts(used, (r) => r.ly) },
          { name: "DX", format: "1I", data: shorts(used, (r) => r.dx) },
          { name: "DY", format: "1I", data: shorts(used, (r) => r.dy) },
          { name: "DQ", format: "1I", data: shorts(used, (r) => r.dq) },
        ]);
      }
    }
  });
  writeFile(join(dir, names.BPIXTAB), referencePrimary("DATA QUALITY INITIALIZATION TABLE", "synthetic FUV"), (w) =>
    table(w, new Header().set("EXTNAME", "BPIXTAB"), [
      { name: "SEGMENT", format: "4A", data: strings(BAD_REGIONS, (r) => r.segment) },
      { name: "LX", format: "1I", data: shorts(BAD_REGIONS, (r) => r.lx) },
      { name: "LY", format: "1I", data: shorts(BAD_REGIONS, (r) => r.ly) },
      { name: "DX", format: "1I", data: shorts(BAD_REGIONS, (r) => r.dx) },
      { name: "DY", format: "1I", data: shorts(BAD_REGIONS, (r) => r.dy) },
      { name: "DQ", format: "1I", data: shorts(BAD_REGIONS, (r) => r.dq) },
    ]),
  );
  writeFile(join(dir, names.PHATAB), referencePrimary("PULSE HEIGHT PARAMETERS REFERENCE TABLE", "synthetic"), (w) =>
    table(w, new Header().set("EXTNAME", "PHATAB"), [
      { name: "SEGMENT", format: "4A", data: segs },
      { name: "OPT_ELEM", format: "8A", data: segs.map(() => "G130M") },
      { name: "LLT", format: "1J", data: Int32Array.from(segs, () => PHA_LIMITS.llt) },
      { name: "ULT", format: "1J", data: Int32Array.from(segs, () => PHA_LIMITS.ult) },
    ]),
  );
  const rates = [0, 10000, 20000, 40000, 80000, 160000];
  writeFile(join(dir, names.DEADTAB), referencePrimary("DEADTIME REFERENCE TABLE", "synthetic FUV livetime"), (w) =>
    table(w, new Header().set("EXTNAME", "DEADTAB").set("TIMESTEP", 10.0, { comment: "seconds per interval" }), [
      { name: "SEGMENT", format: "4A", data: segs.flatMap((s) => rates.map(() => s)) },
      { name: "OBS_RATE", format: "1E", unit: "count /s", data: Float32Array.from(segs.flatMap(() => rates)) },
      {
        name: "LIVETIME",
        format: "1E",
        data: Float32Array.from(segs.flatMap((s) => rates.map((r) => 1 / (1 + r * (s === "FUVA" ? 7e-6 : 8e-6))))),
      },
    ]),
  );
  writeFile(join(dir, names.FLATFILE), referencePrimary("FLAT FIELD REFERENCE IMAGE", "synthetic FUV flat"), (w) => {
    for (const s of segs) {
      const { origin, height } = FLAT_ROWS;
      const flat = new Float32Array(FUV_X * height);
      for (let p = 0; p < flat.length; p++) {
        flat[p] = 1 + 0.04 * ((p % FUV_X) / FUV_X - 0.5) + 0.03 * (random.uniform() - 0.5);
      }
      for (let x = 4000; x < 4008; x++) flat[(500 - origin) * FUV_X + x] = 0;
      const h = new Header().set("EXTNAME", s).set("EXTVER", 1).set("ORIGIN_X", 0).set("ORIGIN_Y", origin);
      w.writeImage(h, flat, [FUV_X, height]);
    }
  });
  writeFile(join(dir, names.BADTTAB), referencePrimary("BAD TIME INTERVALS TABLE", "synthetic FUV"), (w) =>
    table(w, new Header().set("EXTNAME", "BADTTAB"), [
      { name: "SEGMENT", format: "4A", data: BAD_TIMES.map((b) => b.segment) },
      { name: "START", format: "1D", unit: "MJD", data: Float64Array.from(BAD_TIMES, (b) => b.start) },
      { name: "STOP", format: "1D", unit: "MJD", data: Float64Array.from(BAD_TIMES, (b) => b.stop) },
    ]),
  );
  for (const [key, filetype, walk] of [
    ["XWLKFILE", "X WALK CORRECTION LOOKUP REFERENCE IMAGE", xWalk],
    ["YWLKFILE", "Y WALK CORRECTION LOOKUP REFERENCE IMAGE", yWalk],
  ] as const) {
    const primary = referencePrimary(filetype, "synthetic FUV walk vs PHA and X").set("VCALCOS", "3.1");
    writeFile(join(dir, names[key]), primary, (w) => {
      for (const s of segs) {
        const image = new Float32Array(32 * FUV_X);
        for (let pha = 0; pha < 32; pha++) for (let x = 0; x < FUV_X; x++) image[pha * FUV_X + x] = walk(s, pha, x);
        w.writeImage(new Header().set("EXTNAME", `${s}WALK`).set("SEGMENT", s), image, [FUV_X, 32]);
      }
    });
  }
  writeFuvSpectroTables(dir, names, referencePrimary);
  return names;
}
