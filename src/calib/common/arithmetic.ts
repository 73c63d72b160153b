/**
 * Pixel arithmetic on image sets with error and DQ propagation, as hstcal's sub2d/div2d/multk/addk do
 * (calibration.md §0.5). Results are rounded to float32 after each operation, the way C float code
 * stores them; the target image set is changed in place.
 */
import { CalibrationError } from "./errors.js";
import { imageKernels } from "./image-kernels.js";
import type { ImageSet, Section } from "./imset.js";

/** DQ bit set where a division by zero left the pixel unchanged. */
export const CALIBDEFECT = 512;

const f = Math.fround;

/** Throws SIZE_MISMATCH unless `a` lies inside the reference section `b`. */
export function checkSectionFits(a: ImageSet, b: Section, what: string): void {
  if (b.x0 < 0 || b.y0 < 0 || b.x0 + a.nx > b.set.nx || b.y0 + a.ny > b.set.ny) {
    throw new CalibrationError(
      "SIZE_MISMATCH",
      `${what}: a ${a.nx}x${a.ny} image does not fit in the ${b.set.nx}x${b.set.ny} reference at (${b.x0}, ${b.y0})`,
    );
  }
}

/**
 * a -= scale × b: SCI difference, ERR in quadrature, DQ OR. The scaled SCI and ERR of b are rounded to
 * float as a scaled copy of b would hold them (a scale of 1 changes nothing).
 */
export function subtractImage(a: ImageSet, b: Section, what = "subtract", scale = 1): void {
  checkSectionFits(a, b, what);
  const k32 = f(scale);
  const kernels = imageKernels();
  if (kernels) {
    kernels.subtract(a, b, k32);
    return;
  }
  const { sci, err, dq, nx, ny } = a;
  const r = b.set;
  for (let j = 0; j < ny; j++) {
    const row = j * nx;
    const rrow = (j + b.y0) * r.nx + b.x0;
    for (let i = 0; i < nx; i++) {
      const k = row + i;
      const kr = rrow + i;
      sci[k] = sci[k] - f(r.sci[kr] * k32);
      const ea = err[k];
      const eb = f(r.err[kr] * k32);
      err[k] = Math.sqrt(f(f(ea * ea) + f(eb * eb)));
      dq[k] |= r.dq[kr];
    }
  }
}

/**
 * The divisor of divideImage as a function of the reference: SCI × scale + add and ERR × scale, or SCI and
 * ERR divided by `divideBy`.
 */
export type DivisorScale = { scale: number; add: number } | { divideBy: number };

const AS_IS = 0;
const SCALED = 1;
const DIVIDED = 2;

/**
 * a /= b: a zero divisor leaves SCI and ERR unchanged and flags CALIBDEFECT; DQ OR everywhere. With
 * `divisor`, b's SCI and ERR are first scaled (and SCI offset) or divided, rounded to float as a scaled copy
 * would be (no copy is made).
 */
export function divideImage(a: ImageSet, b: Section, what = "divide", divisor?: DivisorScale): void {
  checkSectionFits(a, b, what);
  const mode = divisor === undefined ? AS_IS : "divideBy" in divisor ? DIVIDED : SCALED;
  const scale = f(divisor && "scale" in divisor ? divisor.scale : 1);
  const add = f(divisor && "add" in divisor ? divisor.add : 0);
  const by = f(divisor && "divideBy" in divisor ? divisor.divideBy : 1);
  const kernels = imageKernels();
  if (kernels) {
    kernels.divide(a, b, mode, scale, add, by);
    return;
  }
  const { sci, err, dq, nx, ny } = a;
  const r = b.set;
  for (let j = 0; j < ny; j++) {
    const row = j * nx;
    const rrow = (j + b.y0) * r.nx + b.x0;
    for (let i = 0; i < nx; i++) {
      const k = row + i;
      const kr = rrow + i;
      const d = mode === SCALED ? f(f(r.sci[kr] * scale) + add) : mode === DIVIDED ? f(r.sci[kr] / by) : r.sci[kr];
      dq[k] |= r.dq[kr];
      if (d === 0) {
        dq[k] |= CALIBDEFECT;
        continue;
      }
      const value = sci[k];
      const ratioErr = f(err[k] / d);
      const e = mode === SCALED ? f(r.err[kr] * scale) : mode === DIVIDED ? f(r.err[kr] / by) : r.err[kr];
      const refErr = f(f(f(e * value) / d) / d); // hstcal div1d: berr * a / b / b, in float
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
