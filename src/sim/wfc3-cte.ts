/**
 * A WFC3/UVIS PCTETAB in the real format (calwf3's GetCTEPars: primary with every keyword, QPROF 999 rows of
 * integer W/QLEV_Q/DPDE_W, SCLBYCOL 8412 rows, RPROF/CPROF images exactly 999 traps wide), with the keyword
 * values of the archive's 'pixelCTE 2019' table. The simulator does not trail UVIS raws yet.
 */
import type { TrapModel } from "../calib/common/cte/trap-model.js";
import { type ColumnSpec, FitsWriter, Header } from "../fits/index.js";
import type { ReferenceContext } from "./reference-context.js";
import { type ReferenceFile, referencePrimary } from "./reference-files.js";
import { ref } from "./references-ccd.js";

const TRAPS = 999;
const PROFILE_LENGTH = 100;
const SCALE_ROWS = 8412;
export const WFC3_CTEDATE0 = 54962;
export const WFC3_CTEDATE1 = 57725.8;

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
    .set("PCTENFOR", 3, { comment: "Number iterations used in CTE forward modeling" })
    .set("PCTENPAR", 7, { comment: "Number of iterations used in parallel transfer" })
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
