// Issue 13, case 3: hostile structural keywords. Each is a typed FitsError naming file, HDU and keyword,
// raised before anything is allocated; `fits info` and `fits verify` (run as the CLI) end at once.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { FitsError, type FitsErrorCode, FitsFile } from "../../src/fits/index.js";
import { type CardSpec, imageCards, PRIMARY_EMPTY, writeHandmade } from "../fits/handmade.js";
import { astropyDump } from "../helpers/astropy.js";
import { TSX } from "../helpers/cli.js";
import { REPO } from "../helpers/paths.js";

const dir = mkdtempSync(join(tmpdir(), "caldp-faults-fits-"));

/** `caldp fits …` as a subprocess, killed after 20 s (the GCOUNT = -1 file used to loop forever). */
function fitsCli(...args: string[]) {
  const cli = join(REPO, "src", "cli", "caldp.ts");
  const r = spawnSync(process.execPath, ["--import", TSX, cli, "fits", ...args], { encoding: "utf8", timeout: 20_000 });
  assert.equal(r.signal, null, `caldp fits ${args.join(" ")} did not end: ${r.stderr}`);
  return r;
}

function openError(path: string): FitsError {
  try {
    FitsFile.open(path).close();
  } catch (e) {
    assert.ok(e instanceof FitsError, `expected a FitsError, got ${e}`);
    return e;
  }
  assert.fail(`${path} opened without error`);
}

function expectLocated(e: FitsError, code: FitsErrorCode, path: string, hdu: number, keyword: string): void {
  assert.equal(e.code, code, e.message);
  assert.deepEqual([e.location.file, e.location.hdu, e.location.keyword], [path, hdu, keyword], e.message);
  assert.ok(!e.message.includes("\n"));
}

function extension(name: string, cards: CardSpec[], data = new Uint8Array(2880)): string {
  return writeHandmade(join(dir, name), [{ cards: PRIMARY_EMPTY }, { cards, data }]);
}

test("GCOUNT = -1: fits info and verify stop at once with BAD_VALUE naming file, HDU 1 and GCOUNT", () => {
  // 1440 16-bit pixels × GCOUNT -1 = -2880 bytes: the next HDU was looked for at this header again, forever.
  const path = extension("gcount.fits", [
    ["XTENSION", "'IMAGE   '"],
    ["BITPIX", "16"],
    ["NAXIS", "1"],
    ["NAXIS1", "1440"],
    ["PCOUNT", "0"],
    ["GCOUNT", "-1"],
  ]);
  // The CLI first: were the loop back, it is killed after 20 s instead of hanging this test.
  const info = fitsCli("info", path);
  assert.equal(info.status, 1);
  assert.equal(info.stderr.trim(), `caldp: ${path}: HDU 1: card 6: keyword GCOUNT: GCOUNT = -1 is negative`);
  const verify = fitsCli("verify", path);
  assert.equal(verify.status, 1);
  assert.match(
    verify.stdout,
    /^ERROR BAD_VALUE: .*gcount\.fits: HDU 1: card 6: keyword GCOUNT: GCOUNT = -1 is negative$/m,
  );
  expectLocated(openError(path), "BAD_VALUE", path, 1, "GCOUNT");
});

test("negative PCOUNT of a table and of an image: BAD_VALUE naming PCOUNT", () => {
  const table = extension("pcount-table.fits", [
    ["XTENSION", "'BINTABLE'"],
    ["BITPIX", "8"],
    ["NAXIS", "2"],
    ["NAXIS1", "4"],
    ["NAXIS2", "2"],
    ["PCOUNT", "-100"],
    ["GCOUNT", "1"],
    ["TFIELDS", "1"],
    ["TFORM1", "'1J'"],
  ]);
  expectLocated(openError(table), "BAD_VALUE", table, 1, "PCOUNT");
  const image = extension(
    "pcount-image.fits",
    imageCards(16, [10]).map(([k, v]) => [k, k === "PCOUNT" ? "-9999999999" : v]),
  );
  expectLocated(openError(image), "BAD_VALUE", image, 1, "PCOUNT");
  const info = fitsCli("info", image);
  assert.equal(info.status, 1);
  assert.match(info.stderr, /keyword PCOUNT: PCOUNT = -9999999999 is negative/);
});

