/**
 * Pixel-based CTE in the simulator (ACS/WFC): the trap model the simulator trails its raws with, the PCTETAB
 * that describes it in the real format ("Par/Serial PixelCTE 2023": primary + QPROF/SCLBYCOL/RPROF/CPROF for the
 * parallel set, EXTVER 1, and a serial set per amp, EXTVER 2–5 for A–D) and a DRKCFILE. Trails are made by the
 * calibration's own forward model (calib/common/cte), parallel then serial, as the charge is clocked out.
 */
import { type CteSettings, forwardAmp } from "../calib/common/cte/amp.js";
import { acsWfcCorrections, acsWfcOrientation, extractAmp, insertAmp } from "../calib/common/cte/orientation.js";
import { type ColumnScaling, cteScaleFraction } from "../calib/common/cte/trap-map.js";
import type { CteAmp, CteIterations, TrapModel } from "../calib/common/cte/trap-model.js";
import { type ColumnSpec, FitsWriter, Header } from "../fits/index.js";
import { type ChipLayout, scienceOffsets } from "./detectors.js";
import { HOT_PIXEL_THRESHOLD } from "./maps.js";
import type { ReferenceContext } from "./reference-context.js";
import { type ReferenceFile, referencePrimary, writeImsetFile } from "./reference-files.js";
import { ref } from "./references-ccd.js";

/** ACS's installation and the 2023 model's pinning date (MJD), as in the archive's tables. */
export const ACS_CTEDATE0 = 52334.86;
export const ACS_CTEDATE1 = 57710.44601;
const TABLE_TRAPS = 9999;
const PROFILE_LENGTH = 100;
const SCALE_COLUMNS = 8192;
const UNUSED = 999999;

export interface SimCteSet {
  readonly model: TrapModel;
  readonly iterations: CteIterations;
  readonly scaling: ColumnScaling;
}

export interface SimCte {
  readonly parallel: SimCteSet;
  readonly serial: Record<CteAmp, SimCteSet>;
}

const ITERATIONS: CteIterations = {
  trailLength: 60,
  forwardIterations: 5,
  parallelTransfers: 7,
  fixReadoutCosmicRays: true,
  overSubtractionThreshold: -10,
};

/**
 * `traps` levels at 2 (w + 1)² e- (a bright pixel meets more traps than a faint one), each releasing its charge
 * over the trail with a time constant that grows with the level; column sensitivities rising along the column
 * with a slow ripple across columns, `strength` times.
 */
function cteSet(traps: number, strength: number): SimCteSet {
  const levels = new Float64Array(traps);
  const releaseProfile = new Float32Array(traps * PROFILE_LENGTH);
  const heldProfile = new Float32Array(traps * PROFILE_LENGTH);
  for (let w = 0; w < traps; w++) {
    levels[w] = 2 * (w + 1) ** 2;
    const tau = 3 + (10 * w) / traps;
    let total = 0;
    for (let t = 0; t < ITERATIONS.trailLength; t++) total += Math.exp(-t / tau);
    let held = 1;
    for (let t = 0; t < ITERATIONS.trailLength; t++) {
      const release = Math.fround(Math.exp(-t / tau) / total);
      releaseProfile[w * PROFILE_LENGTH + t] = release;
      held = Math.max(0, held - release);
      heldProfile[w * PROFILE_LENGTH + t] = held;
    }
  }
  const ripple = (z: number) => strength * (1 + 0.1 * Math.sin((2 * Math.PI * z) / 700));
  const columns = Int32Array.from({ length: SCALE_COLUMNS }, (_, z) => z);
  const at = (f: number) => Float64Array.from(columns, (z) => Math.fround(f * ripple(z)));
  return {
    model: {
      chargeLevels: levels,
      trapCharges: new Float64Array(traps).fill(1),
      trapCount: traps,
      releaseProfile,
      heldProfile,
      profileLength: PROFILE_LENGTH,
    },
    iterations: ITERATIONS,
    scaling: { columns, at512: at(0.8), at1024: at(0.9), at1536: at(1), at2048: at(1.1) },
  };
}

