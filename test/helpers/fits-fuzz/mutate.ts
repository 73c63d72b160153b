import { gzipSync } from "node:zlib";
import { Random } from "../../../src/sim/random.js";
import type { Seed } from "./corpus.js";

/** One fuzz input: the bytes to open and how they were made (to reproduce a failure by hand). */
export interface FuzzInput {
  seed: string;
  steps: string[];
  bytes: Buffer;
  gzip: boolean;
}

const BLOCK = 2880;
/** The keywords whose values decide sizes, offsets and types. */
const STRUCTURAL =
  /^(BITPIX|NAXIS\d*|PCOUNT|GCOUNT|NPIX\d|PIXVALUE|TFIELDS|TFORM\d+|TDIM\d+|THEAP|TBCOL\d+|XTENSION|SIMPLE|EXTEND|GROUPS|BSCALE|BZERO|BLANK|TNULL\d+|TSCAL\d+|TZERO\d+|EXTNAME|EXTVER|CHECKSUM|DATASUM)$/;
const ABSURD = [
  "-1",
  "0",
  "1",
  "2",
  "3",
  "-2147483649",
  "2147483647",
  "2147483648",
  "4294967297",
  "9007199254740993",
  "99999999999999999999999",
  "-9999999999",
  "999",
  "1000",
  "1.5",
  "1E30",
  "-1E30",
  "1E999",
  "T",
  "F",
  "'garbage '",
  "''",
  "",
  "(1, 2)",
  "8",
  "-64",
  "64",
  "16",
  "-32",
  "'1000000000J'",
  "'2147483647PJ(5)'",
  "'0A'",
  "'(0,5)'",
  "'(3,1000000)'",
  "'BINTABLE'",
  "'TABLE   '",
  "'IMAGE   '",
];
const INSERTED = [
  "NAXIS2",
  "NAXIS3",
  "GROUPS",
  "PIXVALUE",
  "NPIX1",
  "NPIX2",
  "THEAP",
  "TDIM1",
  "BLANK",
  "BZERO",
  "PCOUNT",
];

function cardImage(keyword: string, value: string): Buffer {
  const text = value === "" ? `${keyword.padEnd(8)}=` : `${keyword.padEnd(8)}= ${value.padStart(20)}`;
  return Buffer.from(text.padEnd(80).slice(0, 80), "latin1");
}

function pick<T>(random: Random, list: readonly T[]): T {
  return list[random.int(list.length)];
}

type Mutation = (bytes: Buffer, seed: Seed, random: Random) => { bytes: Buffer; step: string };

