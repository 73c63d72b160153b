/**
 * Shared set-up of the COS engine tests that run `caldp calcos` or caldp-process as real processes: one simulated
 * template folder per test file, a copy of it per test, and the check that a refused run prints one line, writes
 * nothing and leaves the raws as they were.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before } from "node:test";
import { runCliAsync } from "../../helpers/cli-async.js";

export class CosWorkspaces {
  /** The simulated dataset every test copies (set before the first test). */
  template = "";
  readonly #dirs: string[] = [];

  /** `simulate` writes the dataset into the template folder before the file's tests; all folders go after them. */
  constructor(
    private readonly name: string,
    simulate: (template: string) => void,
  ) {
    before(() => {
      this.template = this.folder("template");
      simulate(this.template);
    });
    after(() => {
      for (const d of this.#dirs) rmSync(d, { recursive: true, force: true });
    });
  }

  /** An empty folder, removed after the file's tests. */
  folder(kind: string): string {
    const dir = mkdtempSync(join(tmpdir(), `caldp-cos-${this.name}-${kind}-`));
    this.#dirs.push(dir);
    return dir;
  }

  /** A copy of the template for one test. */
  workspace(): string {
    const dir = this.folder("case");
    cpSync(this.template, dir, { recursive: true });
    return dir;
  }

  /** A caldp-process folder: the template copied into `in/`, a config reading its CRDS cache read-only. */
  processFolder(): { dir: string; config: string } {
    const dir = this.folder("process");
    cpSync(this.template, join(dir, "in"), { recursive: true });
    const config = join(dir, "sim.cfg");
    writeFileSync(config, `CRDS_PATH=${join(dir, "in", "crds")}\nCRDS_READONLY_CACHE=1\n`);
    return { dir, config };
  }
}

/** The references folder of a workspace's CRDS cache (calcos' `lref`). */
export const cosReferences = (dir: string) => join(dir, "crds", "references", "hst");

export const sha1 = (path: string) => createHash("sha1").update(readFileSync(path)).digest("hex");

/** `caldp calcos --outdir out RAW` in a workspace, with `lref` set to its cache. */
export const runCalcos = (dir: string, raw: string) =>
  runCliAsync("caldp", ["calcos", "--outdir", "out", raw], { cwd: dir, env: { lref: `${cosReferences(dir)}/` } });

/** Runs calcos on `raw`; checks exit 1, one error line matching `message`, the raws unchanged, nothing written. */
export async function refused(dir: string, raw: string, message: RegExp): Promise<void> {
  const raws = readdirSync(dir).filter((f) => /_raw/.test(f));
  const before = raws.map((f) => sha1(join(dir, f)));
  const run = await runCalcos(dir, raw);
  assert.equal(run.status, 1, run.stdout);
  const lines = run.stderr.trim().split("\n");
  assert.equal(lines.length, 1, run.stderr);
  assert.match(lines[0], message);
  assert.deepEqual(
    raws.map((f) => sha1(join(dir, f))),
    before,
    "the inputs are not modified",
  );
  const out = join(dir, "out");
  assert.deepEqual(existsSync(out) ? readdirSync(out) : [], [], "nothing written, no temporary file left");
}
