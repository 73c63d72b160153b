import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { FitsWriter, Header } from "../../src/fits/index.js";

export function scratchDir(name: string): string {
  return mkdtempSync(join(tmpdir(), `caldp-previews-${name}-`));
}

/** Decodes a JPEG or PNG to one grey channel. */
export async function decodeGrey(bytes: Buffer): Promise<{ width: number; height: number; grey: Uint8Array }> {
  const { data, info } = await sharp(bytes).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, grey: new Uint8Array(data) };
}

export interface Chip {
  data: Float32Array;
  width: number;
  height: number;
  dq?: Int16Array;
  ccdchip?: number;
  header?: Record<string, number | string>;
}

/** Writes an HST-style image product: empty primary, then SCI/ERR/DQ per chip. */
export function writeProduct(path: string, chips: Chip[], primary: Record<string, string> = {}): void {
  const w = new FitsWriter(path);
  const h = new Header();
  for (const [k, v] of Object.entries({ INSTRUME: "ACS", ...primary })) h.set(k, v);
  w.writeImage(h);
  chips.forEach((chip, i) => {
    const sci = new Header().set("EXTNAME", "SCI").set("EXTVER", i + 1);
    if (chip.ccdchip !== undefined) sci.set("CCDCHIP", chip.ccdchip);
    for (const [k, v] of Object.entries(chip.header ?? {})) sci.set(k, v);
    w.writeImage(sci, chip.data, [chip.width, chip.height]);
    w.writeConstantImage(new Header().set("EXTNAME", "ERR").set("EXTVER", i + 1), 0, [chip.width, chip.height], -32);
    const dq = new Header().set("EXTNAME", "DQ").set("EXTVER", i + 1);
    if (chip.dq) w.writeImage(dq, chip.dq, [chip.width, chip.height]);
    else w.writeConstantImage(dq, 0, [chip.width, chip.height], 16);
  });
  w.close();
}
