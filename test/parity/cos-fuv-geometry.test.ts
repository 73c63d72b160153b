// COS FUV parity with calcos 3.4.7 with the geometric steps and bursts: the simulated G130M exposure with distortion
// and a large and a small burst in its raws, RANDCORR (RANDSEED = 1234567: numpy's MT19937 sequence), GEOCORR and
// DGEOCORR (segment A with IGEOCORR, bilinear; segment B without, nearest pixel), BRSTCORR (the bursts leave the
// GTIs, EXPTIME, TBRST/NBRST, DQ 64), against the recorded fingerprints of calcos' _corrtag_a/_b, _counts_a/_b and _flt_a/_b
// (fingerprints/cos-fuv-geometry.json, `scripts/cos-parity-fingerprints.ts fuv-geometry`): 1e-4 relative, DQ
// identical (the out-of-bounds border follows the distorted frame). Truth: GEOCORR takes the distortion out of the
// source row (see assertDistortionRemoved).
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { FitsFile } from "../../src/fits/index.js";
import { SPECTRUM_ROWS } from "../../src/sim/cos-fuv-layout.js";
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
      if (segment === "a") assertDistortionRemoved(join(out, "lsim03fuq_corrtag_a.fits"));
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

/**
 * Truth: the source's mean row in seven 2000-column bands of segment A (unflagged events within 12 rows of the
 * PSA row). The simulated distortion moves it by up to ±1.5 rows along the segment in RAWY; in YCORR it is flat
 * within 0.1 row (the constant offset left is the simulation's TEMPCORR/walk offset, the same without distortion).
 */
function assertDistortionRemoved(path: string): void {
  const file = FitsFile.open(path);
  try {
    const table = file.readTable("EVENTS");
    const column = (name: string) => table.columns.find((c) => c.name === name)?.data as ArrayLike<number>;
    const [xcorr, dq] = [column("XCORR"), column("DQ")];
    const psa = SPECTRUM_ROWS.FUVA.psa;
    const spread = (y: ArrayLike<number>) => {
      const means = [0, 1, 2, 3, 4, 5, 6].map((band) => {
        let [sum, n] = [0, 0];
        for (let k = 0; k < y.length; k++) {
          const x = xcorr[k] - 1200 - 2000 * band;
          if (dq[k] !== 0 || x < 0 || x >= 2000 || Math.abs(y[k] - psa) > 12) continue;
          sum += y[k];
          n++;
        }
        return sum / n;
      });
      return Math.max(...means) - Math.min(...means);
    };
    const [raw, corrected] = [spread(column("RAWY")), spread(column("YCORR"))];
    assert.ok(raw > 2, `RAWY: the source row moves by ${raw} along the segment`);
    assert.ok(corrected < 0.1, `YCORR: the source row moves by ${corrected} along the segment`);
  } finally {
    file.close();
  }
}
