/**
 * caldp-process (native) on the simulator's dithered ACS/HRC association (3 exposures, sub- and multi-pixel
 * steps, IDCTAB and NPOLFILE selected by the simulated CRDS cache): stage 2 runs updatewcs on every flt, then
 * drizzles `<asn>_drz.fits`. Measured against the truth catalogue in sky coordinates: each star's centroid in
 * the drz (radius-8 aperture, background from the 12–18 px annulus median) against where the drz's WCS puts
 * its true RA/Dec (rms over the stars), and the summed aperture fluxes (e-/s) against the catalogue's sum.
 * Stars with an injected cosmic ray within 9 px in any exposure are left out (the truth test of driz_cr is
 * test/engine/drizzle/astrodrizzle.test.ts). Stage 2 leaves driz_cr's CR bit and MDRIZSKY in the flt, as
 * runastrodriz does, and no _crmask among the products.
 * astropy.wcs, on each updated flt, puts the catalogue where the simulator placed the stars (< 1e-4 px).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { FitsFile } from "../../src/fits/index.js";
import { simulateDither } from "../../src/sim/dither.js";
import { hasDistortion, readHduWcs, skyToPix } from "../../src/wcs/index.js";
import { runCliAsync } from "../helpers/cli-async.js";
import { PYTHON } from "../helpers/paths.js";

/** astropy.wcs's all_world2pix (SIP + NPOL lookup tables read from the file) of the catalogue on a flt's SCI,1. */
function astropyPixels(flt: string, stars: { ra: number; dec: number }[]): [number, number][] {
  const code = [
    "import sys, json",
    "from astropy.io import fits",
    "from astropy.wcs import WCS",
    "f = fits.open(sys.argv[1])",
    "w = WCS(f['SCI', 1].header, f)",
    "s = json.load(sys.stdin)",
    "print(json.dumps(w.all_world2pix([[a, b] for a, b in s], 1, tolerance=1e-10, maxiter=100).tolist()))",
  ].join("\n");
  const input = JSON.stringify(stars.map((s) => [s.ra, s.dec]));
  const r = spawnSync(PYTHON, ["-c", code, flt], { input, encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

const dir = mkdtempSync(join(tmpdir(), "caldp-native-dither-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function measure(data: Float32Array, width: number, x0: number, y0: number) {
  const value = (i: number, j: number) => data[(j - 1) * width + (i - 1)];
  const ring: number[] = [];
  for (let j = Math.floor(y0) - 18; j <= Math.ceil(y0) + 18; j++)
    for (let i = Math.floor(x0) - 18; i <= Math.ceil(x0) + 18; i++) {
      const r2 = (i - x0) ** 2 + (j - y0) ** 2;
      if (r2 >= 144 && r2 <= 324) ring.push(value(i, j));
    }
  ring.sort((a, b) => a - b);
  const background = ring[ring.length >> 1];
  let [x, y, flux] = [x0, y0, 0];
  for (let iteration = 0; iteration < 6; iteration++) {
    let [sx, sy, sum] = [0, 0, 0];
    for (let j = Math.floor(y) - 9; j <= Math.ceil(y) + 9; j++)
      for (let i = Math.floor(x) - 9; i <= Math.ceil(x) + 9; i++) {
        if ((i - x) ** 2 + (j - y) ** 2 > 64) continue;
        const v = value(i, j) - background;
        sx += v * i;
        sy += v * j;
        sum += v;
      }
    [x, y, flux] = [sx / sum, sy / sum, sum];
  }
  return { x, y, flux };
}

test("dithered HRC association: updatewcs in stage 2, stars in the drz at their true sky positions and flux", async () => {
  const sim = simulateDither({ asnId: "j8dt010b0", out: join(dir, "in"), exposures: 3, seed: 7, exptime: 100 });
  const config = join(dir, "sim.cfg");
  writeFileSync(config, `CRDS_PATH=${sim.crds.root}\nCRDS_READONLY_CACHE=1\n`);
  const r = await runCliAsync("caldp-process", ["j8dt010b0", "file:in", "file:out", config], { cwd: dir });
  assert.equal(r.status, 0, r.stdout.slice(-3000) + r.stderr);
  const log = readFileSync(join(dir, "process.txt"), "utf8");
  for (const e of sim.exposures) assert.match(log, new RegExp(`updatewcs .*${e.rootname}_flt\\.fits`));
  const out = join(dir, "out", "j8dt010b0");
  for (const e of sim.exposures) {
    // the stars were placed where the flt's updated WCS, evaluated by astropy, puts the catalogue
    const pixels = astropyPixels(join(out, `${e.rootname}_flt.fits`), sim.stars);
    const worst = Math.max(...pixels.map(([x, y], k) => Math.hypot(x - e.stars[k][0], y - e.stars[k][1])));
    console.log(`# ${e.rootname}: astropy vs simulated placement, worst ${worst.toExponential(2)} px`);
    assert.ok(worst < 1e-4, `${e.rootname}: astropy places a star ${worst} px from the simulation`);
    const flt = FitsFile.open(join(out, `${e.rootname}_flt.fits`));
    try {
      assert.ok(hasDistortion(readHduWcs(flt, flt.hdus[1])), `${e.rootname}_flt has SIP and NPOL`);
      assert.equal(flt.hdus.filter((h) => h.name === "WCSDVARR").length, 2);
      assert.equal(typeof flt.hdus[1].header.get("MDRIZSKY"), "number", `${e.rootname}: MDRIZSKY`);
      const dq = flt.readImage("DQ").data as ArrayLike<number>;
      const width = flt.hdus[1].header.getInt("NAXIS1");
      const rays = e.cosmicRays.x.length;
      let flagged = 0;
      for (let n = 0; n < rays; n++) if (dq[e.cosmicRays.y[n] * width + e.cosmicRays.x[n]] & 4096) flagged++;
      console.log(`# ${e.rootname}: ${flagged} of ${rays} injected CR pixels flagged 4096 in the flt's DQ`);
      assert.ok(flagged > 0.3 * rays, `${flagged} of ${rays}`);
    } finally {
      flt.close();
    }
  }
  assert.deepEqual(
    readdirSync(out).filter((f) => /crmask|single|^\.adriz/.test(f)),
    [],
    "no AstroDrizzle intermediate among the products",
  );
  assert.match(log, /stage 2: driz_cr: ran, driz_cr_snr=3\.5 3/);
  const drz = FitsFile.open(join(out, "j8dt010b0_drz.fits"));
  const sciHdu = drz.hdus.find((h) => h.name === "SCI")!;
  const wcs = readHduWcs(drz, sciHdu);
  const sci = drz.readImage(sciHdu).data as Float32Array;
  const width = sciHdu.header.getInt("NAXIS1");
  assert.equal(drz.hdus[0].header.get("NDRIZIM"), 3);
  drz.close();
  const hit = (k: number) =>
    sim.exposures.some((e) => {
      const [x, y] = e.stars[k];
      const cr = e.cosmicRays;
      for (let n = 0; n < cr.x.length; n++) if ((cr.x[n] + 1 - x) ** 2 + (cr.y[n] + 1 - y) ** 2 < 81) return true;
      return false;
    });
  let [squared, measured, truth, used] = [0, 0, 0, 0];
  sim.stars.forEach((star, k) => {
    if (hit(k)) return;
    const [tx, ty] = skyToPix(wcs, star.ra, star.dec);
    const m = measure(sci, width, tx, ty);
    squared += (m.x - tx) ** 2 + (m.y - ty) ** 2;
    measured += m.flux;
    truth += star.flux;
    used++;
  });
  const rms = Math.sqrt(squared / used);
  const fluxError = measured / truth - 1;
  console.log(
    `# ${used}/${sim.stars.length} stars: position rms ${rms.toFixed(4)} px, total flux ${(fluxError * 100).toFixed(3)} %`,
  );
  assert.ok(used >= 15, `${used} stars free of cosmic rays`);
  assert.ok(rms < 0.02, `position rms ${rms} px`);
  assert.ok(Math.abs(fluxError) < 0.001, `total flux error ${fluxError}`);
});
