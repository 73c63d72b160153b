/**
 * Pictures fitscut's stretch cannot show as they are: every pixel blank (fitscut draws them all white, which
 * looks like a saturated image), every pixel that counts equal (fitscut divides by zero: white again), or
 * every non-blank pixel DQ-flagged. The first gets no preview and says why; the others get a preview and
 * a note that says what it shows.
 */
import { dataRange } from "./autoscale.js";
import type { Picture } from "./mosaic.js";

/** Nothing to show: not a failure of the run (the product is what it is), so callers log it and go on. */
export class PreviewSkipped extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PreviewSkipped";
  }
}

/** Notes on a picture that is shown differently from a normal one; throws PreviewSkipped if it has nothing to show. */
export function degenerateNotes(picture: Picture): string[] {
  const { plane } = picture;
  if (plane.range) {
    const { min, max } = plane.range;
    return min === max ? [`every pixel that counts is ${min}: a uniform (black) preview`] : [];
  }
  if (plane.masked && dataRange(plane.data)) {
    return ["every non-blank pixel is DQ-flagged: the scale is taken from the flagged pixels"];
  }
  throw new PreviewSkipped(
    `no preview: every pixel is blank (NaN, ±Inf, the BADPIX value or 0.0, or outside GOODMIN…GOODMAX)`,
  );
}
