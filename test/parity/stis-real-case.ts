/**
 * A real STIS/CCD raw of ../shared/data/hst (a target acquisition: every switch OMIT, references not in any
 * cache here) made calibratable: copied into the case's folder with DQICORR, BLEVCORR, BIASCORR, DARKCORR
 * and FLATCORR on, and the references of a simulated STIS/CCD dataset (whose CCDTAB has the gain-1 row only,
 * hence CCDGAIN = 1). Real pixels, subarray geometry and image-set layout; synthetic references. With
 * `deltaFlat`, the pixel-to-pixel flat is named as DFLTFILE too, so that FLATCORR divides by PFLT × DFLT.
 */
import { copyFileSync } from "node:fs";
import { join } from "node:path";
import { FitsFile, rewriteHeaders } from "../../src/fits/index.js";
import { simulateDataset } from "../../src/sim/index.js";
import { HST_DATA } from "../helpers/paths.js";

const KEYWORDS = ["CCDTAB", "BPIXTAB", "BIASFILE", "DARKFILE", "PFLTFILE", "DFLTFILE", "LFLTFILE"];
const SWITCHES = ["DQICORR", "BLEVCORR", "BIASCORR", "DARKCORR", "FLATCORR"];

export function stisRealRawCase(
  rootname: string,
  dir: string,
  seed: number,
  deltaFlat = false,
): { input: string; referenceDir: string } {
  const sim = simulateDataset({ dataset: "o8ab09abq", out: join(dir, "sim"), seed });
  const file = FitsFile.open(sim.exposures[0]!.raw);
  const simulated = file.hdus[0]!.header;
  const references = Object.fromEntries(KEYWORDS.map((k) => [k, String(simulated.get(k))]));
  if (deltaFlat) references.DFLTFILE = references.PFLTFILE!;
  file.close();
  const input = `${rootname}_raw.fits`;
  copyFileSync(join(HST_DATA, input), join(dir, input));
  rewriteHeaders(join(dir, input), (header, hdu) => {
    if (hdu.index !== 0) return;
    for (const s of SWITCHES) header.set(s, "PERFORM");
    for (const [k, v] of Object.entries(references)) header.set(k, v);
    header.set("CCDGAIN", 1);
  });
  return { input, referenceDir: sim.referenceDir };
}
