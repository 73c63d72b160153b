// AssemblyScript: the rejections' per-row sums, averages and output DQ (see reject-kernels.ts).
import { CR, HIT, SPILL } from "./reject-flags";

/**
 * Adds the row's pixels that are neither excluded nor rejected (mask & maskdq = 0): rate × EXPTIME to `sum`,
 * EXPTIME to `efacsum` and, when `err2` is not 0, ERR² to it.
 */
export function accumulateRow(
  n: i32,
  maskdq: u16,
  efacn: f32,
  rates: usize,
  mask: usize,
  err: usize,
  sum: usize,
  efacsum: usize,
  err2: usize,
): void {
  for (let i = 0; i < n; i++) {
    if ((load<u16>(mask + ((i as usize) << 1)) & maskdq) !== 0) continue;
    const o = (i as usize) << 2;
    store<f32>(sum + o, load<f32>(sum + o) + load<f32>(rates + o) * efacn);
    store<f32>(efacsum + o, load<f32>(efacsum + o) + efacn);
    if (err2 !== 0) {
      const e = load<f32>(err + o);
      store<f32>(err2 + o, load<f32>(err2 + o) + e * e);
    }
  }
}

/**
 * The row's new average sum / Σ EXPTIME [/ (1 + shading / Σ EXPTIME)] into `ave` (`shading` 0 without it) and, in
 * the last iteration, its error into `errOut`: ACSREJ's (Σ EXPTIME of all / Σ EXPTIME kept) × √Σ ERR² (`acs`), or
 * WF3REJ's √Σ variance / Σ EXPTIME. A pixel no input kept gets 0 in the last iteration and keeps its average before.
 */
export function averageRow(
  n: i32,
  last: bool,
  acs: bool,
  exptot: f32,
  sum: usize,
  efacsum: usize,
  err2: usize,
  shading: usize,
  ave: usize,
  errOut: usize,
): void {
  for (let i = 0; i < n; i++) {
    const o = (i as usize) << 2;
    const exposure = load<f32>(efacsum + o);
    if (exposure > 0) {
      let rate = load<f32>(sum + o) / exposure;
      if (shading !== 0) rate = rate / (1 + load<f32>(shading + o) / exposure);
      store<f32>(ave + o, rate);
      if (!last) continue;
      const root = Math.sqrt(f64(load<f32>(err2 + o)));
      store<f32>(errOut + o, acs ? f32(f64(exptot / exposure) * root) : f32(root / f64(exposure)));
    } else if (last) {
      store<f32>(ave + o, 0);
      store<f32>(errOut + o, 0);
    }
  }
}

/**
 * Last iteration, one image's row: the output DQ `dq` (the OR of the inputs' DQ without CR and SPILL; CR stays only
 * where no input was kept), hstcal's running OR `dq2`, and on the first `flagged` columns (a multiple of 8) the CR
 * flag of the input's DQ `inputDq`. Returns the row's rejections (HIT or SPILL).
 */
export function flagRow(
  n: i32,
  snapshot: usize,
  dq2: usize,
  dq: usize,
  mask: usize,
  inputDq: usize,
  flagged: i32,
): i32 {
  const keep = i16x8.splat(~(CR | SPILL));
  const vcr = i16x8.splat(CR);
  const vhit = i16x8.splat(HIT);
  const vspill = i16x8.splat(SPILL);
  let nrej = 0;
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const o = (i as usize) << 1;
    const m = v128.load(mask + o);
    const hit = v128.or(i16x8.eq(m, vhit), i16x8.eq(m, vspill));
    const own = v128.and(v128.or(v128.load(snapshot + o), v128.load(dq2 + o)), keep);
    const combined = v128.or(own, v128.load(dq + o));
    const ownCr = v128.or(own, v128.and(hit, vcr));
    v128.store(dq2 + o, ownCr);
    v128.store(dq + o, v128.bitselect(combined, v128.andnot(combined, vcr), hit));
    nrej += popcnt(i16x8.bitmask(hit));
    if (i + 8 <= flagged) {
      const input = v128.load(inputDq + o);
      v128.store(inputDq + o, v128.or(v128.andnot(input, vcr), v128.and(ownCr, vcr)));
    }
  }
  for (; i < n; i++) {
    const o = (i as usize) << 1;
    const m = load<u16>(mask + o);
    let own = (load<u16>(snapshot + o) | load<u16>(dq2 + o)) & ~(CR | SPILL);
    let combined = own | load<u16>(dq + o);
    if (m === HIT || m === SPILL) {
      own |= CR;
      nrej++;
    } else {
      combined &= ~CR;
    }
    store<u16>(dq2 + o, own);
    store<u16>(dq + o, combined);
    if (i < flagged) {
      const input = load<u16>(inputDq + o);
      store<u16>(inputDq + o, (own & CR) !== 0 ? input | CR : input & ~CR);
    }
  }
  return nrej;
}
