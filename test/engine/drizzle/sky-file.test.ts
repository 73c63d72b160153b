/**
 * The skyfile as drizzlepac 3.6.2's _skyUserFromFile reads it: "#" lines are comments, one containing "applied"
 * with "=" or ":" says whether the user subtracted the values (yes/true/y/t); blank lines skipped; a line is a name
 * and its values, whitespace-separated (CRLF too). And the names checked against the inputs (as given, or by file
 * name).
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { DrizzleStageError } from "../../../src/engine/drizzle/errors.js";
import { checkSkyFileNames, readSkyFile } from "../../../src/engine/drizzle/sky-user.js";

const dir = mkdtempSync(join(tmpdir(), "caldp-skyfile-"));
after(() => rmSync(dir, { recursive: true, force: true }));
let count = 0;
const file = (text: string) => {
  const path = join(dir, `sky${count++}.txt`);
  writeFileSync(path, text);
  return path;
};

test("comments, blank lines, tabs and CRLF; values as numbers in line order", () => {
  const sky = readSkyFile(file("# skies of my own\r\n\r\na_flt.fits\t12.5  13\r\n   \r\nb_flt.fits -1e-1\r\n"));
  assert.equal(sky.applied, false);
  assert.deepEqual(
    sky.lines.map((l) => [l.name, l.values, l.line]),
    [
      ["a_flt.fits", [12.5, 13], 3],
      ["b_flt.fits", [-0.1], 5],
    ],
  );
});

test("'# applied' with '=' or ':' and yes/true/y/t (any case) says the values were subtracted; others do not", () => {
  for (const line of ["# applied = yes", "#applied: TRUE", "# sky applied = y", "# applied:t"]) {
    assert.equal(readSkyFile(file(`${line}\na_flt.fits 1\n`)).applied, true, line);
  }
  for (const line of ["# applied = no", "# applied yes", "# subtracted = yes", "applied = yes"]) {
    const path = file(`${line}\na_flt.fits 1\n`);
    if (line.startsWith("#")) assert.equal(readSkyFile(path).applied, false, line);
    else assert.throws(() => readSkyFile(path), /line 1: sky value '=' is not a number/);
  }
});

test("names checked against the inputs as given or by file name; the first stranger named with its line", () => {
  const path = file("a_flt.fits 1\n/data/b_flt.fits 2\nc_flt.fits 3\n");
  assert.doesNotThrow(() => checkSkyFileNames(path, ["/x/a_flt.fits", "/data/b_flt.fits", "c_flt.fits"]));
  assert.throws(
    () => checkSkyFileNames(path, ["/x/a_flt.fits", "/y/b_flt.fits", "c_flt.fits"]),
    (e: unknown) =>
      e instanceof DrizzleStageError &&
      e.message === `${path}: keyword skyfile: line 2: /data/b_flt.fits is not an input image`,
  );
});

test("a missing file, a value that is not a number, a name without values: errors naming the file", () => {
  assert.throws(() => readSkyFile(join(dir, "none.txt"), "skyuser"), /none\.txt: keyword skyuser: no such file/);
  assert.throws(() => readSkyFile(file("a_flt.fits 1 nan\n")), /line 1: sky value 'nan' is not a number/);
  assert.throws(() => readSkyFile(file("\n\na_flt.fits\n")), /line 3: a_flt\.fits has no sky value/);
});
