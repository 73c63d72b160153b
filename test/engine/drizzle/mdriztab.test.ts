/**
 * MDRIZTAB: the row AstroDrizzle's mdzhandler picks (the exposures' filters, else ANY; the last row whose numimages
 * the association reaches; row 1 when none), its cells as step and final parameters (NaN = INDEF keeps the default),
 * `caldp drizzle --mdriztab` with options given on the command line over the row, and bad tables refused by name.
 */
import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { filterNames, readMdriztab } from "../../../src/engine/drizzle/mdriztab.js";
import { FitsFile, Header, rewriteHeaders } from "../../../src/fits/index.js";
import { writeAsnTable } from "../../../src/sim/asn.js";
import type { DetectorModel } from "../../../src/sim/detectors.js";
import { SIMULATED_MDRIZTAB_ROWS, writeMdriztab } from "../../../src/sim/mdriztab.js";
import { pixToSky, readWcs } from "../../../src/wcs/index.js";
import { runCli } from "../../helpers/cli.js";

const HRC = "/usr/share/python-drizzle/test_data/j8bt06nyq_flt.fits";
const dir = mkdtempSync(join(tmpdir(), "caldp-mdriztab-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const table = writeMdriztab(join(dir, "sim_mdz.fits"));

function primary(filter1: string, filter2 = "CLEAR2S"): Header {
  return new Header().set("INSTRUME", "ACS").set("FILTER1", filter1).set("FILTER2", filter2);
}

test("the row: filters first, else ANY; the last whose numimages the exposures reach; row 1 below all", () => {
  const any = primary("F555W");
  assert.equal(filterNames(any), "F555W,CLEAR2S");
  assert.deepEqual(
    [1, 2, 3, 4, 9].map((n) => readMdriztab(table, any, n).row),
    [1, 2, 2, 3, 3],
  );
  const rows = [...SIMULATED_MDRIZTAB_ROWS, { filter: "F606W,CLEAR2S", numimages: 3, cells: { combine_nhigh: 1 } }];
  const own = writeMdriztab(join(dir, "own_mdz.fits"), rows);
  const f606w = primary("F606W");
  assert.equal(readMdriztab(own, f606w, 4).row, 5, "the filter's own row");
  assert.equal(readMdriztab(own, f606w, 2).row, 1, "no filter row reached: row 1, as mdzhandler");
});

test("the cells: switches, pairs, strings and INDEF (NaN) cells leaving the defaults", () => {
  const one = readMdriztab(table, primary("F555W"), 1);
  assert.equal(one.steps.driz_cr, false);
  assert.equal(one.steps.median, false);
  const four = readMdriztab(table, primary("F555W"), 4);
  assert.equal(four.steps.combine_type, "median");
  assert.equal(four.steps.combine_nhigh, 1);
  assert.deepEqual(four.steps.driz_cr_snr, [3.5, 3]);
  assert.equal(four.steps.driz_sep_bits, 336);
  assert.equal("skylower" in four.steps, false, "NaN is INDEF");
  assert.deepEqual(four.final, { weightType: "EXP", kernel: "square", pixfrac: 1, bits: 336 });
});

test("bad tables: missing, not a table, a cell AstroDrizzle would refuse; each named", () => {
  const p = primary("F555W");
  assert.throws(() => readMdriztab(join(dir, "none_mdz.fits"), p, 2), /none_mdz\.fits: keyword MDRIZTAB: no such file/);
  const text = join(dir, "text_mdz.fits");
  writeFileSync(text, "not FITS");
  assert.throws(() => readMdriztab(text, p, 2), /text_mdz\.fits: not a readable MDRIZTAB/);
  const bad = [{ filter: "ANY", numimages: 1, cells: { combine_type: "average", skymethod: "localmin" } }];
  assert.throws(
    () => readMdriztab(writeMdriztab(join(dir, "bad_mdz.fits"), bad), p, 2),
    /bad_mdz\.fits: keyword combine_type: row 1: combine_type 'average': not a valid value/,
  );
});

test("caldp drizzle --mdriztab: the row's parameters, the command line's over them, recorded in HISTORY", () => {
  const folder = mkdtempSync(join(dir, "asn-"));
  copyFileSync(HRC, join(folder, "j8bt06nyq_flt.fits"));
  const second = join(folder, "j8bt06o0q_flt.fits");
  copyFileSync(HRC, second);
  rewriteHeaders(second, (h, hdu) => {
    if (hdu.name !== "SCI") return;
    const wcs = readWcs(h);
    const [ra, dec] = pixToSky(wcs, wcs.crpix[0] + 40.5, wcs.crpix[1] - 20.25);
    h.set("CRVAL1", ra, { float: true });
    h.set("CRVAL2", dec, { float: true });
  });
  const members = ["j8bt06nyq", "j8bt06o0q"].map((name) => ({ name, type: "EXP-DTH", present: true }));
  members.push({ name: "j8bt06010", type: "PROD-DTH", present: true });
  const model = { instrument: "ACS", detector: "HRC" } as DetectorModel;
  const asn = join(folder, "j8bt06010_asn.fits");
  writeAsnTable(asn, "j8bt06010", model, members, "NGC104");
  const run = runCli("caldp", ["drizzle", "--mdriztab", table, "--driz-cr-snr", "4 3.5", "--stepsize", "0", asn]);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stderr, /parameters from MDRIZTAB sim_mdz\.fits row 2/);
  const file = FitsFile.open(join(folder, "j8bt06010_drz.fits"));
  try {
    const history = file.hdus[0].header.commentary("HISTORY").join("\n");
    assert.match(history, /MDRIZTAB sim_mdz\.fits row 2/);
    assert.match(history, /step median: run natively: combine_type=minmed/, "the row's");
    assert.match(history, /step driz_cr: run natively: driz_cr_snr=4 3\.5/, "the command line's");
  } finally {
    file.close();
  }
  const bad = runCli("caldp", ["drizzle", "--mdriztab", join(dir, "none_mdz.fits"), asn]);
  assert.equal(bad.status, 24, bad.stderr);
  assert.equal(bad.stderr.trim().split("\n").length, 1);
  assert.ok(!readdirSync(folder).some((f) => f.startsWith(".")), "no temporary file left");
  assert.ok(existsSync(join(folder, "j8bt06nyq_sci1_crmask.fits")));
});

test("step options AstroDrizzle would refuse are usage errors (exit 2) naming the option", () => {
  for (const [option, value, text] of [
    ["--combine-type", "average", /--combine-type: combine_type 'average': not a valid value/],
    ["--driz-cr-snr", "3.5", /--driz-cr-snr: driz_cr_snr '3\.5': not a valid value/],
    ["--static", "maybe", /--static: static 'maybe': not a valid value/],
  ] as const) {
    const run = runCli("caldp", ["drizzle", option, value, HRC]);
    assert.equal(run.status, 2, run.stderr);
    assert.match(run.stderr, text);
  }
});
