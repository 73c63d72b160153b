import { EXIT_CODES, type ExitName, lookupExit } from "./exit-codes.js";
import { explainSignal, signalNumber } from "./signals.js";

export interface CaldpErrorOptions {
  /** What the operator can do about it; each class has a default. */
  hint?: string;
  cause?: unknown;
  /** Extra `EXIT - ...` lines for the fatal report (e.g. the signal that killed a child). */
  exitDetails?: string[];
}

/** A failure that ends caldp with a specific CALDP exit code (CaldpExit in the original). */
export class CaldpError extends Error {
  readonly exitName: ExitName;
  readonly hint: string;
  readonly exitDetails: readonly string[];

  constructor(exitName: ExitName, message: string, options: CaldpErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.exitName = exitName;
    this.hint = options.hint ?? DEFAULT_HINTS[exitName];
    this.exitDetails = options.exitDetails ?? [];
  }

  /** The process exit status this error stands for. */
  get code(): number {
    return EXIT_CODES[this.exitName];
  }
}

const DEFAULT_HINTS: Record<ExitName, string> = {
  SUCCESS: "",
  GENERIC_ERROR: "see the causes above (CALDP_DEBUG=1 adds the stack traces); this failure has no specific handling",
  CMDLINE_ERROR: "usage: caldp-process <dataset> [input_uri=file:.] [output_uri=file:.] [config=caldp-config-onsite]",
  INPUT_TAR_FILE_ERROR: "check the input location: it must hold exactly one sound <dataset> tarball",
  ASTROQUERY_ERROR: "check the MAST connection and that the dataset is public",
  STAGE1_ERROR: "see the calibration program's output above in the log",
  STAGE2_ERROR: "see the drizzle output above in the log",
  S3_UPLOAD_ERROR: "check the output bucket's permissions and the network",
  S3_DOWNLOAD_ERROR: "check that the input object exists and is readable",
  BESTREFS_ERROR: "check CRDS_SERVER_URL, CRDS_PATH and CRDS_CONTEXT",
  CREATE_PREVIEWS_ERROR: "see the preview output above in the log",
  SUBPROCESS_MEMORY_ERROR: "a calibration program ran out of memory; rerun with more memory",
  CALDP_MEMORY_ERROR: "caldp ran out of memory; rerun with more memory",
  CONTAINER_MEMORY_ERROR: "the container hit its memory limit; rerun with more memory",
  OS_MEMORY_ERROR: "the system could not allocate memory (possibly a fork); rerun with more memory",
  SVM_ERROR: "see the runsinglehap output above in the log",
  MVM_ERROR: "see the runmultihap output above in the log",
};

export class GenericError extends CaldpError {
  constructor(message: string, options?: CaldpErrorOptions) {
    super("GENERIC_ERROR", message, options);
  }
}
export class CmdlineError extends CaldpError {
  constructor(message: string, options?: CaldpErrorOptions) {
    super("CMDLINE_ERROR", message, options);
  }
}
export class InputTarError extends CaldpError {
  constructor(message: string, options?: CaldpErrorOptions) {
    super("INPUT_TAR_FILE_ERROR", message, options);
  }
}
export class AstroqueryError extends CaldpError {
  constructor(message: string, options?: CaldpErrorOptions) {
    super("ASTROQUERY_ERROR", message, options);
  }
}
export class Stage1Error extends CaldpError {
  constructor(message: string, options?: CaldpErrorOptions) {
    super("STAGE1_ERROR", message, options);
  }
}
export class Stage2Error extends CaldpError {
  constructor(message: string, options?: CaldpErrorOptions) {
    super("STAGE2_ERROR", message, options);
  }
}
export class S3UploadError extends CaldpError {
  constructor(message: string, options?: CaldpErrorOptions) {
    super("S3_UPLOAD_ERROR", message, options);
  }
}
export class S3DownloadError extends CaldpError {
  constructor(message: string, options?: CaldpErrorOptions) {
    super("S3_DOWNLOAD_ERROR", message, options);
  }
}
export class BestrefsError extends CaldpError {
  constructor(message: string, options?: CaldpErrorOptions) {
    super("BESTREFS_ERROR", message, options);
  }
}
export class PreviewsError extends CaldpError {
  constructor(message: string, options?: CaldpErrorOptions) {
    super("CREATE_PREVIEWS_ERROR", message, options);
  }
}
export class SubprocessMemoryError extends CaldpError {
  constructor(message: string, options?: CaldpErrorOptions) {
    super("SUBPROCESS_MEMORY_ERROR", message, options);
  }
}
export class CaldpMemoryError extends CaldpError {
  constructor(message: string, options?: CaldpErrorOptions) {
    super("CALDP_MEMORY_ERROR", message, options);
  }
}
export class ContainerMemoryError extends CaldpError {
  constructor(message: string, options?: CaldpErrorOptions) {
    super("CONTAINER_MEMORY_ERROR", message, options);
  }
}
export class OsMemoryError extends CaldpError {
  constructor(message: string, options?: CaldpErrorOptions) {
    super("OS_MEMORY_ERROR", message, options);
  }
}
export class SvmError extends CaldpError {
  constructor(message: string, options?: CaldpErrorOptions) {
    super("SVM_ERROR", message, options);
  }
}
export class MvmError extends CaldpError {
  constructor(message: string, options?: CaldpErrorOptions) {
    super("MVM_ERROR", message, options);
  }
}

