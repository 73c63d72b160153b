/**
 * The errors src/io throws. They say what failed and where; which CALDP exit code that means is decided once,
 * in src/pipeline/error-exits.ts.
 */
export class IoError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
  }
}

/** A file: input location, or the dataset's files in it, that cannot be used. */
export class InputError extends IoError {}

/** A tarball that cannot be read, holds an unsafe member, breaks a CALDP_TAR_* limit or holds no inputs. */
export class TarError extends IoError {}

/** MAST (astroquery: inputs) listed nothing, failed, or offered a product that cannot be taken. */
export class MastError extends IoError {}

export type S3Operation = "download" | "upload";

/** An S3 transfer that failed: `download` covers reads and listings, `upload` writes and deletes. */
export class S3Error extends IoError {
  readonly operation: S3Operation;
  /** The s3:// URI (or the URI given, when it is not a valid one) the operation was on. */
  readonly uri: string;

  constructor(operation: S3Operation, uri: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.operation = operation;
    this.uri = uri;
  }
}
