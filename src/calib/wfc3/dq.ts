/** WFC3 data-quality bits (calibration.md §4, hstcal wf3dq.h). */
export const WF3_DQ = {
  SOFTERR: 1,
  DATALOST: 2,
  DETECTORPROB: 4,
  BADZERO: 8,
  HOTPIX: 16,
  UNSTABLE: 32,
  WARMPIX: 64,
  BADBIAS: 128,
  SATPIXEL: 256,
  BADFLAT: 512,
  SPIKE: 1024,
  ZEROSIG: 2048,
  ATODSAT: 2048,
  DATAREJECT: 8192,
  HIGH_CURVATURE: 16384,
} as const;
