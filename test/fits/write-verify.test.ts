import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { type ColumnSpec, FitsFile, FitsWriter, Header, type PixelArray } from "../../src/fits/index.js";
import { astropyDump, fitsverify } from "../helpers/astropy.js";
import { PYTHON } from "../helpers/paths.js";

const scratch = mkdtempSync(join(tmpdir(), "caldp-write-"));

/** Deterministic values covering each type's range, including extremes. */
function sample<T extends PixelArray>(Ctor: new (n: number) => T, n: number, pick: (i: number) => number | bigint): T {
  const a = new Ctor(n);
  for (let i = 0; i < n; i++) (a as unknown as (number | bigint)[])[i] = pick(i);
  return a;
}

const W = 7;
const H = 5;
const N = W * H;
const images: [string, PixelArray, string][] = [
  ["U8", sample(Uint8Array, N, (i) => (i * 37) % 256), "uint8"],
  ["I8", sample(Int8Array, N, (i) => ((i * 37) % 256) - 128), "int8"],
  ["I16", sample(Int16Array, N, (i) => ((i * 1999) % 65536) - 32768), "int16"],
  ["U16", sample(Uint16Array, N, (i) => (i * 1999) % 65536), "uint16"],
  ["I32", sample(Int32Array, N, (i) => i * 122_000_000 - 2_147_483_648), "int32"],
  ["U32", sample(Uint32Array, N, (i) => i * 122_000_000), "uint32"],
  ["I64", sample(BigInt64Array, N, (i) => BigInt(i) * 263_000_000_000_000_000n - 9_223_372_036_854_775_808n), "int64"],
  ["U64", sample(BigUint64Array, N, (i) => BigInt(i) * 527_000_000_000_000_000n), "uint64"],
  ["F32", sample(Float32Array, N, (i) => (i - 17) * 1.5e-3 + (i === 3 ? Number.NaN : 0)), "float32"],
  ["F64", sample(Float64Array, N, (i) => (i - 17) * Math.PI * 1e100), "float64"],
];

function digest(a: PixelArray): string {
  return createHash("sha1")
    .update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength))
    .digest("hex");
}

function headerWithEveryKind(): Header {
  const h = new Header();
  h.set("OBJECT", "NGC 1234 'quoted' name", { comment: "target" });
  h.set("LONGSTR", `${"calibrated with a very long description ".repeat(4)}that needs CONTINUE cards`, {
    comment: "long string",
  });
  h.set("INTVAL", 42);
  h.set("BIGINT", 12345678901234567890n);
  h.set("FLOATVAL", 2, { float: true, comment: "float that is integral" });
  h.set("SMALL", 1.25e-12);
  h.set("LOGICAL", false);
  h.set("CMPLX", { re: 1.5, im: -2.25 });
  h.set("ESO DET CHIP NAME", "CCD-44", { comment: "a HIERARCH keyword" });
  h.addCommentary("HISTORY", "first history line");
  h.addCommentary("HISTORY", "x".repeat(100));
  h.addCommentary("COMMENT", "a comment card");
  h.addCommentary("", "a blank-keyword card");
  return h;
}

const imageFile = join(scratch, "every_bitpix.fits");
const writer = new FitsWriter(imageFile);
writer.writeImage(headerWithEveryKind());
for (const [name, data] of images) writer.writeImage(new Header().set("EXTNAME", name), data, [W, H]);
writer.writeConstantImage(new Header().set("EXTNAME", "ERR"), 0, [4144, 2068], -32);
writer.writeConstantImage(new Header().set("EXTNAME", "DQ"), 4, [4144, 2068], 16);
writer.close();

const columns: ColumnSpec[] = [
  { name: "FLAG", data: [true, false, null, true] },
  { name: "BITS", data: Uint8Array.from([1, 0, 1, 1, 0, 0, 1, 0, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0]), format: "5X" },
  { name: "BYTE", data: Uint8Array.from([0, 1, 254, 255]) },
  { name: "SBYTE", data: Int8Array.from([-128, -1, 0, 127]) },
  { name: "SHORT", data: Int16Array.from([-32768, -1, 0, 32767]), null: -32768 },
  { name: "USHORT", data: Uint16Array.from([0, 1, 32768, 65535]) },
  { name: "INT", data: Int32Array.from([-2147483648, 0, 7, 2147483647]), unit: "count" },
  { name: "UINT", data: Uint32Array.from([0, 1, 2147483648, 4294967295]) },
  { name: "LONG", data: BigInt64Array.from([-9223372036854775808n, 0n, 1n, 9223372036854775807n]) },
  { name: "NAME", data: ["WFC1", "WFC2", "HRC", "a name with 'quotes'"] },
  { name: "FLUX", data: Float32Array.from([1.5, -2, 0, 3.4e38, 1, 2, 3, 4]), dim: [2, 1], format: "2E" },
  { name: "WAVE", data: Float64Array.from([1e-300, 2.5, Math.PI, -0]) },
  { name: "CFLOAT", data: Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]), format: "1C" },
  { name: "CDOUBLE", data: Float64Array.from([1, -2, 3, -4, 5, -6, 7, -8]), format: "1M" },
  {
    name: "VARP",
    data: [Float32Array.from([1, 2, 3]), Float32Array.from([]), Float32Array.from([4]), Float32Array.from([5, 6])],
    format: "1PE(3)",
  },
  {
    name: "VARQ",
    data: [Int16Array.from([1]), Int16Array.from([2, 3]), Int16Array.from([]), Int16Array.from([4, 5, 6])],
    format: "1QI(3)",
  },
];
const tableFile = join(scratch, "every_tform.fits");
const tableWriter = new FitsWriter(tableFile);
tableWriter.writeTable(new Header().set("EXTNAME", "TABLE"), columns, 4);
tableWriter.close();

