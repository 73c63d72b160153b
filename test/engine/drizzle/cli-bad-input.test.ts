/**
 * `caldp drizzle` as a user runs it (a real subprocess) on the real ACS/HRC flt and an association of it, and
 * on bad input: a SCI without CRVAL1, a singular CD, exposures that do not overlap, an association with no exposure. Each
 * failure is one line naming the file (and keyword), exit 24 (stage 2), and leaves no product or temporary file.
 */
import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { FitsFile, rewriteHeaders } from "../../../src/fits/index.js";
import { writeAsnTable } from "../../../src/sim/asn.js";
import type { DetectorModel } from "../../../src/sim/detectors.js";
import { pixToSky, readWcs } from "../../../src/wcs/index.js";
import { runCli } from "../../helpers/cli.js";

const HRC = "/usr/share/python-drizzle/test_data/j8bt06nyq_flt.fits";
const skip = existsSync(HRC) ? false : "python-drizzle-testdata is not installed";
const dir = mkdtempSync(join(tmpdir(), "caldp-drizzle-cli-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const model = { instrument: "ACS", detector: "HRC" } as DetectorModel;

/** A folder holding a copy of the HRC flt as `name`, its headers edited. */
function copy(folder: string, name: string, edit: Parameters<typeof rewriteHeaders>[1] = () => {}): string {
  const path = join(folder, name);
  copyFileSync(HRC, path);
  rewriteHeaders(path, edit);
  return path;
}

function shifted(folder: string, name: string, degrees: number): string {
  return copy(folder, name, (h, hdu) => {
    if (hdu.name !== "SCI") return;
    const wcs = readWcs(h);
    const [ra, dec] = pixToSky(wcs, wcs.crpix[0], wcs.crpix[1]);
    h.set("CRVAL2", dec + degrees, { float: true });
    h.set("CRVAL1", ra, { float: true });
  });
}

function failsCleanly(args: string[], folder: string, pattern: RegExp): void {
  const before = readdirSync(folder).sort();
  const run = runCli("caldp", ["drizzle", ...args]);
  assert.equal(run.status, 24, run.stderr);
  const lines = run.stderr.trim().split("\n");
  assert.equal(lines.length, 1, run.stderr);
  assert.match(lines[0], pattern);
  assert.deepEqual(readdirSync(folder).sort(), before, "nothing written, nothing left behind");
}

test("an association of two dithered exposures: <asn>_drz.fits and the _crmask beside it, the steps recorded", {
  skip,
}, () => {
  const folder = mkdtempSync(join(dir, "asn-"));
  copy(folder, "j8bt06nyq_flt.fits");
  shifted(folder, "j8bt06o0q_flt.fits", 2.5 / 3600);
  const members = [
    { name: "j8bt06nyq", type: "EXP-DTH", present: true },
    { name: "j8bt06o0q", type: "EXP-DTH", present: true },
    { name: "j8bt06010", type: "PROD-DTH", present: true },
  ];
  writeAsnTable(join(folder, "j8bt06010_asn.fits"), "j8bt06010", model, members, "NGC104");
  const run = runCli("caldp", ["drizzle", "--skymethod", "localmin", join(folder, "j8bt06010_asn.fits")]);
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout.trim(), join(folder, "j8bt06010_drz.fits"));
  assert.equal(run.stderr, "");
  for (const root of ["j8bt06nyq", "j8bt06o0q"]) assert.ok(existsSync(join(folder, `${root}_sci1_crmask.fits`)));
  const file = FitsFile.open(join(folder, "j8bt06010_drz.fits"));
  try {
    assert.equal(file.hdus[0].header.get("NDRIZIM"), 2);
    assert.equal(file.hdus[0].header.get("D002DATA"), "j8bt06o0q_flt.fits[sci,1]");
    const history = file.hdus[0].header.commentary("HISTORY");
    for (const step of ["static_mask", "sky", "driz_separate", "median", "blot", "driz_cr", "final_drizzle"]) {
      assert.ok(
        history.some((h) => h.startsWith(`AstroDrizzle step ${step}: run natively`)),
        step,
      );
    }
    assert.ok(history.some((h) => /step sky: run natively: skymethod=localmin/.test(h)));
  } finally {
    file.close();
  }
});

test("options: --final-scale and --final-rot set the frame; bad values are usage errors (exit 2)", { skip }, () => {
  const out = join(dir, "custom");
  const run = runCli("caldp", ["drizzle", "--final-scale", "0.05", "--final-rot", "0", "--output", out, HRC]);
  assert.equal(run.status, 0, run.stderr);
  const file = FitsFile.open(`${out}_drz.fits`);
  try {
    const sci = file.hdu("SCI").header;
    assert.ok(Math.abs(sci.getNumber("ORIENTAT")) < 1e-9);
    assert.ok(Math.abs(Math.hypot(sci.getNumber("CD1_1"), sci.getNumber("CD2_1")) * 3600 - 0.05) < 1e-12);
    assert.equal(file.hdus[0].header.get("D001SCAL"), 0.05);
  } finally {
    file.close();
  }
  const bad = runCli("caldp", ["drizzle", "--final-pixfrac", "0", HRC]);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--final-pixfrac 0: not a valid value/);
});

test("a SCI without CRVAL1: one line naming file and keyword, exit 24, nothing written", { skip }, () => {
  const folder = mkdtempSync(join(dir, "crval-"));
  const input = copy(folder, "j8bt06nyq_flt.fits", (h, hdu) => {
    if (hdu.name === "SCI") h.delete("CRVAL1");
  });
  failsCleanly([input], folder, /j8bt06nyq_flt\.fits.*CRVAL1/);
});

test("an inconsistent WCS (a singular CD matrix): file, HDU and keyword named, exit 24, nothing written", {
  skip,
}, () => {
  const folder = mkdtempSync(join(dir, "singular-"));
  const input = copy(folder, "j8bt06nyq_flt.fits", (h, hdu) => {
    if (hdu.name !== "SCI") return;
    h.set("CD1_1", 0);
    h.set("CD1_2", 0);
  });
  failsCleanly([input], folder, /j8bt06nyq_flt\.fits \[SCI,1\] keyword CD1_1: the linear transformation is singular/);
});

test("exposures that do not overlap: the one apart is named, exit 24, nothing written", { skip }, () => {
  const folder = mkdtempSync(join(dir, "apart-"));
  const a = copy(folder, "j8bt06nyq_flt.fits");
  const b = shifted(folder, "j8bt06o0q_flt.fits", 0.5);
  failsCleanly(
    [a, b, "--output", join(folder, "pair")],
    folder,
    /j8bt06nyq_flt\.fits: does not overlap any other exposure/,
  );
});

test("an association without exposures: named, exit 24, nothing written", { skip }, () => {
  const folder = mkdtempSync(join(dir, "empty-"));
  const asn = join(folder, "j8bt06020_asn.fits");
  writeAsnTable(asn, "j8bt06020", model, [{ name: "j8bt06020", type: "PROD-DTH", present: true }], "NGC104");
  failsCleanly([asn], folder, /j8bt06020_asn\.fits: the association has no present exposure/);
});
