/**
 * Variants of the STIS echelle parity case (stis-echelle-case.ts) for calstis6: order 100's XTRACTAB MAXSRCH set
 * to 0 (its offset 0 is rejected by cs6's offset analysis and the order is extracted at the mean of the others),
 * and BACKCORR, FLUXCORR, HELCORR = OMIT in turn. Each is the simulated raws with their references copied beside
 * them (`refs/`) and edited there; cs0.e's x1d column prints are in fingerprints/stis-fuv-mama-echelle-variants.json.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, readdirSync } from "node:fs";
import { basename, join } from "node:path";
import { rewriteHeaders } from "../../src/fits/index.js";
import { simulateStisEchelleCase } from "./stis-echelle-case.js";

export interface EchelleVariant {
  name: string;
  /** A primary keyword of the raw set to OMIT. */
  omit?: string;
  /** Python (astropy) run with `refs` the references' folder. */
  edit?: string;
}

export const ECHELLE_VARIANTS: EchelleVariant[] = [
  {
    name: "order-100-unsearched",
    edit: [
      "import glob",
      "from astropy.io import fits",
      "with fits.open(glob.glob(refs + '/*_1dx.fits')[0], mode='update') as h:",
      "    t = h[1].data",
      "    t['MAXSRCH'][t['SPORDER'] == 100] = 0",
    ].join("\n"),
  },
  { name: "backcorr-omit", omit: "BACKCORR" },
  { name: "fluxcorr-omit", omit: "FLUXCORR" },
  { name: "helcorr-omit", omit: "HELCORR" },
];

export const stisEchelleVariantsPath = join(import.meta.dirname, "fingerprints", "stis-fuv-mama-echelle-variants.json");

type Simulated = Pick<ReturnType<typeof simulateStisEchelleCase>, "input" | "raws" | "referenceDir">;

/**
 * The variant's raws in `dir` and its references in `dir/refs` (the `oref` to give): copied from `from`, one
 * simulation of the case, or simulated in `dir`.
 */
export function prepareEchelleVariant(dir: string, v: EchelleVariant, from?: Simulated) {
  const sim = from ?? simulateStisEchelleCase(dir);
  if (from) for (const raw of from.raws) copyFileSync(raw, join(dir, basename(raw)));
  const refs = join(dir, "refs");
  mkdirSync(refs);
  for (const f of readdirSync(sim.referenceDir)) copyFileSync(join(sim.referenceDir, f), join(refs, f));
  if (v.edit) execFileSync("/usr/bin/python3", ["-c", `refs = ${JSON.stringify(refs)}\n${v.edit}`]);
  if (v.omit)
    rewriteHeaders(join(dir, sim.input), (header, hdu) => {
      if (hdu.index === 0) header.set(v.omit!, "OMIT");
    });
  return { input: sim.input, refs };
}