export function acsWfcCte(): SimCte {
  const serial = cteSet(12, 0.2);
  return { parallel: cteSet(40, 3), serial: { A: serial, B: serial, C: serial, D: serial } };
}

/** Where an amp's columns start in SCLBYCOL's IZ numbering (the 4 amps side by side, CDAB). */
function columnOffset(amp: ChipLayout["amps"][number]): number {
  return amp.sciX0 + (amp.amp === "A" || amp.amp === "B" ? 4096 : 0);
}

/**
 * Trails a chip's electrons (science coordinates) in place: each amp's parallel readout, then, after SM4, its
 * serial readout, with trap densities grown to `expstart` (MJD).
 */
export function trailChip(electrons: Float32Array, chip: ChipLayout, cte: SimCte, expstart: number): void {
  const fraction = cteScaleFraction(expstart, ACS_CTEDATE0, ACS_CTEDATE1, "simulated CTE");
  // The readout clocks the charge down the columns, then along the serial register: the corrections' reverse.
  const directions = acsWfcCorrections(expstart).reverse();
  for (const direction of directions) {
    for (const amp of chip.amps) {
      const name = amp.amp as CteAmp;
      const set = direction === "parallel" ? cte.parallel : cte.serial[name];
      const region = { chipWidth: chip.sciNx, x0: amp.sciX0, width: amp.sciWidth, height: chip.sciNy };
      const orientation = acsWfcOrientation(name, direction);
      const sci = extractAmp(electrons, region, orientation);
      const rows = orientation.transpose ? region.width : region.height;
      const settings: CteSettings = { ...set, columnOffset: columnOffset(amp), scaleFraction: fraction, readNoise: 0 };
      forwardAmp({ rows, columns: sci.length / rows, sci, err: new Float32Array(sci.length) }, settings);
      insertAmp(electrons, region, orientation, sci);
    }
  }
}

function setTables(writer: FitsWriter, set: SimCteSet, ver: number): void {
  const extension = (name: string) => new Header().set("EXTNAME", name).set("EXTVER", ver);
  const { model } = set;
  const qlev = new Int32Array(TABLE_TRAPS).fill(UNUSED);
  for (let w = 0; w < model.trapCount; w++) qlev[w] = model.chargeLevels[w];
  const qprof: ColumnSpec[] = [
    { name: "W", data: Int16Array.from({ length: TABLE_TRAPS }, (_, w) => w + 1) },
    { name: "QLEV_Q", data: qlev },
    { name: "DPDE_W", data: new Float32Array(TABLE_TRAPS).fill(1) },
    { name: "DESCRIP", data: new Array<string>(TABLE_TRAPS).fill("simulated trap") },
  ];
  const keys = extension("QPROF")
    .set("CTEDATE0", ACS_CTEDATE0, { comment: "Date of instrument installation" })
    .set("CTEDATE1", ACS_CTEDATE1, { comment: "Date of CTE model pinning" })
    .set("PCTETLEN", set.iterations.trailLength, { comment: "max length of CTE trail" })
    .set("PCTENFOR", set.iterations.forwardIterations, { comment: "Number of iter in forward model" })
    .set("PCTENPAR", set.iterations.parallelTransfers, { comment: "Number of iter in parallel transfer" });
  writer.writeTable(keys, qprof, TABLE_TRAPS);
  const s = set.scaling;
  const sclbycol: ColumnSpec[] = [
    { name: "IZ", data: Int16Array.from(s.columns) },
    { name: "SENS_0512", data: Float32Array.from(s.at512) },
    { name: "SENS_1024", data: Float32Array.from(s.at1024) },
    { name: "SENS_1536", data: Float32Array.from(s.at1536) },
    { name: "SENS_2048", data: Float32Array.from(s.at2048) },
    { name: "DESCRIP", data: new Array<string>(SCALE_COLUMNS).fill("simulated column") },
  ];
  writer.writeTable(extension("SCLBYCOL"), sclbycol, SCALE_COLUMNS);
  // NAXIS1 = trap (all 9999 table rows, as the archive's tables), NAXIS2 = transfer.
  for (const [name, profile] of [
    ["RPROF", model.releaseProfile],
    ["CPROF", model.heldProfile],
  ] as const) {
    const image = new Float32Array(TABLE_TRAPS * PROFILE_LENGTH);
    for (let w = 0; w < model.trapCount; w++) {
      for (let t = 0; t < PROFILE_LENGTH; t++) image[t * TABLE_TRAPS + w] = profile[w * PROFILE_LENGTH + t];
    }
    writer.writeImage(extension(name), image, [TABLE_TRAPS, PROFILE_LENGTH]);
  }
}

