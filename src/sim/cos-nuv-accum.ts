/**
 * A COS NUV ACCUM exposure (`caldp sim l… --accum`): the point source of cos-nuv.ts binned on board into a
 * `_rawaccum` as real ones are (primary; SCI, 16-bit counts 1024 × 1024; ERR and DQ as NAXIS = 0 constant
 * arrays). The events are those of the TIME-TAG simulation, so the image is exactly their histogram; the rawtag is
 * not kept. The SCI header carries the ACCUM Doppler keywords (DOPPONT false, DOPMAGT 0: no on-board Doppler
 * compensation, so calcos turns DOPPCORR OMIT) instead of the TIME-TAG ones.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { FitsFile, FitsWriter, type Header } from "../fits/index.js";
import { type CosNuvOptions, type SimulatedCosNuv, simulateCosNuv } from "./cos-nuv.js";
import { NUV_SIZE } from "./cos-references.js";

export interface SimulatedCosNuvAccum extends Omit<SimulatedCosNuv, "rawtag"> {
  rawaccum: string;
  /** The total of the SCI image (= the simulated events). */
  counts: number;
}

const TABLE_CARD = /^(XTENSION|BITPIX|NAXIS\d*|PCOUNT|GCOUNT|TFIELDS|(TTYPE|TFORM|TUNIT|TDISP|TNULL|TSCAL|TZERO)\d+)$/;
const TIME_TAG_DOPPLER = ["DOPPON", "DOPPMAGV", "DOPPZERO", "ORBITPER"];

export function simulateCosNuvAccum(options: Omit<CosNuvOptions, "tagflash" | "member">): SimulatedCosNuvAccum {
  const sim = simulateCosNuv({ ...options, tagflash: false });
  const dataset = options.dataset.toLowerCase();
  const fits = FitsFile.open(sim.rawtag);
  let primary: Header;
  let sci: Header;
  const image = new Int16Array(NUV_SIZE * NUV_SIZE);
  try {
    primary = fits.hdus[0].header.clone();
    const events = fits.hdus[1];
    sci = events.header.clone();
    const table = fits.readTable(events);
    const column = (name: string) => table.columns.find((c) => c.name === name)?.data as Int16Array;
    const x = column("RAWX");
    const y = column("RAWY");
    for (let i = 0; i < x.length; i++) image[y[i] * NUV_SIZE + x[i]]++;
  } finally {
    fits.close();
  }
  rmSync(sim.rawtag);
  const rawaccum = join(options.out, `${dataset}_rawaccum.fits`);
  primary.set("FILENAME", `${dataset}_rawaccum.fits`);
  primary.set("NEXTEND", 3);
  primary.set("IMAGETYP", "ACCUM");
  primary.set("OBSMODE", "ACCUM");
  sci.removeWhere((card) => TABLE_CARD.test(card.keyword) || TIME_TAG_DOPPLER.includes(card.keyword));
  sci.set("EXTNAME", "SCI");
  sci.set("BUNIT", "count", { comment: "brightness units", after: "EXTVER" });
  sci.set("DOPPONT", false, { comment: "Doppler correction flag", before: "NSUBARRY" });
  sci.set("DOPMAGT", 0, { comment: "Doppler shift magnitude (low-res pixels)", before: "NSUBARRY" });
  sci.set("DOPZEROT", sci.getNumber("EXPSTART"), { comment: "time of zero Doppler shift (MJD)", before: "NSUBARRY" });
  sci.set("ORBTPERT", 5749.536108, { comment: "Orbital Period used on board for Doppler corr.", before: "NSUBARRY" });
  const extension = (name: string) => {
    const h = sci.clone().set("EXTNAME", name);
    h.delete("BUNIT");
    return h;
  };
  const writer = new FitsWriter(rawaccum);
  try {
    writer.writeImage(primary);
    writer.writeImage(sci, image, [NUV_SIZE, NUV_SIZE]);
    writer.writeConstantImage(extension("ERR"), 0, [NUV_SIZE, NUV_SIZE], -32);
    writer.writeConstantImage(extension("DQ"), 0, [NUV_SIZE, NUV_SIZE], 16);
    writer.close();
  } catch (e) {
    writer.abort();
    throw e;
  }
  const { rawtag: _, ...rest } = sim;
  return { ...rest, rawaccum, counts: sim.events };
}
