// FLUXCORR and TDSCORR of the native calcos on a simulated COS NUV TIME-TAG exposure (`caldp calcos` as a real
// process): FLUX × the FLUXTAB sensitivity × the TDSTAB factor at the exposure's mid-time, both interpolated here
// from the tables at the wavelengths before HELCORR, gives back NET; ERROR scales alike. A DUMMY TDSTAB row
// makes TDSCORR SKIPPED. Bad input (a FLUXTAB row, FPOFFSET row or column missing, a TDSTAB without REF_TIME):
// one line naming table and keys, exit 1, nothing written, the input untouched.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { type ColumnSpec, FitsFile, FitsWriter, type Header, rewriteHeaders } from "../../../src/fits/index.js";
import { simulateCosNuv } from "../../../src/sim/index.js";
import { CosWorkspaces, cosReferences, refused, runCalcos } from "./cos-workspaces.js";

const DS = "lcos03abq";
const RAW = `${DS}_rawtag.fits`;
const N = 1274;

const cases = new CosWorkspaces("flux", (template) => {
  simulateCosNuv({ dataset: DS, out: template, seed: 11, sourceRate: 900, backgroundRate: 60 });
});

const reference = (dir: string, suffix: string) =>
  join(cosReferences(dir), readdirSync(cosReferences(dir)).find((f) => f.endsWith(`_${suffix}.fits`))!);
const calcos = (dir: string) => runCalcos(dir, RAW);

function readTable(path: string) {
  const fits = FitsFile.open(path);
  try {
    const table = fits.readTable(1);
    const column = (name: string) => table.columns.find((c) => c.name === name)!.data as ArrayLike<number>;
    return { table, column, header: fits.hdu(1).header, primary: fits.hdus[0].header };
  } finally {
    fits.close();
  }
}

/** Rewrites a reference table with its columns (and extension header) edited, formats kept. */
function editTable(path: string, edit: (columns: Map<string, ColumnSpec>, header: Header) => void) {
  const fits = FitsFile.open(path);
  const primary = fits.hdus[0].header.clone();
  const header = fits.hdu(1).header.clone();
  const table = fits.readTable(1);
  fits.close();
  const columns = new Map(
    table.columns.map((c) => [c.name, { name: c.name, data: c.data, format: `${c.form.repeat}${c.form.type}` }]),
  );
  edit(columns, header);
  header.removeWhere((card) => /^(TTYPE|TFORM|TUNIT|TDIM)\d+$/.test(card.keyword));
  const writer = new FitsWriter(path);
  writer.writeImage(primary);
  writer.writeTable(header, [...columns.values()], table.nrows);
  writer.close();
}

/** Linear interpolation, the end values beyond the ends. */
function interpolate(xs: ArrayLike<number>, ys: ArrayLike<number>, x: number): number {
  if (x <= xs[0]) return ys[0];
  for (let k = 0; k + 1 < xs.length; k++) {
    if (x <= xs[k + 1]) return ys[k] + ((ys[k + 1] - ys[k]) * (x - xs[k])) / (xs[k + 1] - xs[k]);
  }
  return ys[xs.length - 1];
}

/** Per stripe, the factor FLUX was divided by at pixel i, from the tables (TDS left out when `tds` is false). */
function expectedFactors(dir: string, x1d: ReturnType<typeof readTable>, tds: boolean) {
  const phot = readTable(reference(dir, "phot"));
  const t = readTable(reference(dir, "tds"));
  const nelem = phot.column("NELEM")[0]; // the simulated FLUXTAB's arrays are NELEM long (calcos reads them whole)
  const width = phot.column("WAVELENGTH").length / 3;
  assert.equal(width, nelem);
  const wl = x1d.column("WAVELENGTH");
  const vHelio = x1d.header.getNumber("V_HELIO");
  const tObs = (x1d.header.getNumber("EXPSTART") + x1d.header.getNumber("EXPEND")) / 2;
  const years = (tObs - t.header.getNumber("REF_TIME")) / 365.25;
  const [nt, nwl] = [t.column("NT")[0], t.column("NWL")[0]];
  const times = Array.from(t.column("TIME")).slice(0, nt);
  const interval = times.findLastIndex((time) => time <= tObs);
  const maxwl = t.column("WAVELENGTH").length / 3;
  return [0, 1, 2].map((s) => {
    const pick = (c: ArrayLike<number>, from: number, n: number) => Array.from(c).slice(from, from + n);
    const sensWl = pick(phot.column("WAVELENGTH"), s * width, nelem);
    const sens = pick(phot.column("SENSITIVITY"), s * width, nelem);
    const tdsWl = pick(t.column("WAVELENGTH"), s * maxwl, nwl);
    const base = (s * nt + Math.max(0, interval)) * maxwl;
    const tdsFactor = pick(t.column("SLOPE"), base, nwl).map(
      (v, k) => (years * v) / 100 + t.column("INTERCEPT")[base + k],
    );
    return (i: number) => {
      const rest = wl[s * N + i] / (1 - vHelio / 299792.458);
      return interpolate(sensWl, sens, rest) * (tds ? interpolate(tdsWl, tdsFactor, rest) : 1);
    };
  });
}

