// calstis6's absolute flux: cs0.e's sx1 FLUX of the long-slit case from its NET and wavelengths with the
// simulated PHOTTAB, APERTAB, PCTAB, GACTAB and TDSTAB; and the interpolation rules (linear with clamped or
// extrapolated ends, a natural spline through the PCTAB's points).
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import {
  absoluteFlux,
  type Curve,
  extrapolate,
  interpolate,
  naturalSpline,
  tdsFactors,
} from "../../../src/calib/stis/absolute-flux.js";
import { heliocentricFactor } from "../../../src/calib/stis/heliocentric.js";
import { readReferenceTable } from "../../../src/engine/reference-files.js";
import { FitsFile } from "../../../src/fits/index.js";
import { simulateStisLongSlitCase, stisLongSlitFingerprintPath } from "../../parity/stis-longslit-case.js";

const dir = mkdtempSync(join(tmpdir(), "caldp-stis-absflux-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const record = JSON.parse(readFileSync(stisLongSlitFingerprintPath, "utf8"));
const sim = simulateStisLongSlitCase(dir);
const reference = (suffix: string) =>
  join(sim.referenceDir, readdirSync(sim.referenceDir).find((n) => n.endsWith(`_${suffix}.fits`))!);
type Row = Record<string, string | number | number[]>;
const rows = (suffix: string) => readReferenceTable(suffix, reference(suffix)).rows as unknown as Row[];
const curve = (row: Row, n = row.NELEM as number): Curve => ({
  wl: (row.WAVELENGTH as number[]).slice(0, n),
  value: (row.THROUGHPUT as number[]).slice(0, n),
});

test("cs0.e's sx1 FLUX from its NET: PHOTTAB, APERTAB, PCTAB(MAXHGHT)/PCTAB(7), GACTAB, TDSTAB, ATODGAIN", () => {
  const crj = record.products.find((p: { file: string }) => p.file.endsWith("_crj.fits"));
  const primary = crj.headers[0].keywords;
  const sci = crj.headers.find((h: { hdu: string }) => h.hdu === "SCI,1").keywords;
  const pctab = rows("pct");
  const pctFile = FitsFile.open(reference("pct"));
  const maxHeight = pctFile.hdu(1).header.getInt("MAXHGHT");
  pctFile.close();
  const tds = rows("tds")[0];
  const nwl = tds.NWL as number;
  const tdsWl = (tds.WAVELENGTH as number[]).slice(0, nwl);
  const slopes = [(tds.SLOPE as number[]).slice(0, nwl)];
  const { factor } = heliocentricFactor(primary.RA_TARG, primary.DEC_TARG, sci.EXPSTART, sci.EXPEND);
  const { columns, wavelength, net, flux: theirs } = record.spectrum;
  // the wavelengths and NET of every column are recorded at even columns only: calibrate those as a spectrum
  // of their own, whose dispersion (the neighbours' spacing) is twice the sx1's (at the two ends, one-sided
  // over two columns instead of one: 1e-5 apart; elsewhere 1e-7)
  const { flux } = absoluteFlux(wavelength, net, factor, {
    response: { wl: rows("pht")[0].WAVELENGTH as number[], value: rows("pht")[0].THROUGHPUT as number[] },
    slit: curve(rows("apt")[0]),
    pct: {
      infinite: curve(pctab.find((r) => r.EXTRHEIGHT === maxHeight)!),
      box: curve(pctab.find((r) => r.EXTRHEIGHT === 7)!),
    },
    gac: curve(rows("gac")[0]),
    tds: { wl: tdsWl, value: tdsFactors([tds.TIME as number].flat(), slopes, nwl, sci.EXPSTART) },
    atodgain: primary.ATODGAIN,
  });
  columns.forEach((x: number, k: number) => {
    const ours = flux[k] * 2;
    assert.ok(
      Math.abs(ours - theirs[k]) <= 2e-5 * Math.abs(theirs[k]) + 1e-22,
      `column ${x}: ${ours}, cs0.e ${theirs[k]}`,
    );
  });
});

test("interpolation: clamped, extrapolated from the end pairs, and a natural spline through straight points", () => {
  const c: Curve = { wl: [1, 2, 4], value: [10, 20, 0] };
  assert.deepEqual(
    [0, 1.5, 3, 5].map((x) => interpolate(x, c)),
    [10, 15, 10, 0],
  );
  assert.deepEqual(
    [0, 1.5, 5].map((x) => extrapolate(x, c)),
    [0, 15, -10],
  );
  const line = naturalSpline([0, 1, 2, 3], [1, 3, 5, 7], [0.5, 2.5, 4]);
  for (const [k, y] of line.entries()) assert.ok(Math.abs(y - [2, 6, 9][k]) < 1e-12);
  const [factor] = tdsFactors([50000, 50365.25], [[-1], [-2]], 1, 51095.75);
  assert.ok(Math.abs(factor - 0.95) < 1e-12, `${factor}`);
});
