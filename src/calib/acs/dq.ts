/** ACS data-quality flags (hstcal pkg/acs/include/acsdq.h; calibration.md §2.1). */
export const ACS_DQ = {
  SOFTERR: 1,
  DATALOST: 2,
  DETECTORPROB: 4,
  DATAMASKED: 8,
  HOTPIX: 16,
  LARGEBLEM: 32,
  WARMPIX: 64,
  BADBIAS: 128,
  SATPIXEL: 256,
  CALIBDEFECT: 512,
  SINK: 1024,
  ATODSAT: 2048,
  DATAREJECT: 8192,
} as const;

/** The DQ placeholder set at (1,1) when no BPIXTAB row applied, so that downstream code has a flagged pixel. */
export const DQ_PLACEHOLDER = ACS_DQ.WARMPIX;
