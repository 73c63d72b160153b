/**
 * Simple Imaging Polynomial distortion (Shupe et al. 2005) as astropy's sip.c evaluates it: with u, v the pixel
 * offsets from CRPIX, the focal-plane offsets are u + Σ A_p_q u^p v^q, v + Σ B_p_q u^p v^q (p + q ≤ order);
 * AP/BP map focal-plane offsets back to pixel offsets (an approximate inverse).
 */
export interface SipPolynomial {
  order: number;
  /** coefficients[p][q] multiplies u^p v^q; absent terms are 0. */
  coefficients: number[][];
}

export interface Sip {
  a: SipPolynomial;
  b: SipPolynomial;
  ap?: SipPolynomial;
  bp?: SipPolynomial;
}

export function zeroPolynomial(order: number): SipPolynomial {
  return { order, coefficients: Array.from({ length: order + 1 }, () => new Array<number>(order + 1).fill(0)) };
}

/** Σ c[p][q] u^p v^q, by Horner's rule in v inside Horner's rule in u. */
export function evaluatePolynomial({ order, coefficients }: SipPolynomial, u: number, v: number): number {
  let sum = 0;
  for (let p = order; p >= 0; p--) {
    const row = coefficients[p];
    let inner = 0;
    for (let q = order - p; q >= 0; q--) inner = inner * v + row[q];
    sum = sum * u + inner;
  }
  return sum;
}

/** The forward SIP deltas at pixel offsets (u, v) from CRPIX. */
export function sipDeltas(sip: Sip, u: number, v: number): [number, number] {
  return [evaluatePolynomial(sip.a, u, v), evaluatePolynomial(sip.b, u, v)];
}

/** astropy's sip_foc2pix: focal-plane offsets (U, V) from CRPIX plus the AP/BP deltas (0 without them). */
export function sipInverseDeltas(sip: Sip, u: number, v: number): [number, number] {
  return [sip.ap ? evaluatePolynomial(sip.ap, u, v) : 0, sip.bp ? evaluatePolynomial(sip.bp, u, v) : 0];
}
