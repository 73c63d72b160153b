import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FitsFile, FitsWriter, Header } from "../../../src/fits/index.js";
import { HST_DATA } from "../paths.js";

/** A seed file of the fuzzer, with where its cards lie so that mutations can rewrite them. */
export interface Seed {
  name: string;
  bytes: Buffer;
  /** Byte offset and keyword of every card, END included. */
  cards: { offset: number; keyword: string }[];
}

/** Real HST files up to this size (the three 2.2 MB ACS raws would make each input 20× slower). */
const MAX_REAL_BYTES = 1024 * 1024;

function cardsOf(bytes: Buffer, name: string): Seed["cards"] {
  const file = FitsFile.fromBytes(bytes, name);
  const cards: Seed["cards"] = [];
  for (const hdu of file.hdus) {
    const images = hdu.header.images();
    images.forEach((image, i) => {
      cards.push({ offset: hdu.headerOffset + i * 80, keyword: image.slice(0, 8).trim() });
    });
    cards.push({ offset: hdu.headerOffset + images.length * 80, keyword: "END" });
  }
  return cards;
}

/** Small files with what the real ones lack: constant-value extensions, every TFORM, scaled and 64-bit pixels. */
function writeSynthetic(dir: string): string[] {
  const constant = join(dir, "constant.fits");
  const w = new FitsWriter(constant);
  w.writeImage(new Header().set("INSTRUME", "ACS"));
  w.writeImage(
    new Header().set("EXTNAME", "SCI"),
    Uint16Array.from({ length: 60 }, (_, i) => i * 1000),
    [6, 10],
  );
  w.writeConstantImage(new Header().set("EXTNAME", "ERR"), 1.5, [6, 10], -32);
  w.writeConstantImage(new Header().set("EXTNAME", "DQ"), 4, [6, 10], 16);
  w.close();

  const scaled = join(dir, "scaled.fits");
  const s = new FitsWriter(scaled, { checksum: false });
  const stored = Int16Array.from({ length: 64 }, (_, i) => i * 37 - 1000);
  s.writeImage(new Header().set("BSCALE", 0.5).set("BZERO", 10).set("BLANK", -1000), stored, [8, 8], { stored: true });
  s.writeImage(
    new Header().set("EXTNAME", "BIG"),
    BigInt64Array.from({ length: 12 }, (_, i) => BigInt(i) << 40n),
    [4, 3],
  );
  s.writeImage(
    new Header().set("EXTNAME", "F64"),
    Float64Array.from({ length: 30 }, (_, i) => i / 7),
    [5, 3, 2],
  );
  s.close();

  const table = join(dir, "table.fits");
  const t = new FitsWriter(table);
  t.writeTable(
    new Header().set("EXTNAME", "ALL"),
    [
      { name: "L", data: [true, false, null, true] },
      { name: "X", data: Uint8Array.from([1, 0, 1, 1, 0, 0, 1, 0, 1, 1, 1, 1]), format: "3X" },
      { name: "B", data: Uint8Array.from([1, 2, 3, 4]) },
      { name: "I", data: Int16Array.from([-1, 2, -3, 4]), null: -1 },
      { name: "U", data: Uint16Array.from([1, 65535, 3, 4]) },
      { name: "J", data: Int32Array.from([1, 2, 3, 4, 5, 6, 7, 8]), dim: [2, 1] },
      { name: "K", data: BigInt64Array.from([1n, -2n, 3n, 4n]) },
      { name: "A", data: ["ab", "cd", "", "g", "hi", "j", "k", ""], dim: [2, 2], format: "4A" },
      { name: "E", data: Float32Array.from([1.5, 2, 3, 4]) },
      { name: "D", data: Float64Array.from([1, 2, 3, 4]) },
      { name: "C", data: Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]), format: "1C" },
      {
        name: "P",
        data: [Int32Array.from([1, 2]), Int32Array.from([]), Int32Array.from([3]), Int32Array.from([4, 5, 6])],
      },
      {
        name: "Q",
        data: [Float64Array.from([1]), Float64Array.from([2, 3]), Float64Array.from([]), Float64Array.from([4])],
        format: "1QD(2)",
      },
    ],
    4,
  );
  t.close();
  return [constant, scaled, table];
}

/** The seeds: every real HST file up to MAX_REAL_BYTES (or all with `all`) and the synthetic ones. */
export function loadSeeds(options: { all?: boolean } = {}): Seed[] {
  const dir = mkdtempSync(join(tmpdir(), "caldp-fuzz-seeds-"));
  try {
    const real = readdirSync(HST_DATA)
      .filter((name) => name.endsWith(".fits"))
      .sort()
      .map((name) => join(HST_DATA, name));
    const paths = [...real, ...writeSynthetic(dir)];
    return paths
      .map((path) => ({ path, bytes: readFileSync(path) }))
      .filter(({ bytes }) => options.all || bytes.byteLength <= MAX_REAL_BYTES)
      .map(({ path, bytes }) => {
        const name = path.slice(path.lastIndexOf("/") + 1);
        return { name, bytes, cards: cardsOf(bytes, name) };
      });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
