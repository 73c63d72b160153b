/**
 * A WFC3/UVIS PCTETAB in the real format (calwf3's GetCTEPars: primary with every keyword, QPROF 999 rows of
 * integer W/QLEV_Q/DPDE_W, SCLBYCOL 8412 rows, RPROF/CPROF images exactly 999 traps wide), with the keyword
 * values of the archive's 'pixelCTE 2019' table; the BIACFILE the CTE branch subtracts before measuring the
 * overscan; and the trails: each science column read out through the traps by calwf3's own readout model
 * (calib/wfc3/cte-readout.ts), with the trap density grown to EXPSTART.
 */
import { cteScaleFraction } from "../calib/common/cte/trap-map.js";
import type { TrapModel } from "../calib/common/cte/trap-model.js";
import { densityColumn, RAZ_ROWS } from "../calib/wfc3/cte-raz.js";
import { uvisReadout } from "../calib/wfc3/cte-readout.js";
import { type ColumnSpec, FitsWriter, Header } from "../fits/index.js";
import type { ChipLayout } from "./detectors.js";
import type { ReferenceContext } from "./reference-context.js";
import { type ReferenceFile, referencePrimary, writeImsetFile } from "./reference-files.js";
import { chipHeader, ref } from "./references-ccd.js";

const TRAPS = 999;
const PROFILE_LENGTH = 100;
const SCALE_ROWS = 8412;
export const WFC3_CTEDATE0 = 54962;
export const WFC3_CTEDATE1 = 57725.8;
const UVIS_FORWARD_ITERATIONS = 3;
const UVIS_PARALLEL_TRANSFERS = 7;

/**
 * The CTE keywords of a UVIS raw's primary header, as the archive writes them (calwf3 requires them and takes
 * PCTENFOR/PCTENPAR/PCTETLEN from there when set above 1). PCTERNOI 0: calwf3 measures the read noise itself.
 */
export const UVIS_CTE_RAW_KEYWORDS: [string, string | number, string][] = [
  ["PCTETLEN", 60, "max length of CTE trail"],
  ["PCTERNOI", 0, "read noise amp clip limit"],
  ["PCTENFOR", UVIS_FORWARD_ITERATIONS, "Number of iter in forward model"],
  ["PCTENPAR", UVIS_PARALLEL_TRANSFERS, "Number of iter in parallel transfer"],
  ["PCTENSMD", 0, "read noise mitigation algorithm"],
  ["PCTETRSH", -10, "over subtraction threshold"],
  ["FIXROCR", 1, "fix readout cosmic rays"],
];

/**
 * Trails a UVIS chip's electrons (science coordinates) in place: every column read out towards its amp (row 0
 * for chip 2's C and D, the top row for chip 1's A and B) through the traps, PCTENPAR transfers.
 */
export function trailUvisChip(electrons: Float32Array, chip: ChipLayout, model: TrapModel, expstart: number): void {
  const fraction = cteScaleFraction(expstart, WFC3_CTEDATE0, WFC3_CTEDATE1, "simulated WFC3 PCTETAB");
  const density = densityColumn(fraction);
  const { sciNx, sciNy } = chip;
  const towardsTop = chip.ccdchip === 1;
  const column = new Float64Array(RAZ_ROWS);
  for (let x = 0; x < sciNx; x++) {
    column.fill(0);
    for (let j = 0; j < sciNy; j++) column[j] = electrons[(towardsTop ? sciNy - 1 - j : j) * sciNx + x];
    uvisReadout(column, density, model, UVIS_PARALLEL_TRANSFERS);
    for (let j = 0; j < sciNy; j++) electrons[(towardsTop ? sciNy - 1 - j : j) * sciNx + x] = column[j];
  }
}

/**
 * The BIACFILE (DN, raw-sized): the bias structure without the amps' levels, which WF3CTE then measures in the
 * serial overscan; no uncertainty, so that the corrected raw's ERR stays 0 as a raw's.
 */
export function writeWfc3Biacfile(c: ReferenceContext): ReferenceFile {
  const r = ref(c, "biacfile");
  const parts = c.maps.map(({ chip, bias }) => ({
    header: chipHeader(chip, false, "COUNTS"),
    sci: bias,
    axes: [chip.rawNx, chip.rawNy],
    err: 0,
    dq: 0,
  }));
  const keys = new Header().set("CCDAMP", c.model.ccdamp).set("CCDGAIN", c.model.ccdgain, { float: true });
  writeImsetFile(r.path, referencePrimary(c.model, "CTEBIAS", "Synthetic bias for the CTE branch (DN)", keys), parts);
  return r;
}

