/**
 * Pixel arithmetic on image sets with error and DQ propagation, as hstcal's sub2d/div2d/multk/addk do
 * (calibration.md §0.5). Results are rounded to float32 after each operation, the way C float code
 * stores them; the target image set is changed in place.
 */
import { CalibrationError } from "./errors.js";
import type { ImageSet, Section } from "./imset.js";

/** DQ bit set where a division by zero left the pixel unchanged. */
export const CALIBDEFECT = 512;

const f = Math.fround;

function checkFits(a: ImageSet, b: Section, what: string): void {
  if (b.x0 < 0 || b.y0 < 0 || b.x0 + a.nx > b.set.nx || b.y0 + a.ny > b.set.ny) {
    throw new CalibrationError(
      "SIZE_MISMATCH",
      `${what}: a ${a.nx}x${a.ny} image does not fit in the ${b.set.nx}x${b.set.ny} reference at (${b.x0}, ${b.y0})`,
    );
  }
}

/** a -= b: SCI difference, ERR in quadrature, DQ OR. */
export function subtractImage(a: ImageSet, b: Section, what = "subtract"): void {
  checkFits(a, b, what);
  const { sci, err, dq, nx, ny } = a;
  const r = b.set;
  for (let j = 0; j < ny; j++) {
    const row = j * nx;
    const rrow = (j + b.y0) * r.nx + b.x0;
    for (let i = 0; i < nx; i++) {
      const k = row + i;
      const kr = rrow + i;
      sci[k] = sci[k] - r.sci[kr];
      const ea = err[k];
      const eb = r.err[kr];
      err[k] = Math.sqrt(f(f(ea * ea) + f(eb * eb)));
      dq[k] |= r.dq[kr];
    }
  }
}

/** a /= b: a zero divisor leaves SCI and ERR unchanged and flags CALIBDEFECT; DQ OR everywhere. */
export function divideImage(a: ImageSet, b: Section, what = "divide"): void {
  checkFits(a, b, what);
  const { sci, err, dq, nx, ny } = a;
  const r = b.set;
  for (let j = 0; j < ny; j++) {
    const row = j * nx;
    const rrow = (j + b.y0) * r.nx + b.x0;
    for (let i = 0; i < nx; i++) {
      const k = row + i;
      const kr = rrow + i;
      const d = r.sci[kr];
      dq[k] |= r.dq[kr];
      if (d === 0) {
        dq[k] |= CALIBDEFECT;
        continue;
      }
      const value = sci[k];
      const ratioErr = f(err[k] / d);
      const refErr = f(f(f(r.err[kr] * value) / d) / d); // hstcal div1d: berr * a / b / b, in float
      sci[k] = value / d;
      err[k] = Math.sqrt(f(f(ratioErr * ratioErr) + f(refErr * refErr)));
    }
  }
}

/** a *= k (SCI and ERR). */
export function multiplyConstant(a: ImageSet, k: number): void {
  const kf = f(k);
  for (let i = 0; i < a.sci.length; i++) {
    a.sci[i] = a.sci[i] * kf;
    a.err[i] = a.err[i] * kf;
  }
}

/** a += k (SCI only). */
export function addConstant(a: ImageSet, k: number): void {
  const kf = f(k);
  for (let i = 0; i < a.sci.length; i++) a.sci[i] = a.sci[i] + kf;
}
