// The COS NUV TIME-TAG simulation: a rawtag astropy and fitsverify read as a real one (EVENTS TIME 1E, RAWX/RAWY
// 1I, PHA 1B; GTI START/STOP 1D), events time-ordered on the detector with the spectrum on the three stripes,
// reproducible for a seed, references with calcos' FILETYPEs, and a CRDS cache from which bestrefs selects them.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { bestrefsForFile, cacheLayout, loadContext } from "../../src/crds/index.js";
import { FitsFile } from "../../src/fits/index.js";
import { simulateCosNuv } from "../../src/sim/index.js";
import { astropyDump, fitsverify } from "../helpers/astropy.js";

const scratch = mkdtempSync(join(tmpdir(), "caldp-sim-cos-"));
after(() => rmSync(scratch, { recursive: true, force: true }));
const sim = simulateCosNuv({ dataset: "lsim05abq", out: join(scratch, "a"), seed: 9 });

test("the rawtag reads in astropy as calcos expects it, and fitsverify finds nothing wrong", () => {
  const [primary, events, gti] = astropyDump([sim.rawtag])[sim.rawtag];
  assert.equal(events.name, "EVENTS");
  assert.equal(gti.name, "GTI");
  const card = (hdu: typeof primary, k: string) => hdu.cards.find((c) => c[0] === k)?.[1];
  assert.equal(card(primary, "DETECTOR"), "NUV");
  assert.equal(card(primary, "OBSMODE"), "TIME-TAG");
  assert.equal(card(primary, "COSCOORD"), "USER");
  assert.deepEqual(
    ["TFORM1", "TFORM2", "TFORM3", "TFORM4"].map((k) => card(events, k)),
    ["1E", "1I", "1I", "1B"],
  );
  assert.deepEqual(
    ["TTYPE1", "TTYPE2"].map((k) => card(gti, k)),
    ["START", "STOP"],
  );
  assert.deepEqual(
    [sim.rawtag, ...Object.values(sim.references)].map((f) => fitsverify(f).errors),
    [0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
  );
});

test("events in time order, on the detector, inside the GTIs; the spectrum on the three stripes", () => {
  const fits = FitsFile.open(sim.rawtag);
  const table = fits.readTable("EVENTS");
  fits.close();
  const [time, rawx, rawy] = ["TIME", "RAWX", "RAWY"].map((n) => table.columns.find((c) => c.name === n)!.data) as [
    Float32Array,
    Int16Array,
    Int16Array,
  ];
  assert.equal(time.length, sim.events);
  let inStripes = 0;
  for (let k = 0; k < time.length; k++) {
    if (k > 0) assert.ok(time[k] >= time[k - 1]);
    assert.ok(rawx[k] >= 0 && rawx[k] < 1024 && rawy[k] >= 0 && rawy[k] < 1024);
    assert.ok(
      sim.gti.some(([a, b]) => time[k] >= a && time[k] <= b),
      `event ${k} at ${time[k]} s`,
    );
    if ([180, 280, 440].some((row) => Math.abs(rawy[k] - row) <= 9)) inStripes++;
  }
  // 600 source + 60 background events/s: 10/11 of them on the stripes (plus the background there)
  assert.ok(inStripes / time.length > 0.9, `${inStripes} of ${time.length}`);
});

test("the same seed gives the same files; another seed other events", () => {
  const again = simulateCosNuv({ dataset: "lsim05abq", out: join(scratch, "b"), seed: 9 });
  const other = simulateCosNuv({ dataset: "lsim05abq", out: join(scratch, "c"), seed: 10 });
  const digest = (f: string) => createHash("sha1").update(readFileSync(f)).digest("hex");
  assert.equal(digest(again.rawtag), digest(sim.rawtag));
  assert.notEqual(digest(other.rawtag), digest(sim.rawtag));
});

test("CRDS selects the simulated COS references from the simulated cache", () => {
  const layout = cacheLayout({ CRDS_PATH: sim.crds.root, CRDS_READONLY_CACHE: "1" });
  const context = loadContext(sim.crds.context, { layout });
  const results = bestrefsForFile(context, sim.rawtag);
  for (const [keyword, path] of Object.entries(sim.references)) {
    assert.equal(results[keyword.toLowerCase()], path.split("/").pop(), keyword);
  }
  assert.equal(results.gsagtab, "NOT FOUND n/a");
  const filetype = (path: string) => {
    const f = FitsFile.open(path);
    try {
      return f.hdus[0].header.getString("FILETYPE");
    } finally {
      f.close();
    }
  };
  assert.equal(filetype(sim.references.DEADTAB), "DEADTIME REFERENCE TABLE");
  assert.equal(filetype(sim.references.BPIXTAB), "DATA QUALITY INITIALIZATION TABLE");
  assert.equal(filetype(sim.references.FLUXTAB), "PHOTOMETRIC SENSITIVITY REFERENCE TABLE");
  assert.equal(filetype(sim.references.TDSTAB), "TIME DEPENDENT SENSITIVITY TABLE");
});
