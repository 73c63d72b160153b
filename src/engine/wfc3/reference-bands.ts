/**
 * A reference image read from its file a band of rows at a time in the worker (reference-rows-file.ts), for a
 * step that runs on bands of a science image set: the reference's rows under each band, as a reference of
 * one image set whose LTV2 is moved with its first row, so that the step places it on the band as the whole
 * reference lies on the whole image set (same arithmetic per pixel: same bits). WF32D's DARKFILE and
 * PFLTFILE of a full-frame chip are 84 MB each as loaded whole.
 */
import type { ImageSet } from "../../calib/common/imset.js";
import { type ReferenceImage, referencePlacement } from "../../calib/common/reference-image.js";
import { type RowReferenceFile, rowReference } from "../reference-rows-file.js";

/** The rows of a reference under rows [y0, y0 + ny) of the image set it was placed on. */
export type RowsUnder = (y0: number, ny: number) => ReferenceImage;

/** Whether a reference handed to a task is to be read by rows (not compressed: its data offsets are known). */
export function readByRows(ref: ReferenceImage | undefined): ref is RowReferenceFile {
  return ref !== undefined && "extensions" in ref;
}

/**
 * The rows of `ref` under bands of `science` (whole, pixels or not), placed once on the whole image set: a
 * reference that does not cover it is refused here as it would be whole.
 */
export function rowsUnder(ref: RowReferenceFile, science: ImageSet, what: string): RowsUnder {
  const place = referencePlacement(science, ref, what);
  const { readRows } = rowReference(ref);
  return (y0, ny) => {
    const first = place.y0 + y0;
    const rows = readRows!(place.set, first, first + ny);
    const { ltv, ltm } = place.set.geometry;
    const set = { ...rows, geometry: { ltv: [ltv[0], ltv[1] - first] as [number, number], ltm } };
    return { name: ref.name, pedigree: ref.pedigree, descrip: ref.descrip, imsets: [set] };
  };
}
