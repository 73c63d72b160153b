// COS parity with calcos 3.4.7: `caldp calcos` on the simulated NUV TIME-TAG exposure against the recorded
// fingerprints of calcos' _corrtag (EVENTS, GTI and TIMELINE columns), _counts, _flt and _x1d (BOXCAR spectra, FLUX)
// (fingerprints/cos-nuv-timetag.json, written by scripts/cos-parity-fingerprints.ts): 1e-4 relative, DQ identical.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { COS_CASE, calcosAgainstRecord, cosFingerprintPath, readCosRecord, simulateCosCase } from "./cos-case.js";

const recorded = readCosRecord(cosFingerprintPath);

test(`${COS_CASE.name}: caldp calcos's corrtag columns, counts and flt equal ${recorded.program}'s`, async () => {
  const dir = mkdtempSync(join(tmpdir(), "caldp-parity-cos-"));
  try {
    const { differences } = await calcosAgainstRecord(dir, simulateCosCase(dir), recorded);
    assert.deepEqual(differences, [], `differences from ${recorded.program}`);
    // the fingerprint is not empty: every corrtag column of calcos, every image extension
    const corrtag = recorded.products[0].tables?.find((t) => t.extname === "EVENTS");
    assert.equal(corrtag?.columns.length, 12);
    assert.equal(recorded.products[1].extensions.length, 3);
    const x1d = recorded.products.find((p) => p.file.endsWith("_x1d.fits"))?.tables?.[0];
    assert.equal(x1d?.rows, 3, "three NUV stripes");
    assert.equal(x1d?.columns.length, 23, "every numeric x1d column");
    const flux = x1d?.columns.find((c) => c.name === "FLUX")?.stats;
    assert.ok(flux && flux.max > 1e-14, "FLUXCORR and TDSCORR are in the recorded FLUX");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
