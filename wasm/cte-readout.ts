// AssemblyScript: the CTE forward readouts of one column (src/calib/common/cte/readout.ts for ACS,
// src/calib/wfc3/cte-readout.ts for WFC3/UVIS), line for line the TypeScript twins' arithmetic (every value a
// double, f32 tables promoted on load), so that both give the same bits. Each readout first measures the column's
// block maxima (32 rows) into `bounds` and passes over blocks no trap level reaches, as the twins do.
// Algorithms follow hstcal (BSD-3-Clause, AURA), ctegen2 simulatePixelReadout_v1_2 and wf3cte sim_colreadout_l_uvis_w.

const BLOCK_SHIFT = 5;
const BLOCK = 1 << BLOCK_SHIFT;

// @ts-expect-error: decorator
function at64(base: usize, i: i32): f64 {
  return load<f64>(base + ((i as usize) << 3));
}

// @ts-expect-error: decorator
function set64(base: usize, i: i32, value: f64): void {
  store<f64>(base + ((i as usize) << 3), value);
}

// @ts-expect-error: decorator
function at32(base: usize, i: i32): f64 {
  return f64(load<f32>(base + ((i as usize) << 2)));
}

/** block-maxima.ts measure: each block's largest value into `bounds`; the column's largest above `floor`. */
function measure(column: usize, rows: i32, bounds: usize, floor: f64): f64 {
  const blocks = (rows + BLOCK - 1) >> BLOCK_SHIFT;
  let peak = floor;
  for (let b = 0; b < blocks; b++) {
    const end = min<i32>(rows, (b + 1) << BLOCK_SHIFT);
    let m = at64(column, b << BLOCK_SHIFT);
    if (m > peak) peak = m;
    for (let i = (b << BLOCK_SHIFT) + 1; i < end; i++) {
      const v = at64(column, i);
      if (v > m) m = v;
      if (v > peak) peak = v;
    }
    set64(bounds, b, m);
  }
  return peak;
}

/** The first row from `from` at or above `level`, or `rows`. */
// @ts-expect-error: decorator
function firstReaching(column: usize, bounds: usize, from: i32, rows: i32, level: f64): i32 {
  let first = from;
  while (first < rows && at64(bounds, first >> BLOCK_SHIFT) < level)
    first = ((first >> BLOCK_SHIFT) + 1) << BLOCK_SHIFT;
  while (first < rows && at64(column, first) < level) first++;
  return first;
}

/** The last row at or above `level` (one exists). */
// @ts-expect-error: decorator
function lastReaching(column: usize, bounds: usize, rows: i32, level: f64): i32 {
  let last = rows - 1;
  while (at64(bounds, last >> BLOCK_SHIFT) < level) last = (last & ~(BLOCK - 1)) - 1;
  while (at64(column, last) < level) last--;
  return last;
}

/** From row `i` below `level`, the next row at or above it up to `last` (block by block where bounds allow). */
// @ts-expect-error: decorator
function skipBelow(column: usize, bounds: usize, i: i32, last: i32, level: f64): i32 {
  while (i < last && at64(column, i) < level) {
    i++;
    if ((i & (BLOCK - 1)) === 0) while (i < last && at64(bounds, i >> BLOCK_SHIFT) < level) i += BLOCK;
  }
  return i;
}

/** ACS (ctegen2): one transfer of the readout, in place on the f64 column; traps are f32 per row. */
function acsTransfer(
  column: usize,
  traps: usize,
  bounds: usize,
  rows: i32,
  levels: usize,
  charges: usize,
  release: usize,
  held: usize,
  trapCount: i32,
  profileLength: i32,
  trailLength: i32,
  perTransfer: i32,
): void {
  const maxPixel = measure(column, rows, bounds, 10);
  let top = trapCount - 1;
  for (let w = top; w >= 0; w--) {
    if (at64(levels, w) <= maxPixel) {
      top = w;
      break;
    }
  }
  for (let w = top; w >= 0; w--) {
    const level = at64(levels, w);
    const capacity = at64(charges, w) / f64(perTransfer);
    const base = w * profileLength - 1;
    const first = firstReaching(column, bounds, 0, rows, level);
    if (first >= rows) continue;
    const last = lastReaching(column, bounds, rows, level);
    const end = min<i32>(rows, last + trailLength + 1);
    let transfers = trailLength;
    let trapped: f64 = 0;
    for (let i = first; i < end; i++) {
      if (transfers >= trailLength && at64(column, i) < level) {
        i = skipBelow(column, bounds, i, last, level);
        if (at64(column, i) < level) break;
      }
      const pixel = at64(column, i);
      const inTrail = transfers < trailLength;
      const t = at32(traps, i);
      if (i > 0) {
        const before = at32(traps, i - 1);
        if (t < before) trapped *= t / before;
      }
      let change: f64 = 0;
      if (pixel >= level) {
        if (inTrail) {
          transfers++;
          change = at64(release, base + transfers) * trapped + at64(held, base + transfers) * trapped;
        }
        trapped = capacity * t;
        change -= trapped;
        transfers = 0;
      } else if (inTrail) {
        transfers++;
        change = at64(release, base + transfers) * trapped;
      }
      const value = pixel + change;
      set64(column, i, value);
      const b = i >> BLOCK_SHIFT;
      if (value > at64(bounds, b)) set64(bounds, b, value);
    }
  }
}

