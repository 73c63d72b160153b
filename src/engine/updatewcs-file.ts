/**
 * `caldp updatewcs`'s edge: reads a raw/flt/flc and its IDCTAB, D2IMFILE and NPOLFILE, computes the
 * distortion-corrected WCS (src/wcs/updatewcs.ts) and writes the updated file atomically (a temporary name,
 * renamed when complete), to another path or over the input when asked. Failures are WcsErrors naming the
 * file and the keyword; nothing is left half-written.
 */
import { existsSync } from "node:fs";
import { copyData, FitsError, FitsFile, FitsWriter, type Header, type Table } from "../fits/index.js";
import { type ReferenceGrid, type UpdateWcsOutput, updateWcs, WcsError } from "../wcs/index.js";
import { type Env, resolveReference } from "./reference-files.js";

const LOOKUP_EXTENSIONS = new Set(["D2IMARR", "WCSDVARR"]);
/** Extensions that get the SCI's linear WCS of the same EXTVER, as stwcs's copyWCS does. */
const COMPANIONS = new Set(["ERR", "DQ", "SDQ", "SAMP", "TIME"]);
const LINEAR = [
  "CRPIX1",
  "CRPIX2",
  "CRVAL1",
  "CRVAL2",
  "CD1_1",
  "CD1_2",
  "CD2_1",
  "CD2_2",
  "CRDER1",
  "CRDER2",
  "WCSNAME",
];

function referencePath(
  primary: Header,
  keyword: string,
  file: string,
  env: Env,
  required: boolean,
): string | undefined {
  const value = primary.get(keyword);
  let path: string | undefined;
  try {
    path = resolveReference(keyword, typeof value === "string" ? value : undefined, env);
  } catch (e) {
    throw new WcsError((e as Error).message.replace(/^.*?: /, ""), { file, keyword });
  }
  if (path === undefined) {
    if (required)
      throw new WcsError(`is ${value === undefined ? "missing" : `'${String(value)}'`}: no distortion model`, {
        file,
        keyword,
      });
    return undefined;
  }
  if (!existsSync(path)) throw new WcsError(`'${String(value)}': ${path} does not exist`, { file, keyword });
  return path;
}

function readGrids(path: string): ReferenceGrid[] {
  const ref = FitsFile.open(path);
  try {
    return ref.hdus
      .filter((h) => h.name === "DX" || h.name === "DY")
      .map((h) => {
        const image = ref.readImage(h);
        return {
          header: h.header,
          axes: [image.axes[0], image.axes[1] ?? 1],
          data: Float32Array.from(image.data as ArrayLike<number>),
        };
      });
  } finally {
    ref.close();
  }
}

function compute(file: FitsFile, env: Env): UpdateWcsOutput {
  const primary = file.hdus[0].header;
  const idcPath = referencePath(primary, "IDCTAB", file.path, env, true)!;
  const idc = FitsFile.open(idcPath);
  let table: Table;
  try {
    table = idc.readTable(1);
  } finally {
    idc.close();
  }
  const d2im = referencePath(primary, "D2IMFILE", file.path, env, false);
  const npol = referencePath(primary, "NPOLFILE", file.path, env, false);
  const name = (k: string) => String(primary.get(k)).trim();
  return updateWcs({
    file: file.path,
    primary,
    sci: file.hdus.filter((h) => h.name === "SCI").map((h) => h.header),
    idctab: { name: name("IDCTAB"), primary: idc.hdus[0].header, table },
    d2imfile: d2im ? { name: name("D2IMFILE"), grids: readGrids(d2im) } : undefined,
    npolfile: npol ? { name: name("NPOLFILE"), grids: readGrids(npol) } : undefined,
  });
}

/** Updates `input`'s WCS into `output` (which may be `input` itself); returns `output`. */
export function updateWcsFile(input: string, output: string, env: Env = process.env): string {
  const file = FitsFile.open(input);
  let writer: FitsWriter | undefined;
  try {
    const result = compute(file, env);
    const fresh = new Map(result.extensions.map((e) => [`${e.header.get("EXTNAME")},${e.header.get("EXTVER")}`, e]));
    const kept = file.hdus.filter((h) => !LOOKUP_EXTENSIONS.has(h.name) || fresh.has(`${h.name},${h.ver}`));
    writer = new FitsWriter(output, { checksum: "preserve" });
    let sciIndex = 0;
    for (const hdu of kept) {
      // stwcs replaces a lookup extension where it is and appends the new ones
      const replacement = LOOKUP_EXTENSIONS.has(hdu.name) ? fresh.get(`${hdu.name},${hdu.ver}`) : undefined;
      if (replacement) {
        writer.writeImage(replacement.header, replacement.data, replacement.axes);
        fresh.delete(`${hdu.name},${hdu.ver}`);
        continue;
      }
      let header = hdu.header;
      if (hdu.index === 0) {
        header = result.primary.clone();
        const others = file.hdus.filter((h) => !LOOKUP_EXTENSIONS.has(h.name)).length - 1;
        if (header.has("NEXTEND")) header.set("NEXTEND", others + result.extensions.length);
      } else if (hdu.name === "SCI") header = result.sci[sciIndex++];
      else if (COMPANIONS.has(hdu.name)) header = withLinearWcs(hdu.header, result, file, hdu.ver);
      const read = (offset: number, length: number) => file.readBytes(hdu.dataOffset + offset, length);
      writer.writeRaw(header, hdu.dataBytes, copyData(read, hdu.dataBytes));
    }
    for (const ext of fresh.values()) writer.writeImage(ext.header, ext.data, ext.axes);
    file.close();
    writer.close();
    return output;
  } catch (e) {
    writer?.abort();
    file.close();
    if (e instanceof FitsError) throw new WcsError(e.message);
    throw e;
  }
}

function withLinearWcs(header: Header, result: UpdateWcsOutput, file: FitsFile, ver: number): Header {
  const sciIndex = file.hdus.filter((h) => h.name === "SCI").findIndex((h) => h.ver === ver);
  if (sciIndex < 0) return header;
  const sci = result.sci[sciIndex];
  const out = header.clone();
  for (const k of LINEAR) {
    const v = sci.get(k);
    if (v !== undefined && v !== null) out.set(k, v, { float: typeof v === "number" && k !== "WCSNAME" });
  }
  out.set("CTYPE1", "RA---TAN");
  out.set("CTYPE2", "DEC--TAN");
  return out;
}
