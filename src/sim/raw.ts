/** Writing CCD raw files: primary header + (SCI uint16, ERR and DQ constant 0) per imset. */
import { FitsWriter, type Header } from "../fits/index.js";
import type { ChipLayout } from "./detectors.js";
import { type ExtensionOptions, rawExtensionHeader } from "./headers.js";

export interface RawImset {
  chip: ChipLayout;
  extver: number;
  raw: Uint16Array;
  /** Keywords of the SCI header after BUNIT (STIS exposure times, …). */
  extra?: ExtensionOptions["extra"];
  /** Last touches of each of the imset's three headers (subarray LTV, binning). */
  finish?: (header: Header) => Header;
}

export function writeCcdRaw(
  path: string,
  primary: Header,
  base: Omit<ExtensionOptions, "extname" | "extver" | "chip" | "extra">,
  imsets: RawImset[],
): void {
  const writer = new FitsWriter(path);
  try {
    writer.writeImage(primary);
    for (const s of imsets) {
      const axes = [s.chip.rawNx, s.chip.rawNy];
      const common = { ...base, chip: s.chip, extver: s.extver, bunit: "COUNTS", extra: s.extra };
      const finish = s.finish ?? ((h: Header) => h);
      writer.writeImage(finish(rawExtensionHeader({ ...common, extname: "SCI" })), s.raw, axes);
      writer.writeConstantImage(finish(rawExtensionHeader({ ...common, extname: "ERR", extra: [] })), 0, axes, -32);
      writer.writeConstantImage(
        finish(rawExtensionHeader({ ...common, extname: "DQ", bunit: "UNITLESS", extra: [] })),
        0,
        axes,
        16,
      );
    }
    writer.close();
  } catch (e) {
    writer.abort();
    throw e;
  }
}