/** ACS: the whole readout of a column, PCTENPAR transfers. */
export function acsReadout(
  column: usize,
  traps: usize,
  bounds: usize,
  rows: i32,
  levels: usize,
  charges: usize,
  release: usize,
  held: usize,
  trapCount: i32,
  profileLength: i32,
  trailLength: i32,
  perTransfer: i32,
): void {
  for (let shift = 0; shift < perTransfer; shift++) {
    acsTransfer(
      column,
      traps,
      bounds,
      rows,
      levels,
      charges,
      release,
      held,
      trapCount,
      profileLength,
      trailLength,
      perTransfer,
    );
  }
}

/** calwf3's trail length: PCTETLEN is not used by the 2019 algorithm. */
const UVIS_TRAIL_LENGTH = 60;

/** WFC3/UVIS (wf3cte): one of the PCTENPAR transfers, in place; the density is f64 per row. */
function uvisTransfer(
  column: usize,
  density: usize,
  bounds: usize,
  rows: i32,
  levels: usize,
  charges: usize,
  release: usize,
  held: usize,
  trapCount: i32,
  profileLength: i32,
  transfers: i32,
): void {
  const peak = measure(column, rows, bounds, 10);
  let top = 0;
  for (let w = 0; w < trapCount; w++) if (peak >= at64(levels, w)) top = w;
  for (let w = top; w >= 0; w--) {
    const level = at64(levels, w);
    const first = firstReaching(column, bounds, 1, rows, level);
    if (first >= rows) continue;
    const last = lastReaching(column, bounds, rows, level);
    const end = min<i32>(rows, last + UVIS_TRAIL_LENGTH + 1);
    const capture = at64(charges, w) / f64(transfers);
    const base = w * profileLength - 1;
    let trapped: f64 = 0;
    let shifts = UVIS_TRAIL_LENGTH + 1;
    for (let j = first; j < end; j++) {
      if (shifts >= UVIS_TRAIL_LENGTH && at64(column, j) < level) {
        j = skipBelow(column, bounds, j, last, level);
        if (at64(column, j) < level) break;
      }
      if (j > 1) {
        const d = at64(density, j);
        const before = at64(density, j - 1);
        if (d < before) trapped = (d / before) * trapped;
      }
      let released: f64 = 0;
      let flushed: f64 = 0;
      let grabbed: f64 = 0;
      const pixel = at64(column, j);
      if (pixel >= level) {
        if (shifts < UVIS_TRAIL_LENGTH) {
          shifts++;
          released = at64(release, base + shifts) * trapped;
          flushed = at64(held, base + shifts) * trapped;
        }
        trapped = capture * at64(density, j);
        grabbed = trapped;
        shifts = 0;
      } else if (shifts < UVIS_TRAIL_LENGTH) {
        shifts++;
        released = at64(release, base + shifts) * trapped;
      }
      const value = pixel + released + flushed - grabbed;
      set64(column, j, value);
      const b = j >> BLOCK_SHIFT;
      if (value > at64(bounds, b)) set64(bounds, b, value);
    }
  }
}

/** WFC3/UVIS: the whole readout, PCTENPAR transfers. */
export function uvisReadout(
  column: usize,
  density: usize,
  bounds: usize,
  rows: i32,
  levels: usize,
  charges: usize,
  release: usize,
  held: usize,
  trapCount: i32,
  profileLength: i32,
  transfers: i32,
): void {
  for (let n = 0; n < transfers; n++) {
    uvisTransfer(column, density, bounds, rows, levels, charges, release, held, trapCount, profileLength, transfers);
  }
}
