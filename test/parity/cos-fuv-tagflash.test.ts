// COS FUV TAGFLASH parity with calcos 3.4.7: `caldp calcos` on the simulated G130M exposure with two lamp flashes
// on each segment against the recorded fingerprints of calcos' _corrtag_a/_b (EVENTS with XFULL/YFULL/WAVELENGTH,
// GTI, TIMELINE), _counts/_flt (DQ borders moved by the shifts) and the one _lampflash (both segments' rows)
// (fingerprints/cos-fuv-tagflash.json, `scripts/cos-parity-fingerprints.ts fuv-tagflash`): 1e-4 relative, DQ
// identical; the WAVECORR keywords equal calcos'; the drift between the flashes equal the simulated one.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { readLampflash } from "../../src/engine/cos/lampflash.js";
import { COS_FUV_FLASHES } from "../../src/sim/cos-fuv-flashes.js";
import {
  COS_FUV_TAGFLASH_CASE,
  calcosAgainstRecord,
  fingerprintPathOf,
  readCosRecord,
  simulateCosFuvTagflashCase,
  wavecorrKeywords,
} from "./cos-case.js";

const recorded = readCosRecord(fingerprintPathOf(COS_FUV_TAGFLASH_CASE)) as ReturnType<typeof readCosRecord> & {
  keywords: Record<string, Record<string, string | number | boolean | null>>;
};

test(`${COS_FUV_TAGFLASH_CASE.name}: caldp calcos's FUV WAVECORR products, keywords and _lampflash equal ${recorded.program}'s`, async () => {
  const dir = mkdtempSync(join(tmpdir(), "caldp-parity-cos-fuv-tagflash-"));
  try {
    const { out, differences } = await calcosAgainstRecord(dir, simulateCosFuvTagflashCase(dir), recorded);
    assert.deepEqual(differences, [], `differences from ${recorded.program}`);
    const lampflash = recorded.products.find((p) => p.file.endsWith("_lampflash.fits"))?.tables?.[0];
    assert.equal(lampflash?.rows, 4, "two flashes × two segments");
    assert.ok((lampflash?.columns.length ?? 0) >= 13, "every numeric LAMPFLASH column is compared");

    assert.equal(Object.keys(recorded.keywords).length, 3);
    for (const [file, theirs] of Object.entries(recorded.keywords)) {
      const ours = wavecorrKeywords(join(out, file));
      assert.ok(Object.keys(theirs).length >= 20, `${file}: keywords recorded`);
      for (const [key, value] of Object.entries(theirs)) {
        if (typeof value === "number") {
          const o = Number(ours[key]);
          assert.ok(Math.abs(o - value) <= 1e-9 * Math.max(1, Math.abs(value)), `${file} ${key}: ${o} vs ${value}`);
        } else assert.equal(ours[key], value, `${file} ${key}`);
      }
    }

    // the truth: between the flashes each segment's spectrum moved by the simulated drift (walk and Doppler add
    // a constant to both flashes), across the dispersion too
    const { rows } = readLampflash(join(out, `${COS_FUV_TAGFLASH_CASE.dataset}_lampflash.fits`));
    assert.deepEqual(
      rows.map((r) => r.segment),
      ["FUVA", "FUVA", "FUVB", "FUVB"],
    );
    const [first, second] = COS_FUV_FLASHES;
    for (const s of [0, 2]) {
      const [a, b] = [rows[s], rows[s + 1]];
      assert.ok(a.specFound && b.specFound, `${a.segment}: both flashes found`);
      const moved = b.shiftDisp - a.shiftDisp;
      assert.ok(Math.abs(moved - (second.drift - first.drift)) < 0.15, `${a.segment} moved ${moved}`);
      const across = b.shiftXdisp - a.shiftXdisp;
      assert.ok(Math.abs(across - (second.shift2 - first.shift2)) < 0.2, `${a.segment} moved across ${across}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
