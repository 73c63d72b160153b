/**
 * IR FLATCORR's division (calibration.md §5; hstcal wf3ir/flatcorr.c, math.c adiv_noref): inside the
 * reference-pixel border only, SCI / flat with ERR = sqrt(e²/f² + s²·ef²/f⁴) in float, DQ ORed; a zero
 * flat value gives SCI = ERR = 0. The reference pixels keep their values (the gain multiplies the whole
 * image afterwards). Algorithms follow hstcal (BSD-3-Clause, AURA).
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
): void {
  const { sci, err, dq } = image;
  const r = flat.set;
  for (let j = border.y[0]; j < ny - border.y[1]; j++) {
    const row = j * nx;
    const refRow = (j + flat.y0) * r.nx + flat.x0;
    for (let i = border.x[0]; i < nx - border.x[1]; i++) {
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
        sci[k] = a / b;
        err[k] = Math.sqrt(f(fromSci + fromFlat));
      } else {
        sci[k] = 0;
        err[k] = 0;
      }
      dq[k] |= r.dq[kr];
    }
  }
}
