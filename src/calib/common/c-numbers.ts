/** C conversions that calibration code relies on bit for bit. */

const INT_MIN = -2147483648;

/**
 * A double converted to a C int: truncation toward zero. NaN and values outside the int range give
 * INT_MIN, as x86-64's cvttsd2si does (undefined behaviour in C, but what the reference binaries do).
 */
export function toCInt(x: number): number {
  if (!(x > -2147483649 && x < 2147483648)) return INT_MIN;
  return Math.trunc(x);
}

/** C's integer abs() applied to a double argument (hstcal's `abs(double)` trap): truncated first; abs(INT_MIN) wraps. */
export function intAbs(x: number): number {
  const i = toCInt(x);
  return i === INT_MIN ? INT_MIN : Math.abs(i);
}
