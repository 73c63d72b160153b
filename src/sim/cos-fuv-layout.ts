/** Where the simulated FUV G130M spectra lie on the two segments (shared by the reference tables). */
export const FUV_SEGMENTS = ["FUVA", "FUVB"] as const;
export type FuvSegment = (typeof FUV_SEGMENTS)[number];

/** Rows of the science (PSA) and wavecal (WCA) spectra. */
export const SPECTRUM_ROWS: Record<FuvSegment, { psa: number; wca: number }> = {
  FUVA: { psa: 490, wca: 560 },
  FUVB: { psa: 550, wca: 620 },
};
