import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { type Card, FitsFile } from "../../src/fits/index.js";
import { type AstropyValue, astropyDump } from "../helpers/astropy.js";
import { HST_DATA } from "../helpers/paths.js";

const files = readdirSync(HST_DATA)
  .filter((f) => f.endsWith(".fits"))
  .sort()
  .map((f) => join(HST_DATA, f));
const oracle = astropyDump(files);

function sameValue(card: Card, expected: AstropyValue): boolean {
  if (card.kind === "commentary") return card.comment === expected;
  if (typeof expected === "string") return card.kind === "string" && card.value === expected;
  if (typeof expected === "boolean") return card.kind === "bool" && card.value === expected;
  if ("int" in expected) return card.kind === "int" && String(card.value) === expected.int;
  if ("float" in expected) return card.kind === "float" && card.value === Number(expected.float);
  if ("complex" in expected) {
    const v = card.value as { re: number; im: number };
    return card.kind === "complex" && v.re === Number(expected.complex[0]) && v.im === Number(expected.complex[1]);
  }
  return card.kind === "undefined";
}

test("the shared HST data has files to check", () => {
  assert.ok(files.length >= 30, `found ${files.length} files in ${HST_DATA}`);
});

for (const file of files) {
  test(`${file.split("/").pop()}: HDUs and every card agree with astropy`, () => {
    const fits = FitsFile.open(file);
    try {
      const expected = oracle[file];
      assert.equal(fits.hdus.length, expected.length, "HDU count");
      for (const [i, hdu] of fits.hdus.entries()) {
        const e = expected[i];
        const where = `HDU ${i}`;
        assert.equal(hdu.name, e.name, `${where} name`);
        assert.equal(hdu.ver, e.ver, `${where} ver`);
        if (hdu.type === "primary" || hdu.type === "image") assert.deepEqual(hdu.axes, e.dims, `${where} dims`);
        assert.equal(hdu.header.length, e.ncards, `${where} card count`);
        hdu.header.cards.forEach((card, k) => {
          const [keyword, value, comment] = e.cards[k];
          const at = `${where} card ${k + 1} (${keyword})`;
          if (keyword.includes(".")) {
            // astropy reads record-valued keyword cards (D2IM1 = 'EXTVER: 1') as D2IM1.EXTVER = 1.0;
            // we keep the card as the file has it, a string value.
            const base = keyword.slice(0, keyword.indexOf("."));
            const field = keyword.slice(keyword.indexOf(".") + 1);
            const record = /^\s*([A-Za-z_][\w.]*)\s*:\s*(\S+)\s*$/.exec(String(card.value));
            assert.equal(card.keyword, base, `${at} keyword`);
            assert.ok(record && record[1].toUpperCase() === field, `${at} record field`);
            assert.equal(Number(record![2]), Number((value as { float: string }).float), `${at} record value`);
            return;
          }
          assert.equal(card.keyword, keyword, `${at} keyword`);
          assert.ok(
            sameValue(card, value),
            `${at}: ours ${card.kind} ${JSON.stringify(card.value)} ${JSON.stringify(card.comment)}, astropy ${JSON.stringify(value)}`,
          );
          if (card.kind !== "commentary") assert.equal(card.comment, comment, `${at} comment`);
        });
      }
    } finally {
      fits.close();
    }
  });
}
