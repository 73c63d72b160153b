/** Overlap areas of an input pixel's footprint with an output pixel (cdrizzlebox.c's compute_area and over). */

/**
 * Area common to the clockwise quadrilateral (x[k], y[k]) and the unit square centred on (is, js): the signed area
 * under each edge, clipped to the square's sides, summed (edges on opposite sides cancel). The same operations in
 * the same order as cdrizzle, so the doubles agree bit for bit.
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
    let count = 3;
    edges: for (let dim = 0; dim < 2; dim++) {
      for (let side = 0; side < 2; side++, count--) {
        const border = dim === 0 ? (side === 0 ? left : right) : side === 0 ? bottom : top;
        const d0 = (dim === 0 ? x0 : y0) - border;
        const d1 = (dim === 0 ? x1 : y1) - border;
        const positive0 = d0 > 0.0 ? 1 : 0;
        const positive1 = d1 > 0.0 ? 1 : 0;
        if (positive0 === positive1) {
          if (positive0 === side) {
            // the edge lies outside this side of the square
            if (count === 0) area += x1 - x0;
            else break edges;
          } else if (count === 0) {
            area += 0.5 * (x1 - x0) * (1.0 + d0 + (1.0 + d1));
          }
        } else {
          const outside = side === 0 ? positive0 : positive1;
          // the crossing point: `border` along dim, interpolated along the other dimension
          const other = dim === 0 ? (d1 * y0 - d0 * y1) / (d1 - d0) : (d1 * x0 - d0 * x1) / (d1 - d0);
          const midX = dim === 0 ? border : other;
          const midY = dim === 0 ? other : border;
          if (count === 0) {
            if (outside === 0) {
              area += midX - x0;
              area += 0.5 * (x1 - midX) * (1.0 + (1.0 + d1));
            } else {
              area += x1 - midX;
              area += 0.5 * (midX - x0) * (1.0 + d0 + 1.0);
            }
          } else if (outside === 0) {
            x0 = midX;
            y0 = midY;
          } else {
            x1 = midX;
            y1 = midY;
          }
        }
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
