/**
 * updatewcs on a real ACS/WFC flc header (jbt122x8q, pointed at the shared IDCTAB, D2IMFILE and NPOLFILE): the
 * SIP and linear terms reproduce the IDCTAB polynomial as an independent python reading of the table evaluates
 * it; astropy.wcs reads the written file (SIP, D2IMARR, WCSDVARR) and agrees with our reader; the command line
 * leaves inputs alone, replaces in place only when asked, and fails with one line and exit 24 on bad input.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { updateWcsFile } from "../../src/engine/updatewcs-file.js";
import { FitsFile, type Hdu, type Header, rewriteHeaders } from "../../src/fits/index.js";
import { exitCodeOf } from "../../src/pipeline/error-exits.js";
import {
  evaluatePolynomial,
  type IdcModel,
  pixToSky,
  readHduWcs,
  readSip,
  shiftModel,
  WcsError,
} from "../../src/wcs/index.js";
import { runCli } from "../helpers/cli.js";
import { HST_DATA, PYTHON, REPO } from "../helpers/paths.js";

const dir = mkdtempSync(join(tmpdir(), "caldp-updatewcs-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const env = { jref: `${HST_DATA}/` };

/** A copy of the flc header pointed at the shared reference files, with `edit` applied to its primary header. */
type Edit = (header: Header, hdu: Hdu) => void;

/** A copy of the flc header pointed at the shared reference files, with `edit` applied to its primary header. */
function input(name: string, edit: (primary: Header) => void = () => {}, editSci: Edit = () => {}): string {
  const path = join(dir, name);
  copyFileSync(join(HST_DATA, "sample_flc_header.fits"), path);
  rewriteHeaders(path, (h, hdu) => {
    if (hdu.name === "SCI") editSci(h, hdu);
    if (hdu.index !== 0) return;
    h.set("IDCTAB", "jref$0461802ej_idc.fits");
    h.set("D2IMFILE", "jref$02c1450oj_d2i.fits");
    h.set("NPOLFILE", "jref$02c1450rj_npl.fits");
    edit(h);
  });
  return path;
}
const sha1 = (path: string) => createHash("sha1").update(readFileSync(path)).digest("hex");

const source = input("jbt122x8q_flc.fits");
const before = sha1(source);
const outDir = mkdtempSync(join(dir, "out-"));
const run = runCli("caldp", ["updatewcs", "--output", outDir, source], { env });
const updated = join(outDir, "jbt122x8q_flc.fits");

test("caldp updatewcs --output writes the updated file and leaves the input as it was", () => {
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout.trim(), updated);
  assert.equal(sha1(source), before);
  assert.deepEqual(readdirSync(outDir), ["jbt122x8q_flc.fits"]);
});

test("SIP and the linear terms give the IDCTAB polynomial (with the 2015 skew) at every pixel", () => {
  const fits = FitsFile.open(updated);
  const primary = fits.hdus[0].header;
  const sci = fits.hdus.filter((h) => h.name === "SCI");
  const points = [-2000, -700, 0, 900, 2000].flatMap((x) => [-1000, -300, 0, 500, 1000].map((y) => [x, y]));
  const jobs = sci.map((hdu) => ({
    idctab: join(HST_DATA, "0461802ej_idc.fits"),
    filter1: primary.getString("FILTER1"),
    filter2: primary.getString("FILTER2"),
    chip: hdu.header.getInt("CCDCHIP"),
    date_obs: primary.getString("DATE-OBS"),
    points,
  }));
  const oracle = JSON.parse(
    execFileSync(PYTHON, [join(REPO, "test", "wcs", "idc_polynomial.py")], {
      input: JSON.stringify(jobs),
      encoding: "utf8",
    }),
  );
  sci.forEach((hdu, k) => {
    const h = hdu.header;
    const expected = oracle[k];
    const linear = ["OCX10", "OCX11", "OCY10", "OCY11"].map((kw) => h.getNumber(kw));
    linear.forEach((v, i) => {
      assert.ok(Math.abs(v - expected.linear[i]) < 1e-15, `${h.get("CCDCHIP")}: linear ${i}`);
    });
    assert.deepEqual([h.getNumber("CRPIX1"), h.getNumber("CRPIX2")], expected.ref.slice(0, 2));
    assert.deepEqual([h.getNumber("IDCV2REF"), h.getNumber("IDCV3REF")], expected.ref.slice(2, 4));
    assert.equal(h.getString("WCSNAME"), "IDC_0461802ej");
    // the archive's alternate WCSs (A, B, C) came from another IDCTAB: only the OPUS one stays
    assert.deepEqual(
      h.cards.filter((c) => /^WCSNAME.$/.test(c.keyword)).map((c) => c.keyword),
      ["WCSNAMEO"],
    );
    // stwcs's ORIENTAT: the pipeline (OPUS) WCS's
    const orientat = (Math.atan2(h.getNumber("CD1_2O"), h.getNumber("CD2_2O")) * 180) / Math.PI;
    assert.ok(Math.abs(h.getNumber("ORIENTAT") - orientat) < 1e-12);
    const sip = readSip(h, (kw, fallback) => h.getNumber(kw, fallback));
    const [cx10, cx11, cy10, cy11] = linear;
    points.forEach(([x, y], i) => {
      const u = x + evaluatePolynomial(sip.a, x, y);
      const v = y + evaluatePolynomial(sip.b, x, y);
      const [v2, v3] = [cx11 * u + cx10 * v, cy11 * u + cy10 * v];
      const [e2, e3] = expected.v2v3[i];
      // 1e-7 arcsec is 2e-6 pixel
      assert.ok(Math.abs(v2 - e2) < 1e-7 && Math.abs(v3 - e3) < 1e-7, `(${x}, ${y}): ${v2}, ${v3} vs ${e2}, ${e3}`);
    });
  });
  fits.close();
});