const mutations: [weight: number, Mutation][] = [
  [
    4,
    (bytes, seed, random) => {
      const cards = seed.cards.filter((c) => STRUCTURAL.test(c.keyword) && c.offset + 80 <= bytes.length);
      if (cards.length === 0) return { bytes, step: "no card" };
      const card = pick(random, cards);
      const value = pick(random, ABSURD);
      cardImage(card.keyword, value).copy(bytes, card.offset);
      return { bytes, step: `${card.keyword} = ${value}` };
    },
  ],
  [
    1,
    (bytes, seed, random) => {
      const ends = seed.cards.filter((c) => c.keyword === "END" && c.offset + 80 <= bytes.length);
      if (ends.length === 0) return { bytes, step: "no END" };
      const end = pick(random, ends);
      const keyword = pick(random, INSERTED);
      const value = pick(random, ABSURD);
      cardImage(keyword, value).copy(bytes, end.offset);
      if ((end.offset + 80) % BLOCK !== 0) Buffer.from("END".padEnd(80)).copy(bytes, end.offset + 80);
      return { bytes, step: `insert ${keyword} = ${value}` };
    },
  ],
  [
    3,
    (bytes, seed, random) => {
      const flips = 1 + random.int(16);
      const inHeaders = random.uniform() < 0.7 && seed.cards.length > 0;
      for (let k = 0; k < flips; k++) {
        const at = inHeaders ? pick(random, seed.cards).offset + random.int(80) : random.int(bytes.length);
        if (at < bytes.length) bytes[at] ^= 1 << random.int(8);
      }
      return { bytes, step: `${flips} bit flips${inHeaders ? " in headers" : ""}` };
    },
  ],
  [
    2,
    (bytes, _seed, random) => {
      const blocks = Math.ceil(bytes.length / BLOCK);
      const at = random.uniform() < 0.5 ? random.int(blocks) * BLOCK + random.int(3) - 1 : random.int(bytes.length);
      const cut = Math.max(0, Math.min(bytes.length, at));
      return { bytes: bytes.subarray(0, cut), step: `truncate at ${cut}` };
    },
  ],
  [
    2,
    (bytes, _seed, random) => {
      const blocks = Math.floor(bytes.length / BLOCK);
      if (blocks === 0) return { bytes, step: "no block" };
      const from = random.int(blocks) * BLOCK;
      const to = random.int(blocks + 1) * BLOCK;
      const block = bytes.subarray(from, from + BLOCK);
      if (random.uniform() < 0.5) {
        return {
          bytes: Buffer.concat([bytes.subarray(0, to), block, bytes.subarray(to)]),
          step: `duplicate block ${from / BLOCK} at ${to / BLOCK}`,
        };
      }
      return {
        bytes: Buffer.concat([bytes.subarray(0, from), bytes.subarray(from + BLOCK)]),
        step: `delete block ${from / BLOCK}`,
      };
    },
  ],
  [
    1,
    (bytes, _seed, random) => {
      const at = random.int(bytes.length);
      const length = Math.min(bytes.length - at, 1 + random.int(200));
      for (let i = 0; i < length; i++) bytes[at + i] = random.int(256);
      return { bytes, step: `${length} random bytes at ${at}` };
    },
  ],
  [
    1,
    (bytes, seed, random) => {
      // An absurd 32- or 64-bit integer in a data unit: heap descriptors, TNULL-like values, pixel words.
      const ends = seed.cards.filter((c) => c.keyword === "END");
      const start = Math.ceil((pick(random, ends).offset + 80) / BLOCK) * BLOCK;
      const at = start + 4 * random.int(64);
      const value = BigInt.asIntN(64, BigInt(pick(random, ABSURD_WORDS)));
      if (at + 8 > bytes.length) return { bytes, step: "no data" };
      if (random.uniform() < 0.5) bytes.writeInt32BE(Number(BigInt.asIntN(32, value)), at);
      else bytes.writeBigInt64BE(value, at);
      return { bytes, step: `data word ${value} at ${at}` };
    },
  ],
];
const ABSURD_WORDS = [-1, -2147483648, 2147483647, 2 ** 31 - 8, 2 ** 40, -(2 ** 53), 2 ** 62, 1, 0, 1000000];
const TOTAL_WEIGHT = mutations.reduce((a, [w]) => a + w, 0);

function chooseMutation(random: Random): Mutation {
  let r = random.int(TOTAL_WEIGHT);
  for (const [weight, mutation] of mutations) {
    if (r < weight) return mutation;
    r -= weight;
  }
  return mutations[0][1];
}

/** Input `index` of the run with this seed: the same numbers give the same bytes on every machine. */
export function makeInput(seeds: Seed[], runSeed: number, index: number): FuzzInput {
  const random = new Random(`${runSeed}/${index}`);
  const seed = pick(random, seeds);
  let bytes: Buffer = Buffer.from(seed.bytes);
  const steps: string[] = [];
  const count = 1 + random.int(3);
  for (let k = 0; k < count; k++) {
    const result = chooseMutation(random)(bytes, seed, random);
    bytes = result.bytes;
    steps.push(result.step);
  }
  const gzip = random.uniform() < 0.08;
  if (gzip) {
    bytes = gzipSync(bytes, { level: 1 });
    const damage = random.int(3);
    if (damage === 1 && bytes.length > 0) {
      bytes[random.int(bytes.length)] ^= 1 << random.int(8);
      steps.push("gzip, one bit flipped");
    } else if (damage === 2) {
      bytes = bytes.subarray(0, random.int(bytes.length));
      steps.push(`gzip, cut to ${bytes.length} bytes`);
    } else steps.push("gzip");
  }
  return { seed: seed.name, steps, bytes, gzip };
}
