// The native calstis7 against cs0.e's recorded sx2 (test/parity/fingerprints/stis-ccd-longslit.json): the
// native crj of the long-slit case, given cs0.e's SHIFTA1/SHIFTA2 as calstis12 writes them, rectified, flux-
// calibrated and written as cs0.e's sx2: SCI/ERR within 1e-4 relative, DQ identical, headers and HISTORY equal.
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { readImageSetFile, writeImageSets } from "../../src/engine/imset-io.js";
import { resolveReferenceNames } from "../../src/engine/program-files.js";
import { CS7_FLUX_REFERENCES, CS7_REFERENCES, calstis7 } from "../../src/engine/stis/calstis7.js";
import { rewriteHeaders } from "../../src/fits/index.js";
import { runCliAsync } from "../helpers/cli-async.js";
import { compareProducts, describe, fingerprintProduct, type ProductPrint } from "./fingerprint.js";
import { relativeMisses, simulateStisLongSlitCase, stisLongSlitFingerprintPath } from "./stis-longslit-case.js";

const record: { sampleSeed: number; products: ProductPrint[] } = JSON.parse(
  readFileSync(stisLongSlitFingerprintPath, "utf8"),
);
const theirs = record.products.find((p) => p.file.endsWith("_sx2.fits"))!;
const dir = mkdtempSync(join(tmpdir(), "caldp-stis-x2d-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const sim = simulateStisLongSlitCase(dir);

/** The native crj of the case, with the wavecal's shifts as cs0.e's calstis12 wrote them into its crj. */
async function nativeCrjWithShifts(): Promise<string> {
  const work = join(dir, "basic2d");
  mkdirSync(work);
  copyFileSync(join(dir, sim.input), join(work, sim.input));
  rewriteHeaders(join(work, sim.input), (header, hdu) => {
    if (hdu.index === 0) for (const s of ["WAVECORR", "X2DCORR", "X1DCORR"]) header.set(s, "OMIT");
  });
  const run = await runCliAsync("caldp", ["calstis", sim.input], { cwd: work, env: { oref: `${sim.referenceDir}/` } });
  assert.equal(run.status, 0, run.stderr);
  const crj = join(work, "o8ss01010_crj.fits");
  const sci = theirs.headers!.find((h) => h.hdu === "SCI,1")!.keywords;
  rewriteHeaders(crj, (header, hdu) => {
    if (hdu.index === 0) {
      header.set("WAVECORR", "COMPLETE").set("X2DCORR", "PERFORM").set("X1DCORR", "PERFORM");
      header.addCommentary("HISTORY", "WAVECORR complete ...");
      header.addCommentary("HISTORY", "  wavecal = o8ss01010_w2d_tmp.fits");
    } else header.set("SHIFTA1", sci.SHIFTA1).set("SHIFTA2", sci.SHIFTA2);
  });
  return crj;
}

test("calstis7 of the native crj with cs0.e's shifts is cs0.e's sx2: pixels, DQ, keywords and HISTORY", async () => {
  const crj = await nativeCrjWithShifts();
  const input = readImageSetFile(crj);
  const keywords = [...CS7_REFERENCES, ...CS7_FLUX_REFERENCES];
  const refs = resolveReferenceNames(input.primary, keywords, () => false, { oref: `${sim.referenceDir}/` });
  const { file } = calstis7(input, refs, "o8ss01010_crj.fits", "o8ss01010_sx2.fits");
  const sx2 = join(dir, "o8ss01010_sx2.fits");
  writeImageSets(sx2, file);
  const ours = fingerprintProduct(sx2, "o8ss01010_sx2.fits", record.sampleSeed, true);
  assert.deepEqual(compareProducts(ours, theirs).map(describe), []);
  assert.deepEqual(relativeMisses(ours, theirs), []);
  // the input is only read
  assert.equal(readImageSetFile(crj).primary.get("X2DCORR"), "PERFORM");
});
