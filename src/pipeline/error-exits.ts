import { type CaldpError, errorForCode } from "../core/errors.js";
import { EXIT_CODES, type ExitName } from "../core/exit-codes.js";
import { DrizzleStageError } from "../engine/drizzle/errors.js";
import { InputError, MastError, S3Error, TarError } from "../io/errors.js";
import { PreviewError } from "../previews/errors.js";
import { WcsError } from "../wcs/errors.js";

/**
 * The one place where the errors of the lower layers get their CALDP exit code, whatever stage they come out
 * of (a tarball that cannot be read is 21 even when the stage is the whole of `process`).
 */
const EXIT_OF_ERROR: ReadonlyArray<{ type: abstract new (...args: never[]) => Error; exit: (e: Error) => ExitName }> = [
  { type: InputError, exit: () => "INPUT_TAR_FILE_ERROR" },
  { type: TarError, exit: () => "INPUT_TAR_FILE_ERROR" },
  { type: MastError, exit: () => "ASTROQUERY_ERROR" },
  {
    type: S3Error,
    exit: (e) => ((e as S3Error).operation === "upload" ? "S3_UPLOAD_ERROR" : "S3_DOWNLOAD_ERROR"),
  },
  { type: PreviewError, exit: () => "CREATE_PREVIEWS_ERROR" },
  { type: WcsError, exit: () => "STAGE2_ERROR" },
  { type: DrizzleStageError, exit: () => "STAGE2_ERROR" },
];

/** The exit name the table gives `error`, or undefined for an error no lower layer owns. */
export function exitNameOf(error: unknown): ExitName | undefined {
  if (!(error instanceof Error)) return undefined;
  return EXIT_OF_ERROR.find((row) => error instanceof row.type)?.exit(error);
}

/** The exit code caldp-process ends with for `error` of a lower layer, or undefined. */
export function exitCodeOf(error: unknown): number | undefined {
  const exitName = exitNameOf(error);
  return exitName === undefined ? undefined : EXIT_CODES[exitName];
}

/**
 * The coded error for a lower layer's error: the same message (operators read it, and the fatal report names
 * the CALDP class as it always did), the layer's error as its cause, and the layer's hint if it has one.
 */
export function codedErrorFor(error: unknown): CaldpError | undefined {
  const exitName = exitNameOf(error);
  if (exitName === undefined) return undefined;
  const failure = error as Error & { hint?: unknown };
  const hint = typeof failure.hint === "string" ? failure.hint : undefined;
  const coded = errorForCode(exitName, failure.message, { cause: failure, hint });
  // the stack is the layer's (where it failed), not this function's; the cause line below it names the layer
  coded.stack = `${coded.name}: ${coded.message}`;
  return coded;
}
