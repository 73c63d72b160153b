/**
 * A drizzle stage that cannot run on its inputs: an empty association, exposures that do not overlap, a chip
 * without SCI data. Named by file (and keyword when there is one); src/pipeline/error-exits.ts maps it to
 * stage 2's exit code, as WcsError.
 */
export class DrizzleStageError extends Error {
  readonly file?: string;

  constructor(detail: string, file?: string, keyword?: string) {
    super(`${file ? `${file}: ` : ""}${keyword ? `keyword ${keyword}: ` : ""}${detail}`);
    this.name = new.target.name;
    if (file !== undefined) this.file = file;
  }
}