test("constant-value extensions: negative NPIXn refused, huge NPIXn listed but not expanded", () => {
  const constant = (npix: [string, string]) =>
    [...imageCards(-32, []), ["PIXVALUE", "1.5"], ["NPIX1", npix[0]], ["NPIX2", npix[1]]] as CardSpec[];
  const negative = extension("npix-negative.fits", constant(["-5", "10"]));
  expectLocated(openError(negative), "BAD_VALUE", negative, 1, "NPIX1");

  const beyond = extension("npix-beyond.fits", constant(["100000000", "100000000"]));
  const e = openError(beyond);
  expectLocated(e, "BAD_VALUE", beyond, 1, "NPIX2");
  assert.match(e.message, /40000000000000000 bytes/);

  // 40 GB of constant pixels is a legal header: listed, the value readable, the expansion refused.
  const huge = extension("npix-huge.fits", constant(["100000", "100000"]));
  const info = fitsCli("info", huge);
  assert.equal(info.status, 0, info.stderr);
  assert.match(info.stdout, /float32, constant 1.5 over \(100000, 100000\)/);
  const file = FitsFile.open(huge);
  const image = file.readImage(1);
  assert.equal(image.constant, 1.5);
  assert.throws(
    () => image.data,
    (err: unknown) => err instanceof FitsError && err.code === "TOO_LARGE" && /NPIX2/.test(err.message),
  );
  file.close();
});

test("absurd BITPIX, NAXIS and axis products are located errors", () => {
  const cases: [string, CardSpec[], FitsErrorCode, string][] = [
    ["bitpix.fits", imageCards(12, [2]), "UNSUPPORTED_BITPIX", "BITPIX"],
    [
      "bitpix-huge.fits",
      [
        ["XTENSION", "'IMAGE   '"],
        ["BITPIX", "99999999999999999999"],
        ["NAXIS", "0"],
      ],
      "BAD_VALUE",
      "BITPIX",
    ],
    [
      "naxis.fits",
      [
        ["XTENSION", "'IMAGE   '"],
        ["BITPIX", "8"],
        ["NAXIS", "1000"],
      ],
      "BAD_VALUE",
      "NAXIS",
    ],
    ["naxis-negative.fits", imageCards(8, [-3]), "BAD_VALUE", "NAXIS1"],
    ["axes-overflow.fits", imageCards(-64, [2 ** 40, 2 ** 40, 2 ** 40]), "BAD_VALUE", "NAXIS3"],
    [
      "gcount-huge.fits",
      imageCards(8, [2 ** 30]).map(([k, v]) => [k, k === "GCOUNT" ? "99999999" : v]),
      "BAD_VALUE",
      "GCOUNT",
    ],
  ];
  for (const [name, cards, code, keyword] of cases) {
    const path = extension(name, cards);
    expectLocated(openError(path), code, path, 1, keyword);
  }
  // Within 2^53 but beyond the file: TRUNCATED with the byte counts, not an allocation.
  const path = extension("axes-beyond-file.fits", imageCards(-64, [2 ** 20, 2 ** 20]));
  const e = openError(path);
  assert.equal(e.code, "TRUNCATED");
  assert.match(e.message, /HDU 1: data needs 8796093022208 bytes/);
});

test("tables: TFIELDS, TFORM widths, THEAP and heap descriptors are checked before allocating", () => {
  const table = (extra: CardSpec[], naxis1 = 8) =>
    [
      ["XTENSION", "'BINTABLE'"],
      ["BITPIX", "8"],
      ["NAXIS", "2"],
      ["NAXIS1", String(naxis1)],
      ["NAXIS2", "2"],
      ["PCOUNT", "16"],
      ["GCOUNT", "1"],
      ...extra,
    ] as CardSpec[];
  const tfields = extension(
    "tfields.fits",
    table([
      ["TFIELDS", "2147483647"],
      ["TFORM1", "'1J'"],
    ]),
  );
  expectLocated(openError(tfields), "BAD_VALUE", tfields, 1, "TFIELDS");

  const readError = (path: string): FitsError => {
    const file = FitsFile.open(path);
    try {
      file.readTable(1);
    } catch (e) {
      assert.ok(e instanceof FitsError, `expected a FitsError, got ${e}`);
      return e;
    } finally {
      file.close();
    }
    assert.fail("read without error");
  };
  const wide = extension(
    "tform-wide.fits",
    table([
      ["TFIELDS", "1"],
      ["TFORM1", "'1000000000J'"],
    ]),
  );
  expectLocated(readError(wide), "BAD_STRUCTURE", wide, 1, "TFORM1");
  const theap = extension(
    "theap.fits",
    table([
      ["TFIELDS", "1"],
      ["TFORM1", "'1PJ(2)'"],
      ["THEAP", "-8"],
    ]),
  );
  expectLocated(readError(theap), "BAD_VALUE", theap, 1, "THEAP");
  const descriptors = new Uint8Array(2880);
  new DataView(descriptors.buffer).setInt32(0, -5); // row 1: -5 elements
  const vla = extension(
    "vla-negative.fits",
    table(
      [
        ["TFIELDS", "1"],
        ["TFORM1", "'1PJ(2)'"],
      ],
      8,
    ),
    descriptors,
  );
  const e = readError(vla);
  expectLocated(e, "BAD_STRUCTURE", vla, 1, "TFORM1");
  assert.match(e.message, /row 1 of column .* points outside the heap/);
});

