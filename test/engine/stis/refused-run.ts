/**
 * The check shared by the calstis bad-input tests: the engine refuses with a `CalibrationError` of the expected code
 * and message, `caldp calstis` says the same in one line and exits 1, and the folder's FITS files, trailers and
 * scratch names are as they were (inputs untouched, nothing written).
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { CalibrationError } from "../../../src/calib/common/errors.js";
import { calstis } from "../../../src/engine/stis/calstis.js";
import { runCliAsync } from "../../helpers/cli-async.js";

const sha = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

/** The FITS files, trailers and `.caldp-` scratch files under `dir`, with their digests. */
export const filesOf = (dir: string) =>
  readdirSync(dir, { recursive: true })
    .map(String)
    .filter((n) => /\.(fits|tra)$|^\.caldp-/.test(basename(n)))
    .sort()
    .map((n) => [n, sha(join(dir, n))]);

/** calstis on `raw` in `dir` (references in `dir/refs`) refuses with `code` and `message`, engine and CLI alike. */
export async function refusedByCalstis(dir: string, raw: string, message: string, code: string): Promise<void> {
  const before = filesOf(dir);
  const env = { oref: `${dir}/refs/` };
  await assert.rejects(
    calstis([basename(raw)], { dir, env, log: () => {} }),
    (e: unknown) => e instanceof CalibrationError && e.code === code && e.message === message,
  );
  const cli = await runCliAsync("caldp", ["calstis", basename(raw)], { cwd: dir, env });
  assert.equal(cli.status, 1, cli.stdout + cli.stderr);
  assert.equal(cli.stderr, `caldp: ${message}\n`);
  assert.deepEqual(filesOf(dir), before, "inputs untouched, nothing written");
}
