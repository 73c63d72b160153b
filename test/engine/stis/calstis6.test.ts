// calstis6 through `caldp calstis`: the long-slit raw with X1DCORR alone (no wavecal: SHIFTA 0) calibrated into
// flt, crj and sx1, the spectrum found on the simulated trace; an OPT_ELEM/CENWAVE or APERTURE the SPTRCTAB or
// XTRACTAB has no row for is one line naming the table and the keys, exit 1 (as for any calibration error),
// before anything is calibrated: inputs untouched, nothing written, not even a temporary file.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { FitsFile, rewriteHeaders } from "../../../src/fits/index.js";
import * as optics from "../../../src/sim/stis-longslit-model.js";
import { runCliAsync } from "../../helpers/cli-async.js";
import { simulateStisLongSlitCase, tableColumns } from "../../parity/stis-longslit-case.js";

const dir = mkdtempSync(join(tmpdir(), "caldp-calstis6-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const sim = simulateStisLongSlitCase(dir);
const oref = `${sim.referenceDir}/`;
const sha = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");
const reference = (keyword: string) => {
  const fits = FitsFile.open(join(dir, sim.input));
  const value = String(fits.hdus[0].header.get(keyword));
  fits.close();
  return value;
};

/** A folder with the raw, WAVECORR and X2DCORR off (not native yet), `changes` in its primary header. */
function folder(name: string, changes: Record<string, string | number> = {}): string {
  const work = join(dir, name);
  mkdirSync(work);
  copyFileSync(join(dir, sim.input), join(work, sim.input));
  rewriteHeaders(join(work, sim.input), (header, hdu) => {
    if (hdu.index !== 0) return;
    header.set("WAVECORR", "OMIT").set("X2DCORR", "OMIT");
    for (const [k, v] of Object.entries(changes)) header.set(k, v);
  });
  return work;
}

test("X1DCORR alone: caldp calstis writes flt, crj and sx1; the spectrum is found on the simulated trace", async () => {
  const work = folder("x1d");
  const run = await runCliAsync("caldp", ["calstis", sim.input], { cwd: work, env: { oref } });
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(
    readdirSync(work).filter((f) => f.endsWith(".fits")),
    ["o8ss01010_crj.fits", "o8ss01010_flt.fits", "o8ss01010_raw.fits", "o8ss01010_sx1.fits"],
  );
  const sx1 = FitsFile.open(join(work, "o8ss01010_sx1.fits"));
  const primary = sx1.hdus[0].header;
  for (const s of ["X1DCORR", "BACKCORR", "DISPCORR", "HELCORR", "FLUXCORR"]) assert.equal(primary.get(s), "COMPLETE");
  assert.equal(sx1.hdus[1].header.get("EXTNAME"), "SCI");
  sx1.close();
  const columns = tableColumns(join(work, "o8ss01010_sx1.fits"));
  // no SHIFTA2 given: the search finds the spectrum where the simulated MSM offset put it
  const row = optics.TRACE.a2center + optics.traceDisplacement(optics.TRACE.a1center - 1) + optics.SHIFT_A2;
  assert.ok(Math.abs(columns.A2CENTER[0] - row) < 0.1, `A2CENTER ${columns.A2CENTER[0]}, simulated ${row}`);
  assert.equal(columns.NELEM[0], 1024);
  assert.ok(columns.FLUX.filter((v) => v > 0).length > 1000);
});

async function refused(work: string, message: RegExp): Promise<void> {
  const before = readdirSync(work).map((f) => [f, sha(join(work, f))]);
  const run = await runCliAsync("caldp", ["calstis", sim.input], { cwd: work, env: { oref } });
  assert.equal(run.status, 1, run.stderr);
  const lines = run.stderr.trim().split("\n");
  assert.equal(lines.length, 1, run.stderr);
  assert.match(lines[0], message);
  assert.deepEqual(
    readdirSync(work).map((f) => [f, sha(join(work, f))]),
    before,
    "the raw untouched, nothing written",
  );
}

test("a CENWAVE the SPTRCTAB has no row for: one line naming the table and keys, nothing written", async () => {
  const table = reference("SPTRCTAB").replace("$", "\\$");
  await refused(
    folder("cenwave", { CENWAVE: 4301 }),
    new RegExp(`o8ss01010_raw\\.fits: SPTRCTAB ${table}: no row for OPT_ELEM G430L, CENWAVE 4301, SPORDER 1$`),
  );
});

test("an OPT_ELEM the SPTRCTAB has no row for: named with the keys, nothing written", async () => {
  const table = reference("SPTRCTAB").replace("$", "\\$");
  await refused(
    folder("opt-elem", { OPT_ELEM: "G750L" }),
    new RegExp(`o8ss01010_raw\\.fits: SPTRCTAB ${table}: no row for OPT_ELEM G750L, CENWAVE 4300, SPORDER 1$`),
  );
});

test("an APERTURE the XTRACTAB has no row for: named with the keys, nothing written", async () => {
  const table = reference("XTRACTAB").replace("$", "\\$");
  await refused(
    folder("aperture", { APERTURE: "52X2" }),
    new RegExp(
      `o8ss01010_raw\\.fits: XTRACTAB ${table}: no first-order row for APERTURE 52X2, OPT_ELEM G430L, CENWAVE 4300$`,
    ),
  );
});