function assertFluxFromNet(dir: string, tds: boolean) {
  const x1d = readTable(join(dir, "out", `${DS}_x1d.fits`));
  const [flux, net, error] = ["FLUX", "NET", "ERROR"].map(x1d.column);
  const factors = expectedFactors(dir, x1d, tds);
  let compared = 0;
  for (let s = 0; s < 3; s++) {
    for (let i = 0; i < N; i++) {
      const k = s * N + i;
      const factor = factors[s](i);
      assert.ok(
        Math.abs(flux[k] * factor - net[k]) <= 2e-6 * Math.abs(net[k]) + 1e-30,
        `FLUX ${s}/${i}: ${flux[k]} × ${factor} vs ${net[k]}`,
      );
      if (net[k] !== 0) compared++;
      assert.ok(error[k] > 0 && error[k] < 1e-10, "ERROR in flux units");
    }
  }
  assert.ok(compared > 3000, `${compared} non-zero pixels compared`);
  return x1d;
}

test("FLUXCORR and TDSCORR: FLUX × sensitivity × TDS factor is NET at every pixel, the switches COMPLETE", async () => {
  const dir = cases.workspace();
  const run = await calcos(dir);
  assert.equal(run.status, 0, run.stderr);
  const x1d = assertFluxFromNet(dir, true);
  assert.equal(x1d.primary.getString("FLUXCORR"), "COMPLETE");
  assert.equal(x1d.primary.getString("TDSCORR"), "COMPLETE");
  const trailer = readFileSync(join(dir, "out", `${DS}.tra`), "utf8");
  assert.match(trailer, /TDSCORR {3}PERFORM \(TDSTAB \w+_tds\.fits\)/);
});

test("a DUMMY TDSTAB row: TDSCORR SKIPPED, FLUX from the sensitivity alone", async () => {
  const dir = cases.workspace();
  editTable(reference(dir, "tds"), (c) => {
    c.set("PEDIGREE", { name: "PEDIGREE", data: ["INFLIGHT", "DUMMY", "INFLIGHT"], format: "16A" });
  });
  const run = await calcos(dir);
  assert.equal(run.status, 0, run.stderr);
  const x1d = assertFluxFromNet(dir, false);
  assert.equal(x1d.primary.getString("FLUXCORR"), "COMPLETE");
  assert.equal(x1d.primary.getString("TDSCORR"), "SKIPPED");
});

test("X1DCORR OMIT: BACKCORR, FLUXCORR and TDSCORR reset to OMIT in the products, as calcos does", async () => {
  const dir = cases.workspace();
  rewriteHeaders(join(dir, RAW), (h, hdu) => {
    if (hdu.index === 0) h.set("X1DCORR", "OMIT");
  });
  const run = await calcos(dir);
  assert.equal(run.status, 0, run.stderr);
  assert.equal(existsSync(join(dir, "out", `${DS}_x1d.fits`)), false);
  const fits = FitsFile.open(join(dir, "out", `${DS}_flt.fits`));
  const flt = fits.hdus[0].header;
  fits.close();
  for (const key of ["BACKCORR", "FLUXCORR", "TDSCORR"]) assert.equal(flt.getString(key), "OMIT", key);
  assert.equal(flt.getString("HELCORR"), "PERFORM");
  assert.match(
    readFileSync(join(dir, "out", `${DS}.tra`), "utf8"),
    /FLUXCORR reset to OMIT \(X1DCORR is not PERFORM\)/,
  );
});

test("a FLUXTAB without NUVB's row, NUVC's FPOFFSET or SENSITIVITY, a TDSTAB without REF_TIME: refused by name", async () => {
  const noRow = cases.workspace();
  editTable(reference(noRow, "phot"), (c) => {
    c.set("SEGMENT", { name: "SEGMENT", data: ["NUVA", "NUVX", "NUVC"], format: "4A" });
  });
  await refused(
    noRow,
    RAW,
    /FLUXTAB \w+_phot\.fits\[1\]: no row for OPT_ELEM='G185M', CENWAVE=1850, APERTURE='PSA', SEGMENT='NUVB'/,
  );
  // calcos selects FLUXTAB rows on FPOFFSET too when the table has that column
  const noFpoffset = cases.workspace();
  editTable(reference(noFpoffset, "phot"), (c) => {
    c.set("FPOFFSET", { name: "FPOFFSET", data: Int32Array.from([0, 0, 1]), format: "1J" });
  });
  await refused(
    noFpoffset,
    RAW,
    /FLUXTAB \w+_phot\.fits\[1\]: no row for OPT_ELEM='G185M', CENWAVE=1850, APERTURE='PSA', FPOFFSET=0, SEGMENT='NUVC'/,
  );
  const noColumn = cases.workspace();
  editTable(reference(noColumn, "phot"), (c) => c.delete("SENSITIVITY"));
  await refused(noColumn, RAW, /FLUXTAB \w+_phot\.fits\[1\]: has no column SENSITIVITY/);
  const noRefTime = cases.workspace();
  editTable(reference(noRefTime, "tds"), (_, h) => h.delete("REF_TIME"));
  await refused(noRefTime, RAW, /TDSTAB \w+_tds\.fits\[1\]: has no REF_TIME keyword/);
});
