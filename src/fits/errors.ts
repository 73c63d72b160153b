/** Why a FITS file could not be read or written. */
export type FitsErrorCode =
  | "NOT_FITS"
  | "TRUNCATED"
  | "BAD_CARD"
  | "MISSING_END"
  | "BAD_PADDING"
  | "UNSUPPORTED_BITPIX"
  | "BAD_STRUCTURE"
  | "MISSING_KEYWORD"
  | "BAD_VALUE"
  | "NO_SUCH_HDU"
  | "BAD_CHECKSUM"
  | "UNSUPPORTED"
  /** Declared sizes beyond what can be held in memory or beyond a configured limit. */
  | "TOO_LARGE"
  | "IO";

/** Where in a file a problem lies: every field is optional, the message names those that are known. */
export interface FitsLocation {
  file?: string;
  hdu?: number;
  /** 1-based card number within the HDU's header. */
  card?: number;
  keyword?: string;
}

/** A one-line, typed error naming the file, the HDU and the card where known. */
export class FitsError extends Error {
  readonly code: FitsErrorCode;
  readonly location: FitsLocation;
  readonly detail: string;

  constructor(code: FitsErrorCode, detail: string, location: FitsLocation = {}) {
    super(formatMessage(detail, location));
    this.name = "FitsError";
    this.code = code;
    this.detail = detail;
    this.location = location;
  }

  /** The same error with more location fields filled in (inner code often knows only the card). */
  at(location: FitsLocation): FitsError {
    return new FitsError(this.code, this.detail, { ...location, ...definedFields(this.location) });
  }
}

function definedFields(loc: FitsLocation): FitsLocation {
  return Object.fromEntries(Object.entries(loc).filter(([, v]) => v !== undefined));
}

function formatMessage(detail: string, loc: FitsLocation): string {
  const where: string[] = [];
  if (loc.file !== undefined) where.push(loc.file);
  if (loc.hdu !== undefined) where.push(`HDU ${loc.hdu}`);
  if (loc.card !== undefined) where.push(`card ${loc.card}`);
  if (loc.keyword !== undefined) where.push(`keyword ${loc.keyword}`);
  return where.length ? `${where.join(": ")}: ${detail}` : detail;
}
