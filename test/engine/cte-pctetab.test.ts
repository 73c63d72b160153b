import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { cteScaleFraction } from "../../src/calib/common/cte/trap-map.js";
import { CalibrationError } from "../../src/calib/common/errors.js";
import { readPctetab } from "../../src/engine/cte/pctetab.js";
import { rewriteHeaders } from "../../src/fits/index.js";
import { ACS_CTEDATE0, acsWfcCte, writeAcsPctetab } from "../../src/sim/acs-cte.js";
import { detectorModel } from "../../src/sim/detectors.js";
import { WFC3_CTEDATE0, wfc3UvisTrapModel, writeWfc3Pctetab } from "../../src/sim/wfc3-cte.js";

const dir = mkdtempSync(join(tmpdir(), "caldp-pctetab-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const cte = acsWfcCte();
const context = { model: detectorModel("ACS", "WFC"), maps: [], seed: 5, dir, spectralElements: {}, aperture: "" };
const table = writeAcsPctetab(context, cte).path;

/** A copy of the table with one header edited. */
function edited(
  name: string,
  edit: (header: import("../../src/fits/index.js").Header, extname: string, ver: number) => void,
) {
  const path = join(dir, name);
  copyFileSync(table, path);
  rewriteHeaders(path, (header, hdu) => edit(header, hdu.name.toUpperCase(), hdu.ver));
  return path;
}

function rejects(path: string, pattern: RegExp, instrument: "ACS" | "WFC3" = "ACS") {
  assert.throws(
    () => readPctetab(path, instrument),
    (e: unknown) => e instanceof CalibrationError && pattern.test(e.message) && e.message.includes(path),
  );
}

test("the simulator's PCTETAB reads back as the model it trails with (parallel and every serial amp)", () => {
  const read = readPctetab(table, "ACS");
  assert.equal(read.cteName, "Par/Serial PixelCTE 2023");
  assert.equal(read.cteVersion, "3.0");
  assert.equal(read.smoothingMode, 0);
  const sets = [
    [read.parallel, cte.parallel],
    ...(["A", "B", "C", "D"] as const).map((amp) => [read.serial[amp]!, cte.serial[amp]] as const),
  ] as const;
  for (const [ours, truth] of sets) {
    assert.equal(ours.date0, ACS_CTEDATE0);
    assert.deepEqual(ours.iterations, truth.iterations);
    assert.equal(ours.model.trapCount, truth.model.trapCount);
    assert.deepEqual(ours.model.chargeLevels.subarray(0, ours.model.trapCount), truth.model.chargeLevels);
    assert.deepEqual(ours.model.releaseProfile, truth.model.releaseProfile);
    assert.deepEqual(ours.model.heldProfile, truth.model.heldProfile);
    assert.equal(ours.model.profileLength, truth.model.profileLength);
    assert.deepEqual(ours.scaling!.columns, truth.scaling.columns);
    assert.deepEqual(ours.scaling!.at2048, truth.scaling.at2048);
  }
  assert.equal(read.parallel.extension, "QPROF,1");
  assert.equal(read.serial.D!.extension, "QPROF,5");
});

test("a PCTETAB of another instrument is refused naming INSTRUME", () => {
  rejects(table, /keyword INSTRUME is 'ACS', not WFC3/, "WFC3");
  rejects(
    edited("wfc3.fits", (h, name) => name === "PRIMARY" && h.set("INSTRUME", "WFC3")),
    /keyword INSTRUME is 'WFC3', not ACS/,
  );
});

test("an obsolete algorithm (CTE_NAME) or a missing keyword is refused naming extension and keyword", () => {
  rejects(
    edited("gen2.fits", (h, name) => name === "PRIMARY" && h.set("CTE_NAME", "PixelCTE 2017")),
    /keyword CTE_NAME is 'PixelCTE 2017'.*obsolete/,
  );
  rejects(
    edited("nofor.fits", (h, name, ver) => name === "QPROF" && ver === 3 && h.delete("PCTENFOR")),
    /extension QPROF,3: keyword PCTENFOR is missing/,
  );
  rejects(
    edited("nofix.fits", (h, name) => name === "PRIMARY" && h.delete("FIXROCR")),
    /PCTETAB \S+: keyword FIXROCR is missing/,
  );
  rejects(
    edited("long.fits", (h, name, ver) => name === "QPROF" && ver === 1 && h.set("PCTETLEN", 150)),
    /extension RPROF,1: NAXIS2 = 100 is less than PCTETLEN 150/,
  );
});

test("a missing extension is refused naming it", () => {
  rejects(
    edited("norprof.fits", (h, name, ver) => name === "RPROF" && ver === 4 && h.set("EXTNAME", "XPROF")),
    /extension RPROF,4 is missing/,
  );
  rejects(
    edited("nosclbycol.fits", (h, name, ver) => name === "SCLBYCOL" && ver === 1 && h.set("EXTVER", 9)),
    /extension SCLBYCOL,1 is missing/,
  );
});

test("an exposure before the table's CTEDATE0 is refused naming the extension and the dates", () => {
  const read = readPctetab(table, "ACS");
  const where = `PCTETAB ${table} extension ${read.parallel.extension}`;
  assert.throws(
    () => cteScaleFraction(52000.5, read.parallel.date0, read.parallel.date1, where),
    (e: unknown) => e instanceof CalibrationError && e.message.includes(where) && /EXPSTART 52000.5/.test(e.message),
  );
});

test("a file that is not FITS is refused naming it", () => {
  const path = join(dir, "junk.fits");
  copyFileSync(new URL(import.meta.url).pathname, path);
  rejects(path, /PCTETAB/);
});

test("WFC3/UVIS: the keywords in the primary, one set, SCLBYCOL not used; an ACS reader refuses it", () => {
  const wfc3Context = { ...context, model: detectorModel("WFC3", "UVIS") };
  const path = writeWfc3Pctetab(wfc3Context).path;
  const read = readPctetab(path, "WFC3");
  const truth = wfc3UvisTrapModel();
  assert.equal(read.cteName, "pixelCTE 2019");
  assert.deepEqual(read.parallel.iterations, {
    trailLength: 60,
    forwardIterations: 3,
    parallelTransfers: 7,
    fixReadoutCosmicRays: true,
    overSubtractionThreshold: -10,
  });
  assert.equal(read.parallel.date0, WFC3_CTEDATE0);
  assert.equal(read.parallel.model.trapCount, truth.trapCount);
  assert.deepEqual(read.parallel.model.releaseProfile, truth.releaseProfile);
  assert.deepEqual(read.parallel.model.heldProfile, truth.heldProfile);
  assert.equal(read.parallel.scaling, undefined);
  assert.deepEqual(read.serial, {});
  rejects(path, /keyword INSTRUME is 'WFC3', not ACS/);
  const copy = join(dir, "wfc3-nofor.fits");
  copyFileSync(path, copy);
  rewriteHeaders(copy, (h, hdu) => hdu.index === 0 && h.delete("PCTENFOR"));
  rejects(copy, /^PCTETAB \S+: keyword PCTENFOR is missing$/, "WFC3");
});
