/**
 * Upper bounds of a column's values per block of 32 rows, for the CTE readouts: a trap level that no pixel of a
 * block reaches passes the whole block in one compare. Each readout keeps one (per thread, reused), measures
 * the column at the start of a transfer and raises a block's bound when one of its pixels grows.
 */
export const BLOCK_SHIFT = 5;
export const BLOCK = 1 << BLOCK_SHIFT;

export class BlockMaxima {
  bounds = new Float64Array(0);

  /**
   * The largest value of each block of `column`'s first `rows` values, and the column's largest value above
   * `floor`. A NaN pixel is left out of both: outside a trail it neither fills nor empties a trap, so passing
   * it over changes nothing.
   */
  measure(column: Float64Array, rows: number, floor: number): number {
    const blocks = (rows + BLOCK - 1) >> BLOCK_SHIFT;
    if (this.bounds.length < blocks) this.bounds = new Float64Array(blocks);
    const bounds = this.bounds;
    let peak = floor;
    for (let b = 0; b < blocks; b++) {
      const end = Math.min(rows, (b + 1) << BLOCK_SHIFT);
      let m = column[b << BLOCK_SHIFT];
      if (m > peak) peak = m;
      for (let i = (b << BLOCK_SHIFT) + 1; i < end; i++) {
        const v = column[i];
        if (v > m) m = v;
        if (v > peak) peak = v;
      }
      bounds[b] = m;
    }
    return peak;
  }
}