type CaldpErrorClass = new (message: string, options?: CaldpErrorOptions) => CaldpError;

const CLASS_BY_NAME: Partial<Record<ExitName, CaldpErrorClass>> = {
  GENERIC_ERROR: GenericError,
  CMDLINE_ERROR: CmdlineError,
  INPUT_TAR_FILE_ERROR: InputTarError,
  ASTROQUERY_ERROR: AstroqueryError,
  STAGE1_ERROR: Stage1Error,
  STAGE2_ERROR: Stage2Error,
  S3_UPLOAD_ERROR: S3UploadError,
  S3_DOWNLOAD_ERROR: S3DownloadError,
  BESTREFS_ERROR: BestrefsError,
  CREATE_PREVIEWS_ERROR: PreviewsError,
  SUBPROCESS_MEMORY_ERROR: SubprocessMemoryError,
  CALDP_MEMORY_ERROR: CaldpMemoryError,
  CONTAINER_MEMORY_ERROR: ContainerMemoryError,
  OS_MEMORY_ERROR: OsMemoryError,
  SVM_ERROR: SvmError,
  MVM_ERROR: MvmError,
};

/** The typed error for a table code or name (SUCCESS and unknown codes are programming errors). */
export function errorForCode(codeOrName: number | ExitName, message: string, options?: CaldpErrorOptions): CaldpError {
  const entry = lookupExit(codeOrName);
  const cls = entry && CLASS_BY_NAME[entry.name];
  if (!cls) throw new TypeError(`no CALDP failure has exit code ${codeOrName}`);
  return new cls(message, options);
}

/**
 * A child program that ended badly: a non-zero exit status, or killed by a signal. Not a CaldpError:
 * the stage it ran in decides the exit code (CALDP's SubprocessFailure).
 */
export class SubprocessFailure extends Error {
  readonly command: string;
  readonly exitCode: number | null;
  readonly signal: number | null;
  /** The last lines the child printed, scanned for memory errors. */
  readonly outputTail: string;

  constructor(
    command: string,
    ended: { exitCode?: number | null; signal?: NodeJS.Signals | number | null },
    outputTail = "",
  ) {
    const signal = ended.signal == null ? null : (signalNumber(ended.signal) ?? null);
    const how = signal !== null ? `was killed by signal ${signal}` : `exited with status ${ended.exitCode}`;
    super(`${command} ${how}`);
    this.name = "SubprocessFailure";
    this.command = command;
    this.exitCode = ended.exitCode ?? null;
    this.signal = signal;
    this.outputTail = outputTail;
  }

  /** The explanation line CALDP prints for a child killed by a signal, or undefined. */
  get signalExplanation(): string | undefined {
    return this.signal === null ? undefined : explainSignal(this.signal);
  }
}
