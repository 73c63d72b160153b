/**
 * Placing a reference image under a science image (calibration.md §0.4): binning and corner from
 * LTM/LTV, the section of the reference that covers the science pixels, chip selection.
 */
import { CalibrationError } from "./errors.js";
import type { Geometry, ImageSet, Section } from "./imset.js";

/** C's NINT: round half away from zero. */
export function nint(x: number): number {
  return x >= 0 ? Math.floor(x + 0.5) : -Math.floor(-x + 0.5);
}

export interface BinAndCorner {
  bin: [number, number];
  corner: [number, number];
}

/** Binning and the 0-based corner in unbinned detector pixels (hstcal FromLT, reference pixel size 1). */
export function binAndCorner(g: Geometry): BinAndCorner {
  const dbin = [1 / g.ltm[0], 1 / g.ltm[1]];
  const bin: [number, number] = [nint(dbin[0]), nint(dbin[1])];
  const corner: [number, number] = [nint(dbin[0] - 1 - dbin[0] * g.ltv[0]), nint(dbin[1] - 1 - dbin[1] * g.ltv[1])];
  return { bin, corner };
}

/** Same corner, binning and width as the reference (hstcal FindLine's "same size"). */
export function sameSizeAsReference(set: ImageSet, reference: ImageSet): boolean {
  const s = binAndCorner(set.geometry);
  const r = binAndCorner(reference.geometry);
  return (
    s.corner[0] === r.corner[0] &&
    s.corner[1] === r.corner[1] &&
    s.bin[0] === r.bin[0] &&
    s.bin[1] === r.bin[1] &&
    set.nx === reference.nx
  );
}

export interface ReferencePlacement extends Section {
  /** Reference binning relative to the science (1 when equal); > 1 only where expansion is allowed (LFLT, SHAD). */
  rx: number;
  ry: number;
}

/** Where the science pixels fall in a reference image set. */
export function placeReference(science: ImageSet, reference: ImageSet, what: string): ReferencePlacement {
  const s = binAndCorner(science.geometry);
  const r = binAndCorner(reference.geometry);
  const sameGeometry =
    s.bin[0] === r.bin[0] && s.bin[1] === r.bin[1] && s.corner[0] === r.corner[0] && s.corner[1] === r.corner[1];
  if (sameGeometry && science.nx === reference.nx) return { set: reference, x0: 0, y0: 0, rx: 1, ry: 1 };
  if (r.bin[0] < s.bin[0] || r.bin[1] < s.bin[1]) {
    throw new CalibrationError("SIZE_MISMATCH", `${what} is binned less than the science image`);
  }
  const x0 = (s.corner[0] - r.corner[0]) / r.bin[0];
  const y0 = (s.corner[1] - r.corner[1]) / r.bin[1];
  const rx = r.bin[0] / s.bin[0];
  const ry = r.bin[1] / s.bin[1];
  const nx = Math.ceil(science.nx / rx);
  const ny = Math.ceil(science.ny / ry);
  if (
    !Number.isInteger(x0) ||
    !Number.isInteger(y0) ||
    x0 < 0 ||
    y0 < 0 ||
    x0 + nx > reference.nx ||
    y0 + ny > reference.ny
  ) {
    throw new CalibrationError(
      "SIZE_MISMATCH",
      `${what} (${reference.nx}x${reference.ny}, corner ${r.corner}) does not cover the science image (${science.nx}x${science.ny}, corner ${s.corner})`,
    );
  }
  return { set: reference, x0, y0, rx, ry };
}

/** The reference image set for a chip (CCDCHIP match; hstcal's DetCCDChip). */
export function chooseChip(references: readonly ImageSet[], chip: number, what: string): ImageSet {
  const found = references.find((r) => r.chip === chip);
  if (!found) throw new CalibrationError("CAL_FILE_MISSING", `${what} has no imset for CCDCHIP ${chip}`);
  return found;
}
