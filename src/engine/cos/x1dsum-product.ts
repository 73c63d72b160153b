/**
 * calcos' combineToProduct and updateMempresent for an association with a product: `<product>_x1dsum.fits`
 * from every spectroscopic exposure's `_x1d`, then `<product>_x1dsum<n>.fits` for each FPPOS n that has one;
 * the association table copied beside them with ASN_PROD = T and the product's MEMPRSNT true. calcos edits
 * the table in place when the output folder is the input folder; here the input is never modified.
 */
import { basename, join, resolve } from "node:path";
import { FitsFile, FitsWriter, formatTForm } from "../../fits/index.js";
import type { Env } from "../reference-files.js";
import { fpAverage } from "./x1dsum.js";

export interface SpectrumMember {
  /** The member's `_x1d` file name in the output folder. */
  x1d: string;
  fppos: number;
}

/** Writes the x1dsum products; returns their names and the trailer lines. */
export function x1dsumProducts(
  product: string,
  members: readonly SpectrumMember[],
  ctx: { outDir: string; env: Env },
): { outputs: string[]; trailer: string[] } {
  const outputs: string[] = [];
  const trailer: string[] = [];
  if (members.length === 0) return { outputs, trailer };
  const average = (inputs: string[], name: string) => {
    fpAverage(
      inputs.map((x) => join(ctx.outDir, x)),
      join(ctx.outDir, name),
      ctx.env,
    );
    outputs.push(name);
    trailer.push(`X1DSUM    ${name} from ${inputs.join(", ")}`);
  };
  average(
    members.map((m) => m.x1d),
    `${product}_x1dsum.fits`,
  );
  const highest = Math.max(...members.map((m) => m.fppos));
  for (let fppos = 1; fppos <= highest; fppos++) {
    const subset = members.filter((m) => m.fppos === fppos).map((m) => m.x1d);
    if (subset.length > 0) average(subset, `${product}_x1dsum${fppos}.fits`);
  }
  return { outputs, trailer };
}

/** The association table in the output folder, marked as calcos marks it once the product is made. */
export function markAssociation(asnPath: string, outDir: string): string | undefined {
  const target = join(outDir, basename(asnPath));
  if (resolve(target) === resolve(asnPath)) return undefined;
  const file = FitsFile.open(asnPath);
  try {
    const primary = file.hdus[0].header.clone().set("ASN_PROD", true);
    const table = file.readTable(1);
    const types = table.columns.find((c) => c.name.toUpperCase() === "MEMTYPE")?.data as string[];
    const present = table.columns.find((c) => c.name.toUpperCase() === "MEMPRSNT");
    if (present && types) {
      const i = types.findIndex((t) => t.toUpperCase().includes("PROD"));
      if (i >= 0) (present.data as (boolean | null)[])[i] = true;
    }
    const writer = new FitsWriter(target);
    try {
      writer.writeImage(primary);
      const header = file.hdus[1].header.clone();
      header.removeWhere((c) => /^(TTYPE|TFORM|TUNIT|TDISP|TNULL|TSCAL|TZERO|TDIM)\d+$/.test(c.keyword));
      writer.writeTable(
        header,
        table.columns.map((c) => ({ name: c.name, format: formatTForm(c.form), unit: c.unit, data: c.data })),
        table.nrows,
      );
      writer.close();
    } catch (e) {
      writer.abort();
      throw e;
    }
  } finally {
    file.close();
  }
  return basename(target);
}
