/**
 * An IR DARKFILE read imset by imset as DARKCORR reaches the reads (issue 15: its 16 SCI planes held 64 MB
 * through the steps before CRCORR). An uncompressed plane is read and decoded in place into one of two
 * reused buffers, so that the reads' darks leave no garbage behind: DARKCORR holds at most two imsets at a
 * time (one read's exact match, or the two it is interpolated between). Constant ERR and DQ extensions are
 * one array per value; SAMP and TIME are not read.
 */
import { closeSync, openSync, readSync } from "node:fs";
import { dqView } from "../../calib/common/imset.js";
import type { IrDark, IrDarkImset } from "../../calib/wfc3/ir-dark.js";
import { decodePixels, FitsError, FitsFile, type Hdu, scalingOf } from "../../fits/index.js";
import { toDq, toFloat32 } from "../imset-io.js";
import { collectGarbage } from "../worker-pool.js";

type Plane = "SCI" | "ERR" | "DQ";
type Pixels = Float32Array | Uint16Array;

/** One imset's planes, decoded into its own byte buffers (kept and reused for the next imset). */
interface Slot {
  ver: number;
  imset?: IrDarkImset;
  bytes: Partial<Record<Plane, Uint8Array>>;
}

export function readIrDark(path: string): IrDark {
  const file = FitsFile.open(path);
  const compressed = file.isCompressed;
  const versions = file.hdus
    .filter((h) => h.name.toUpperCase() === "SCI")
    .map((h) => h.ver)
    .sort((a, b) => b - a);
  const first = versions.length > 0 ? file.hdu("SCI", versions[0]) : undefined;
  const [nx, ny] = first ? sizeOf(file, first) : [0, 0];
  // each imset's extensions (where their data lie), found once: a load reads only the data
  const hdus = versions.map((ver) => ({
    SCI: file.hdu("SCI", ver),
    ERR: file.hdu("ERR", ver),
    DQ: file.hdu("DQ", ver),
  }));
  const ltv: [number, number] = [first?.header.getNumber("LTV1", 0) ?? 0, first?.header.getNumber("LTV2", 0) ?? 0];
  file.close();

  const constants = new Map<string, Pixels>();
  const slots: Slot[] = [];
  const load = (k: number): IrDarkImset => {
    const ver = versions[k];
    const held = slots.findIndex((s) => s.ver === ver);
    if (held >= 0) {
      slots.push(...slots.splice(held, 1));
      return slots[slots.length - 1].imset!;
    }
    // DARKCORR's first read: what NLINCORR let go (the coefficients, 28 MB full frame) is freed before the
    // dark is read, not left to V8 until the steps end with every read's ERR and DQ filled
    if (slots.length === 0) collectGarbage();
    const slot = slots.length < 2 ? { ver, bytes: {} } : slots.shift()!;
    slot.ver = ver;
    slot.imset = undefined;
    slots.push(slot);
    // a compressed file is inflated again by each load (its extensions have no place in the file to read from)
    const dark = compressed ? FitsFile.open(path) : undefined;
    const fd = compressed ? undefined : openSync(path, "r");
    try {
      const plane = (name: Plane) => planePixels(dark, fd, hdus[k][name], name, slot, constants, nx * ny, path);
      const [sci, err, dq] = [plane("SCI"), plane("ERR"), plane("DQ")];
      const samptime = hdus[k].SCI.header.getNumber("SAMPTIME", 0);
      slot.imset = { samptime, sci: sci as Float32Array, err: err as Float32Array, dq: dq as Uint16Array };
      return slot.imset;
    } finally {
      if (fd !== undefined) closeSync(fd);
      dark?.close();
    }
  };
  return {
    nx,
    ny,
    ltv,
    imsets: hdus.map((h, k) => ({ samptime: h.SCI.header.getNumber("SAMPTIME", 0), load: () => load(k) })),
  };
}

/** NAXIS1/NAXIS2, or NPIX1/NPIX2 of a constant-value extension. */
function sizeOf(file: FitsFile, hdu: Hdu): [number, number] {
  if (hdu.axes.length >= 2) return [hdu.axes[0], hdu.axes[1]];
  return file.readImage(hdu).axes as [number, number];
}

function planePixels(
  file: FitsFile | undefined,
  fd: number | undefined,
  hdu: Hdu,
  plane: Plane,
  slot: Slot,
  constants: Map<string, Pixels>,
  n: number,
  path: string,
): Pixels {
  if (hdu.axes.length === 0) return constantPixels(hdu.header.getNumber("PIXVALUE", 0), plane, constants, n);
  if (fd !== undefined) {
    const bytes = slot.bytes[plane]?.byteLength === hdu.dataBytes ? slot.bytes[plane] : new Uint8Array(hdu.dataBytes);
    slot.bytes[plane] = bytes;
    for (let at = 0; at < bytes.length; ) {
      const read = readSync(fd, bytes, at, bytes.length - at, hdu.dataOffset + at);
      if (read === 0) throw new FitsError("TRUNCATED", "file ends inside the data", { file: path });
      at += read;
    }
    const data = decodePixels(bytes, hdu.bitpix, scalingOf(hdu.header));
    if (plane !== "DQ" && data instanceof Float32Array) return data;
    if (plane === "DQ" && (data instanceof Int16Array || data instanceof Uint16Array)) return dqView(data);
    return plane === "DQ" ? toDq(data) : toFloat32(data);
  }
  const data = file!.readImage(hdu).data;
  return plane === "DQ" ? toDq(data) : toFloat32(data);
}

function constantPixels(value: number, plane: Plane, constants: Map<string, Pixels>, n: number): Pixels {
  const key = `${plane === "DQ" ? "dq" : "float"}:${value}:${n}`;
  const cached = constants.get(key);
  if (cached) return cached;
  const out = plane === "DQ" ? new Uint16Array(n).fill(value & 0xffff) : new Float32Array(n).fill(value);
  constants.set(key, out);
  return out;
}
