import { writeFileSync } from "node:fs";

/** A header card as text: `["NAXIS", "2"]` → `NAXIS   =                    2`; a bare keyword for commentary. */
export type CardSpec = [keyword: string, value?: string];

export interface HduSpec {
  cards: CardSpec[];
  /** Data bytes (padded to a block), or nothing. */
  data?: Uint8Array;
}

const BLOCK = 2880;

function padded(bytes: Uint8Array, fill: number): Buffer {
  const out = Buffer.alloc(Math.ceil(bytes.byteLength / BLOCK) * BLOCK, fill);
  out.set(bytes);
  return out;
}

/** Header bytes exactly as given (no checks, no reordering): for files that break the rules on purpose. */
export function headerBytes(cards: CardSpec[]): Buffer {
  const images = cards.map(([k, v]) => (v === undefined ? k : `${k.padEnd(8)}= ${v.padStart(20)}`).padEnd(80));
  return padded(Buffer.from([...images, "END".padEnd(80)].join(""), "latin1"), 0x20);
}

/** A FITS file written by hand, HDU by HDU, for headers the library's writer would refuse to make. */
export function writeHandmade(path: string, hdus: HduSpec[]): string {
  const parts = hdus.flatMap((h) => [headerBytes(h.cards), ...(h.data ? [padded(h.data, 0)] : [])]);
  writeFileSync(path, Buffer.concat(parts));
  return path;
}

export const PRIMARY_EMPTY: CardSpec[] = [
  ["SIMPLE", "T"],
  ["BITPIX", "8"],
  ["NAXIS", "0"],
  ["EXTEND", "T"],
];

/** An IMAGE extension header: BITPIX, axes, then the extra cards. */
export function imageCards(bitpix: number, axes: number[], extra: CardSpec[] = []): CardSpec[] {
  return [
    ["XTENSION", "'IMAGE   '"],
    ["BITPIX", String(bitpix)],
    ["NAXIS", String(axes.length)],
    ...axes.map((n, i): CardSpec => [`NAXIS${i + 1}`, String(n)]),
    ["PCOUNT", "0"],
    ["GCOUNT", "1"],
    ...extra,
  ];
}
