// The simulator's distortion references: the real files' format (columns, TFORMs, extensions, keywords,
// read in place from shared/data/hst) and usable by updatewcs on a simulated raw (SIP, D2IMARR, WCSDVARR).
import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { updateWcsFile } from "../../src/engine/updatewcs-file.js";
import { FitsFile, rewriteHeaders } from "../../src/fits/index.js";
import { idcCoefficients, writeIdctab, writeLookupFile } from "../../src/sim/distortion-references.js";
import { simulateDataset } from "../../src/sim/index.js";
import { HST_DATA } from "../helpers/paths.js";

const scratch = mkdtempSync(join(tmpdir(), "caldp-simdist-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

const wfc = simulateDataset({ dataset: "jsimd1wfq", detector: "WFC", out: join(scratch, "wfc"), seed: 3 });
const filters = { filter1: "F606W", filter2: "CLEAR2L" };

function layout(path: string) {
  const file = FitsFile.open(path);
  try {
    return file.hdus.map((h) => ({
      name: h.name,
      extver: h.header.get("EXTVER") ?? null,
      bitpix: h.header.get("BITPIX"),
      naxis: h.header.get("NAXIS"),
      keys: ["ONAXIS1", "ONAXIS2", "CDELT1", "CDELT2", "CCDCHIP", "NORDER", "PARITY"].filter((k) => h.header.has(k)),
      columns: h.header.has("TFIELDS")
        ? Array.from({ length: h.header.getInt("TFIELDS") }, (_, i) => [
            String(h.header.get(`TTYPE${i + 1}`)).trim(),
            String(h.header.get(`TFORM${i + 1}`)).trim(),
          ])
        : [],
    }));
  } finally {
    file.close();
  }
}

const structure = (path: string) =>
  layout(path).map((h) => ({ name: h.name, bitpix: h.bitpix, naxis: h.naxis, keys: h.keys, columns: h.columns }));

test("the IDCTAB has the real file's primary keywords, columns and TFORMs", () => {
  const ours = writeIdctab(wfc.model, 3, wfc.referenceDir, filters);
  const real = structure(join(HST_DATA, "0461802ej_idc.fits"));
  const mine = structure(ours.path);
  assert.deepEqual(mine[1].columns, real[1].columns);
  assert.deepEqual(mine[0].keys, ["NORDER", "PARITY"]);
  assert.deepEqual(mine[0].keys, real[0].keys);
});

for (const [kind, real] of [
  ["d2imfile", "02c1450oj_d2i.fits"],
  ["npolfile", "02c1450rj_npl.fits"],
] as const) {
  test(`the ${kind.toUpperCase()} has the real file's extensions, types and grid keywords`, () => {
    const ours = writeLookupFile(wfc.model, 3, wfc.referenceDir, kind, filters);
    const strip = (l: ReturnType<typeof layout>) => l.map((h) => ({ ...h, columns: undefined }));
    const mine = strip(layout(ours.path));
    const theirs = strip(layout(join(HST_DATA, real)));
    assert.deepEqual(
      mine.map((h) => [h.name, h.extver, h.bitpix, h.naxis, h.keys]),
      theirs.map((h) => [h.name, h.extver, h.bitpix, h.naxis, h.keys]),
    );
  });
}

test("updatewcs reads the three references on a simulated ACS/WFC raw: SIP, D2IMARR, WCSDVARR", () => {
  const refs = [
    writeIdctab(wfc.model, 3, wfc.referenceDir, filters),
    writeLookupFile(wfc.model, 3, wfc.referenceDir, "d2imfile", filters),
    writeLookupFile(wfc.model, 3, wfc.referenceDir, "npolfile", filters),
  ];
  const raw = join(scratch, "jsimd1wfq_raw.fits");
  copyFileSync(wfc.exposures[0].raw, raw);
  rewriteHeaders(raw, (h, hdu) => {
    if (hdu.index !== 0) return;
    for (const r of refs) h.set(r.filekind.toUpperCase(), `jref$${r.name}`);
    h.set("PA_V3", 87.5);
  });
  const out = join(scratch, "jsimd1wfq_upd.fits");
  updateWcsFile(raw, out, { jref: `${wfc.referenceDir}/` });
  const file = FitsFile.open(out);
  try {
    const names = file.hdus.map((h) => h.name);
    assert.equal(names.filter((n) => n === "D2IMARR").length, 4);
    assert.equal(names.filter((n) => n === "WCSDVARR").length, 4);
    for (const sci of file.hdus.filter((h) => h.name === "SCI")) {
      const chip = sci.header.getInt("CCDCHIP");
      assert.match(String(sci.header.get("CTYPE1")), /RA---TAN-SIP/);
      assert.ok(sci.header.getInt("A_ORDER") >= 2);
      assert.ok(Math.abs(sci.header.getNumber("A_2_0")) > 0, `chip ${chip}: the quadratic term reaches the SIP`);
      // the linear CD follows the IDC scale: |det CD| ≈ (scale × cx11 × cy10 / scale²)² in degrees
      const cd = ["CD1_1", "CD1_2", "CD2_1", "CD2_2"].map((k) => sci.header.getNumber(k));
      const { cx, cy } = idcCoefficients(0.05, chip);
      const area = Math.abs(cd[0] * cd[3] - cd[1] * cd[2]) * 3600 ** 2;
      const expected = Math.abs(cx[1][1] * cy[1][0] - cx[1][0] * cy[1][1]);
      assert.ok(Math.abs(area / expected - 1) < 0.01, `chip ${chip}: pixel area ${area} vs ${expected}`);
    }
    assert.match(String(file.hdus[0].header.get("DISTNAME")), /^jsimd1wfq_/);
  } finally {
    file.close();
  }
});
