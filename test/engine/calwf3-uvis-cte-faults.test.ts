// Bad input to calwf3's CTE branch (PCTECORR = PERFORM on a full-frame UVIS raw): a PCTETAB of the wrong
// instrument or missing an extension, an exposure before the table's CTEDATE0, a missing BIACFILE or DRKCFILE.
// Each is one line naming the file and the extension or keyword (calwf3's failure status 1 from the command),
// the raw untouched and nothing written: WF3CTE is the first phase and checks everything before any pixel work.
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { after, before, test } from "node:test";
import { CalibrationError } from "../../src/calib/common/errors.js";
import type { SwitchState } from "../../src/calib/common/switches.js";
import type { ImageSetFile } from "../../src/engine/imset-io.js";
import { calwf3 } from "../../src/engine/wfc3/calwf3.js";
import { limitCte } from "../../src/engine/wfc3/uvis-cte-limit.js";
import { Header, rewriteHeaders } from "../../src/fits/index.js";
import { simulateDataset } from "../../src/sim/index.js";
import { simulateUvisSubarray } from "../../src/sim/wfc3-subarray.js";
import { runCliAsync } from "../helpers/cli-async.js";

const out = mkdtempSync(join(tmpdir(), "calwf3-cte-faults-"));
after(() => rmSync(out, { recursive: true, force: true }));
let raw = "";
let references = "";
let pctetab = "";

before(() => {
  const sim = simulateDataset({
    dataset: "iabc06ctq",
    detector: "UVIS",
    out,
    seed: 23,
    cte: true,
    dateObs: "2016-03-02T10:11:12Z",
  });
  raw = sim.exposures[0].raw;
  references = sim.referenceDir;
  pctetab = sim.references.PCTETAB;
});

/**
 * A copy of the raw with its primary header edited, calibrated by calwf3 in a folder of its own (by the command
 * when `cli`, else in this process); returns the error's line.
 */
async function runWith(
  name: string,
  edit: (set: (keyword: string, value: string | number) => void) => void,
  cli = false,
) {
  const dir = join(out, name);
  const copy = join(dir, basename(raw));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
  copyFileSync(raw, copy);
  rewriteHeaders(copy, (header, hdu) => {
    if (hdu.index === 0) edit((keyword, value) => header.set(keyword, value));
  });
  const before = readFileSync(copy);
  const env = { iref: `${references}/` };
  let line: string;
  if (cli) {
    const r = await runCliAsync("caldp", ["calwf3", basename(copy)], { cwd: dir, env });
    assert.equal(r.status, 1, r.stdout);
    assert.equal(r.stderr.split("\n").length, 2, `one line: ${r.stderr}`);
    line = r.stderr;
  } else {
    const error = await calwf3([basename(copy)], { dir, env, log: () => {} }).then(
      () => assert.fail("calwf3 succeeded"),
      (e: Error) => e,
    );
    assert.ok(error instanceof CalibrationError, String(error));
    line = `caldp: ${error.message}\n`;
  }
  assert.deepEqual(
    readdirSync(dir).filter((f) => f.endsWith(".fits")),
    [basename(copy)],
    "nothing written",
  );
  assert.ok(readFileSync(copy).equals(before), "the raw is not modified");
  return line;
}

/** A copy of the PCTETAB, edited, in the references folder. */
function tableCopy(name: string, edit: (header: Header, index: number) => void) {
  const copy = join(references, name);
  copyFileSync(pctetab, copy);
  rewriteHeaders(copy, (header, hdu) => edit(header, hdu.index));
  return `iref$${name}`;
}

test("a PCTETAB of another instrument (caldp calwf3: status 1, one line)", async () => {
  const table = tableCopy("acstable_cte.fits", (h, k) => k === 0 && h.set("INSTRUME", "ACS"));
  const stderr = await runWith("instrument", (set) => set("PCTETAB", table), true);
  assert.match(
    stderr,
    /^caldp: iabc06ctq_raw\.fits: PCTECORR = PERFORM: PCTETAB \S+acstable_cte\.fits: keyword INSTRUME is 'ACS', not WFC3\n$/,
  );
});

test("a PCTETAB without its RPROF extension", async () => {
  const table = tableCopy("norprof_cte.fits", (h) => h.get("EXTNAME") === "RPROF" && h.set("EXTNAME", "XPROF"));
  const stderr = await runWith("extension", (set) => set("PCTETAB", table));
  assert.match(
    stderr,
    /^caldp: iabc06ctq_raw\.fits: PCTECORR = PERFORM: PCTETAB \S+norprof_cte\.fits: extension RPROF,1 is missing\n$/,
  );
});

test("an exposure before the table's CTEDATE0", async () => {
  const stderr = await runWith("date", (set) => set("EXPSTART", 54000.5));
  assert.match(
    stderr,
    /^caldp: iabc06ctq_raw\.fits: PCTECORR = PERFORM: PCTETAB \S+_cte\.fits keyword CTEDATE0: the exposure \(EXPSTART 54000\.5\) starts before CTEDATE0 54962/,
  );
});

