/**
 * Input weight maps for drizzle, as AstroDrizzle's final_wht_type builds them: a good-pixel mask times 1 (EXP: the
 * exposure time then goes in as the weight scale, as python drizzle's wt_scl="exptime"), the inverse variance
 * from the ERR array (ERR) or an inverse-variance map (IVM).
 */
import { CalibrationError } from "../common/errors.js";

export type WeightType = "EXP" | "ERR" | "IVM";

export interface WeightSources {
  /** Pixels to drop (non-zero = bad), e.g. DQ & ~bits-to-ignore already applied. */
  bad?: Uint8Array;
  err?: Float32Array;
  ivm?: Float32Array;
}

/**
 * The weight of every input pixel for `type`; bad pixels, non-finite or non-positive ERR/IVM get 0. `out` (zeroed,
 * `size` long) receives them when given, e.g. in shared memory for worker threads.
 */
export function weightMap(
  type: WeightType,
  size: number,
  sources: WeightSources,
  out: Float32Array = new Float32Array(size),
): Float32Array {
  const source = type === "ERR" ? sources.err : type === "IVM" ? sources.ivm : undefined;
  if (type !== "EXP" && !source) {
    throw new CalibrationError("INVALID_VALUE", `drizzle weights ${type} need the ${type} array`, { step: "DRIZZLE" });
  }
  for (const [name, a] of Object.entries({ bad: sources.bad, [type]: source })) {
    if (a && a.length !== size) {
      throw new CalibrationError("SIZE_MISMATCH", `drizzle weights: ${name} holds ${a.length} values, not ${size}`);
    }
  }
  if (out.length !== size) throw new CalibrationError("SIZE_MISMATCH", `drizzle weights: out holds ${out.length}`);
  const w = out;
  for (let k = 0; k < size; k++) {
    if (sources.bad?.[k]) continue;
    if (type === "EXP") w[k] = 1;
    else {
      const v = source![k];
      if (!(v > 0 && Number.isFinite(v))) continue;
      w[k] = type === "ERR" ? 1 / (v * v) : v;
    }
  }
  return w;
}

/** The weight scale python drizzle applies for wt_scl "exptime" (t) or "expsq" (t²), else 1. */
export function weightScaleFor(scaling: "exptime" | "expsq" | "", exposureTime: number): number {
  if (scaling === "exptime") return exposureTime;
  if (scaling === "expsq") return exposureTime * exposureTime;
  return 1;
}
