// AssemblyScript: ACS's CTE correction of a column, the whole inversion in one call (src/calib/common/cte/
// inversion.ts correctColumn, line for line its arithmetic, every value a double): PCTENFOR forward readouts per
// pass, each adjustment damped by the read noise but the last, and FIXROCR lowering the traps (f32, in place)
// where readout cosmic rays come out over-subtracted, up to hstcal's 5 passes. No crossing back to JavaScript
// between readouts. Algorithms follow hstcal (BSD-3-Clause, AURA), ctegen2 inverseCTEBlur.
import { acsReadout } from "./cte-readout";

const MAX_PASSES = 5;

// @ts-expect-error: decorator
function at64(base: usize, i: i32): f64 {
  return load<f64>(base + ((i as usize) << 3));
}

// @ts-expect-error: decorator
function set64(base: usize, i: i32, value: f64): void {
  store<f64>(base + ((i as usize) << 3), value);
}

function copy64(to: usize, from: usize, rows: i32): void {
  memory.copy(to, from, (rows as usize) << 3);
}

/** inversion.ts lowerTrapsUnderOverSubtraction: true if any over-subtracted trail was found. */
function lowerTraps(traps: usize, corrected: usize, observed: usize, rows: i32, threshold: f64): bool {
  let found = false;
  for (let i = 10; i < rows - 2; i++) {
    const c0 = at64(corrected, i);
    const c1 = c0 + at64(corrected, i + 1);
    const c2 = c1 + at64(corrected, i + 2);
    const d0 = c0 - at64(observed, i);
    const d1 = c1 - at64(observed, i) - at64(observed, i + 1);
    const d2 = c2 - at64(observed, i) - at64(observed, i + 1) - at64(observed, i + 2);
    if ((threshold > c0 && threshold > d0) || (c1 < -12 && d1 < -12) || (c2 < -15 && d2 < -15)) {
      found = true;
      let source = i;
      for (let k = i - 10; k <= i; k++) {
        if (at64(corrected, k) - at64(observed, k) > at64(corrected, source) - at64(observed, source)) source = k;
      }
      for (let k = source; k <= i; k++) {
        const p = traps + ((k as usize) << 2);
        store<f32>(p, f32(f64(load<f32>(p)) * 0.75));
      }
    }
  }
  return found;
}

/** ACS: the column as it was before readout into `estimate` (`observed` and the model as acsReadout's). */
export function acsCorrectColumn(
  observed: usize,
  estimate: usize,
  previous: usize,
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
  forwardIterations: i32,
  readNoise: f64,
  fixReadoutCosmicRays: bool,
  threshold: f64,
): void {
  const readNoise2 = readNoise * readNoise;
  for (let pass = 1; ; pass++) {
    copy64(estimate, observed, rows);
    for (let n = 1; n < forwardIterations; n++) {
      copy64(previous, estimate, rows);
      acsReadout(
        estimate,
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
      for (let i = 0; i < rows; i++) {
        let delta = at64(estimate, i) - at64(observed, i);
        const delta2 = delta * delta;
        if (delta2 !== 0 || readNoise2 !== 0) delta *= delta2 / (delta2 + readNoise2);
        set64(estimate, i, at64(previous, i) - delta);
      }
    }
    copy64(previous, estimate, rows);
    acsReadout(
      estimate,
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
    for (let i = 0; i < rows; i++) set64(estimate, i, at64(previous, i) - (at64(estimate, i) - at64(observed, i)));
    const redo = fixReadoutCosmicRays && lowerTraps(traps, estimate, observed, rows, threshold);
    if (!redo || pass >= MAX_PASSES) return;
  }
}
