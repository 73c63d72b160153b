// `caldp sim --subarray` (ACS/WFC): the raw and its references carry the subarray's real-format keywords and the
// same place on the chip (LTV), so that calacs.e and our calacs cut nothing and find the amp where it is.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { FitsFile } from "../../src/fits/index.js";
import { simulateDataset } from "../../src/sim/index.js";

const dir = mkdtempSync(join(tmpdir(), "caldp-sim-acs-subarray-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function headers(path: string, hdu: number) {
  const file = FitsFile.open(path);
  try {
    return file.hdus[hdu].header;
  } finally {
    file.close();
  }
}

for (const [aperture, amp, chip, ltv1, ltv2, prescanLeft] of [
  ["WFC2C-512", "C", 2, 24, 0, true],
  ["WFC2D-512", "D", 2, -3584, 0, false],
  ["WFC1A-512", "A", 1, 24, -1536, true],
  ["WFC1B-512", "B", 1, -3584, -1536, false],
] as const) {
  test(`${aperture}: SUBARRAY, APERTURE, CCDAMP ${amp}, CCDCHIP ${chip}, LTV of raw and references, OSCNTAB trims`, () => {
    const sim = simulateDataset({
      dataset: "j8cb0cs1q",
      detector: "WFC",
      seed: 3,
      cte: true,
      subarray: aperture,
      out: join(dir, aperture),
    });
    const raw = sim.exposures[0].raw;
    const primary = headers(raw, 0);
    assert.equal(primary.get("SUBARRAY"), true);
    assert.equal(primary.get("APERTURE"), aperture);
    assert.equal(primary.get("CCDAMP"), amp);
    assert.equal(primary.get("PCTECORR"), "PERFORM");
    const sci = headers(raw, 1);
    assert.deepEqual([sci.get("NAXIS1"), sci.get("NAXIS2")], [536, 512]);
    assert.deepEqual([sci.get("SIZAXIS1"), sci.get("SIZAXIS2")], [536, 512]);
    assert.equal(sci.get("CCDCHIP"), chip);
    assert.deepEqual([sci.get("LTV1"), sci.get("LTV2")], [ltv1, ltv2]);
    assert.equal(typeof sci.get("CENTERA1"), "number");
    // the science-sized references sit where the trimmed subarray does (LTV1 less the prescan on the left)
    for (const keyword of ["DARKFILE", "PFLTFILE", "DRKCFILE"]) {
      const reference = headers(sim.references[keyword], 1);
      assert.deepEqual(
        [reference.get("LTV1"), reference.get("LTV2")],
        [prescanLeft ? ltv1 - 24 : ltv1, ltv2],
        `${keyword} LTV`,
      );
    }
    const bias = headers(sim.references.BIASFILE, 1);
    assert.deepEqual([bias.get("LTV1"), bias.get("LTV2")], [ltv1, ltv2], "BIASFILE LTV (raw-sized)");
    // the SATUFILE is the whole raw chip, as the archive's: a subarray-sized one sends calacs.e past the image
    const satu = headers(sim.references.SATUFILE, 1);
    assert.deepEqual(
      [satu.get("NAXIS1"), satu.get("NAXIS2"), satu.get("CCDCHIP"), satu.get("LTV1"), satu.get("LTV2")],
      [4144, 2068, chip, 24, chip === 1 ? 20 : 0],
      "SATUFILE: the whole chip",
    );
    const oscn = FitsFile.open(sim.references.OSCNTAB);
    const table = oscn.readTable(1);
    oscn.close();
    const value = (name: string) => Number((table.columns.find((c) => c.name === name)!.data as ArrayLike<number>)[0]);
    assert.deepEqual(
      [value("TRIMX1"), value("TRIMX2"), value("VY1"), value("VY2")],
      [prescanLeft ? 24 : 0, prescanLeft ? 0 : 24, 0, 0],
    );
  });
}
