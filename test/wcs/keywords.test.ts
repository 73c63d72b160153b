/**
 * Reading and writing WCS keywords: every real header's WCS written back as CD reads as the same WCS and as
 * the same transformation for astropy; bad or missing keywords are one-line errors naming file and keyword.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { FitsFile, FitsWriter, Header } from "../../src/fits/index.js";
import { pixToSky, readHduWcs, readWcs, skyToPix, WcsError, writeWcs } from "../../src/wcs/index.js";
import { HST_DATA, PYTHON, REPO } from "../helpers/paths.js";

const dir = mkdtempSync(join(tmpdir(), "caldp-wcs-keywords-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const headers = readdirSync(HST_DATA)
  .filter((f) => f.endsWith(".fits"))
  .flatMap((f) => {
    const fits = FitsFile.open(join(HST_DATA, f));
    const found = fits.hdus
      .filter((h) => h.name === "SCI" && /-TAN/.test(String(h.header.get("CTYPE1"))))
      .map((h) => ({ name: `${f}[${h.index}]`, wcs: readHduWcs(fits, h) }));
    fits.close();
    return found;
  });

test("every SCI header's WCS, written as keywords, reads back identical (lookup tables apart)", () => {
  assert.ok(headers.length >= 20, `${headers.length} headers`);
  for (const { name, wcs } of headers) {
    const h = new Header();
    writeWcs(h, wcs);
    const back = readWcs(h);
    assert.deepEqual({ ...back, det2im: wcs.det2im, cpdis: wcs.cpdis }, wcs, name);
  }
});

test("astropy reads the written keywords as the same transformation", () => {
  const path = join(dir, "written.fits");
  const writer = new FitsWriter(path);
  writer.writeImage(new Header());
  const noTables = headers.map(
    ({ wcs }) => ({ ...wcs, det2im: [undefined, undefined], cpdis: [undefined, undefined] }) as typeof wcs,
  );
  for (const wcs of noTables) {
    const h = new Header();
    writeWcs(h, wcs);
    writer.writeImage(h, new Float32Array(4), [2, 2]);
  }
  writer.close();
  const pixels = [
    [1, 1],
    [500, 1500],
    [4000, 2000],
    [-100, 30],
  ];
  const jobs = noTables.map((_, i) => ({ file: path, hdu: i + 1, pixels, tolerance: 1e-10 }));
  const answers = JSON.parse(
    execFileSync(PYTHON, [join(REPO, "test", "wcs", "astropy_wcs.py")], {
      input: JSON.stringify(jobs),
      encoding: "utf8",
    }),
  );
  noTables.forEach((wcs, k) => {
    pixels.forEach(([x, y], i) => {
      const [ra, dec] = pixToSky(wcs, x, y);
      const [era, edec] = answers[k].world[i];
      assert.ok(Math.abs(ra - era) < 1e-9 && Math.abs(dec - edec) < 1e-9, `${headers[k].name} (${x}, ${y})`);
    });
  });
});

const GOOD: Record<string, string | number> = {
  CTYPE1: "RA---TAN",
  CTYPE2: "DEC--TAN",
  CRPIX1: 512,
  CRPIX2: 512,
  CRVAL1: 150,
  CRVAL2: 2,
  CD1_1: -1.4e-5,
  CD1_2: 0,
  CD2_1: 0,
  CD2_2: 1.4e-5,
};
const bad: [string, Record<string, string | number | null>, RegExp][] = [
  ["CRVAL1 missing", { CRVAL1: null }, /keyword CRVAL1: keyword is missing/],
  ["a spectral axis", { CTYPE1: "WAVE" }, /keyword CTYPE1: 'WAVE' is not a celestial TAN longitude axis/],
  ["another projection", { CTYPE1: "RA---SIN", CTYPE2: "DEC--SIN" }, /keyword CTYPE1: 'RA---SIN'/],
  ["a singular CD", { CD2_2: 0 }, /the linear transformation is singular/],
  ["a string CRPIX", { CRPIX1: "512" }, /keyword CRPIX1: not a number/],
  ["a declination beyond the pole", { CRVAL2: 91 }, /keyword CRVAL2: declination 91/],
  ["arcseconds", { CUNIT1: "arcsec" }, /keyword CUNIT1: unit 'ARCSEC' is not deg/],
  [
    "D2IM without its extension",
    { D2IMDIS1: "Lookup", D2IM1: "EXTVER: 3" },
    /keyword D2IM1: the D2IMARR extension of EXTVER 3 is missing/,
  ],
  [
    "a polynomial distortion",
    { CPDIS1: "Polynomial" },
    /keyword CPDIS1: distortion type 'POLYNOMIAL' is not supported/,
  ],
  [
    "SIP without B_ORDER",
    { A_ORDER: 2, CTYPE1: "RA---TAN-SIP", CTYPE2: "DEC--TAN-SIP" },
    /keyword B_ORDER: keyword is missing/,
  ],
];
for (const [what, edits, message] of bad) {
  test(`${what}: a WcsError naming the file, HDU and keyword`, () => {
    const h = new Header();
    for (const [k, v] of Object.entries({ ...GOOD, ...edits })) if (v !== null) h.set(k, v);
    assert.throws(
      () => readWcs(h, () => undefined, { file: "x_flt.fits", hdu: "SCI,1" }),
      (e: unknown) => e instanceof WcsError && /^x_flt\.fits \[SCI,1\] /.test(e.message) && message.test(e.message),
    );
  });
}

test("a sky position on the far side of the projection is an error, not a pixel", () => {
  const h = new Header();
  for (const [k, v] of Object.entries(GOOD)) h.set(k, v);
  assert.throws(() => skyToPix(readWcs(h), 330, -2), WcsError);
});