test("a BIACFILE or DRKCFILE that does not exist", async () => {
  const biac = await runWith("biac", (set) => set("BIACFILE", "iref$nothere_bic.fits"));
  assert.match(
    biac,
    /^caldp: iabc06ctq_raw\.fits: PCTECORR = PERFORM: BIACFILE = 'iref\$nothere_bic\.fits': \S+ does not exist\n$/,
  );
  const drkc = await runWith("drkc", (set) => set("DRKCFILE", "iref$nothere_dkc.fits"));
  assert.match(
    drkc,
    /^caldp: iabc06ctq_raw\.fits: PCTECORR = PERFORM: DRKCFILE = 'iref\$nothere_dkc\.fits': \S+ does not exist\n$/,
  );
});

/** The headers limitCte reads: the primary and the first image set's width and LTV1. */
function headers(primary: Header, nx = 4096, ltv1 = 25): ImageSetFile {
  const set = { nx, ny: 256, geometry: { ltv: [ltv1, 0], ltm: [1, 1] } };
  return { primary, imsets: [{ ver: 1, set }] } as unknown as ImageSetFile;
}

test("binned data keep PCTECORR's notice (OMIT, a trailer line, no _flc); subarrays with physical overscan are corrected", () => {
  const binned = new Header().set("SUBARRAY", false).set("BINAXIS1", 2).set("BINAXIS2", 2);
  const switches: { PCTECORR: SwitchState } = { PCTECORR: "PERFORM" };
  const trailer: string[] = [];
  limitCte("x_raw.fits", headers(binned, 2070, 12), switches, trailer);
  assert.equal(switches.PCTECORR, "OMIT");
  assert.deepEqual(trailer, [
    "PCTECORR: pixel-based CTE correction of binned data is not in the native engine yet: no _flc/_crc products",
  ]);
  // a corner subarray with its 25 prescan columns (UVIS2-C512C-SUB), one ending on the far amp's prescan, a full frame
  for (const [subarray, nx, ltv1] of [
    [true, 537, 25],
    [true, 500, -1548],
    [false, 4096, 25],
  ] as const) {
    const primary = new Header().set("SUBARRAY", subarray).set("BINAXIS1", 1).set("BINAXIS2", 1);
    const kept = { PCTECORR: "PERFORM" as SwitchState };
    const lines: string[] = [];
    limitCte("x_raw.fits", headers(primary, nx, ltv1), kept, lines);
    assert.equal(kept.PCTECORR, "PERFORM", `SUBARRAY ${subarray}, ${nx} columns, LTV1 ${ltv1}`);
    assert.deepEqual(lines, []);
  }
});

test("a subarray without physical overscan is refused with calwf3.e's columns and words", () => {
  // UVIS2-M512C-SUB-like: 384 columns from science column 64, i.e. raw columns 89 to 473 of the chip
  const primary = new Header().set("SUBARRAY", true).set("BINAXIS1", 1).set("BINAXIS2", 1);
  const trailer: string[] = [];
  assert.throws(
    () => limitCte("y_raw.fits", headers(primary, 384, -64), { PCTECORR: "PERFORM" }, trailer),
    (e: unknown) =>
      e instanceof CalibrationError &&
      /^y_raw\.fits: PCTECORR = PERFORM: Subarray not taken with physical overscan \(89 473\) \(LTV1 -64, NAXIS1 384\): Can't perform CTE correction; set PCTECORR = OMIT$/.test(
        e.message,
      ),
  );
  assert.deepEqual(trailer, ["Subarray not taken with physical overscan (89 473)", "Can't perform CTE correction"]);
});

test("caldp calwf3 on a UVIS subarray without overscan and PCTECORR = PERFORM: status 1, one line, nothing written", async () => {
  const dir = join(out, "inner-subarray");
  const sim = simulateUvisSubarray({ rootname: "iabc07i1q", out: dir, kind: "inner", seed: 7 });
  rewriteHeaders(sim.raw, (h, hdu) => hdu.index === 0 && h.set("PCTECORR", "PERFORM"));
  const before = readFileSync(sim.raw);
  const run = await runCliAsync("caldp", ["calwf3", basename(sim.raw)], {
    cwd: dir,
    env: { iref: `${sim.referenceDir}/` },
  });
  assert.equal(run.status, 1, run.stdout + run.stderr);
  assert.match(
    run.stderr,
    /^caldp: iabc07i1q_raw\.fits: PCTECORR = PERFORM: Subarray not taken with physical overscan \(89 473\) .*Can't perform CTE correction; set PCTECORR = OMIT\n$/,
  );
  assert.deepEqual(
    readdirSync(dir).filter((f) => /_(flt|flc|crj|crc)\.fits$|tmp/.test(f)),
    [],
    "calwf3.e writes no product either",
  );
  assert.deepEqual(readFileSync(sim.raw), before, "the raw is untouched");
});
