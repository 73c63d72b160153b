/**
 * calstis12 on files: the shifts of a wavecal into the science imsets' SCI/ERR/DQ headers, as cs0.e wrote them in
 * the long-slit case (test/parity/fingerprints/stis-ccd-longslit.json); interpolation in time between wavecals as
 * cs12.e 3.5.0 does it (values measured with cs12.e on these files); mismatched or unprocessed wavecals refused
 * naming the file and the keyword, the science file left as it was.
 */
import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { CalibrationError } from "../../../src/calib/common/errors.js";
import { calstis12 } from "../../../src/engine/stis/calstis12.js";
import { FitsFile, type HeaderValue, rewriteHeaders } from "../../../src/fits/index.js";
import type { ProductPrint } from "../../parity/fingerprint.js";
import { simulateStisLongSlitCase, stisLongSlitFingerprintPath } from "../../parity/stis-longslit-case.js";

const dir = mkdtempSync(join(tmpdir(), "caldp-calstis12-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const sim = simulateStisLongSlitCase(dir);
const [raw, wav] = sim.raws;
const record: { products: ProductPrint[] } = JSON.parse(readFileSync(stisLongSlitFingerprintPath, "utf8"));
const recorded = (file: string, hdu: string) =>
  record.products.find((p) => p.file === file)!.headers!.find((h) => h.hdu === hdu)!.keywords;

/** A copy of `from` with keywords set in chosen HDUs ("PRIMARY", "SCI,1", …). */
function copyWith(from: string, name: string, edits: Record<string, Record<string, HeaderValue>>): string {
  const path = join(dir, name);
  copyFileSync(from, path);
  rewriteHeaders(path, (header, hdu) => {
    const key = hdu.index === 0 ? "PRIMARY" : `${hdu.name},${hdu.ver}`;
    for (const [k, v] of Object.entries(edits[key] ?? {})) header.set(k, v);
  });
  return path;
}

function headersOf(path: string) {
  const fits = FitsFile.open(path);
  try {
    return fits.hdus.map((h) => ({ key: h.index === 0 ? "PRIMARY" : `${h.name},${h.ver}`, header: h.header }));
  } finally {
    fits.close();
  }
}

test("the wavecal's shifts go into every imset's SCI, ERR and DQ headers as cs0.e wrote them in the flt", () => {
  const crj = recorded("o8ss01010_crj.fits", "SCI,1");
  const w2d = copyWith(wav, "o8ss01010_w2d.fits", { "SCI,1": { SHIFTA1: crj.SHIFTA1, SHIFTA2: crj.SHIFTA2 } });
  const before = readFileSync(w2d);
  const science = copyWith(raw, "o8ss01010_flt.fits", {});
  const result = calstis12(w2d, science);
  assert.deepEqual(result.notices, []);
  const headers = headersOf(science);
  for (const hdu of ["SCI,1", "ERR,1", "DQ,1", "SCI,2", "ERR,2", "DQ,2"]) {
    const ours = headers.find((h) => h.key === hdu)!.header;
    const theirs = recorded("o8ss01010_flt.fits", hdu);
    assert.equal(ours.get("SHIFTA1"), theirs.SHIFTA1, hdu);
    assert.equal(ours.get("SHIFTA2"), theirs.SHIFTA2, hdu);
  }
  const primary = headers[0].header;
  assert.equal(primary.get("WAVECORR"), "COMPLETE");
  const history = primary.cards.filter((c) => c.keyword === "HISTORY").map((c) => c.comment);
  assert.deepEqual(history.slice(-2), ["WAVECORR complete ...", "  wavecal = o8ss01010_w2d.fits"]);
  assert.deepEqual(readFileSync(w2d), before, "the wavecal is only read");
});

test("between two wavecals the shift is interpolated in time, outside them it is the nearer one's (cs12.e)", () => {
  const w2d = copyWith(raw, "two_w2d.fits", {
    "SCI,1": { EXPSTART: 100, EXPEND: 102, SHIFTA1: 1.0, SHIFTA2: 2.0 },
    "SCI,2": { EXPSTART: 110, EXPEND: 112, SHIFTA1: 3.0, SHIFTA2: -4.0 },
  });
  const science = copyWith(raw, "two_flt.fits", {
    "SCI,1": { EXPSTART: 103, EXPEND: 105 },
    "SCI,2": { EXPSTART: 120, EXPEND: 122 },
  });
  calstis12(w2d, science);
  const h = headersOf(science);
  const shifts = (key: string) => {
    const header = h.find((x) => x.key === key)!.header;
    return [header.get("SHIFTA1") as number, header.get("SHIFTA2") as number];
  };
  // cs12.e two_w2d.fits two_flt.fits: "SHIFTA1 set to 1.6", "SHIFTA2 set to 0.2", then 3 and -4
  // 0.7 · 1 + 0.3 · 3 is 1.5999999999999999 in doubles; hstio writes 13 digits
  assert.deepEqual(shifts("DQ,1"), [1.6, 0.2]);
  assert.deepEqual(shifts("ERR,2"), [3, -4]);
});

test("an undetermined shift (-9999) is left out; out of time order, cs12.e's nearest-neighbour rule", () => {
  const w2d = copyWith(raw, "unordered_w2d.fits", {
    "SCI,1": { EXPSTART: 110, EXPEND: 112, SHIFTA1: 3.0, SHIFTA2: -9999 },
    "SCI,2": { EXPSTART: 100, EXPEND: 102, SHIFTA1: 1.0, SHIFTA2: 2.0 },
  });
  const science = copyWith(raw, "unordered_flt.fits", {
    "SCI,1": { EXPSTART: 103, EXPEND: 105 },
    "SCI,2": { EXPSTART: 108, EXPEND: 108.5 },
  });
  const result = calstis12(w2d, science);
  assert.match(result.notices.join("\n"), /not strictly increasing.*nearest neighbor/);
  // cs12.e un_w2d.fits un_flt.fits: 3 and 2 in both imsets. A midpoint before the first wavecal's takes the
  // first one, also when the wavecals are out of order; SHIFTA2 has one good wavecal left.
  for (const key of ["SCI,1", "SCI,2"]) {
    const header = headersOf(science).find((x) => x.key === key)!.header;
    assert.deepEqual([header.get("SHIFTA1"), header.get("SHIFTA2")], [3, 2], key);
  }
});

test("a wavecal of another CENWAVE or without SHIFTA1 is refused naming file and keyword; science untouched", () => {
  const science = copyWith(raw, "refused_flt.fits", {});
  const before = readFileSync(science);
  const other = copyWith(wav, "other_w2d.fits", { PRIMARY: { CENWAVE: 7751 }, "SCI,1": { SHIFTA1: 1, SHIFTA2: 1 } });
  assert.throws(
    () => calstis12(other, science),
    (e: unknown) =>
      e instanceof CalibrationError &&
      /refused_flt\.fits and other_w2d\.fits: .*do not match \(CENWAVE 4300 vs 7751\)/.test(e.message),
  );
  assert.throws(
    () => calstis12(wav, science),
    (e: unknown) =>
      e instanceof CalibrationError && /o8ss01010_wav\.fits\[SCI,1\]: keyword SHIFTA1 is missing/.test(e.message),
  );
  assert.deepEqual(readFileSync(science), before);
});