test("files with every BITPIX, header value kind and constant extensions pass fitsverify with 0 errors, 0 warnings", () => {
  const verdict = fitsverify(imageFile);
  assert.equal(verdict.errors, 0, verdict.report);
  assert.equal(verdict.warnings, 0, verdict.report);
});

test("tables with every TFORM (L X B I J K A E D C M P Q) pass fitsverify with 0 errors, 0 warnings", () => {
  const verdict = fitsverify(tableFile);
  assert.equal(verdict.errors, 0, verdict.report);
  assert.equal(verdict.warnings, 0, verdict.report);
});

test("astropy reads back identical pixels of every BITPIX; constant extensions expand to full arrays", () => {
  const seen = astropyDump([imageFile], true)[imageFile];
  for (const [i, [name, data, dtype]] of images.entries()) {
    const hdu = seen[i + 1];
    assert.equal(hdu.name, name);
    assert.deepEqual(hdu.data, {
      dtype: dtype.replace(
        /^(u?int|float)(\d+)$/,
        (_, k, b) => `${k === "float" ? "f" : k === "uint" ? "u" : "i"}${b / 8}`,
      ),
      shape: [H, W],
      sha1: digest(data),
    });
  }
  assert.equal(seen.length, images.length + 3);
  assert.deepEqual(seen[images.length + 2].dims, [], "astropy sees NAXIS = 0 for the constant DQ");
  const fits = FitsFile.open(imageFile);
  const dq = fits.readImage("DQ");
  const err = fits.readImage("ERR");
  fits.close();
  assert.deepEqual(dq.axes, [4144, 2068]);
  assert.ok(dq.data instanceof Int16Array && dq.data.length === 4144 * 2068 && dq.data.every((v) => v === 4));
  assert.ok(err.data instanceof Float32Array && err.data.every((v) => v === 0) && err.constant === 0);
});

test("checksums written by astropy verify with our reader", () => {
  const file = join(scratch, "astropy_checksum.fits");
  execFileSync(PYTHON, [
    "-c",
    `import numpy as np; from astropy.io import fits
hdul = fits.HDUList([fits.PrimaryHDU(), fits.ImageHDU(np.arange(3000, dtype=">f4").reshape(50, 60), name="SCI"),
  fits.BinTableHDU.from_columns([fits.Column(name="A", format="J", array=np.arange(7))])])
hdul.writeto("${file}", checksum=True)`,
  ]);
  const fits = FitsFile.open(file);
  try {
    for (const hdu of fits.hdus) assert.deepEqual(fits.verifyChecksums(hdu), { datasum: true, checksum: true });
  } finally {
    fits.close();
  }
});

test("astropy reads the header values we wrote: strings, CONTINUE, integers, floats, logicals, complex, HIERARCH, HISTORY", () => {
  const cards = astropyDump([imageFile])[imageFile][0].cards;
  const value = (k: string) => cards.find((c) => c[0] === k)?.[1];
  const h = headerWithEveryKind();
  assert.equal(value("OBJECT"), h.get("OBJECT"));
  assert.equal(value("LONGSTR"), h.get("LONGSTR"));
  assert.deepEqual(value("INTVAL"), { int: "42" });
  assert.deepEqual(value("BIGINT"), { int: "12345678901234567890" });
  assert.deepEqual(value("FLOATVAL"), { float: "2.0" });
  assert.deepEqual(value("SMALL"), { float: "1.25e-12" });
  assert.equal(value("LOGICAL"), false);
  assert.deepEqual(value("CMPLX"), { complex: ["1.5", "-2.25"] });
  assert.equal(value("ESO DET CHIP NAME"), "CCD-44");
  const history = cards.filter((c) => c[0] === "HISTORY").map((c) => c[1]);
  assert.deepEqual(history, ["first history line", "x".repeat(72), "x".repeat(28)]);
});

