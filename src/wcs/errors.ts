/** Where a WCS problem lies: the file, the HDU and the keyword, each when known. */
export interface WcsLocation {
  file?: string;
  hdu?: string;
  keyword?: string;
}

/**
 * A WCS that cannot be read, computed or written: missing or inconsistent keywords, a missing IDCTAB row, a
 * distortion that does not converge. src/pipeline/error-exits.ts maps it to stage 2's exit code (drizzling is
 * where CALDP uses the WCS).
 */
export class WcsError extends Error {
  readonly location: WcsLocation;

  constructor(detail: string, location: WcsLocation = {}) {
    super(`${describe(location)}${detail}`);
    this.name = new.target.name;
    this.location = location;
  }
}

function describe({ file, hdu, keyword }: WcsLocation): string {
  const parts = [file, hdu && `[${hdu}]`, keyword && `keyword ${keyword}`].filter(Boolean);
  return parts.length > 0 ? `${parts.join(" ")}: ` : "";
}
