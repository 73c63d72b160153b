/**
 * What AstroDrizzle leaves beside its product, written here only where asked: the `_crmask` of every chip
 * (`<root>_sci<n>_crmask.fits`, uint8, 1 = good), the single-drizzled images and weights, the median, and the
 * flt/flc with driz_cr's CR bit ORed into its DQ and MDRIZSKY in its SCI headers (AstroDrizzle does this to its
 * input in place; here it is a new file or the stage's own copy, rewritten under a temporary name and renamed).
 */
import { basename, join } from "node:path";
import { copyData, FitsFile, FitsWriter, Header } from "../../fits/index.js";
import { writeWcs } from "../../wcs/index.js";
import type { InputChip } from "./inputs.js";
import type { StageResult } from "./stage.js";

const rootOf = (file: string) =>
  basename(file)
    .replace(/_(flt|flc)\.fits$/i, "")
    .replace(/\.fits$/i, "");

function writeSimple(path: string, data: Float32Array | Uint8Array, axes: number[], header = new Header()): string {
  const writer = new FitsWriter(path);
  try {
    writer.writeImage(header, data, axes);
    writer.close();
  } catch (e) {
    writer.abort();
    throw e;
  }
  return path;
}

/** The `_crmask` files of every chip driz_cr ran on, in `dir`; their paths. */
export function writeCrMasks(result: StageResult, dir: string): string[] {
  return result.chips.flatMap((chip) => {
    const mask = result.crMasks.get(chip);
    if (!mask) return [];
    const path = join(dir, `${rootOf(chip.file)}_sci${chip.extver}_crmask.fits`);
    return [writeSimple(path, mask, [chip.width, chip.height])];
  });
}

/** The singles (`_single_sci`, `_single_wht`) and the median (`<product>_med`) on the output frame, in `dir`. */
export function writeSinglesAndMedian(result: StageResult, dir: string, product: string): string[] {
  const { width, height } = result.frame;
  const header = () => {
    const h = new Header();
    writeWcs(h, result.frame.wcs);
    return h;
  };
  const written: string[] = [];
  const files = [...new Set(result.chips.map((c) => c.file))];
  result.singles?.forEach((single, n) => {
    const root = rootOf(files[n]);
    written.push(writeSimple(join(dir, `${root}_single_sci.fits`), single.sci, [width, height], header()));
    written.push(writeSimple(join(dir, `${root}_single_wht.fits`), single.wht, [width, height], header()));
  });
  if (result.median) {
    const name = `${basename(product).replace(/_(drz|drc)\.fits$/i, "")}_med.fits`;
    written.push(writeSimple(join(dir, name), result.median, [width, height], header()));
  }
  return written;
}

/**
 * Writes `file` to `output` (may be `file`) with each chip's CR mask ORed into its DQ as `crbit` and the chip's sky
 * as MDRIZSKY, as AstroDrizzle's updateInputDQArray and sky step leave the flt. Returns the CR pixels flagged.
 */
export function writeFlaggedExposure(file: string, output: string, result: StageResult): number {
  const chips = new Map<number, InputChip>(result.chips.filter((c) => c.file === file).map((c) => [c.extver, c]));
  const crbit = result.params.crbit;
  const input = FitsFile.open(file);
  let writer: FitsWriter | undefined;
  let flagged = 0;
  try {
    writer = new FitsWriter(output, { checksum: "preserve" });
    for (const hdu of input.hdus) {
      const chip = chips.get(hdu.ver);
      const mask = chip && result.crMasks.get(chip);
      const header = hdu.header.clone();
      const sky = chip && (result.mdrizsky.get(chip) ?? result.sky.get(chip));
      if (hdu.name === "SCI" && sky !== undefined) {
        header.set("MDRIZSKY", sky, { comment: "Sky value computed by AstroDrizzle" });
      }
      if (hdu.name === "DQ" && mask) {
        const dq = Int16Array.from(input.readImage(hdu).data as ArrayLike<number>);
        for (let k = 0; k < dq.length; k++) {
          if (!mask[k]) {
            if ((dq[k] & crbit) === 0) flagged++;
            dq[k] |= crbit;
          }
        }
        header.delete("PIXVALUE");
        for (const k of ["NPIX1", "NPIX2"]) header.delete(k);
        writer.writeImage(header, dq, [chip.width, chip.height]);
        continue;
      }
      const read = (offset: number, length: number) => input.readBytes(hdu.dataOffset + offset, length);
      writer.writeRaw(header, hdu.dataBytes, copyData(read, hdu.dataBytes));
    }
    input.close();
    writer.close();
  } catch (e) {
    writer?.abort();
    input.close();
    throw e;
  }
  return flagged;
}
