/**
 * final_fillval on the real ACS/HRC flt of python-drizzle-testdata: INDEF (the default, or given as "INDEF")
 * leaves NaN in the SCI where the final WHT is 0, as AstroDrizzle 3.6.2 writes its drz; a number fills exactly
 * those pixels with it. D001FVAL says which. The same through `caldp drizzle --final-fillval`.
 */
import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { FINAL_DRIZZLE_ONLY } from "../../../src/engine/drizzle/parameters.js";
import { drizzleInputs } from "../../../src/engine/drizzle/run.js";
import { FitsFile } from "../../../src/fits/index.js";
import { ORACLE_MISSING } from "../../calib/drizzle/oracle.js";
import { runCli } from "../../helpers/cli.js";

const HRC = "/usr/share/python-drizzle/test_data/j8bt06nyq_flt.fits";
const dir = mkdtempSync(join(tmpdir(), "caldp-fillval-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function readProduct(path: string) {
  const file = FitsFile.open(path);
  try {
    return {
      sci: file.readImage("SCI").data as Float32Array,
      wht: file.readImage("WHT").data as Float32Array,
      fval: file.hdus[0].header.get("D001FVAL"),
    };
  } finally {
    file.close();
  }
}

/** How many pixels have no weight, and whether SCI holds `expected` on exactly those and finite values elsewhere. */
function check(sci: Float32Array, wht: Float32Array, expected: number): { empty: number; wrong: number } {
  let [empty, wrong] = [0, 0];
  for (let k = 0; k < sci.length; k++) {
    if (wht[k] === 0) {
      empty++;
      if (Number.isNaN(expected) ? !Number.isNaN(sci[k]) : sci[k] !== expected) wrong++;
    } else if (!Number.isFinite(sci[k])) wrong++;
  }
  return { empty, wrong };
}

test("final_fillval INDEF gives NaN where WHT is 0; a number gives that number there", {
  skip: ORACLE_MISSING,
}, async () => {
  for (const [fillValue, fval] of [
    [undefined, "INDEF"],
    [-7.25, "-7.25"],
    [0, "0"],
  ] as const) {
    const output = join(dir, `fill${fval}_drz.fits`);
    await drizzleInputs([HRC], { output, fillValue, adriz: FINAL_DRIZZLE_ONLY });
    const p = readProduct(output);
    const { empty, wrong } = check(p.sci, p.wht, fillValue ?? Number.NaN);
    assert.ok(empty > 10_000, `${empty} pixels without weight (the rotated frame's corners)`);
    assert.equal(wrong, 0, `fillval ${fval}: ${wrong} pixels wrong`);
    assert.equal(p.fval, fval);
  }
});

test("caldp drizzle --final-fillval: INDEF and numbers taken, anything else refused naming the option", {
  skip: ORACLE_MISSING,
}, () => {
  const flt = join(dir, "j8bt06nyq_flt.fits");
  copyFileSync(HRC, flt);
  for (const [value, expected] of [
    ["INDEF", Number.NaN],
    ["12.5", 12.5],
  ] as const) {
    const output = join(dir, `cli${value}`);
    const run = runCli("caldp", ["drizzle", "--output", output, "--final-fillval", value, flt], { cwd: dir });
    assert.equal(run.status, 0, run.stderr);
    const p = readProduct(`${output}_drz.fits`);
    assert.equal(check(p.sci, p.wht, expected).wrong, 0, value);
    assert.equal(p.fval, value);
  }
  const bad = runCli("caldp", ["drizzle", "--output", join(dir, "bad"), "--final-fillval", "lots", flt], { cwd: dir });
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /--final-fillval lots/);
});
