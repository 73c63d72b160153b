// STIS dispersion relations: the wavelengths of cs0.e's sx1 in the long-slit case come out of the simulated
// DISPTAB, INANGTAB and APDESTAB, the recorded SHIFTA1 and the heliocentric factor; a missing row is an error
// naming the table and the keys; the solver inverts evalDisp for every number of coefficients.
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import {
  adjustedCoefficients,
  coefficientsAt,
  type DispersionRow,
  dispersionRows,
  type IncidenceAngleRow,
  incidenceAngleRow,
  pixelOfWavelength,
  spectrumWavelengths,
  wavelengthOfPixel,
} from "../../../src/calib/stis/dispersion.js";
import { heliocentricFactor } from "../../../src/calib/stis/heliocentric.js";
import { readReferenceTable } from "../../../src/engine/reference-files.js";
import { simulateStisLongSlitCase, stisLongSlitFingerprintPath } from "../../parity/stis-longslit-case.js";

const dir = mkdtempSync(join(tmpdir(), "caldp-stis-dispersion-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const record = JSON.parse(readFileSync(stisLongSlitFingerprintPath, "utf8"));
const sim = simulateStisLongSlitCase(dir);
const reference = (suffix: string) =>
  join(sim.referenceDir, readdirSync(sim.referenceDir).find((n) => n.endsWith(`_${suffix}.fits`))!);
const table = <Row>(suffix: string) => readReferenceTable(suffix, reference(suffix)).rows as unknown as Row[];

test("the sx1's wavelengths: DISPTAB at the trace, INANGTAB for the aperture offset, SHIFTA1, heliocentric", () => {
  const crj = record.products.find((p: { file: string }) => p.file.endsWith("_crj.fits"));
  const primary = crj.headers[0].keywords;
  const sci = crj.headers.find((h: { hdu: string }) => h.hdu === "SCI,1").keywords;
  const where = "DISPTAB";
  const rows = dispersionRows(table<DispersionRow>("dsp"), primary.OPT_ELEM, primary.CENWAVE, where);
  const iac = incidenceAngleRow(table<IncidenceAngleRow>("iac"), primary.OPT_ELEM, primary.CENWAVE, 1, "INANGTAB");
  const apertures = table<{ APERTURE: string; OFFSET1: number }>("apd");
  const offset = (name: string) => apertures.find((a) => a.APERTURE.trim() === name.trim())!.OFFSET1;
  const delta = offset(primary.APERTURE) - offset(rows[0].REF_APER);
  // the relation at the row cs6 found the spectrum on (the sx1's one-indexed A2CENTER)
  const sx1 = record.products.find((p: { file: string }) => p.file.endsWith("_sx1.fits"));
  const a2center = sx1.tables[0].columns.find((c: { name: string }) => c.name === "A2CENTER").stats.mean;
  const coeff = adjustedCoefficients(coefficientsAt(rows, a2center - 1), iac, delta, sci.SHIFTA1);
  const { factor } = heliocentricFactor(primary.RA_TARG, primary.DEC_TARG, sci.EXPSTART, sci.EXPEND);
  const npts = 1024;
  const ours = spectrumWavelengths(coeff, {
    sporder: 1,
    npts,
    cenwave: primary.CENWAVE,
    ltv1: sci.LTV1,
    ltm1: sci.LTM1_1,
    hfactor: factor,
  });
  const { columns, wavelength } = record.spectrum;
  columns.forEach((x: number, k: number) => {
    assert.ok(
      Math.abs(ours[x] - wavelength[k]) <= 1e-9 * wavelength[k],
      `column ${x}: ${ours[x]}, cs0.e ${wavelength[k]}`,
    );
  });
});

test("no DISPTAB or INANGTAB row for the grating is an error naming the table and the keys", () => {
  assert.throws(
    () => dispersionRows(table<DispersionRow>("dsp"), "G750L", 7751, "DISPTAB oref$x_dsp.fits"),
    /^CalibrationError: DISPTAB oref\$x_dsp\.fits: no row for OPT_ELEM G750L, CENWAVE 7751$/,
  );
  assert.throws(
    () => incidenceAngleRow(table<IncidenceAngleRow>("iac"), "G430L", 4300, 2, "INANGTAB oref$x_iac.fits"),
    /INANGTAB oref\$x_iac\.fits: no row for OPT_ELEM G430L, CENWAVE 4300, SPORDER 2/,
  );
});

test("wavelengthOfPixel inverts pixelOfWavelength for 2 to 9 coefficients; rows interpolate on A2CENTER", () => {
  const base = [-1070.9, 0.37277, -1e-6, 0.5, 1e-4, -2e-7, 1e-9, 1e-13, 0.01];
  for (let n = 2; n <= 9; n++) {
    const coeff = base.slice(0, n);
    for (const pixel of [0, 400.25, 1023]) {
      const wl = wavelengthOfPixel(coeff, 1, pixel, 4300);
      assert.ok(Math.abs(pixelOfWavelength(coeff, 1, wl) - pixel) < 1e-8, `${n} coefficients, pixel ${pixel}`);
    }
  }
  const row = (a2center: number, c0: number): DispersionRow => ({
    OPT_ELEM: "G430L",
    CENWAVE: 4300,
    A2CENTER: a2center,
    REF_APER: "52X0.2",
    NCOEFF: 2,
    COEFF: [c0, 0.37, 0, 0],
  });
  const rows = [row(101, 10), row(901, 30)];
  assert.deepEqual(coefficientsAt(rows, 50), [10, 0.37]);
  assert.deepEqual(coefficientsAt(rows, 500), [20, 0.37]);
  assert.deepEqual(coefficientsAt(rows, 1000), [30, 0.37]);
});