test("astropy.wcs reads the updated file (SIP, D2IMARR, WCSDVARR) as we do", () => {
  const fits = FitsFile.open(updated);
  const sci = fits.hdus.filter((h) => h.name === "SCI");
  assert.deepEqual(
    fits.hdus.filter((h) => h.name === "D2IMARR" || h.name === "WCSDVARR").map((h) => `${h.name},${h.ver}`),
    ["D2IMARR,1", "D2IMARR,2", "D2IMARR,3", "D2IMARR,4", "WCSDVARR,1", "WCSDVARR,2", "WCSDVARR,3", "WCSDVARR,4"],
  );
  const pixels = [1, 1000, 2048, 4096].flatMap((x) => [1, 700, 2048].map((y) => [x, y]));
  const jobs = sci.map((hdu) => ({ file: updated, hdu: hdu.index, pixels, tolerance: 1e-10 }));
  const answers = JSON.parse(
    execFileSync(PYTHON, [join(REPO, "test", "wcs", "astropy_wcs.py")], {
      input: JSON.stringify(jobs),
      encoding: "utf8",
    }),
  );
  sci.forEach((hdu, k) => {
    assert.deepEqual([answers[k].sip, answers[k].det2im, answers[k].cpdis], [true, true, true]);
    const wcs = readHduWcs(fits, hdu);
    pixels.forEach(([x, y], i) => {
      const [ra, dec] = pixToSky(wcs, x, y);
      const [era, edec] = answers[k].world[i];
      assert.ok(Math.abs(ra - era) < 1e-9 && Math.abs(dec - edec) < 1e-9, `${hdu.ver} (${x}, ${y})`);
    });
  });
  fits.close();
});

test("--in-place replaces the file with the same result; without --output or --in-place nothing is written", () => {
  const copy = input("in-place_flc.fits");
  const refused = runCli("caldp", ["updatewcs", copy], { env });
  assert.equal(refused.status, 2);
  assert.match(refused.stderr, /--output DIR or --in-place/);
  const done = runCli("caldp", ["updatewcs", "--in-place", copy], { env });
  assert.equal(done.status, 0, done.stderr);
  const a = FitsFile.open(copy);
  const b = FitsFile.open(updated);
  assert.deepEqual(a.hdus[1].header.toObject(), b.hdus[1].header.toObject());
  a.close();
  b.close();
  assert.deepEqual(
    readdirSync(dir).filter((f) => f.endsWith(".tmp")),
    [],
  );
});

