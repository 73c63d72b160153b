/**
 * A simulated MDRIZTAB in the real format (a BINTABLE of AstroDrizzle parameters, one row per filter and minimum
 * number of images, the columns named and typed as in ACS's `_mdz.fits`: A strings, L switches, J integers, E reals
 * with NaN for INDEF): rows for ANY filter with 1, 2 and 4 images and one for F606W with 2, so that the row choice
 * (filter first, then the last row whose numimages the association reaches) is exercised.
 */
import { type ColumnSpec, FitsWriter, Header } from "../fits/index.js";

type Cell = string | number | boolean;

interface Row {
  filter: string;
  numimages: number;
  cells: Record<string, Cell>;
}

/** The columns after filter/numimages, with their types (A, L, J or E) and the values every row starts from. */
const BASE: [string, "A" | "L" | "J" | "E", Cell][] = [
  ["build", "L", true],
  ["static", "L", true],
  ["static_sig", "E", 4],
  ["skysub", "L", true],
  ["skymethod", "A", "localmin"],
  ["skystat", "A", "median"],
  ["skywidth", "E", 0.1],
  ["skylower", "E", Number.NaN],
  ["skyupper", "E", Number.NaN],
  ["skyclip", "J", 5],
  ["skylsigma", "E", 4],
  ["skyusigma", "E", 4],
  ["driz_separate", "L", true],
  ["driz_sep_kernel", "A", "turbo"],
  ["driz_sep_pixfrac", "E", 1],
  ["driz_sep_bits", "J", 336],
  ["median", "L", true],
  ["median_newmasks", "L", true],
  ["combine_type", "A", "minmed"],
  ["combine_maskpt", "E", 0.3],
  ["combine_nsigma", "A", "4 3"],
  ["combine_nlow", "J", 0],
  ["combine_nhigh", "J", 0],
  ["combine_lthresh", "E", Number.NaN],
  ["combine_hthresh", "E", Number.NaN],
  ["combine_grow", "J", 1],
  ["blot", "L", true],
  ["blot_interp", "A", "poly5"],
  ["blot_sinscl", "E", 1],
  ["driz_cr", "L", true],
  ["driz_cr_snr", "A", "3.5 3.0"],
  ["driz_cr_scale", "A", "1.2 0.7"],
  ["driz_cr_grow", "J", 1],
  ["driz_cr_ctegrow", "J", 0],
  ["driz_combine", "L", true],
  ["final_wht_type", "A", "EXP"],
  ["final_kernel", "A", "square"],
  ["final_pixfrac", "E", 1],
  ["final_fillval", "E", Number.NaN],
  ["final_bits", "J", 336],
  ["final_units", "A", "cps"],
  ["crbit", "J", 4096],
];

export const SIMULATED_MDRIZTAB_ROWS: Row[] = [
  {
    filter: "ANY",
    numimages: 1,
    cells: { driz_separate: false, median: false, blot: false, driz_cr: false },
  },
  { filter: "ANY", numimages: 2, cells: { combine_type: "minmed" } },
  { filter: "ANY", numimages: 4, cells: { combine_type: "median", combine_nhigh: 1 } },
  { filter: "F606W", numimages: 2, cells: { combine_type: "median", driz_cr_snr: "3.0 2.5", final_pixfrac: 0.8 } },
];

/** Writes the simulated MDRIZTAB to `path` (temporary name, renamed). */
export function writeMdriztab(path: string, rows: Row[] = SIMULATED_MDRIZTAB_ROWS): string {
  const columns: ColumnSpec[] = [
    { name: "filter", data: rows.map((r) => r.filter), format: "24A" },
    { name: "numimages", data: Int32Array.from(rows.map((r) => r.numimages)) },
  ];
  for (const [name, type, base] of BASE) {
    const values = rows.map((r) => r.cells[name] ?? base);
    if (type === "A") columns.push({ name, data: values.map(String), format: "16A" });
    else if (type === "L") columns.push({ name, data: values.map(Boolean) });
    else if (type === "J") columns.push({ name, data: Int32Array.from(values.map(Number)) });
    else columns.push({ name, data: Float32Array.from(values.map(Number)) });
  }
  const primary = new Header();
  primary.set("FILETYPE", "MULTIDRIZZLE PARAMETERS", { comment: "type of data found in data file" });
  primary.set("TELESCOP", "HST");
  primary.set("INSTRUME", "ACS");
  primary.set("USEAFTER", "Jan 01 1991 00:00:00");
  primary.set("PEDIGREE", "DUMMY");
  primary.set("DESCRIP", "Simulated MDRIZTAB for caldp's tests, in the real format");
  const writer = new FitsWriter(path);
  try {
    writer.writeImage(primary);
    writer.writeTable(new Header(), columns, rows.length);
    writer.close();
  } catch (e) {
    writer.abort();
    throw e;
  }
  return path;
}
