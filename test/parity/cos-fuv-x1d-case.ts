// COS FUV X1DCORR (BOXCAR) parity with calcos 3.4.7, shared by cos-fuv-x1d.test.ts and cos-fuv-x1d-tagflash.test.ts:
// `caldp calcos` on a simulated G130M exposure with X1DCORR, BACKCORR, FLUXCORR, TDSCORR and HELCORR against the
// recorded fingerprints of calcos' products (`scripts/cos-parity-fingerprints.ts fuv-x1d[-tagflash]`): the _x1d's
// columns within 1e-4 relative, DQ identical, a row per segment; every product's NEXTEND, EXTNAME/EXTVER, BUNIT and
// extraction keywords. Truth: the extracted NET of each segment against the simulated source
// rate, in bins of 256 columns, χ²/n with the variances calcos writes. The simulator records every event and does
// not imprint the flat: FLATCORR and DEADCORR are expected to raise each event to 1 / (flat × LIVETM).
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestContext } from "node:test";
import { FitsFile } from "../../src/fits/index.js";
import { cosFuvSourceProfile, FUV_PROFILE_SIGMA } from "../../src/sim/cos-fuv.js";
import {
  ACTIVE_AREA,
  FLAT_ROWS,
  FUV_X,
  type FuvSegment,
  PHA_LIMITS,
  SPECTRUM_ROWS,
} from "../../src/sim/cos-fuv-references.js";
import { calcosAgainstRecord, fingerprintPathOf, readCosRecord, structureKeywords } from "./cos-case.js";

type Keywords = Record<string, string | number | boolean | null>[];
export const readX1dRecord = (c: { name: string }) =>
  readCosRecord(fingerprintPathOf(c)) as ReturnType<typeof readCosRecord> & { headers: Record<string, Keywords> };

/** Header keywords that differ: strings and integers exactly, reals (SP_OFF_x, SP_ERR_x) within 1e-4 relative. */
function keywordDifferences(file: string, ours: Keywords, theirs: Keywords): string[] {
  if (ours.length !== theirs.length) return [`${file}: ${ours.length} HDUs, calcos ${theirs.length}`];
  return theirs.flatMap((expected, hdu) => {
    const keys = new Set([...Object.keys(expected), ...Object.keys(ours[hdu])]);
    return [...keys].flatMap((k) => {
      const [a, b] = [ours[hdu][k], expected[k]];
      const close = typeof a === "number" && typeof b === "number" && Math.abs(a - b) <= 1e-4 * Math.abs(b);
      return a === b || close ? [] : [`${file}[${hdu}] ${k}: ours ${a}, calcos ${b}`];
    });
  });
}
const SOURCE_RATE = 1500;
const BIN = 256;

/** Φ by Abramowitz–Stegun 7.1.26 (|error| < 1.5e-7, far below what the test resolves). */
function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/**
 * Expected NET per column: the sampled profile, the source rows (round(PSA + σN)) inside the box, each weighted
 * by 1 / flat there, PHA inside its limits, divided by the live time.
 */
function expectedNet(segment: FuvSegment, height: number, flat: Float32Array, livetime: number): (x: number) => number {
  const { left, right } = ACTIVE_AREA[segment];
  let total = 0;
  for (let x = left; x <= right; x++) total += cosFuvSourceProfile(segment, x);
  const psa = SPECTRUM_ROWS[segment].psa;
  const half = Math.trunc(height / 2);
  const rows = Array.from({ length: height }, (_, k) => psa - half + k);
  const share = rows.map(
    (y) => normalCdf((y + 0.5 - psa) / FUV_PROFILE_SIGMA) - normalCdf((y - 0.5 - psa) / FUV_PROFILE_SIGMA),
  );
  // simulated PHA = round(12 + 3.5 N): kept between the PHATAB limits
  const phaKept = normalCdf((PHA_LIMITS.ult + 0.5 - 12) / 3.5) - normalCdf((PHA_LIMITS.llt - 0.5 - 12) / 3.5);
  return (x) => {
    if (x < left || x > right) return 0;
    let inBox = 0;
    rows.forEach((y, k) => {
      inBox += share[k] / flat[(y - FLAT_ROWS.origin) * FUV_X + x];
    });
    return (SOURCE_RATE * inBox * phaKept * cosFuvSourceProfile(segment, x)) / total / livetime;
  };
}

