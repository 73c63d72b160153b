// COS FUV parity with calcos 3.4.7 with the geometric steps and bursts: the simulated G130M exposure with distortion
// and a large and a small burst in its raws, RANDCORR (RANDSEED = 1234567: numpy's MT19937 sequence), GEOCORR and
// DGEOCORR (segment A with IGEOCORR, bilinear; segment B without, nearest pixel), BRSTCORR (the bursts leave the GTIs, EXPTIME, TBRST/NBRST, DQ 64),
// against the recorded fingerprints of calcos' _corrtag_a/_b, _counts_a/_b and _flt_a/_b
// (fingerprints/cos-fuv-geometry.json, `scripts/cos-parity-fingerprints.ts fuv-geometry`): 1e-4 relative, DQ
// identical (the out-of-bounds border follows the distorted frame).
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { FitsFile } from "../../src/fits/index.js";
import { calcosAgainstRecord, fingerprintPathOf, readCosRecord, simulateCosFuvGeoCase } from "./cos-case.js";

const recorded = readCosRecord(fingerprintPathOf({ name: "cos-fuv-geometry" }));

test(`cos-fuv-geometry: RANDCORR, GEOCORR, DGEOCORR, IGEOCORR and BRSTCORR on both segments equal ${recorded.program}'s`, async () => {
  const dir = mkdtempSync(join(tmpdir(), "caldp-parity-cosfuv-geo-"));
  try {
    const { out, differences } = await calcosAgainstRecord(dir, simulateCosFuvGeoCase(dir), recorded);
    assert.deepEqual(differences, [], `differences from ${recorded.program}`);
    assert.equal(recorded.products.length, 6);
    for (const segment of ["a", "b"]) {
      const file = FitsFile.open(join(out, `lsim03fuq_corrtag_${segment}.fits`));
      try {
        const primary = file.hdus[0].header;
        for (const step of ["RANDCORR", "GEOCORR", "DGEOCORR", "BRSTCORR"]) {
          assert.equal(primary.get(step), "COMPLETE", `${step} of segment ${segment}`);
        }
        assert.equal(primary.get("IGEOCORR"), segment === "a" ? "COMPLETE" : "OMIT");
        assert.equal(primary.getNumber("RANDSEED"), 1234567);
        const events = file.hdus[1].header;
        const s = segment.toUpperCase();
        assert.ok(events.getNumber(`NBRST_${s}`) > 0 && events.getNumber(`TBRST_${s}`) > 0, "bursts found");
      } finally {
        file.close();
      }
      // XCORR is neither RAWX nor a whole number: the random offset and the distortion were applied
      const corrtag = recorded.products.find((p) => p.file.endsWith(`_corrtag_${segment}.fits`));
      const columns = corrtag?.tables?.find((t) => t.extname === "EVENTS")?.columns ?? [];
      const samples = (name: string) => columns.find((c) => c.name === name)?.samples ?? [];
      const [rawx, xcorr] = [samples("RAWX"), samples("XCORR")];
      const moved = xcorr.filter((x, k) => !Number.isInteger(x - rawx[k])).length;
      assert.ok(rawx.length > 0 && moved > 0.9 * rawx.length, `${moved} of ${rawx.length} sampled XCORR moved`);
      const burstFlags = columns.find((c) => c.name === "DQ")?.bits?.[6] ?? 0;
      assert.ok(burstFlags > 1000, `${burstFlags} events of the large burst flagged 64`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
