/** The stage's pixel maps computed by blocks of rows on worker threads equal the one-thread map, bit for bit. */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { test } from "node:test";
import { readChips } from "../../../src/engine/drizzle/inputs.js";
import { pixelMaps } from "../../../src/engine/drizzle/pixmaps.js";
import { outputFrame, pixelMap } from "../../../src/wcs/index.js";

const HRC = "/usr/share/python-drizzle/test_data/j8bt06nyq_flt.fits";

test("pixel maps on 2 workers (256-row blocks) equal the map made on this thread", {
  skip: !existsSync(HRC) && "no python-drizzle-testdata",
}, async () => {
  const [chip] = readChips(HRC);
  const frame = outputFrame([chip], { rotation: 33, scale: 0.031 });
  const [onWorkers] = await pixelMaps([chip], frame.wcs, 2, 0, 0);
  const here = pixelMap(chip.wcs, frame.wcs, chip.width, chip.height);
  assert.equal(onWorkers.length, here.length);
  assert.ok(onWorkers.every((v, k) => Object.is(v, here[k])));
});
