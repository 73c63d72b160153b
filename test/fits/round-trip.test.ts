import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { copyData, FitsFile, FitsWriter, type Hdu, rewriteHeaders } from "../../src/fits/index.js";
import { HST_DATA } from "../helpers/paths.js";

const files = readdirSync(HST_DATA)
  .filter((f) => f.endsWith(".fits"))
  .sort();
const scratch = mkdtempSync(join(tmpdir(), "caldp-roundtrip-"));

/** Writes every HDU of `source` again, decoding and re-encoding images and tables. */
function rewriteDecoded(source: string, target: string): void {
  const fits = FitsFile.open(source);
  const writer = new FitsWriter(target, { checksum: "preserve" });
  try {
    for (const hdu of fits.hdus) writeDecoded(fits, hdu, writer);
    writer.close();
  } finally {
    fits.close();
  }
}

function writeDecoded(fits: FitsFile, hdu: Hdu, writer: FitsWriter): void {
  if ((hdu.type === "primary" || hdu.type === "image") && hdu.gcount === 1 && hdu.pcount === 0) {
    const h = hdu.header;
    const offsetOnly = h.get("BSCALE") === undefined || h.get("BSCALE") === 1;
    const stored = !offsetOnly || h.has("BLANK");
    const image = fits.readImage(hdu, { raw: stored });
    if (image.constant !== undefined) writer.writeConstantImage(h, image.constant, image.axes, hdu.bitpix);
    else if (image.axes.length === 0) writer.writeImage(h);
    else writer.writeImage(h, image.data, image.axes, { stored });
    return;
  }
  if (hdu.type === "bintable" && hdu.pcount === 0) {
    const table = fits.readTable(hdu);
    const specs = table.columns.map((c, i) => ({
      name: c.name,
      data: c.data,
      format: hdu.header.getString(`TFORM${i + 1}`),
      unit: c.unit,
      dim: c.dim,
      null: c.null,
      disp: c.disp,
    }));
    writer.writeTable(hdu.header, specs, table.nrows);
    return;
  }
  const read = (offset: number, length: number) => fits.readBytes(hdu.dataOffset + offset, length);
  writer.writeRaw(hdu.header, hdu.dataBytes, copyData(read, hdu.dataBytes));
}

/** True when a character field of some table is padded with NULs (we pad with blanks, so bytes differ). */
function hasNulPaddedStrings(path: string): boolean {
  const fits = FitsFile.open(path);
  try {
    return fits.hdus.some((hdu) => {
      if (hdu.type !== "bintable") return false;
      const data = fits.readDataBytes(hdu);
      const rowBytes = hdu.axes[0];
      let offset = 0;
      for (let i = 1; i <= hdu.header.getInt("TFIELDS"); i++) {
        const form = hdu.header.getString(`TFORM${i}`);
        const width = fits.readTable(hdu).columns[i - 1].form.width;
        if (/A/i.test(form)) {
          for (let r = 0; r < hdu.axes[1]; r++) {
            if (data.subarray(r * rowBytes + offset, r * rowBytes + offset + width).includes(0)) return true;
          }
        }
        offset += width;
      }
      return false;
    });
  } finally {
    fits.close();
  }
}

function decodedContent(path: string): unknown[] {
  const fits = FitsFile.open(path);
  try {
    return fits.hdus.map((hdu) => {
      if (hdu.type === "bintable" && hdu.pcount === 0) return fits.readTable(hdu).columns.map((c) => c.data);
      if (hdu.type === "primary" || hdu.type === "image") return fits.readImage(hdu).data;
      return fits.readDataBytes(hdu);
    });
  } finally {
    fits.close();
  }
}

for (const name of files) {
  const source = join(HST_DATA, name);
  test(`${name}: headers and data copied as stored, the file is bit-identical`, () => {
    const target = join(scratch, `raw_${name}`);
    writeFileSync(target, readFileSync(source));
    rewriteHeaders(target, () => {});
    assert.ok(readFileSync(target).equals(readFileSync(source)), "bytes differ");
  });

  test(`${name}: decoded and re-encoded, the same values (and the same bytes unless strings were NUL-padded)`, () => {
    const target = join(scratch, name);
    rewriteDecoded(source, target);
    assert.deepEqual(decodedContent(target), decodedContent(source));
    if (!hasNulPaddedStrings(source)) assert.ok(readFileSync(target).equals(readFileSync(source)), "bytes differ");
  });
}

test("rewriteHeaders changes only the edited card and keeps the data", () => {
  const target = join(scratch, "edited_raw.fits");
  writeFileSync(target, readFileSync(join(HST_DATA, "j8bt05njq_raw.fits")));
  rewriteHeaders(target, (header, hdu) => {
    if (hdu.index === 0) header.set("BIASFILE", "jref$x6k1256fj_bia.fits");
  });
  const before = FitsFile.open(join(HST_DATA, "j8bt05njq_raw.fits"));
  const after = FitsFile.open(target);
  try {
    assert.equal(after.hdus[0].header.get("BIASFILE"), "jref$x6k1256fj_bia.fits");
    assert.equal(after.hdus.length, before.hdus.length);
    const a = before.readImage("SCI").data;
    const b = after.readImage("SCI").data;
    assert.deepEqual(b, a);
    const changed = after.hdus[0].header.cards.filter(
      (c, i) => c.images?.[0] !== before.hdus[0].header.cards[i].images?.[0],
    );
    assert.deepEqual(
      changed.map((c) => c.keyword),
      ["BIASFILE"],
    );
  } finally {
    before.close();
    after.close();
  }
});