test("our reader reads back what we wrote, and astropy agrees on every table column", () => {
  const fits = FitsFile.open(tableFile);
  const table = fits.readTable(1);
  fits.close();
  const astropy = astropyDump([tableFile], true)[tableFile][1].columns!;
  for (const [k, spec] of columns.entries()) {
    const got = table.columns[k];
    assert.equal(got.name, spec.name);
    if (spec.name === "BITS" || spec.name.startsWith("VAR") || spec.name === "FLAG" || spec.name === "NAME") {
      assert.deepEqual(got.data, spec.data, spec.name);
      continue;
    }
    assert.deepEqual(got.data, spec.data, spec.name);
    const seen = (astropy[spec.name] as { values: string[] }).values;
    const ours = Array.from(spec.data as ArrayLike<number | bigint>);
    const theirs = ours.map((v, i) =>
      typeof v === "bigint" ? BigInt(seen[i]) : spec.name.startsWith("C") ? complexPart(seen, i) : Number(seen[i]),
    );
    assert.deepEqual(theirs, ours, `${spec.name}: astropy sees other values`);
  }
  assert.deepEqual(astropy.NAME, columns[9].data);
  assert.deepEqual(
    (astropy.VARP as number[][]).map((r) => r.length),
    [3, 0, 1, 2],
  );
  assert.deepEqual(astropy.VARQ, [[1], [2, 3], [], [4, 5, 6]]);
});

/** astropy prints complex values as '(1+2j)'; element i of the interleaved re/im list. */
function complexPart(seen: string[], i: number): number {
  const m = /^\(?([-+]?[\d.e+-]+?)([-+][\d.e+-]+)j\)?$/.exec(seen[i >> 1]);
  return Number(m![(i & 1) + 1]);
}

test("a header with an undefined value reads back as undefined in astropy", () => {
  const file = join(scratch, "undefined_value.fits");
  const w = new FitsWriter(file);
  w.writeImage(new Header().set("UNDEF", null, { comment: "no value" }));
  w.close();
  const cards = astropyDump([file])[file][0].cards;
  assert.deepEqual(
    cards.find((c) => c[0] === "UNDEF"),
    ["UNDEF", { undefined: true }, "no value"],
  );
});

test("CHECKSUM and DATASUM we write verify with our reader; a flipped data byte is caught by us and by fitsverify", () => {
  const fits = FitsFile.open(imageFile);
  for (const hdu of fits.hdus) assert.deepEqual(fits.verifyChecksums(hdu), { datasum: true, checksum: true });
  const target = fits.hdu("F64");
  fits.close();
  const damaged = join(scratch, "damaged.fits");
  const bytes = readFileSync(imageFile);
  bytes[target.dataOffset + 10] ^= 0x01;
  writeFileSync(damaged, bytes);
  const again = FitsFile.open(damaged);
  assert.deepEqual(again.verifyChecksums(again.hdu("F64")), { datasum: false, checksum: false });
  again.close();
  const verdict = fitsverify(damaged);
  assert.match(verdict.report, /checksum/i);
  assert.ok(verdict.warnings + verdict.errors > 0);
});

test("a file is bit-identical when read and written again", () => {
  const again = join(scratch, "again.fits");
  const fits = FitsFile.open(imageFile);
  const w = new FitsWriter(again);
  w.writeImage(fits.hdus[0].header);
  for (const hdu of fits.hdus.slice(1)) {
    const image = fits.readImage(hdu);
    if (image.constant !== undefined) w.writeConstantImage(hdu.header, image.constant, image.axes, hdu.bitpix);
    else w.writeImage(hdu.header, image.data, image.axes);
  }
  w.close();
  fits.close();
  assert.ok(readFileSync(again).equals(readFileSync(imageFile)));
});

test("constant-value extensions expand to their value in every pixel: zero and other values, integers and floats", () => {
  const file = join(scratch, "constants.fits");
  const writer = new FitsWriter(file);
  writer.writeImage(new Header());
  for (const [name, value, bitpix] of [
    ["ZERO", 0, -32],
    ["HALF", 0.5, -32],
    ["DQZERO", 0, 16],
    ["DQ", 2048, 16],
  ] as const) {
    writer.writeConstantImage(new Header().set("EXTNAME", name), value, [5, 3], bitpix);
  }
  writer.close();
  const fits = FitsFile.open(file);
  const bitsOf = (name: string) => {
    const data = fits.readImage(name).data;
    return Array.from(data instanceof Float32Array ? new Uint32Array(data.buffer, data.byteOffset, 15) : data);
  };
  assert.deepEqual(bitsOf("ZERO"), new Array(15).fill(0));
  assert.deepEqual(bitsOf("HALF"), new Array(15).fill(0x3f000000));
  assert.deepEqual(bitsOf("DQZERO"), new Array(15).fill(0));
  assert.deepEqual(bitsOf("DQ"), new Array(15).fill(2048));
  fits.close();
});
