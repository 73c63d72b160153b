/**
 * Variants of the COS TAGFLASH case (cos-case.ts) that reach calcos' other branches: one commanded flash
 * (constant shifts, TIMELINE SHIFT1 filled), uniformly spaced flashes (times from LMP_ON1, LMPDUR1 and the
 * spacing). What is recorded of a run: the shift keywords and the _lampflash's shifts, χ², flags, and sums of
 * the corrtag's XFULL/YFULL/WAVELENGTH (fingerprints/cos-tagflash-variants.json,
 * scripts/cos-tagflash-variants.ts).
 */
import { join } from "node:path";
import { FitsFile, rewriteHeaders } from "../../src/fits/index.js";

export const VARIANTS: { name: string; edit: (primary: boolean, extname: string) => [string, string | number][] }[] = [
  { name: "one-flash", edit: (primary, extname) => (!primary && extname === "EVENTS" ? [["NUMFLASH", 1]] : []) },
  { name: "uniformly-spaced", edit: (primary) => (primary ? [["TAGFLASH", "UNIFORMLY SPACED"]] : []) },
];

export const variantsPath = join(import.meta.dirname, "fingerprints", "cos-tagflash-variants.json");

export function applyVariant(rawtag: string, variant: (typeof VARIANTS)[number]): void {
  rewriteHeaders(rawtag, (h, hdu) => {
    for (const [k, v] of variant.edit(hdu.index === 0, hdu.name)) h.set(k, v);
  });
}

export interface VariantPrint {
  keywords: Record<string, number>;
  lampflash: Record<string, number[]>;
  sums: Record<string, number>;
}

function column(table: { columns: { name: string; data: unknown }[] }, name: string) {
  const c = table.columns.find((x) => x.name === name);
  if (!c) throw new Error(`no column ${name}`);
  return c.data;
}

export function printVariant(out: string, dataset: string): VariantPrint {
  const corrtag = FitsFile.open(join(out, `${dataset}_corrtag.fits`));
  const keywords: Record<string, number> = {};
  const sums: Record<string, number> = {};
  try {
    const h = corrtag.hdu("EVENTS").header;
    for (const k of ["NUMFLASH", "LMP_ON1", "LMPOFF1", "LMPMED1"].concat(
      ...["A", "B", "C"].map((x) => [`SHIFT1${x}`, `SHIFT2${x}`, `DPIXEL1${x}`, `CHI_SQ_${x}`, `NDF_${x}`]),
    ))
      keywords[k] = h.getNumber(k);
    const events = corrtag.readTable("EVENTS");
    for (const name of ["XFULL", "YFULL", "WAVELENGTH"]) {
      const data = column(events, name) as Float32Array;
      sums[name] = data.reduce((t, v) => t + v, 0);
    }
    const timeline = corrtag.readTable("TIMELINE");
    sums.SHIFT1 = (column(timeline, "SHIFT1") as Float32Array).reduce((t, v) => t + v, 0);
  } finally {
    corrtag.close();
  }
  const flash = FitsFile.open(join(out, `${dataset}_lampflash.fits`));
  const lampflash: Record<string, number[]> = {};
  try {
    const table = flash.readTable("LAMPFLASH");
    for (const name of ["TIME", "LAMP_ON", "LAMP_OFF", "SHIFT_DISP", "SHIFT_XDISP", "CHI_SQUARE", "N_DEG_FREEDOM"])
      lampflash[name] = Array.from(column(table, name) as ArrayLike<number>);
    lampflash.SPEC_FOUND = (column(table, "SPEC_FOUND") as boolean[]).map(Number);
  } finally {
    flash.close();
  }
  return { keywords, lampflash, sums };
}
