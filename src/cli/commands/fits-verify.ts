import { type Problem, verifyFile } from "../../fits/index.js";
import { fileFailure } from "./fits-files.js";

export interface VerifyOptions {
  quiet?: boolean;
  json?: boolean;
  errorsOnly?: boolean;
}

interface FileVerdict {
  file: string;
  errors: number;
  warnings: number;
  problems: Problem[];
}

function verdictOf(file: string, errorsOnly: boolean): FileVerdict {
  let problems: Problem[];
  try {
    problems = verifyFile(file);
  } catch (error) {
    problems = [{ severity: "error", code: "IO", message: fileFailure(file, error) }];
  }
  if (errorsOnly) problems = problems.filter((p) => p.severity === "error");
  const errors = problems.filter((p) => p.severity === "error").length;
  return { file, errors, warnings: problems.length - errors, problems };
}

/** fitsverify -q's line: `verification OK: FILE` or `verification FAILED: FILE, W warnings and E errors`. */
function quietLine(v: FileVerdict, errorsOnly: boolean): string {
  if (v.errors + v.warnings === 0) return `verification OK: ${v.file}`;
  const counts = errorsOnly ? `${v.errors} errors` : `${v.warnings} warnings and ${v.errors} errors`;
  return `verification FAILED: ${v.file}, ${counts}`;
}

/**
 * caldp fits verify: each file's problems (or OK), then one summary line; `-q` one line per file as
 * `fitsverify -q`; `--errors-only` ignores warnings as `fitsverify -e`. Returns 0 only when nothing was found.
 */
export function fitsVerify(files: string[], options: VerifyOptions): number {
  const errorsOnly = options.errorsOnly ?? false;
  const verdicts = files.map((file) => verdictOf(file, errorsOnly));
  const errors = verdicts.reduce((n, v) => n + v.errors, 0);
  const warnings = verdicts.reduce((n, v) => n + v.warnings, 0);
  const failed = verdicts.filter((v) => v.errors + v.warnings > 0).length;
  if (options.json) {
    const summary = { files: files.length, failed, errors, warnings };
    console.log(JSON.stringify({ files: verdicts, summary }, null, 2));
  } else if (options.quiet) {
    for (const v of verdicts) console.log(quietLine(v, errorsOnly));
  } else {
    for (const v of verdicts) {
      if (v.problems.length === 0) console.log(`${v.file}: OK`);
      for (const p of v.problems) console.log(`${p.severity.toUpperCase()} ${p.code}: ${p.message}`);
    }
    const ignored = errorsOnly ? " (warnings not checked)" : "";
    console.log(
      `verified ${files.length} file(s): ${failed} failed, ${errors} error(s), ${warnings} warning(s)${ignored}`,
    );
  }
  return failed > 0 ? 1 : 0;
}
