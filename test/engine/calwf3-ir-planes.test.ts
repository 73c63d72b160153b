/**
 * WFC3/IR reads hold SAMP and TIME as one value per read when the raw's extensions are constant-value ones
 * (issue 15: 16 reads expanded took 96 MB), and per pixel when the file stores them so. The two must
 * calibrate alike: the same simulated raw with its SAMP and TIME written out pixel by pixel gives `_ima`
 * and `_flt` with the same data in every extension (all-equal planes are written constant again).
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { calwf3 } from "../../src/engine/wfc3/calwf3.js";
import { readMultiAccum } from "../../src/engine/wfc3/multiaccum-io.js";
import { type Bitpix, FitsFile, FitsWriter } from "../../src/fits/index.js";
import { simulateIrSubarray } from "../../src/sim/wfc3-ir-subarray.js";

const NSAMP = 6;
const ROOT = "iabc06p1q";
const out = mkdtempSync(join(tmpdir(), "calwf3-ir-planes-"));
after(() => rmSync(out, { recursive: true, force: true }));

/** A copy of `from` whose SAMP and TIME extensions hold every pixel; the other extensions as they are. */
function expandSampTime(from: string, to: string): void {
  const file = FitsFile.open(from);
  const writer = new FitsWriter(to);
  try {
    for (const hdu of file.hdus) {
      const header = hdu.header.clone();
      const image = file.readImage(hdu);
      const name = String(header.get("EXTNAME") ?? "").trim();
      if (image.constant === undefined) writer.writeImage(header, image.data, image.axes);
      else if (name !== "SAMP" && name !== "TIME") {
        writer.writeConstantImage(header, image.constant, image.axes, header.getNumber("BITPIX") as Bitpix);
      } else {
        for (const k of ["PIXVALUE", "NPIX1", "NPIX2"]) header.delete(k);
        const n = image.axes[0] * image.axes[1];
        const pixels = name === "SAMP" ? new Int16Array(n) : new Float32Array(n);
        writer.writeImage(header, pixels.fill(image.constant), image.axes);
      }
    }
    writer.close();
  } finally {
    file.close();
  }
}

/** Each extension's data: its pixels, or its constant and size. */
function extensions(path: string): { name: string; constant?: number; data: number[] }[] {
  const file = FitsFile.open(path);
  try {
    return file.hdus.slice(1).map((hdu) => {
      const image = file.readImage(hdu);
      const name = `${String(hdu.header.get("EXTNAME")).trim()},${hdu.ver}`;
      return { name, constant: image.constant, axes: image.axes, data: Array.from(image.data as ArrayLike<number>) };
    });
  } finally {
    file.close();
  }
}

test("constant SAMP and TIME are read as one value per read, per-pixel ones as arrays", () => {
  const dir = join(out, "read");
  mkdirSync(dir);
  const sim = simulateIrSubarray({ rootname: ROOT, out: dir, seed: 3, nsamp: NSAMP });
  expandSampTime(sim.raw, join(dir, "expanded_raw.fits"));
  const constant = FitsFile.open(sim.raw);
  const expanded = FitsFile.open(join(dir, "expanded_raw.fits"));
  try {
    const a = readMultiAccum(constant);
    const b = readMultiAccum(expanded);
    assert.equal(a.reads.length, NSAMP + 1);
    a.reads.forEach((read, s) => {
      const ver = a.headers[s].ver;
      assert.equal(typeof read.samp, "number", `read ${s} SAMP`);
      assert.equal(read.samp, constant.hdu("SAMP", ver).header.getNumber("PIXVALUE"));
      assert.equal(read.time, Math.fround(constant.hdu("TIME", ver).header.getNumber("PIXVALUE")));
      const other = b.reads[s];
      assert.ok(other.samp instanceof Int16Array && other.time instanceof Float32Array, `read ${s} per pixel`);
      assert.ok(other.samp.every((v) => v === read.samp) && other.time.every((v) => v === read.time));
    });
  } finally {
    constant.close();
    expanded.close();
  }
});

test("calwf3 IR: SAMP and TIME per read or per pixel give the same _ima and _flt data", async () => {
  const dirs = [join(out, "constant"), join(out, "expanded")];
  for (const dir of dirs) mkdirSync(dir);
  const sim = simulateIrSubarray({ rootname: ROOT, out: dirs[0], seed: 7, nsamp: NSAMP });
  expandSampTime(sim.raw, join(dirs[1], `${ROOT}_raw.fits`));
  for (const dir of dirs) {
    const result = await calwf3([`${ROOT}_raw.fits`], { dir, env: { iref: `${sim.referenceDir}/` }, log: () => {} });
    assert.deepEqual(result.outputs, [`${ROOT}_ima.fits`, `${ROOT}_flt.fits`]);
  }
  for (const product of ["ima", "flt"]) {
    const [a, b] = dirs.map((dir) => extensions(join(dir, `${ROOT}_${product}.fits`)));
    assert.equal(a.length, product === "ima" ? 5 * (NSAMP + 1) : 5);
    assert.deepEqual(b, a, `${product}: every extension`);
    const time = a.find((e) => e.name === "TIME,2");
    if (product === "ima") assert.ok(time?.constant !== undefined && time.constant > 0, "read TIME written constant");
  }
});
