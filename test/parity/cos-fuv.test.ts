// COS FUV parity with calcos 3.4.7: `caldp calcos` on the simulated G130M TIME-TAG exposure (segments A and B)
// against the recorded fingerprints of calcos' _corrtag_a/_b (EVENTS, GTI and TIMELINE columns), _counts_a/_b and
// _flt_a/_b (fingerprints/cos-fuv-timetag.json, `scripts/cos-parity-fingerprints.ts fuv`): 1e-4 relative, DQ identical.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import {
  COS_FUV_CASE,
  calcosAgainstRecord,
  cosFuvFingerprintPath,
  readCosRecord,
  simulateCosFuvCase,
} from "./cos-case.js";

const recorded = readCosRecord(cosFuvFingerprintPath);

test(`${COS_FUV_CASE.name}: caldp calcos's FUV corrtag columns, counts and flt of both segments equal ${recorded.program}'s`, async () => {
  const dir = mkdtempSync(join(tmpdir(), "caldp-parity-cosfuv-"));
  try {
    const { differences } = await calcosAgainstRecord(dir, simulateCosFuvCase(dir), recorded);
    assert.deepEqual(differences, [], `differences from ${recorded.program}`);
    // the fingerprint is not empty: both segments, every corrtag column with PHA, flagged events, the airglow
    assert.equal(recorded.products.length, 6);
    for (const segment of ["a", "b"]) {
      const corrtag = recorded.products.find((p) => p.file.endsWith(`_corrtag_${segment}.fits`));
      const events = corrtag?.tables?.find((t) => t.extname === "EVENTS");
      assert.equal(events?.columns.length, 12);
      const dq = events?.columns.find((c) => c.name === "DQ")?.stats;
      assert.ok(dq && dq.max >= 512, `segment ${segment}: PHACORR and gain sag flags in DQ`);
      const timeline = corrtag?.tables?.find((t) => t.extname === "TIMELINE");
      const airglow = segment === "a" ? "OI_1304" : "LY_ALPHA";
      assert.ok((timeline?.columns.find((c) => c.name === airglow)?.stats.max ?? 0) > 0, `${airglow} on ${segment}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
