/**
 * Reading and writing WFC3/IR MultiAccum files: NSAMP+1 groups of SCI, ERR, DQ, SAMP, TIME (calibration.md
 * §1), EXTVER 1 = last read. Reading expands constant-value extensions; writing compresses non-SCI
 * extensions whose pixels are all equal (§0.6), as imset-io.ts does for three-extension files.
 */
import { dqView } from "../../calib/common/imset.js";
import type { MultiAccumRead, ReadPlane } from "../../calib/wfc3/multiaccum.js";
import { type FitsFile, FitsWriter, type Header, type Image, type PixelArray } from "../../fits/index.js";

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

export interface ReadOptions {
  /** Pixels in SharedArrayBuffers, so that worker threads work on the reads in place. */
  shared?: boolean;
}

type Stored = Float32Array | Uint16Array | Int16Array;

function allocate<T extends Stored>(Ctor: new (buffer: ArrayBufferLike) => T, n: number, shared: boolean): T {
  const bytes = n * (Ctor as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
  return new Ctor(shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
}

/** The pixels as `Ctor` (a constant-value extension filled without expanding it twice). */
function pixels<T extends Stored>(
  image: Image,
  n: number,
  Ctor: new (buffer: ArrayBufferLike) => T,
  shared: boolean,
): T {
  if (image.constant !== undefined) {
    const out = allocate(Ctor, n, shared);
    if (image.constant !== 0) out.fill(image.constant);
    return out;
  }
  let data: PixelArray = image.data;
  // DQ is 16 bits whichever way the file stores it (int16 or uint16 through BZERO).
  if (Ctor === (Uint16Array as unknown) && data instanceof Int16Array) data = dqView(data);
  if (!shared && data instanceof Ctor) return data;
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) data = Float64Array.from(data, Number);
  const out = allocate(Ctor, n, shared);
  if (Ctor === (Uint16Array as unknown) && !(data instanceof Uint16Array)) {
    for (let i = 0; i < n; i++) out[i] = Number(data[i]) & 0xffff;
  } else out.set(data as ArrayLike<number>);
  return out;
}

/** SAMP or TIME: the value, as the array type holds it, of a constant-value extension; else the pixels. */
function plane<T extends Int16Array | Float32Array>(
  image: Image,
  n: number,
  Ctor: (new (buffer: ArrayBufferLike) => T) & { of(value: number): T },
  shared: boolean,
): ReadPlane<T> {
  return image.constant !== undefined ? Ctor.of(image.constant)[0] : pixels(image, n, Ctor, shared);
}

export function readMultiAccum(file: FitsFile, options: ReadOptions = {}): MultiAccumFile {
  const shared = options.shared ?? false;
  const versions = versionsOf(file);
  let nx = 0;
  let ny = 0;
  const reads: MultiAccumRead[] = [];
  const headers: MultiAccumHdus[] = [];
  for (const ver of versions) {
    const hdu = (name: string) => file.hdu(name, ver);
    const sci = file.readImage(hdu("SCI"));
    [nx, ny] = sci.axes;
    const n = nx * ny;
    const image = (name: string) => file.readImage(hdu(name));
    reads.push({
      sci: pixels(sci, n, Float32Array, shared),
      err: pixels(image("ERR"), n, Float32Array, shared),
      dq: pixels(image("DQ"), n, Uint16Array, shared),
      samp: plane(image("SAMP"), n, Int16Array, shared),
      time: plane(image("TIME"), n, Float32Array, shared),
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

// One function per array type, so that each loop stays monomorphic (17 reads × 4 arrays are scanned).
/** SCI version numbers, the zeroth read (highest EXTVER) first. */
function versionsOf(file: FitsFile): number[] {
  return file.hdus
    .filter((h) => h.name.toUpperCase() === "SCI")
    .map((h) => h.ver)
    .sort((a, b) => b - a);
}

function allEqualFloat(a: Float32Array): boolean {
  const first = a[0];
  for (let i = 1; i < a.length; i++) if (a[i] !== first) return false;
  return true;
}

function allEqualShort(a: Int16Array): boolean {
  const first = a[0];
  for (let i = 1; i < a.length; i++) if (a[i] !== first) return false;
  return true;
}

export interface MultiAccumGroup {
  headers: Omit<MultiAccumHdus, "ver">;
  sci: Float32Array;
  err: Float32Array;
  dq: Uint16Array;
  samp: ReadPlane<Int16Array>;
  time: ReadPlane<Float32Array>;
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
      if (allEqualFloat(g.err)) writer.writeConstantImage(h(g.headers.err), g.err[0], axes, -32);
      else writer.writeImage(h(g.headers.err), g.err, axes);
      const dq = new Int16Array(g.dq.buffer, g.dq.byteOffset, g.dq.length);
      if (allEqualShort(dq)) writer.writeConstantImage(h(g.headers.dq), dq[0], axes, 16);
      else writer.writeImage(h(g.headers.dq), dq, axes);
      if (typeof g.samp === "number") writer.writeConstantImage(h(g.headers.samp), g.samp, axes, 16);
      else if (allEqualShort(g.samp)) writer.writeConstantImage(h(g.headers.samp), g.samp[0], axes, 16);
      else writer.writeImage(h(g.headers.samp), g.samp, axes);
      if (typeof g.time === "number") writer.writeConstantImage(h(g.headers.time), g.time, axes, -32);
      else if (allEqualFloat(g.time)) writer.writeConstantImage(h(g.headers.time), g.time[0], axes, -32);
      else writer.writeImage(h(g.headers.time), g.time, axes);
    });
    writer.close();
  } catch (e) {
    writer.abort();
    throw e;
  }
}
