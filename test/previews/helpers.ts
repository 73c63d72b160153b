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

/** A COS x1d with two FUV segments (20 zero-wavelength padding points at each start). */
export function writeCosX1d(path: string): void {
  const w = new FitsWriter(path);
  const primary = new Header().set("INSTRUME", "COS").set("ROOTNAME", "la8q99ixq").set("OPT_ELEM", "G130M");
  w.writeImage(primary.set("CENWAVE", 1309).set("TARGNAME", "HD-12345"));
  const n = 2048;
  const wave = new Float64Array(2 * n);
  const flux = new Float32Array(2 * n);
  for (let s = 0; s < 2; s++) {
    for (let i = 0; i < n; i++) {
      const lam = (s === 0 ? 1310 : 1150) + i * 0.08;
      wave[s * n + i] = i < 20 ? 0 : lam; // padded ends are dropped
      flux[s * n + i] = 1e-14 * (1 + 0.3 * Math.sin(lam / 3));
    }
  }
  w.writeTable(
    new Header().set("EXTNAME", "SCI"),
    [
      { name: "SEGMENT", data: ["FUVA", "FUVB"], format: "4A" },
      { name: "NELEM", data: new Int32Array([n, n]) },
      { name: "WAVELENGTH", data: wave, format: `${n}D` },
      { name: "FLUX", data: flux, format: `${n}E`, unit: "erg /s /cm**2 /Angstrom" },
    ],
    2,
  );
  w.close();
}
