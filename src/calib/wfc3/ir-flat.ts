/**
 * IR FLATCORR's division (calibration.md §5; hstcal wf3ir/flatcorr.c, math.c adiv_noref): inside the
 * reference-pixel border only, SCI / flat with ERR = sqrt(e²/f² + s²·ef²/f⁴) in float, DQ ORed; a zero
 * flat value gives SCI = ERR = 0. The reference pixels keep their values. Then SCI and ERR of the whole image
 * × `gain` (hstcal's multk after the division), in the same pass: each value is rounded to float before the
 * product as hstcal stores it. Algorithms follow hstcal (BSD-3-Clause, AURA).
 */
import type { Section } from "../common/imset.js";
import type { Border, MultiAccumRead } from "./multiaccum.js";

const f = Math.fround;

export function divideFlatInside(
  image: Pick<MultiAccumRead, "sci" | "err" | "dq">,
  nx: number,
  ny: number,
  border: Border,
  flat: Section,
  gain = 1,
): void {
  const { sci, err, dq } = image;
  const r = flat.set;
  const g = f(gain);
  const [x0, x1, y0, y1] = [border.x[0], nx - border.x[1], border.y[0], ny - border.y[1]];
  for (let j = 0; j < ny; j++) {
    const row = j * nx;
    if (j < y0 || j >= y1) {
      scaleRange(sci, err, row, row + nx, g);
      continue;
    }
    scaleRange(sci, err, row, row + x0, g);
    scaleRange(sci, err, row + x1, row + nx, g);
    const refRow = (j + flat.y0) * r.nx + flat.x0;
    for (let i = x0; i < x1; i++) {
      const k = row + i;
      const kr = refRow + i;
      const a = sci[k];
      const b = r.sci[kr];
      if (b !== 0) {
        const b2 = f(b * b);
        const ea = err[k];
        const eb = r.err[kr];
        const fromSci = f(f(ea * ea) / b2);
        const fromFlat = f(f(f(f(f(a * a) * eb) * eb)) / f(b2 * b2));
        sci[k] = f(a / b) * g;
        err[k] = f(Math.sqrt(f(fromSci + fromFlat))) * g;
      } else {
        sci[k] = 0 * g;
        err[k] = 0 * g;
      }
      dq[k] |= r.dq[kr];
    }
  }
}

/** SCI and ERR × gain over [from, to): the reference pixels, which keep their values but for the gain. */
function scaleRange(sci: Float32Array, err: Float32Array, from: number, to: number, g: number): void {
  for (let k = from; k < to; k++) {
    sci[k] = sci[k] * g;
    err[k] = err[k] * g;
  }
}
