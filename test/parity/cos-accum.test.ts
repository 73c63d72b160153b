// COS ACCUM parity with calcos 3.4.7: `caldp calcos` on the simulated NUV ACCUM exposure (G185M, the point source
// binned on board into a _rawaccum) against the recorded fingerprints of calcos' pseudo _corrtag (EVENTS, GTI,
// TIMELINE), _counts, _flt and _x1d (fingerprints/cos-nuv-accum.json, `scripts/cos-parity-fingerprints.ts accum`):
// 1e-4 relative, DQ identical; the ACCUM keywords (zero SHIFT1/SHIFT2/DPIXEL1 from calcos' updateShift, the
// one-factor DEADCORR, DOPPCORR OMIT, WAVECORR SKIPPED) equal calcos'.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import {
  accumKeywords,
  COS_ACCUM_CASE,
  calcosAgainstRecord,
  fingerprintPathOf,
  readCosRecord,
  simulateCosAccumCase,
} from "./cos-case.js";

const recorded = readCosRecord(fingerprintPathOf(COS_ACCUM_CASE)) as ReturnType<typeof readCosRecord> & {
  keywords: Record<string, Record<string, string | number | boolean | null>>;
};

test(`${COS_ACCUM_CASE.name}: caldp calcos's ACCUM corrtag, counts, flt, x1d and keywords equal ${recorded.program}'s`, async () => {
  const dir = mkdtempSync(join(tmpdir(), "caldp-parity-cos-accum-"));
  try {
    const { out, differences } = await calcosAgainstRecord(dir, simulateCosAccumCase(dir), recorded);
    assert.deepEqual(differences, [], `differences from ${recorded.program}`);
    const events = recorded.products[0].tables?.find((t) => t.extname === "EVENTS");
    assert.equal(events?.columns.length, 12, "every corrtag column");
    assert.ok((events?.rows ?? 0) > 100_000, "one pseudo event per count");
    const x1d = recorded.products.find((p) => p.file.endsWith("_x1d.fits"))?.tables?.[0];
    assert.equal(x1d?.rows, 3, "three NUV stripes");

    assert.equal(Object.keys(recorded.keywords).length, 4);
    for (const [file, theirs] of Object.entries(recorded.keywords)) {
      const ours = accumKeywords(join(out, file));
      assert.ok(Object.keys(theirs).length >= 20, `${file}: keywords recorded`);
      for (const [key, value] of Object.entries(theirs)) {
        if (typeof value === "number") {
          const o = Number(ours[key]);
          assert.ok(Math.abs(o - value) <= 1e-9 * Math.max(1, Math.abs(value)), `${file} ${key}: ${o} vs ${value}`);
        } else assert.equal(ours[key], value, `${file} ${key}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
