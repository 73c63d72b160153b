/**
 * Where an IR exposure's pixels fall in a reference image (calibration.md §0.4; hstcal nlincorr.c,
 * zsigcorr.c, darkcorr.c: GetCorner of both, offset = science corner − reference corner). For a full
 * frame the offset is 0; a subarray reads the reference at its own corner. Only the pixels inside the
 * reference-pixel border are used, and they must lie inside the reference.
 * Algorithms follow hstcal (BSD-3-Clause, AURA).
 */
import { CalibrationError } from "../common/errors.js";
import { binAndCorner } from "../common/geometry.js";
import type { MultiAccum } from "./multiaccum.js";

export function irReferenceOffset(
  m: Pick<MultiAccum, "nx" | "ny" | "ltv" | "border">,
  reference: { nx: number; ny: number; ltv?: [number, number] },
  what: string,
): [number, number] {
  const s = binAndCorner({ ltv: m.ltv, ltm: [1, 1] });
  const r = binAndCorner({ ltv: reference.ltv ?? [0, 0], ltm: [1, 1] });
  const offset: [number, number] = [s.corner[0] - r.corner[0], s.corner[1] - r.corner[1]];
  const inside = (o: number, n: number, b: [number, number], size: number) => o + b[0] >= 0 && o + n - b[1] <= size;
  if (!inside(offset[0], m.nx, m.border.x, reference.nx) || !inside(offset[1], m.ny, m.border.y, reference.ny)) {
    throw new CalibrationError(
      "SIZE_MISMATCH",
      `${what} (${reference.nx}x${reference.ny}, corner ${r.corner}) does not cover the science image (${m.nx}x${m.ny}, corner ${s.corner})`,
    );
  }
  return offset;
}
