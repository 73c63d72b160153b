// COS TAGFLASH parity with calcos 3.4.7: `caldp calcos` on the simulated NUV exposure with two lamp flashes
// against the recorded fingerprints of calcos' _corrtag (EVENTS, GTI, TIMELINE), _counts, _flt, _lampflash
// (LAMPFLASH table) and _x1d (fingerprints/cos-nuv-tagflash.json, `scripts/cos-parity-fingerprints.ts
// --tagflash`): 1e-4 relative, DQ identical; and the shifts found against the drift the simulation put in.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { readLampflash } from "../../src/engine/cos/lampflash.js";
import { FitsFile } from "../../src/fits/index.js";
import { COS_NUV_FLASHES } from "../../src/sim/cos-nuv-flashes.js";
import { FP_PIXEL_SHIFT } from "../../src/sim/cos-references.js";
import {
  COS_TAGFLASH_CASE,
  calcosAgainstRecord,
  fingerprintPathOf,
  readCosRecord,
  simulateCosCase,
} from "./cos-case.js";

const recorded = readCosRecord(fingerprintPathOf(COS_TAGFLASH_CASE));

test(`${COS_TAGFLASH_CASE.name}: caldp calcos's products and _lampflash equal ${recorded.program}'s`, async () => {
  const dir = mkdtempSync(join(tmpdir(), "caldp-parity-cos-tagflash-"));
  try {
    const simulated = simulateCosCase(dir, COS_TAGFLASH_CASE);
    const { out, differences } = await calcosAgainstRecord(dir, simulated, recorded, false);
    assert.deepEqual(differences, [], `differences from ${recorded.program}`);
    const lampflash = recorded.products.find((p) => p.file.endsWith("_lampflash.fits"))?.tables?.[0];
    assert.equal(lampflash?.rows, 6, "two flashes × three stripes");
    assert.ok((lampflash?.columns.length ?? 0) >= 13, "every numeric LAMPFLASH column is compared");

    // the truth: each flash's measured shift (SHIFT_DISP less FP_PIXEL_SHIFT) is the drift simulated
    const { rows, header } = readLampflash(join(out, `${COS_TAGFLASH_CASE.dataset}_lampflash.fits`));
    for (const [k, r] of rows.entries()) {
      const flash = COS_NUV_FLASHES[Math.floor(k / 3)];
      const measured = r.shiftDisp - FP_PIXEL_SHIFT[k % 3];
      assert.ok(Math.abs(measured - flash.drift) < 0.1, `${r.segment} flash ${Math.floor(k / 3) + 1}: ${measured}`);
      assert.ok(Math.abs(r.shiftXdisp - flash.shift2) < 0.2, `${r.segment} cross-dispersion ${r.shiftXdisp}`);
      assert.ok(r.specFound);
    }
    const corrtag = FitsFile.open(join(out, `${COS_TAGFLASH_CASE.dataset}_corrtag.fits`));
    try {
      const events = corrtag.hdu("EVENTS").header;
      assert.equal(corrtag.hdus[0].header.getString("WAVECORR"), "COMPLETE");
      assert.equal(events.getInt("NUMFLASH"), 2);
      for (const letter of ["A", "B", "C"])
        assert.equal(events.getNumber(`SHIFT1${letter}`), header[`SHIFT1${letter}`]);
    } finally {
      corrtag.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
