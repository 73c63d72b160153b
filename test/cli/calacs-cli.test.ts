import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { FitsFile, rewriteHeaders } from "../../src/fits/index.js";
import { simulateDataset } from "../../src/sim/index.js";
import { runCliAsync } from "../helpers/cli-async.js";
import { HST_DATA } from "../helpers/paths.js";

const dir = mkdtempSync(join(tmpdir(), "caldp-calacs-"));
const sim = simulateDataset({ dataset: "j8cb010b0", out: dir, detector: "HRC", seed: 9 });
const env = { jref: `${sim.referenceDir}/` };

test("caldp calacs on an association writes the flt of each exposure and the crj product", async () => {
  const r = await runCliAsync("caldp", ["calacs", sim.asn!], { env });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(r.stdout.trim().split("\n"), ["j8cb01a1q_flt.fits", "j8cb01a2q_flt.fits", "j8cb010b1_crj.fits"]);
  const flt = FitsFile.open(join(dir, "j8cb01a1q_flt.fits"));
  assert.deepEqual(flt.hdu("SCI").axes, [1024, 1024], "overscan trimmed");
  assert.equal(flt.hdu("SCI").header.get("BUNIT"), "ELECTRONS");
  assert.ok(flt.hdus[0].header.commentary("HISTORY").some((h) => h.startsWith("BLEVCORR complete")));
  flt.close();
});

test("caldp calacs -v logs each phase and ACSCCD/ACS2D step with its times; the trailers have a section per step", async () => {
  const r = await runCliAsync("caldp", ["calacs", "-v", sim.asn!], { env });
  assert.equal(r.status, 0, r.stderr);
  const timed = /\(wall \d+\.\d{3} s, CPU \d+\.\d{3} s\)$/;
  const lines = r.stdout.split("\n");
  for (const start of [
    "ACSCCD ",
    "ACSREJ ",
    "DQICORR COMPLETE j8cb01a1q_raw.fits ",
    "BIASCORR COMPLETE j8cb01a1q_raw.fits ",
    "BLEVCORR COMPLETE j8cb01a2q_raw.fits ",
    "DARKCORR COMPLETE j8cb01a1q_flt.fits imset 1 ",
    "PHOTCORR COMPLETE j8cb010b1_crj.fits imset 1 ",
  ]) {
    assert.match(lines.find((l) => l.startsWith(start)) ?? `no line ${start}`, timed);
  }
  const trailer = readFileSync(join(dir, "j8cb01a1q.tra"), "utf8").split("\n");
  const ccdEnd = trailer.findIndex((l) => l.startsWith("ACSCCD "));
  assert.match(trailer[ccdEnd] ?? "", timed);
  // ACSCCD's steps in hstcal's order, each a section, the CCD table before them and the ERR line after BLEVCORR.
  const ccdSections = ["DQICORR", "BIASCORR", "BLEVCORR"].map((step) => trailer.indexOf(`${step.padEnd(12)}PERFORM`));
  assert.ok(trailer.indexOf("CCD parameters table: ") < ccdSections[0], "CCD table first");
  assert.deepEqual(
    [...ccdSections].sort((a, b) => a - b),
    ccdSections,
    "DQICORR, BIASCORR, BLEVCORR in order",
  );
  assert.ok(ccdSections[0] > 0 && ccdSections[2] < ccdEnd, "ACSCCD's sections before its phase line");
  assert.deepEqual(trailer.slice(ccdSections[1], ccdSections[1] + 2), ["BIASCORR    PERFORM", "BIASCORR complete ..."]);
  const bias = trailer.slice(ccdSections[1], trailer.indexOf("BIASCORR    COMPLETE"));
  const named = bias.filter((l) => l.startsWith("  reference image "));
  assert.equal(named.length, 1, "BIASFILE named, SATUFILE not");
  const blevEnd = trailer.indexOf("BLEVCORR    COMPLETE");
  assert.match(trailer[blevEnd + 1], /^ {4}wall \d+\.\d{3} s, CPU \d+\.\d{3} s \(process\)$/);
  assert.equal(trailer[blevEnd + 2], "Uncertainty array initialized.");
  const section = trailer.indexOf("ACS2D imset 1");
  assert.deepEqual(trailer.slice(section + 1, section + 3), ["DARKCORR    PERFORM", "DARKCORR complete ..."]);
  for (const step of ["DARKCORR", "FLATCORR", "PHOTCORR"]) {
    const end = trailer.indexOf(`${step.padEnd(12)}COMPLETE`);
    assert.ok(end > section, `${step} section`);
    assert.match(trailer[end + 1], /^ {4}wall \d+\.\d{3} s, CPU \d+\.\d{3} s \(process\)$/);
  }
  assert.match(readFileSync(join(dir, "j8cb010b1.tra"), "utf8"), /^ACSREJ .* \(wall .*\nACS2D imset 1\n/m);
});

test("an exposure with every switch OMIT is NOTHING_TO_DO: exit 0, no output", async () => {
  const raw = sim.exposures[0].raw;
  rewriteHeaders(raw, (h, hdu) => {
    if (hdu.index !== 0) return;
    for (const sw of [
      "DQICORR",
      "BIASCORR",
      "BLEVCORR",
      "DARKCORR",
      "FLATCORR",
      "PHOTCORR",
      "CRCORR",
      "FLSHCORR",
      "SHADCORR",
    ]) {
      h.set(sw, "OMIT");
    }
  });
  const root = sim.exposures[0].rootname;
  const r = await runCliAsync("caldp", ["calacs", raw], { env, cwd: dir });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), `${root}: NOTHING_TO_DO`);
});

