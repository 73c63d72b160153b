/**
 * Typed CRDS errors. Lookup errors carry the reference client's exact message text, because
 * bestrefs reports them verbatim as "NOT FOUND <message>".
 */
export class CrdsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A mapping file could not be loaded. */
export class MappingError extends CrdsError {}

/** The mapping text is not valid restricted Python; names the file, line and column. */
export class MappingSyntaxError extends MappingError {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly detail: string,
  ) {
    super(`${file}:${line}:${column}: ${detail}`);
  }
}

/** The mapping parses but its structure is not a valid mapping (bad selector, bad expression ...). */
export class MappingFormatError extends MappingError {}

/** The embedded sha1sum is missing or does not match the text. */
export class ChecksumError extends MappingError {}

/** A required header field of a mapping is absent. */
export class MissingHeaderKeyError extends MappingError {}

/** A dataset value or rmap key is not acceptable. */
export class ValidationError extends CrdsError {}

/** Equal-weight Match clauses that may not be merged. */
export class AmbiguousMatchError extends CrdsError {}

/** Date/time parameters cannot be used. */
export class InvalidDatetimeError extends CrdsError {}

/** Base of the lookup failures after which a Match tries its next weight group. */
export class CrdsLookupError extends CrdsError {}
export class MatchingError extends CrdsLookupError {}
export class UseAfterError extends CrdsLookupError {}

export class CrdsUnknownInstrumentError extends CrdsError {}
export class CrdsUnknownReftypeError extends CrdsError {}

/** Signals "NOT FOUND n/a" (not an error for the caller). */
export class IrrelevantReferenceType extends Error {}
/** Signals that the filekind is omitted from the results. */
export class OmitReferenceType extends Error {}

/**
 * Python built-in exceptions raised inside ported code (ValueError, KeyError, TypeError, NameError ...):
 * `message` is Python's str(exc), which CRDS embeds in its own messages.
 */
export class PythonError extends Error {
  constructor(
    readonly pythonType: string,
    message: string,
  ) {
    super(message);
    this.name = pythonType;
  }
}

export class CrdsConfigError extends CrdsError {}
export class CacheError extends CrdsError {}
/** The server could not be reached or answered with a transport error. */
export class CrdsNetworkError extends CrdsError {}
/** The server answered with a JSON-RPC error. */
export class ServiceError extends CrdsError {}
/** A downloaded file failed its size or sha1 check, or could not be stored. */
export class CrdsDownloadError extends CrdsError {}
