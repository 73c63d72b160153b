/**
 * Shared by the bad-CTE-input tests through caldp-process (ACS and WFC3/UVIS): copies of a simulated dataset with
 * its CRDS cache, edited per test, and the check that a run fails cleanly (its exit code, one error line, no
 * product, the inputs untouched).
 */
import assert from "node:assert/strict";
import { copyFileSync, cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { TestContext } from "node:test";
import { copyData, FitsFile, FitsWriter } from "../../src/fits/index.js";
import { runCliAsync } from "../helpers/cli-async.js";
import { folderState } from "./process-fixture.js";

/** The references folder of a copy's CRDS cache. */
export const referencesIn = (dir: string) => join(dir, "in", "crds", "references", "hst");

/** A copy `root/name` of `root/template` (the simulated inputs and CRDS cache), edited, with its sim.cfg. */
export function variant(root: string, name: string, edit: (dir: string) => void): string {
  const dir = join(root, name);
  cpSync(join(root, "template"), dir, { recursive: true });
  edit(dir);
  writeFileSync(join(dir, "sim.cfg"), `CRDS_PATH=${join(dir, "in", "crds")}\nCRDS_READONLY_CACHE=1\n`);
  return dir;
}

/** Rewrites a FITS file without its HDU `extname,ver`. */
export function dropExtension(path: string, extname: string, ver: number): void {
  const copy = `${path}.orig`;
  copyFileSync(path, copy);
  const file = FitsFile.open(copy);
  const writer = new FitsWriter(path);
  for (const hdu of file.hdus) {
    if (hdu.name === extname && hdu.ver === ver) continue;
    const data = copyData((o, n) => file.readBytes(hdu.dataOffset + o, n), hdu.dataBytes);
    writer.writeRaw(hdu.header.clone(), hdu.dataBytes, data);
  }
  writer.close();
  file.close();
  rmSync(copy);
}

/**
 * Runs caldp-process on dataset `ds` in `dir` (removed after the test); checks the exit code, the one error line
 * (returned), the output and the inputs.
 */
export async function failsCleanly(t: TestContext, dir: string, ds: string, exit: number, exitName: string) {
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const inputs = folderState(join(dir, "in"));
  const r = await runCliAsync("caldp-process", [ds, "file:in", "file:out", join(dir, "sim.cfg")], { cwd: dir });
  assert.equal(r.status, exit, r.stdout.slice(-3000) + r.stderr);
  const errors = r.stderr.trim().split("\n");
  assert.equal(errors.length, 1, `one line on stderr: ${r.stderr}`);
  const process = readFileSync(join(dir, "process.txt"), "utf8");
  assert.ok(process.includes(`EXIT - ${exitName}[${exit}]`), process.slice(-2000));
  assert.deepEqual(readdirSync(join(dir, "messages")), [`error-${ds}`]);
  const out = join(dir, "out", ds);
  const products = existsSync(out) ? readdirSync(out).filter((n) => /\.fits$|\.tmp/.test(n)) : [];
  assert.deepEqual(products, [], "no _flc, no _flt, nothing half-written in the output");
  assert.deepEqual(folderState(join(dir, "in")), inputs, "the inputs and the CRDS cache are untouched");
  t.diagnostic(errors[0]);
  return errors[0];
}
