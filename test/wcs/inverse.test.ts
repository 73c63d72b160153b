/**
 * all_world2pix's iteration on a strong SIP distortion, against astropy: where astropy converges we agree to
 * 1e-6 pixel, where it reports divergence (the residual grows) or slow convergence (maxiter reached) we throw.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";
import { Header } from "../../src/fits/index.js";
import { focalToSky, readWcs, skyToPix, WcsError } from "../../src/wcs/index.js";
import { PYTHON, REPO } from "../helpers/paths.js";

const CARDS: [string, string | number][] = [
  ["CTYPE1", "RA---TAN-SIP"],
  ["CTYPE2", "DEC--TAN-SIP"],
  ["CRPIX1", 512],
  ["CRPIX2", 512],
  ["CRVAL1", 10],
  ["CRVAL2", -30],
  ["CD1_1", -1.4e-5],
  ["CD1_2", 2e-6],
  ["CD2_1", 2e-6],
  ["CD2_2", 1.4e-5],
  ["A_ORDER", 2],
  ["A_2_0", 4e-4],
  ["A_1_1", -1e-4],
  ["B_ORDER", 2],
  ["B_0_2", 3e-4],
];

function oracle(sky: [number, number][], tolerance: number, maxiter: number) {
  const input = JSON.stringify({ cards: CARDS, sky, tolerance, maxiter });
  const out = execFileSync(PYTHON, [join(REPO, "test", "wcs", "inverse_oracle.py")], { input, encoding: "utf8" });
  return JSON.parse(out) as { pix: [number, number][]; status: string[] };
}

const header = new Header();
for (const [k, v] of CARDS) header.set(k, v);
const wcs = readWcs(header);
// sky positions of undistorted pixels from the centre outwards: the fixed point iteration fails far out
const sky = [0, 100, 300, 600, 900, 1200, 1600, 2500].flatMap((r) =>
  [0, 1, 2, 3].map((q) => focalToSky(wcs, 512 + r * Math.cos(q), 512 + r * Math.sin(q))),
);

for (const [tolerance, maxiter] of [
  [1e-4, 20],
  [1e-10, 50],
  [1e-10, 3],
]) {
  test(`tolerance ${tolerance}, ${maxiter} iterations: converged, divergent and slow points as astropy finds them`, () => {
    const expected = oracle(sky, tolerance, maxiter);
    const seen = new Set<string>();
    sky.forEach(([ra, dec], i) => {
      const status = expected.status[i];
      seen.add(status);
      if (status === "ok") {
        const [x, y] = skyToPix(wcs, ra, dec, { tolerance, maxIterations: maxiter });
        const [ex, ey] = expected.pix[i];
        assert.ok(
          Math.abs(x - ex) < Math.max(1e-6, tolerance) && Math.abs(y - ey) < Math.max(1e-6, tolerance),
          `${i}: ${x}, ${y} vs ${ex}, ${ey}`,
        );
      } else {
        const pattern = status === "divergent" ? /diverges/ : /did not converge/;
        assert.throws(
          () => skyToPix(wcs, ra, dec, { tolerance, maxIterations: maxiter }),
          (e: unknown) => e instanceof WcsError && pattern.test(e.message),
          `${i} (${status})`,
        );
      }
    });
    assert.ok(seen.has("ok") && seen.size > 1, `statuses seen: ${[...seen].join(", ")}`);
  });
}