test("NAXIS = 1 with a stray NAXIS2: info agrees with astropy (ignored for images, rows for tables), verify says so", () => {
  const image = writeHandmade(join(dir, "stray-image.fits"), [
    {
      cards: [
        ["SIMPLE", "T"],
        ["BITPIX", "8"],
        ["NAXIS", "1"],
        ["NAXIS1", "10"],
        ["NAXIS2", "5"],
      ],
      data: new Uint8Array(10),
    },
  ]);
  const table = extension("stray-table.fits", [
    ["XTENSION", "'BINTABLE'"],
    ["BITPIX", "8"],
    ["NAXIS", "1"],
    ["NAXIS1", "4"],
    ["NAXIS2", "2"],
    ["PCOUNT", "0"],
    ["GCOUNT", "1"],
    ["TFIELDS", "1"],
    ["TFORM1", "'1J'"],
  ]);
  const astropy = astropyDump([image, table]);
  const info = JSON.parse(fitsCli("info", "--json", image, table).stdout) as { hdus: { dims: number[] }[] }[];
  assert.deepEqual(info[0].hdus[0].dims, astropy[image][0].dims);
  assert.deepEqual(info[0].hdus[0].dims, [10]);
  assert.equal(astropy[table][1].dims, "2R x 1C");
  assert.deepEqual(info[1].hdus[1].dims, [2]);
  assert.match(fitsCli("info", table).stdout, / 2R x 1C /);
  const verify = fitsCli("verify", image, table);
  assert.equal(verify.status, 1);
  assert.match(
    verify.stdout,
    /^WARNING BAD_STRUCTURE: .*stray-image\.fits: HDU 0: card 5: NAXIS2 is ignored: NAXIS = 1$/m,
  );
  assert.match(verify.stdout, /^ERROR BAD_STRUCTURE: .*stray-table\.fits: HDU 1: a BINTABLE needs NAXIS = 2, not 1$/m);
});

test("random groups: PCOUNT and GCOUNT of the primary size its data, so the next HDU is found; not read as an image", () => {
  const groups = writeHandmade(join(dir, "groups.fits"), [
    {
      cards: [
        ["SIMPLE", "T"],
        ["BITPIX", "16"],
        ["NAXIS", "3"],
        ["NAXIS1", "0"],
        ["NAXIS2", "2"],
        ["NAXIS3", "3"],
        ["GROUPS", "T"],
        ["PCOUNT", "2"],
        ["GCOUNT", "400"],
      ],
      data: new Uint8Array(2 * 400 * (2 + 6)),
    },
    { cards: imageCards(8, [4], [["EXTNAME", "'SCI     '"]]), data: Uint8Array.from([1, 2, 3, 4]) },
  ]);
  const file = FitsFile.open(groups);
  try {
    assert.equal(file.hdus[0].dataBytes, 6400);
    assert.deepEqual(Array.from(file.readImage("SCI").data as Int16Array), [1, 2, 3, 4]);
    assert.throws(
      () => file.readImage(0),
      (e: unknown) => e instanceof FitsError && e.code === "UNSUPPORTED",
    );
  } finally {
    file.close();
  }
  // An IMAGE extension with GCOUNT = 2: listed, but not read as if it were one image.
  const twice = extension(
    "image-gcount.fits",
    imageCards(8, [4]).map(([k, v]) => [k, k === "GCOUNT" ? "2" : v]),
  );
  const image = FitsFile.open(twice);
  try {
    assert.throws(
      () => image.readImage(1),
      (e: unknown) => e instanceof FitsError && /GCOUNT = 2 do not describe an image/.test(e.message),
    );
  } finally {
    image.close();
  }
});

test("heap descriptors all pointing at the whole heap: TOO_LARGE before 100 copies of it are made", () => {
  const rows = 100;
  const heap = 1024 * 1024;
  const data = new Uint8Array(rows * 8 + heap);
  const view = new DataView(data.buffer);
  for (let r = 0; r < rows; r++) view.setInt32(r * 8, heap); // 1 MiB of bytes (PB), offset 0: the whole heap
  const path = extension(
    "vla-shared.fits",
    [
      ["XTENSION", "'BINTABLE'"],
      ["BITPIX", "8"],
      ["NAXIS", "2"],
      ["NAXIS1", "8"],
      ["NAXIS2", String(rows)],
      ["PCOUNT", String(heap)],
      ["GCOUNT", "1"],
      ["TFIELDS", "1"],
      ["TFORM1", "'1PB(1048576)'"],
    ],
    data,
  );
  const file = FitsFile.open(path);
  try {
    assert.throws(
      () => file.readTable(1),
      (e: unknown) =>
        e instanceof FitsError &&
        e.code === "TOO_LARGE" &&
        e.location.keyword === "TFORM1" &&
        /references more than 71303168 bytes of a 1048576-byte heap/.test(e.message),
    );
  } finally {
    file.close();
  }
});
