/**
 * The CCDTAB row that applies to an exposure, as the ACS steps use it (calibration.md §3, CCDTAB (ACS)).
 * Amp-indexed arrays are in the order A, B, C, D.
 */
export interface AcsCcdParameters {
  ccdamp: string;
  ccdchip: number;
  ccdgain: number;
  /** CCDBIASA..D (DN). */
  ccdbias: [number, number, number, number];
  /** ATODGNA..D (e/DN). */
  atodgain: [number, number, number, number];
  /** READNSEA..D (e). */
  readnoise: [number, number, number, number];
  /** First column / row read by the second amp, in science coordinates (0 when one amp in that axis). */
  ampx: number;
  ampy: number;
  /** A-to-D saturation level (DN). */
  atodsat: number;
  /** Overheads added to DARKTIME (s): with a successful post-flash / without. */
  ovrhfls: number;
  ovrhufls: number;
}

export const AMP_NAMES = ["A", "B", "C", "D"] as const;