const failures: [string, (h: Header) => void, RegExp, Edit?][] = [
  [
    "a filter the IDCTAB has no row for",
    (h) => h.set("FILTER2", "F999W"),
    /keyword IDCTAB: jref\$0461802ej_idc.fits has no forward row for chip \d and filters CLEAR,F999W/,
  ],
  ["no PA_V3", (h) => h.delete("PA_V3"), /PA_V3/],
  ["a STIS file", (h) => h.set("INSTRUME", "STIS"), /keyword INSTRUME: STIS\/WFC: updatewcs supports ACS\/WFC/],
  ["no FILTER1", (h) => h.delete("FILTER1"), /keyword FILTER1: the filter is missing/],
  [
    "a SCI without CCDCHIP",
    () => {},
    /\[SCI,2\] keyword CCDCHIP: CCDCHIP is missing, not 1 or 2/,
    (h, hdu) => hdu.ver === 2 && h.delete("CCDCHIP"),
  ],
  [
    "a DATE-OBS that is no date",
    (h) => h.set("DATE-OBS", "July"),
    /keyword DATE-OBS: DATE-OBS is missing or not YYYY-MM-DD/,
  ],
  [
    "an NPOLFILE that does not exist",
    (h) => h.set("NPOLFILE", "jref$nothere_npl.fits"),
    /keyword NPOLFILE: 'jref\$nothere_npl.fits': .* does not exist/,
  ],
  ["an unset $jref", (h) => h.set("IDCTAB", "xref$0461802ej_idc.fits"), /keyword IDCTAB: .*xref is not set/],
];
// the first through the command line (one line on stderr, exit 24), the others in-process (the same error and
// its exit code from src/pipeline/error-exits.ts), to keep the file's time down
failures.forEach(([what, edit, message, editSci], k) => {
  test(`${what}: one line naming the file and keyword, exit 24, nothing written`, () => {
    const bad = input(`bad_${what.replace(/\W+/g, "_")}_flc.fits`, edit, editSci);
    const out = mkdtempSync(join(dir, "fail-"));
    if (k === 0) {
      const result = runCli("caldp", ["updatewcs", "--output", out, bad], { env });
      assert.equal(result.status, 24, result.stderr);
      const lines = result.stderr.trim().split("\n");
      assert.equal(lines.length, 1, result.stderr);
      assert.ok(lines[0].includes(bad), lines[0]);
      assert.match(lines[0], message);
    } else {
      assert.throws(
        () => updateWcsFile(bad, join(out, "out_flc.fits"), env),
        (e: unknown) =>
          e instanceof WcsError &&
          !e.message.includes("\n") &&
          e.message.includes(bad) &&
          message.test(e.message) &&
          exitCodeOf(e) === 24,
      );
    }
    assert.deepEqual(readdirSync(out), []);
  });
});

test("a subarray keeps its pipeline reference pixel and position, its model moved there; the tables move by LTV", () => {
  const ltv = [-1000, -300];
  const sub = input("subarray_flc.fits", undefined, (h) => {
    h.set("LTV1", ltv[0]);
    h.set("LTV2", ltv[1]);
    for (const [k, d] of [
      ["CRPIX1", ltv[0]],
      ["CRPIX2", ltv[1]],
      ["CRPIX1O", ltv[0]],
      ["CRPIX2O", ltv[1]],
    ] as const) {
      h.set(k, h.getNumber(k) + d);
    }
  });
  const out = mkdtempSync(join(dir, "sub-"));
  updateWcsFile(sub, join(out, "subarray_flc.fits"), env);
  const before = FitsFile.open(sub);
  const after = FitsFile.open(join(out, "subarray_flc.fits"));
  // the reference chip (CCDCHIP 2): stwcs anchors a subarray on its pipeline WCS
  const refBefore = before.hdus[1].header;
  const refAfter = after.hdus[1].header;
  assert.equal(refAfter.get("CCDCHIP"), 2);
  for (const k of ["CRPIX1", "CRPIX2", "CRVAL1", "CRVAL2"]) {
    // CRVAL through the TAN and back: equal to the last bits
    assert.ok(Math.abs(refAfter.getNumber(k) - refBefore.getNumber(`${k}O`)) < 1e-12, k);
  }
  for (const hdu of after.hdus.filter((h) => h.name === "D2IMARR" || h.name === "WCSDVARR")) {
    assert.deepEqual(
      [hdu.header.get("CRVAL1"), hdu.header.get("CRVAL2")],
      [-ltv[0], -ltv[1]],
      `${hdu.name},${hdu.ver}`,
    );
  }
  before.close();
  after.close();
});

test("shiftModel moves the polynomials' origin: cx'(x, y) = cx(x + xs, y + ys)", () => {
  const order = 5;
  let seed = 7;
  const random = () => {
    seed = (seed * 16807) % 2147483647;
    return (seed / 2147483647 - 0.5) * 1e-3;
  };
  const poly = () =>
    Array.from({ length: order + 1 }, (_, n) =>
      Array.from({ length: order + 1 }, (_, m) => (m <= n && n > 0 ? random() / 10 ** n : 0)),
    );
  const model: IdcModel = {
    order,
    cx: poly(),
    cy: poly(),
    xref: 0,
    yref: 0,
    xsize: 0,
    ysize: 0,
    pscale: 0.05,
    v2ref: 0,
    v3ref: 0,
    theta: 0,
  };
  const original = structuredClone(model);
  const [xs, ys] = [52.5, -333];
  shiftModel(model, xs, ys);
  const value = (c: number[][], x: number, y: number) => {
    let sum = 0;
    for (let n = 0; n <= order; n++) for (let m = 0; m <= n; m++) sum += c[n][m] * x ** m * y ** (n - m);
    return sum;
  };
  for (const [x, y] of [
    [0, 0],
    [100, -50],
    [-2000, 1000],
    [1500, 700],
  ]) {
    for (const c of ["cx", "cy"] as const) {
      const expected = value(original[c], x + xs, y + ys);
      assert.ok(
        Math.abs(value(model[c], x, y) - expected) <= 1e-12 * Math.max(1, Math.abs(expected)),
        `${c} (${x}, ${y})`,
      );
    }
  }
});
