// CALDP's exit-code table (caldp/exit_codes.py, v0.2.28). CALCLOUD decides retries from these numbers,
// so names, codes and explanation strings are kept verbatim, typos and the double space in 34 included.

export const EXIT_CODES = {
  SUCCESS: 0,
  GENERIC_ERROR: 1,
  CMDLINE_ERROR: 2,
  INPUT_TAR_FILE_ERROR: 21,
  ASTROQUERY_ERROR: 22,
  STAGE1_ERROR: 23,
  STAGE2_ERROR: 24,
  S3_UPLOAD_ERROR: 25,
  S3_DOWNLOAD_ERROR: 26,
  BESTREFS_ERROR: 27,
  CREATE_PREVIEWS_ERROR: 28,
  SUBPROCESS_MEMORY_ERROR: 31,
  CALDP_MEMORY_ERROR: 32,
  CONTAINER_MEMORY_ERROR: 33,
  OS_MEMORY_ERROR: 34,
  SVM_ERROR: 40,
  MVM_ERROR: 41,
} as const;

export type ExitName = keyof typeof EXIT_CODES;
export type ExitCode = (typeof EXIT_CODES)[ExitName];

export const EXIT_EXPLANATIONS: Readonly<Record<ExitName, string>> = {
  SUCCESS: "Processing completed successfully.",
  GENERIC_ERROR: "An error with no specific CALDP handling occurred somewhere.",
  CMDLINE_ERROR: "The program command line invocation was incorrect.",
  INPUT_TAR_FILE_ERROR: "An error occurred locating or untarring the inputs tarball.",
  ASTROQUERY_ERROR: "An error occurred downloading astroqery: inputs",
  STAGE1_ERROR: "An error occurred in this instrument's stage1 processing step. e.g. calxxx",
  STAGE2_ERROR: "An error occurred in this instrument's stage2 processing step, e.g astrodrizzle",
  S3_UPLOAD_ERROR: "An error occurred uploading the outputs tarball to S3.",
  S3_DOWNLOAD_ERROR: "An error occurred downloading inputs from S3.",
  BESTREFS_ERROR: "An error occurred computing or downloading CRDS reference files.",
  CREATE_PREVIEWS_ERROR: "An error occurrred creating preview files for processed data.",
  SUBPROCESS_MEMORY_ERROR: "A Python MemoryError was detected by scanning the process.txt log.",
  CALDP_MEMORY_ERROR: "CALDP generated a Python MemoryError during processing or preview creation.",
  CONTAINER_MEMORY_ERROR: "The Batch/ECS container runtime killed the job due to memory limits.",
  OS_MEMORY_ERROR: "Python raised OSError(Cannot allocate memory...),  possibly fork failure.",
  SVM_ERROR: "An error occurred while running runsinglehap",
  MVM_ERROR: "An error occurred while running runmultihap",
};

const MEMORY_ERRORS: readonly ExitName[] = [
  "SUBPROCESS_MEMORY_ERROR",
  "CALDP_MEMORY_ERROR",
  "CONTAINER_MEMORY_ERROR",
  "OS_MEMORY_ERROR",
];

const NAME_BY_CODE = new Map<number, ExitName>(
  (Object.entries(EXIT_CODES) as [ExitName, number][]).map(([name, code]) => [code, name]),
);

function isExitName(value: string): value is ExitName {
  return Object.hasOwn(EXIT_CODES, value);
}

/** The table entry for a code (number or numeric string, as CALDP accepts) or a name; undefined if unknown. */
export function lookupExit(codeOrName: number | string): { name: ExitName; code: ExitCode } | undefined {
  if (typeof codeOrName === "string" && isExitName(codeOrName)) {
    return { name: codeOrName, code: EXIT_CODES[codeOrName] };
  }
  const code = typeof codeOrName === "number" ? codeOrName : /^\d+$/.test(codeOrName) ? Number(codeOrName) : NaN;
  const name = NAME_BY_CODE.get(code);
  return name === undefined ? undefined : { name, code: EXIT_CODES[name] };
}

/** `EXIT - NAME[code]: explanation`, or `EXIT - unhandled exit code: N` for anything not in the table. */
export function explain(codeOrName: number | string): string {
  const entry = lookupExit(codeOrName);
  if (!entry) return `EXIT - unhandled exit code: ${codeOrName}`;
  return `EXIT - ${entry.name}[${entry.code}]: ${EXIT_EXPLANATIONS[entry.name]}`;
}

/** True for 31–34 (by code or name): the codes that make CALCLOUD climb the memory ladder. */
export function isMemoryError(codeOrName: number | string): boolean {
  const entry = lookupExit(codeOrName);
  return entry !== undefined && MEMORY_ERRORS.includes(entry.name);
}

export { explainSignal } from "./signals.js";
