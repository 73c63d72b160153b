/**
 * The MAMA linearity table as a file: the simulator writes it in its real format, the engine reads it and picks
 * the row of the exposure's DETECTOR; a table of the wrong detector or without a column is refused naming the
 * file. No pixels here (test/calib/stis/mama.test.ts has cs1.e's values).
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { CalibrationError } from "../../../src/calib/common/errors.js";
import { linearityRow } from "../../../src/calib/stis/mama.js";
import { readMlintab } from "../../../src/engine/stis/references.js";
import { FitsFile, FitsWriter, Header } from "../../../src/fits/index.js";
import { STIS_MAMA_LINEARITY, writeStisMlintab } from "../../../src/sim/stis-mama-references.js";

const dir = mkdtempSync(join(tmpdir(), "caldp-mlintab-"));
after(() => rmSync(dir, { recursive: true, force: true }));

test("MLINTAB written by the simulator reads back, row of FUV-MAMA with float32 EXPAND", () => {
  const path = join(dir, "sim_lin.fits");
  writeStisMlintab(path);
  const file = FitsFile.open(path);
  try {
    assert.equal(file.hdus[0]!.header.get("FILETYPE"), "MAMA LINEARITY TABLE");
  } finally {
    file.close();
  }
  const table = readMlintab({ name: "oref$sim_lin.fits", path });
  assert.equal(table.pedigree, "MODEL");
  assert.equal(table.rows.length, 2);
  const row = linearityRow(table.rows, "FUV-MAMA", `MLINTAB ${path}`);
  assert.deepEqual(row, { ...STIS_MAMA_LINEARITY[1], EXPAND: Math.fround(2.5) });
  assert.throws(
    () => linearityRow(table.rows, "CCD", `MLINTAB ${path}`),
    (e: unknown) =>
      e instanceof CalibrationError &&
      e.code === "TABLE_ROW_MISSING" &&
      e.message.includes(path) &&
      /CCD/.test(e.message),
  );
});

test("an MLINTAB without TAU is refused naming the file and the column", () => {
  const path = join(dir, "notau_lin.fits");
  const writer = new FitsWriter(path);
  writer.writeImage(new Header().set("PEDIGREE", "MODEL").set("DESCRIP", "no TAU"));
  writer.writeTable(
    new Header().set("EXTNAME", "MLINTAB"),
    [
      { name: "DETECTOR", format: "12A", data: ["FUV-MAMA"] },
      { name: "GLOBAL_LIMIT", format: "1D", data: Float64Array.of(2e5) },
      { name: "LOCAL_LIMIT", format: "1D", data: Float64Array.of(40) },
      { name: "EXPAND", format: "1E", data: Float32Array.of(2.5) },
    ],
    1,
  );
  writer.close();
  assert.throws(
    () => readMlintab({ name: "oref$notau_lin.fits", path }),
    (e: unknown) => e instanceof Error && e.message.includes(path) && e.message.includes("TAU"),
  );
});