function flatOf(referenceDir: string, segment: FuvSegment): Float32Array {
  const name = readdirSync(referenceDir).find((f) => f.endsWith("_flat.fits"));
  const file = FitsFile.open(join(referenceDir, name ?? "missing_flat.fits"));
  try {
    return file.readImage(segment).data as Float32Array;
  } finally {
    file.close();
  }
}

/** The parity checks; with `truth`, each segment's NET against the simulated source too. */
export async function fuvX1dParity(
  t: TestContext,
  c: { name: string; dataset: string },
  simulate: (dir: string) => { input: string; referenceDir: string },
  truth: boolean,
): Promise<void> {
  const recorded = readX1dRecord(c);
  const dir = mkdtempSync(join(tmpdir(), "caldp-parity-cosfuvx1d-"));
  try {
    const simulated = simulate(dir);
    const { out, differences } = await calcosAgainstRecord(dir, simulated, recorded);
    assert.deepEqual(differences, [], `differences from ${recorded.program}`);
    // NEXTEND, EXTNAME/EXTVER, BUNIT of every extension and the extraction keywords, in every product
    const headers = Object.entries(recorded.headers).flatMap(([f, theirs]) =>
      keywordDifferences(f, structureKeywords(join(out, f)), theirs),
    );
    assert.deepEqual(headers, [], `header keywords that differ from ${recorded.program}'s`);
    assert.equal(recorded.headers[`${c.dataset}_flt_a.fits`]?.[3]?.BUNIT, "UNITLESS");
    const x1d = recorded.products.find((p) => p.file.endsWith("_x1d.fits"));
    const sci = x1d?.tables?.find((t) => t.extname === "SCI");
    assert.equal(sci?.rows, 2, "a row per segment");
    assert.ok((sci?.columns.length ?? 0) >= 20, "every numeric x1d column recorded");

    const file = FitsFile.open(join(out, `${c.dataset}_x1d.fits`));
    try {
      assert.equal(file.hdus[0].header.getString("SEGMENT").trim(), "BOTH");
      assert.equal(file.hdus[0].header.getString("FLUXCORR").trim(), "COMPLETE");
      const table = file.readTable(1);
      const col = (name: string) => table.columns.find((c) => c.name === name)?.data as ArrayLike<number>;
      const segments = table.columns.find((c) => c.name === "SEGMENT")?.data as string[];
      assert.deepEqual(
        segments.map((s) => s.trim()),
        ["FUVA", "FUVB"],
      );
      const n = 16384;
      const [exptime, height] = [col("EXPTIME"), col("NUM_EXTRACT_ROWS")];
      const [net, dqWgt, flux] = [col("NET"), col("DQ_WGT"), col("FLUX")];
      const variance = ["VARIANCE_COUNTS", "VARIANCE_BKG", "VARIANCE_FLAT"].map(col);
      (["FUVA", "FUVB"] as FuvSegment[]).forEach((segment, r) => {
        assert.ok(flux[r * n + 8000] > 0, `${segment}: FLUX from NET`);
        if (!truth) return;
        const livetime = file.hdus[1].header.getNumber(`LIVETM_${segment.slice(-1)}`);
        const expectation = expectedNet(segment, height[r * n], flatOf(simulated.referenceDir, segment), livetime);
        const { left, right } = ACTIVE_AREA[segment];
        let [chi2, bins] = [0, 0];
        for (let x0 = left + 256; x0 + BIN <= right - 256; x0 += BIN) {
          let [sum, expected, v, good] = [0, 0, 0, true];
          for (let x = x0; x < x0 + BIN; x++) {
            const i = r * n + x;
            good &&= dqWgt[i] === 1;
            sum += net[i];
            expected += expectation(x);
            v += variance[0][i] + variance[1][i] + variance[2][i];
          }
          // columns with a dead flat pixel in the box (the simulated flat's zeros) say nothing of the truth
          if (!good || !Number.isFinite(expected)) continue;
          chi2 += (sum - expected) ** 2 / (v / exptime[r] ** 2);
          bins++;
        }
        t.diagnostic(
          `${segment}: NET against the simulated source over ${bins} bins of ${BIN}: χ²/n = ${(chi2 / bins).toFixed(2)}`,
        );
        assert.ok(bins >= 40, `${segment}: ${bins} bins without flagged columns`);
        assert.ok(chi2 / bins < 2, `${segment}: NET against the simulated source, χ²/n = ${(chi2 / bins).toFixed(2)}`);
      });
    } finally {
      file.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
