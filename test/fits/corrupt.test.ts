import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { gzipSync } from "node:zlib";
import { FitsError, type FitsErrorCode, FitsFile, verifyFile } from "../../src/fits/index.js";
import { fitsverify } from "../helpers/astropy.js";
import { HST_DATA } from "../helpers/paths.js";

const scratch = mkdtempSync(join(tmpdir(), "caldp-corrupt-"));
const RAW = join(HST_DATA, "j8bt05njq_raw.fits");
const raw = readFileSync(RAW);
const layout = (() => {
  const f = FitsFile.open(RAW);
  const hdus = f.hdus.map((h) => ({
    headerOffset: h.headerOffset,
    headerBytes: h.headerBytes,
    dataOffset: h.dataOffset,
  }));
  const cards = f.hdus.map((h) => h.header.images().length);
  f.close();
  return { hdus, cards };
})();

function variant(name: string, edit: (bytes: Buffer) => Buffer): string {
  const path = join(scratch, name);
  writeFileSync(path, edit(Buffer.from(raw)));
  return path;
}

function openError(path: string): FitsError {
  try {
    FitsFile.open(path).close();
  } catch (e) {
    assert.ok(e instanceof FitsError, `expected a FitsError, got ${e}`);
    assert.ok(!e.message.includes("\n"), "one line");
    assert.ok(e.message.startsWith(path), `names the file: ${e.message}`);
    return e;
  }
  assert.fail(`${path} opened without error`);
}

function expectError(path: string, code: FitsErrorCode, hdu: number | undefined, pattern: RegExp): void {
  const e = openError(path);
  assert.equal(e.code, code, e.message);
  assert.equal(e.location.hdu, hdu, e.message);
  assert.match(e.message, pattern);
  const problems = verifyFile(path);
  assert.equal(problems[0]?.code, code, "verify reports the same problem");
}

test("truncated data: TRUNCATED naming the HDU and the byte counts", () => {
  const path = variant("truncated_data.fits", (b) => b.subarray(0, layout.hdus[1].dataOffset + 1000));
  expectError(path, "TRUNCATED", 1, /data needs 2217456 bytes/);
});

test("a file cut inside a header block: TRUNCATED", () => {
  const path = variant("truncated_header.fits", (b) => b.subarray(0, layout.hdus[1].headerOffset + 500));
  expectError(path, "TRUNCATED", 1, /inside a header block/);
});

test("garbage instead of a FITS header: NOT_FITS", () => {
  const path = variant("garbage.fits", (b) => {
    b.fill(0x41, 0, 2880);
    return b;
  });
  expectError(path, "NOT_FITS", undefined, /does not start with SIMPLE/);
});

test("binary garbage inside a card: BAD_CARD naming the HDU and card", () => {
  const path = variant("bad_card.fits", (b) => {
    b[layout.hdus[1].headerOffset + 80 * 9 + 20] = 0x07;
    return b;
  });
  const e = openError(path);
  assert.equal(e.code, "BAD_CARD");
  assert.equal(e.location.hdu, 1);
  assert.equal(e.location.card, 10);
});

test("a header whose END card was wiped, followed by data: MISSING_END", () => {
  const path = variant("missing_end_data.fits", (b) => {
    b.fill(
      0x20,
      layout.hdus[1].headerOffset + 80 * layout.cards[1],
      layout.hdus[1].headerOffset + 80 * layout.cards[1] + 3,
    );
    return b;
  });
  expectError(path, "MISSING_END", 1, /no END card/);
});

test("a header whose END card was wiped, followed by the next extension: MISSING_END", () => {
  const path = variant("missing_end_next.fits", (b) => {
    const at = layout.hdus[0].headerOffset + 80 * layout.cards[0];
    b.fill(0x20, at, at + 3);
    return b;
  });
  expectError(path, "MISSING_END", 0, /before the next XTENSION/);
});

test("the last header without END at the end of the file: MISSING_END", () => {
  const path = variant("missing_end_eof.fits", (b) => {
    const at = layout.hdus[3].headerOffset + 80 * layout.cards[3];
    b.fill(0x20, at, at + 3);
    return b;
  });
  expectError(path, "MISSING_END", 3, /no END card/);
});

test("unsupported BITPIX: UNSUPPORTED_BITPIX naming the card", () => {
  const path = variant("bitpix24.fits", (b) => {
    b.write("BITPIX  =                   24", layout.hdus[1].headerOffset + 80, "latin1");
    return b;
  });
  const e = openError(path);
  assert.equal(e.code, "UNSUPPORTED_BITPIX");
  assert.deepEqual([e.location.hdu, e.location.card, e.location.keyword], [1, 2, "BITPIX"]);
});

test("a structural keyword with a non-integer value: BAD_VALUE naming the keyword", () => {
  const path = variant("naxis1_string.fits", (b) => {
    b.write("NAXIS1  = 'abc'               ", layout.hdus[1].headerOffset + 240, "latin1");
    return b;
  });
  const e = openError(path);
  assert.equal(e.code, "BAD_VALUE");
  assert.equal(e.location.keyword, "NAXIS1");
  assert.match(e.message, /expected an integer, found the string 'abc'/);
});

test("wrong padding (non-blank after END, non-zero after data, missing last block) is reported by verify, and by fitsverify", () => {
  const headerPad = variant("header_padding.fits", (b) => {
    b.write("X", layout.hdus[0].headerOffset + 80 * (layout.cards[0] + 1), "latin1");
    return b;
  });
  const dataPad = variant("data_padding.fits", (b) => {
    b[layout.hdus[2].headerOffset - 1] = 1;
    return b;
  });
  const short = join(scratch, "short_last_block.fits");
  const spt = readFileSync(join(HST_DATA, "ocmv0lw6q_spt.fits"));
  writeFileSync(short, spt.subarray(0, spt.length - 100)); // the last HDU has 1930 data bytes, then 950 of padding
  for (const path of [headerPad, dataPad, short]) {
    FitsFile.open(path).close(); // still readable
    const problems = verifyFile(path);
    assert.ok(
      problems.some((p) => p.code === "BAD_PADDING" || p.code === "TRUNCATED"),
      `${path}: ${JSON.stringify(problems)}`,
    );
    assert.ok(fitsverify(path).errors + fitsverify(path).warnings > 0, `fitsverify sees nothing wrong in ${path}`);
  }
  assert.match(verifyFile(headerPad)[0].message, /HDU 0: header padding/);
  assert.match(verifyFile(dataPad)[0].message, /HDU 1: data padding/);
});

test("a damaged gzip file: TRUNCATED; an intact one reads like the plain file", () => {
  const gz = gzipSync(raw);
  const good = join(scratch, "raw.fits.gz");
  writeFileSync(good, gz);
  const f = FitsFile.open(good);
  assert.deepEqual(f.readImage("SCI").data, FitsFile.open(RAW).readImage("SCI").data);
  f.close();
  const bad = join(scratch, "cut.fits.gz");
  writeFileSync(bad, gz.subarray(0, gz.length / 2));
  assert.equal(openError(bad).code, "TRUNCATED");
});

test("a missing file: IO error naming it", () => {
  assert.equal(openError(join(scratch, "nope.fits")).code, "IO");
});

test("on every shared HST file our verify finds errors exactly where fitsverify does", () => {
  for (const name of readdirSync(HST_DATA).filter((f) => f.endsWith(".fits"))) {
    const path = join(HST_DATA, name);
    const ours = verifyFile(path).filter((p) => p.severity === "error");
    assert.equal(ours.length > 0, fitsverify(path).errors > 0, `${name}: ${JSON.stringify(ours)}`);
  }
});
