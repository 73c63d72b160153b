/** Overlap areas of an input pixel's footprint with an output pixel (cdrizzlebox.c's compute_area and over). */

/**
 * Area common to the clockwise quadrilateral (x[k], y[k]) and the unit square centred on (is, js): the signed area
 * under each edge, clipped to the square's left, right and bottom sides, then summed under its top (edges on
 * opposite sides cancel). cdrizzle's loop over the four sides, unrolled: the same operations in the same order, so
 * the doubles agree bit for bit.
 */
export function boxOverlapArea(is: number, js: number, x: Float64Array, y: Float64Array): number {
  let area = 0.0;
  const left = is - 0.5;
  const bottom = js - 0.5;
  const right = is + 0.5;
  const top = js + 0.5;
  for (let k = 0; k < 4; k++) {
    const next = (k + 1) & 3;
    let x0 = x[k];
    let y0 = y[k];
    let x1 = x[next];
    let y1 = y[next];
    // left: an edge wholly left of it adds nothing; one that crosses it is cut there
    let d0 = x0 - left;
    let d1 = x1 - left;
    let in0 = d0 > 0.0;
    let in1 = d1 > 0.0;
    if (in0 === in1) {
      if (!in0) continue;
    } else {
      const other = (d1 * y0 - d0 * y1) / (d1 - d0);
      if (!in0) {
        x0 = left;
        y0 = other;
      } else {
        x1 = left;
        y1 = other;
      }
    }
    // right
    d0 = x0 - right;
    d1 = x1 - right;
    in0 = d0 > 0.0;
    in1 = d1 > 0.0;
    if (in0 === in1) {
      if (in0) continue;
    } else {
      const other = (d1 * y0 - d0 * y1) / (d1 - d0);
      if (!in1) {
        x0 = right;
        y0 = other;
      } else {
        x1 = right;
        y1 = other;
      }
    }
    // bottom
    d0 = y0 - bottom;
    d1 = y1 - bottom;
    in0 = d0 > 0.0;
    in1 = d1 > 0.0;
    if (in0 === in1) {
      if (!in0) continue;
    } else {
      const other = (d1 * x0 - d0 * x1) / (d1 - d0);
      if (!in0) {
        x0 = other;
        y0 = bottom;
      } else {
        x1 = other;
        y1 = bottom;
      }
    }
    // top: the area under the clipped edge, up to the top side where it is above it
    d0 = y0 - top;
    d1 = y1 - top;
    in0 = d0 > 0.0;
    in1 = d1 > 0.0;
    if (in0 === in1) {
      if (in0) area += x1 - x0;
      else area += 0.5 * (x1 - x0) * (1.0 + d0 + (1.0 + d1));
    } else {
      const midX = (d1 * x0 - d0 * x1) / (d1 - d0);
      if (!in1) {
        area += midX - x0;
        area += 0.5 * (x1 - midX) * (1.0 + (1.0 + d1));
      } else {
        area += x1 - midX;
        area += 0.5 * (midX - x0) * (1.0 + d0 + 1.0);
      }
    }
  }
  return Math.abs(area);
}

/** Overlap of the axis-aligned box [xmin, xmax] × [ymin, ymax] with output pixel (i, j) (turbo's `over`). */
export function alignedOverlap(i: number, j: number, xmin: number, xmax: number, ymin: number, ymax: number): number {
  const dx = Math.min(xmax, i + 0.5) - Math.max(xmin, i - 0.5);
  const dy = Math.min(ymax, j + 0.5) - Math.max(ymin, j - 0.5);
  return dx > 0.0 && dy > 0.0 ? dx * dy : 0.0;
}
