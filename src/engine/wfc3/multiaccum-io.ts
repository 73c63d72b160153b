/**
 * Reading and writing WFC3/IR MultiAccum files: NSAMP+1 groups of SCI, ERR, DQ, SAMP, TIME (calibration.md
 * §1), EXTVER 1 = last read. Reading expands constant-value extensions; writing compresses non-SCI
 * extensions whose pixels are all equal (§0.6), as imset-io.ts does for three-extension files.
 */
import { dqView } from "../../calib/common/imset.js";
import type { MultiAccumRead } from "../../calib/wfc3/multiaccum.js";
import { type FitsFile, FitsWriter, type Header, type PixelArray } from "../../fits/index.js";

export interface MultiAccumHdus {
  ver: number;
  sci: Header;
  err: Header;
  dq: Header;
  samp: Header;
  time: Header;
}

export interface MultiAccumFile {
  primary: Header;
  nx: number;
  ny: number;
  /** Zeroth read first (the file's last EXTVER). */
  reads: MultiAccumRead[];
  headers: MultiAccumHdus[];
}

function float32(data: PixelArray): Float32Array {
  if (data instanceof Float32Array) return data;
  const out = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = Number(data[i]);
  return out;
}

function int16(data: PixelArray): Int16Array {
  if (data instanceof Int16Array) return data;
  return Int16Array.from(data as ArrayLike<number>, (v) => Number(v));
}

function uint16(data: PixelArray): Uint16Array {
  if (data instanceof Int16Array || data instanceof Uint16Array) return dqView(data);
  return Uint16Array.from(data as ArrayLike<number>, (v) => Number(v) & 0xffff);
}

export function readMultiAccum(file: FitsFile): MultiAccumFile {
  const versions = file.hdus
    .filter((h) => h.name.toUpperCase() === "SCI")
    .map((h) => h.ver)
    .sort((a, b) => b - a);
  let nx = 0;
  let ny = 0;
  const reads: MultiAccumRead[] = [];
  const headers: MultiAccumHdus[] = [];
  for (const ver of versions) {
    const hdu = (name: string) => file.hdu(name, ver);
    const sci = file.readImage(hdu("SCI"));
    [nx, ny] = sci.axes;
    reads.push({
      sci: float32(sci.data),
      err: float32(file.readImage(hdu("ERR")).data),
      dq: uint16(file.readImage(hdu("DQ")).data),
      samp: int16(file.readImage(hdu("SAMP")).data),
      time: float32(file.readImage(hdu("TIME")).data),
      samptime: hdu("SCI").header.getNumber("SAMPTIME", 0),
    });
    headers.push({
      ver,
      sci: hdu("SCI").header.clone(),
      err: hdu("ERR").header.clone(),
      dq: hdu("DQ").header.clone(),
      samp: hdu("SAMP").header.clone(),
      time: hdu("TIME").header.clone(),
    });
  }
  return { primary: file.hdus[0].header.clone(), nx, ny, reads, headers };
}

function allEqual(a: ArrayLike<number>): boolean {
  for (let i = 1; i < a.length; i++) if (a[i] !== a[0]) return false;
  return true;
}

export interface MultiAccumGroup {
  headers: Omit<MultiAccumHdus, "ver">;
  sci: Float32Array;
  err: Float32Array;
  dq: Uint16Array;
  samp: Int16Array;
  time: Float32Array;
}

/** Writes a primary header and groups in the given order (EXTVER 1, 2, …); NEXTEND = 5 × groups. */
export function writeMultiAccum(
  path: string,
  primary: Header,
  groups: MultiAccumGroup[],
  nx: number,
  ny: number,
): void {
  const writer = new FitsWriter(path);
  const axes = [nx, ny];
  try {
    const p = primary.clone();
    p.set("NEXTEND", 5 * groups.length);
    writer.writeImage(p);
    groups.forEach((g, index) => {
      const h = (header: Header) => header.clone().set("EXTVER", index + 1);
      writer.writeImage(h(g.headers.sci), g.sci, axes);
      if (allEqual(g.err)) writer.writeConstantImage(h(g.headers.err), g.err[0], axes, -32);
      else writer.writeImage(h(g.headers.err), g.err, axes);
      const dq = new Int16Array(g.dq.buffer, g.dq.byteOffset, g.dq.length);
      if (allEqual(dq)) writer.writeConstantImage(h(g.headers.dq), dq[0], axes, 16);
      else writer.writeImage(h(g.headers.dq), dq, axes);
      if (allEqual(g.samp)) writer.writeConstantImage(h(g.headers.samp), g.samp[0], axes, 16);
      else writer.writeImage(h(g.headers.samp), g.samp, axes);
      if (allEqual(g.time)) writer.writeConstantImage(h(g.headers.time), g.time[0], axes, -32);
      else writer.writeImage(h(g.headers.time), g.time, axes);
    });
    writer.close();
  } catch (e) {
    writer.abort();
    throw e;
  }
}