export function writeAcsPctetab(c: ReferenceContext, cte: SimCte): ReferenceFile {
  const r = ref(c, "pctetab");
  const keys = new Header()
    .set("CTE_NAME", "Par/Serial PixelCTE 2023", { comment: "CTE algorithm name" })
    .set("CTE_VER", "3.0", { comment: "CTE algorithm version" })
    .set("CTEDATE0", ACS_CTEDATE0, { comment: "Date of instrument installation" })
    .set("CTEDATE1", ACS_CTEDATE1, { comment: "Date of CTE model pinning" })
    .set("PCTETLEN", ITERATIONS.trailLength, { comment: "max length of CTE trail" })
    .set("PCTERNOI", 4.5, { comment: "read noise amp clip limit" })
    .set("PCTENFOR", ITERATIONS.forwardIterations, { comment: "Number of iter in forward model" })
    .set("PCTENPAR", ITERATIONS.parallelTransfers, { comment: "Number of iter in parallel transfer" })
    .set("PCTENSMD", 0, { comment: "read noise mitigation algorithm" })
    .set("PCTETRSH", ITERATIONS.overSubtractionThreshold, { comment: "over subtraction threshold", float: true })
    .set("FIXROCR", 1, { comment: "fix readout cosmic rays" })
    .set("NEXTEND", 20, { comment: "number of extensions" });
  const primary = referencePrimary(c.model, "PIXCTE", "Synthetic pixel-based CTE model (parallel and serial)", keys);
  const writer = new FitsWriter(r.path);
  try {
    writer.writeImage(primary);
    setTables(writer, cte.parallel, 1);
    for (const [k, amp] of (["A", "B", "C", "D"] as const).entries()) setTables(writer, cte.serial[amp], k + 2);
    writer.close();
  } catch (e) {
    writer.abort();
    throw e;
  }
  return r;
}

/**
 * The dark of the CTE branch (e-/s): the simulated dark rate before readout, which is what a CTE-corrected
 * dark estimates (the raws' dark current is trailed with everything else); hot pixels flagged as in DARKFILE.
 */
export function writeAcsDrkcfile(c: ReferenceContext): ReferenceFile {
  const r = ref(c, "drkcfile");
  const parts = c.maps.map((map) => {
    const dq = new Int16Array(map.dark.length);
    for (const p of map.hotPixels) if (p.rate > HOT_PIXEL_THRESHOLD) dq[p.y * map.chip.sciNx + p.x] = 16;
    return {
      header: new Header()
        .set("CCDCHIP", map.chip.ccdchip)
        .set("BUNIT", "ELECTRONS/S")
        .set("LTV1", scienceOffsets(map.chip).ltv1, { float: true })
        .set("LTV2", scienceOffsets(map.chip).ltv2, { float: true })
        .set("LTM1_1", 1, { float: true })
        .set("LTM2_2", 1, { float: true }),
      sci: map.dark,
      axes: [map.chip.sciNx, map.chip.sciNy],
      err: 0.001,
      dq,
    };
  });
  const keys = new Header().set("CCDAMP", c.model.ccdamp).set("CCDGAIN", c.model.ccdgain, { float: true });
  writeImsetFile(r.path, referencePrimary(c.model, "CTEDARK", "Synthetic CTE-corrected dark (e-/s)", keys), parts);
  return r;
}