test("a reference that is named but missing: exit 1, one line naming the raw, the keyword and the path", async () => {
  rmSync(join(dir, `${sim.exposures[1].rootname}_flt.fits`), { force: true });
  const r = await runCliAsync("caldp", ["calacs", sim.exposures[1].raw], { env: { jref: join(dir, "nowhere/") } });
  assert.equal(r.status, 1);
  const raw = `${sim.exposures[1].rootname}_raw.fits`;
  assert.match(r.stderr, new RegExp(`^caldp: ${raw}: CCDTAB = 'jref\\$\\w+_ccd.fits': .*nowhere.* does not exist\n$`));
  assert.ok(!existsSync(join(dir, `${sim.exposures[1].rootname}_flt.fits`)), "no product");
  assert.deepEqual(
    readdirSync(dir).filter((n) => n.endsWith(".tmp")),
    [],
    "no temporary file left",
  );
});

test("caldp calacs refuses another instrument's raw (a real STIS file): exit 1, one line naming file and INSTRUME", async () => {
  const r = await runCliAsync("caldp", ["calacs", join(HST_DATA, "o4er06llq_raw.fits")], { env });
  assert.equal(r.status, 1, r.stdout);
  assert.equal(r.stdout, "");
  assert.equal(r.stderr, "caldp: o4er06llq_raw.fits: INSTRUME is 'STIS': calacs calibrates ACS data only\n");
});

test("caldp calacs refuses a file that is neither an association nor a raw file (a real _flc header)", async () => {
  const r = await runCliAsync("caldp", ["calacs", join(HST_DATA, "sample_flc_header.fits")], { env });
  assert.equal(r.status, 1, r.stdout);
  assert.equal(
    r.stderr,
    "caldp: sample_flc_header.fits: calacs takes an association (_asn.fits) or raw files (_raw.fits)\n",
  );
});

test("caldp calwf3 refuses an ACS raw (a real ACS/HRC file) the same way", async () => {
  const r = await runCliAsync("caldp", ["calwf3", join(HST_DATA, "j8bt05njq_raw.fits")], { env: { iref: dir } });
  assert.equal(r.status, 1, r.stdout);
  assert.equal(r.stdout, "");
  assert.equal(r.stderr, "caldp: j8bt05njq_raw.fits: INSTRUME is 'ACS': calwf3 calibrates WFC3 data only\n");
});

test("an association with a member of another instrument is refused before any exposure is calibrated", async () => {
  const mixed = mkdtempSync(join(tmpdir(), "caldp-calacs-mixed-"));
  try {
    const other = simulateDataset({ dataset: "j8cb020b0", out: mixed, detector: "HRC", seed: 3 });
    const second = other.exposures[1];
    rewriteHeaders(second.raw, (h, hdu) => {
      if (hdu.index === 0) h.set("INSTRUME", "WFC3");
    });
    const r = await runCliAsync("caldp", ["calacs", other.asn!], { env: { jref: `${other.referenceDir}/` } });
    assert.equal(r.status, 1, r.stdout);
    assert.equal(r.stderr, `caldp: ${second.rootname}_raw.fits: INSTRUME is 'WFC3': calacs calibrates ACS data only\n`);
    assert.deepEqual(
      readdirSync(mixed).filter((n) => /_(flt|crj)\.fits$|\.tra$/.test(n)),
      [],
      "no product, no trailer",
    );
  } finally {
    rmSync(mixed, { recursive: true, force: true });
  }
});