/** `count` traps at 2 (w + 1)² e-, each released exponentially over the 60-transfer trail. */
export function wfc3UvisTrapModel(count = 40, trailLength = 60): TrapModel {
  const releaseProfile = new Float32Array(count * PROFILE_LENGTH);
  const heldProfile = new Float32Array(count * PROFILE_LENGTH);
  for (let w = 0; w < count; w++) {
    const tau = 2 + (8 * w) / count;
    let total = 0;
    for (let t = 0; t < trailLength; t++) total += Math.exp(-t / tau);
    let held = 1;
    for (let t = 0; t < trailLength; t++) {
      const release = Math.fround(Math.exp(-t / tau) / total);
      releaseProfile[w * PROFILE_LENGTH + t] = release;
      held = Math.max(0, held - release);
      heldProfile[w * PROFILE_LENGTH + t] = held;
    }
  }
  return {
    chargeLevels: Float64Array.from({ length: count }, (_, w) => 2 * (w + 1) ** 2),
    trapCharges: new Float64Array(count).fill(1),
    trapCount: count,
    releaseProfile,
    heldProfile,
    profileLength: PROFILE_LENGTH,
  };
}

export function writeWfc3Pctetab(c: ReferenceContext, model = wfc3UvisTrapModel()): ReferenceFile {
  const r = ref(c, "pctetab");
  const keys = new Header()
    .set("CTE_NAME", "pixelCTE 2019", { comment: "Name of the CTE algorithm" })
    .set("CTE_VER", "2.0", { comment: "Version number of the CTE algorithm" })
    .set("CTEDATE0", WFC3_CTEDATE0, { comment: "Date of WFC3/UVIS installation in HST (MJD)", float: true })
    .set("CTEDATE1", WFC3_CTEDATE1, { comment: "Reference date of CTE model pinning (MJD)" })
    .set("PCTETLEN", 60, { comment: "Maximum length of CTE trail" })
    .set("PCTERNOI", 3.75, { comment: "Read noise amplitude" })
    .set("PCTENFOR", UVIS_FORWARD_ITERATIONS, { comment: "Number iterations used in CTE forward modeling" })
    .set("PCTENPAR", UVIS_PARALLEL_TRANSFERS, { comment: "Number of iterations used in parallel transfer" })
    .set("PCTENSMD", 0, { comment: "Read noise mitigation algorithm" })
    .set("PCTETRSH", -10, { comment: "Over-subtraction threshold", float: true })
    .set("FIXROCR", 1, { comment: "Fix readout cosmic rays" });
  const writer = new FitsWriter(r.path);
  try {
    writer.writeImage(referencePrimary(c.model, "PIXCTE", "Synthetic pixel-based CTE model", keys));
    const qlev = new Int32Array(TRAPS).fill(999999);
    for (let w = 0; w < model.trapCount; w++) qlev[w] = model.chargeLevels[w];
    const qprof: ColumnSpec[] = [
      { name: "W", data: Int32Array.from({ length: TRAPS }, (_, w) => w + 1) },
      { name: "QLEV_Q", data: qlev },
      { name: "DPDE_W", data: new Int32Array(TRAPS).fill(1) },
    ];
    writer.writeTable(new Header().set("EXTNAME", "QPROF"), qprof, TRAPS);
    const flat = (v: number) => new Float32Array(SCALE_ROWS).fill(v);
    const sclbycol: ColumnSpec[] = [
      { name: "IZ", data: Int32Array.from({ length: SCALE_ROWS }, (_, k) => k + 1) },
      { name: "SENS_0512", data: flat(1) },
      { name: "SENS_1024", data: flat(1) },
      { name: "SENS_1536", data: flat(1) },
      { name: "SENS_2048", data: flat(1) },
    ];
    writer.writeTable(new Header().set("EXTNAME", "SCLBYCOL"), sclbycol, SCALE_ROWS);
    for (const [name, profile] of [
      ["RPROF", model.releaseProfile],
      ["CPROF", model.heldProfile],
    ] as const) {
      const image = new Float32Array(TRAPS * PROFILE_LENGTH);
      for (let w = 0; w < model.trapCount; w++) {
        for (let t = 0; t < PROFILE_LENGTH; t++) image[t * TRAPS + w] = profile[w * PROFILE_LENGTH + t];
      }
      writer.writeImage(new Header().set("EXTNAME", name).set("EXTVER", 1), image, [TRAPS, PROFILE_LENGTH]);
    }
    writer.close();
  } catch (e) {
    writer.abort();
    throw e;
  }
  return r;
}
