/**
 * calwf3 on a simulated 2 × 2 binned WFC3/UVIS corner read (amp C of UVIS2) whose references are binned
 * alike and cover a larger region, while the BPIXTAB stays in unbinned science pixels:
 * - over DQ-clean pixels (SCI − truth·EXPTIME)/ERR has median 0 ± 0.05 and 16–84 % half-width 1 ± 0.05;
 * - each bad unbinned column 2x of the BPIXTAB flags binned column x in every row, and not its neighbours;
 * - the trimmed `_flt` keeps LTM 0.5 and moves LTV1 by the 12 binned prescan columns (12.25 → 0.25).
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { calwf3 } from "../../src/engine/wfc3/calwf3.js";
import { FitsFile } from "../../src/fits/index.js";
import { simulateUvisBinned } from "../../src/sim/wfc3-binned.js";

const out = mkdtempSync(join(tmpdir(), "calwf3-binned-"));
after(() => rmSync(out, { recursive: true, force: true }));

function quantile(sorted: Float64Array, p: number): number {
  return sorted[Math.floor(p * (sorted.length - 1))];
}

test("calwf3 UVIS 2×2 binned: binned references, BPIXTAB through the unbinned scratch, against the truth", async () => {
  const sim = simulateUvisBinned({ rootname: "iabc07b1q", out, seed: 2 });
  const result = await calwf3(["iabc07b1q_raw.fits"], {
    dir: out,
    env: { iref: `${sim.referenceDir}/` },
    log: () => {},
  });
  assert.deepEqual(result.outputs, ["iabc07b1q_flt.fits"]);
  const file = FitsFile.open(join(out, "iabc07b1q_flt.fits"));
  try {
    const hdu = file.hdu("SCI", 1);
    assert.deepEqual(hdu.axes, [sim.nx, sim.ny]);
    assert.deepEqual(
      ["LTV1", "LTM1_1", "LTM2_2"].map((k) => hdu.header.getNumber(k)),
      [0.25, 0.5, 0.5],
    );
    const sci = file.readImage(hdu).data as Float32Array;
    const err = file.readImage(file.hdu("ERR", 1)).data as Float32Array;
    const dq = file.readImage(file.hdu("DQ", 1)).data as Int16Array;
    const z = new Float64Array(sci.length);
    let n = 0;
    for (let k = 0; k < sci.length; k++) if (dq[k] === 0) z[n++] = (sci[k] - sim.scene.rate[k] * 400) / err[k];
    const sorted = z.subarray(0, n).sort();
    const median = quantile(sorted, 0.5);
    const halfWidth = (quantile(sorted, 0.8413) - quantile(sorted, 0.1587)) / 2;
    assert.ok(n > 0.97 * sci.length, `${n} clean pixels`);
    assert.ok(Math.abs(median) < 0.05, `median ${median}`);
    assert.ok(Math.abs(halfWidth - 1) < 0.05, `half-width ${halfWidth}`);
    assert.ok(sim.badColumns.length > 0, "a bad column under the binned read");
    for (const x of sim.badColumns) {
      for (let y = 0; y < sim.ny; y++) assert.ok(dq[y * sim.nx + x] & 4, `bad column ${x} row ${y}`);
      for (const side of [x - 1, x + 1]) {
        if (side < 0 || side >= sim.nx || sim.badColumns.includes(side)) continue;
        assert.equal(dq[10 * sim.nx + side] & 4, 0, `column ${side} beside the bad one`);
      }
    }
  } finally {
    file.close();
  }
});
