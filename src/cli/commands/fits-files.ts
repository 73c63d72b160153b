import { FitsFile } from "../../fits/index.js";

/** One line for a file that could not be read, always naming the file (a folder's EISDIR does not). */
export function fileFailure(path: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.includes(path) ? message : `${path}: ${message}`;
}

export function withFile<T>(path: string, use: (fits: FitsFile) => T): T {
  const fits = FitsFile.open(path);
  try {
    return use(fits);
  } finally {
    fits.close();
  }
}

/**
 * Runs `use` on each file in turn; a file that fails is reported on stderr (one line naming it) and the others
 * still run. Returns how many failed, for the exit status at the end.
 */
export function eachFile(
  paths: string[],
  use: (fits: FitsFile, path: string) => void,
  failedFile?: (path: string, error: string) => void,
): number {
  let failed = 0;
  for (const path of paths) {
    try {
      withFile(path, (fits) => use(fits, path));
    } catch (error) {
      failed++;
      const line = fileFailure(path, error);
      console.error(`caldp: ${line}`);
      failedFile?.(path, line);
    }
  }
  return failed;
}
