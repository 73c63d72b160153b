import type { Header } from "../fits/index.js";
import type { Sip, SipPolynomial } from "./sip.js";
import { zeroPolynomial } from "./sip.js";

type NumberReader = (keyword: string, fallback?: number) => number;

function readPolynomial(prefix: string, number: NumberReader): SipPolynomial {
  const order = number(`${prefix}_ORDER`);
  const polynomial = zeroPolynomial(order);
  for (let p = 0; p <= order; p++) {
    for (let q = 0; p + q <= order; q++) polynomial.coefficients[p][q] = number(`${prefix}_${p}_${q}`, 0);
  }
  return polynomial;
}

/** A_/B_ (required, both) and AP_/BP_ (optional) polynomials; absent coefficients are 0, as in astropy. */
export function readSip(header: Header, number: NumberReader): Sip {
  return {
    a: readPolynomial("A", number),
    b: readPolynomial("B", number),
    ap: header.has("AP_ORDER") ? readPolynomial("AP", number) : undefined,
    bp: header.has("BP_ORDER") ? readPolynomial("BP", number) : undefined,
  };
}

/** The SIP keywords, in stwcs's layout: order, then the non-zero coefficients of degree 2 and up (and AP/BP). */
export function writeSip(header: Header, sip: Sip | undefined): void {
  header.removeWhere((card) => /^(A|B|AP|BP)_(ORDER|\d+_\d+)$/.test(card.keyword));
  if (!sip) return;
  const parts: [string, SipPolynomial | undefined][] = [
    ["A", sip.a],
    ["B", sip.b],
    ["AP", sip.ap],
    ["BP", sip.bp],
  ];
  for (const [prefix, polynomial] of parts) {
    if (!polynomial) continue;
    header.set(`${prefix}_ORDER`, polynomial.order, { comment: "SIP polynomial order" });
    for (let p = 0; p <= polynomial.order; p++) {
      for (let q = 0; p + q <= polynomial.order; q++) {
        const c = polynomial.coefficients[p][q];
        if (c !== 0) header.set(`${prefix}_${p}_${q}`, c, { float: true, comment: "SIP distortion coefficient" });
      }
    }
  }
}
