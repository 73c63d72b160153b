/** Why a calibration step could not run (the names follow hstcal's status codes). */
export type CalibrationErrorCode =
  | "HEADER_PROBLEM"
  | "SIZE_MISMATCH"
  | "CAL_FILE_MISSING"
  | "TABLE_ROW_MISSING"
  | "CAL_STEP_NOT_DONE"
  | "INVALID_VALUE"
  | "NO_GOOD_DATA";

export class CalibrationError extends Error {
  readonly code: CalibrationErrorCode;
  /** The calibration step (switch keyword, e.g. DARKCORR) that failed, when known. */
  readonly step?: string;
  constructor(code: CalibrationErrorCode, message: string, options: { step?: string } = {}) {
    super(message);
    this.name = "CalibrationError";
    this.code = code;
    if (options.step !== undefined) this.step = options.step;
  }
}
