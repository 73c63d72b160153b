/**
 * The calstis6 records of the main STIS long-slit case (scripts/stis-longslit-fingerprints.ts): prints of cs0.e's
 * sx1 columns (test/parity/column-print.ts, never the columns), and cs0.e run again in `dir`'s subfolders on the same raws with other SPTRCTAB/XTRACTAB rows (the
 * variant of test/parity/stis-longslit-variant.ts), with CRCORR = OMIT (an x1d of two tables from the flt), and
 * with each calstis6 switch off in turn.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { rewriteHeaders } from "../src/fits/index.js";
import { columnsPrint } from "../test/parity/column-print.js";
import { fingerprintProduct } from "../test/parity/fingerprint.js";
import { STIS_LONGSLIT_CASE, simulateStisLongSlitCase, tableColumns } from "../test/parity/stis-longslit-case.js";
import { writeX1dVariantTables, X1D_SWITCHES, X1D_VARIANT } from "../test/parity/stis-longslit-variant.js";

const { dataset, sampleSeed } = STIS_LONGSLIT_CASE;
const printOf = (path: string, ver = 1) => columnsPrint(tableColumns(path, ver), sampleSeed);

/** The HISTORY lines calstis6 added (from "X1DCORR performed ..."), none when it added none. */
const calstis6History = (lines: string[]) => {
  const at = lines.indexOf("X1DCORR performed ...");
  return at < 0 ? [] : lines.slice(at);
};

/** cs0.e on a fresh simulation of the main case in `folder`, its raw edited by `edit`; exits on failure. */
function rerun(program: string, folder: string, input: string, what: string, edit?: (oref: string) => void) {
  mkdirSync(folder);
  const { referenceDir } = simulateStisLongSlitCase(folder);
  edit?.(referenceDir);
  const env = { ...process.env, oref: `${referenceDir}/` };
  const run = spawnSync(program, [input], { cwd: folder, encoding: "utf8", env, maxBuffer: 64 << 20 });
  if (run.status !== 0) {
    console.error(`stis-longslit-fingerprints: cs0.e ${what} exited ${run.status ?? run.signal}`);
    process.exit(1);
  }
}

const shiftsOf = (path: string, ver = 1) => {
  const k = fingerprintProduct(path, "print", 1, true).headers!.find((h) => h.hdu === `SCI,${ver}`)!.keywords;
  return { SHIFTA1: k.SHIFTA1, SHIFTA2: k.SHIFTA2 };
};

const omitting = (folder: string, input: string, step: string) => () =>
  rewriteHeaders(join(folder, input), (header, hdu) => {
    if (hdu.index === 0) header.set(step, "OMIT");
  });

export function x1dRecords(program: string, dir: string, input: string) {
  const main = tableColumns(join(dir, `${dataset}_sx1.fits`));
  const variantDir = join(dir, "variant");
  rerun(program, variantDir, input, `on the ${X1D_VARIANT} variant`, (refs) => {
    const table = (suffix: string) => join(refs, readdirSync(refs).find((n) => n.endsWith(suffix))!);
    writeX1dVariantTables({ sptrctab: table("_1dt.fits"), xtractab: table("_1dx.fits") });
  });
  const fltDir = join(dir, "flt");
  rerun(program, fltDir, input, "with CRCORR = OMIT", omitting(fltDir, input, "CRCORR"));
  const flt = join(fltDir, `${dataset}_flt.fits`);
  const x1d = join(fltDir, `${dataset}_x1d.fits`);
  const x1dSwitches = Object.fromEntries(
    X1D_SWITCHES.map((step) => {
      const stepDir = join(dir, step);
      rerun(program, stepDir, input, `with ${step} = OMIT`, omitting(stepDir, input, step));
      const sx1 = join(stepDir, `${dataset}_sx1.fits`);
      const columns = tableColumns(sx1);
      const changed = Object.fromEntries(Object.entries(columns).filter(([k, v]) => `${v}` !== `${main[k]}`));
      const print = fingerprintProduct(sx1, "sx1", 1, true);
      return [
        step,
        {
          shifts: shiftsOf(join(stepDir, `${dataset}_crj.fits`)),
          changed: columnsPrint(changed, sampleSeed),
          headers: print.headers!.map((h) => ({ ...h, history: calstis6History(h.history) })),
        },
      ];
    }),
  );
  return {
    sx1: columnsPrint(main, sampleSeed),
    x1dVariant: {
      name: X1D_VARIANT,
      shifts: shiftsOf(join(variantDir, `${dataset}_crj.fits`)),
      sx1: printOf(join(variantDir, `${dataset}_sx1.fits`)),
    },
    x1dFlt: { shifts: [1, 2].map((ver) => shiftsOf(flt, ver)), x1d: [1, 2].map((ver) => printOf(x1d, ver)) },
    x1dSwitches,
  };
}
