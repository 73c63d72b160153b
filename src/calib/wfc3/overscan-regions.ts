/** Where a WFC3 image set's overscan lies (from the OSCNTAB row, cut for a subarray). */
export interface Wf3Overscan {
  /** Columns trimmed left, right; rows trimmed bottom, top. */
  trimx: [number, number];
  trimy: [number, number];
  /** Serial virtual overscan columns in the middle (UVIS 4-amp full frames). */
  trimx3: number;
  trimx4: number;
  /** 0-based inclusive bias-section columns [first, last] per section A-D; [-1, -1] when absent. */
  biassect: [[number, number], [number, number], [number, number], [number, number]];
  /** Parallel virtual overscan boxes (0-based inclusive): left amp VX1-2/VY1-2, right amp VX3-4/VY3-4. */
  vleft: { x: [number, number]; y: [number, number] };
  vright: { x: [number, number]; y: [number, number] };
  /** A subarray that touches no physical overscan: BLEVCORR subtracts the CCDTAB bias instead. */
  noOverscan?: boolean;
}
