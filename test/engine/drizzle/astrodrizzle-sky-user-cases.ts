/**
 * The sky given by the user against AstroDrizzle (drizzlepac 3.6.2): skysub off with skyuser naming a SCI keyword
 * or "@file", skysub off alone, skysub on with a skyfile (subtracted, or "# applied = yes"). Each case is the
 * simulator's dithered HRC association (astrodrizzle-cases.ts's prepare) with the exposures' skies different, the
 * keyword (USRSKY, or MDRIZSKY itself) written into the flt SCI headers and the sky file beside them. The prints add MDRIZSKY of every flt as
 * AstroDrizzle leaves it (ours: the copies --flagged-dir writes).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { drizzleInputs } from "../../../src/engine/drizzle/run.js";
import { FitsFile, rewriteHeaders } from "../../../src/fits/index.js";
import { type AdrizCase, type CasePrint, ourOptions, printOutputs } from "./astrodrizzle-cases.js";

export interface SkyUserCase extends AdrizCase {
  /** Per exposure (in order): the value of the SCI keyword written into its flt, and its skyfile line. */
  skies: number[];
  /** The keyword the skies are written as (default USRSKY). */
  keyword?: string;
  /** The sky file's text before its lines ("# applied = yes"). */
  preamble?: string;
}

const BITS = { driz_sep_bits: "336", final_bits: "336", combine_type: "median", combine_nhigh: "0" };
const base = { exposures: 3, seed: 21, exptime: 200, skyFactors: [1, 5, 2.5] };

export const SKY_USER_CASES: SkyUserCase[] = [
  {
    ...base,
    name: "skysub off, skyuser USRSKY (subtracted by the user: MDRIZSKY for median and driz_cr only)",
    skies: [11, 52, 27],
    parameters: { ...BITS, skysub: "no", skyuser: "USRSKY" },
  },
  {
    ...base,
    name: "skysub off, no skyuser (nothing subtracted, MDRIZSKY 0)",
    skies: [11, 52, 27],
    parameters: { ...BITS, skysub: "no" },
  },
  {
    ...base,
    name: "skysub on, skyfile with one value per image (subtracted by the drizzles)",
    skies: [10.5, 49, 26.25],
    parameters: { ...BITS, skysub: "yes", skyfile: "sky.txt" },
  },
  {
    ...base,
    name: "skysub on, skyfile '# applied = yes' (nothing subtracted)",
    skies: [10.5, 49, 26.25],
    preamble: "# sky from my own fits\n# applied = yes\n",
    parameters: { ...BITS, skysub: "yes", skyfile: "sky.txt" },
  },
  {
    ...base,
    name: "skysub off, skyuser MDRIZSKY with MDRIZSKY in the flt (subtracted by the drizzles, as AstroDrizzle)",
    skies: [12, 50, 25.5],
    keyword: "MDRIZSKY",
    parameters: { ...BITS, skysub: "no", skyuser: "MDRIZSKY" },
  },
  {
    ...base,
    name: "skysub off, skyuser @sky.txt (subtracted by the drizzles)",
    skies: [9, 47.5, 24],
    parameters: { ...BITS, skysub: "no", skyuser: "@sky.txt" },
  },
];

/** The case's USRSKY keywords and sky.txt in `folder`, for the flt files of `roots`. */
export function writeUserSkies(c: SkyUserCase, folder: string, roots: string[]): void {
  roots.forEach((root, n) => {
    rewriteHeaders(join(folder, `${root}_flt.fits`), (h, hdu) => {
      if (hdu.name === "SCI") h.set(c.keyword ?? "USRSKY", c.skies[n], { comment: "sky given by the user" });
    });
  });
  const lines = roots.map((root, n) => `${root}_flt.fits ${c.skies[n]}\n`).join("");
  writeFileSync(join(folder, "sky.txt"), `${c.preamble ?? ""}${lines}`);
}

/** MDRIZSKY of each flt's SCI (undefined when absent). */
export function mdrizskyOf(folder: string, roots: string[]): Record<string, number | undefined> {
  const out: Record<string, number | undefined> = {};
  for (const root of roots) {
    const file = FitsFile.open(join(folder, `${root}_flt.fits`));
    try {
      out[root] = file.hdus.find((h) => h.name === "SCI")?.header.get("MDRIZSKY") as number | undefined;
    } finally {
      file.close();
    }
  }
  return out;
}

export type SkyUserPrint = CasePrint & { mdrizsky: Record<string, number | undefined> };

/** Our stage on the case in `folder` (the sky file's name made absolute), the flagged copies in `flagged`. */
export async function runOurs(c: SkyUserCase, folder: string, asn: string, roots: string[], flagged: string) {
  const options = ourOptions({ ...c, parameters: {} });
  const adriz: Record<string, unknown> = { ...ourOptions(c).adriz };
  if (c.parameters.skyfile) adriz.skyfile = join(folder, c.parameters.skyfile);
  if (c.parameters.skyuser?.startsWith("@")) adriz.skyuser = `@${join(folder, c.parameters.skyuser.slice(1))}`;
  const bits = ourOptions(c).bits;
  const [product] = await drizzleInputs([asn], { ...options, bits, adriz, flaggedExposures: flagged });
  const print: SkyUserPrint = {
    ...printOutputs(folder, asn.split("/").at(-1)!.replace("_asn", "_drz"), roots),
    mdrizsky: mdrizskyOf(flagged, roots),
  };
  return { product, print };
}
