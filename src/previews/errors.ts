/**
 * Previews that could not be made. Its exit code is decided in src/pipeline/error-exits.ts; `hint` is what the
 * operator can do, since only this layer knows where it logged each file's cause.
 */
export class PreviewError extends Error {
  readonly hint: string;
  /** The files whose previews failed. */
  readonly files: readonly string[];

  constructor(message: string, files: readonly string[], options: { hint: string; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.hint = options.hint;
    this.files = files;
  }
}
