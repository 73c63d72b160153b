import assert from "node:assert/strict";
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { FitsFile } from "../../src/fits/index.js";
import { runCli } from "../helpers/cli.js";
import { CRDS_DATA, HST_DATA } from "../helpers/paths.js";

interface HeaderChangesOracle {
  primary_header_changes: Record<string, { old: string | null; new: string; comment?: string }>;
  extension_headers_changed: unknown[];
  all_bestref_keywords_after_update: Record<string, string>;
  CRDS_CTX: string;
  last_primary_cards: string[];
}

const oracle: Record<string, HeaderChangesOracle> = JSON.parse(
  readFileSync(join(CRDS_DATA, "oracles", "update_bestrefs_header_changes.json"), "utf8"),
);

/** A CRDS cache whose mappings are the shared hst_0729 closure, read in place through a link. */
function crdsCache(): string {
  const root = mkdtempSync(join(tmpdir(), "caldp-crds-cache-"));
  mkdirSync(join(root, "mappings"));
  symlinkSync(join(CRDS_DATA, "mappings", "hst"), join(root, "mappings", "hst"));
  return root;
}

function primaryCards(path: string) {
  const fits = FitsFile.open(path);
  const hdus = fits.hdus.map((h) => ({
    cards: h.header.cards,
    headerBytes: fits.readBytes(h.headerOffset, h.headerBytes),
  }));
  const data = fits.hdus.map((h) => fits.readDataBytes(h));
  fits.close();
  return { hdus, data };
}

test("caldp bestrefs --update-bestrefs makes exactly the reference client's header changes", () => {
  const dir = mkdtempSync(join(tmpdir(), "caldp-bestrefs-"));
  const names = Object.keys(oracle);
  const files = names.map((name) => {
    const copy = join(dir, name);
    copyFileSync(join(HST_DATA, name), copy);
    chmodSync(copy, 0o644);
    return copy;
  });
  const result = runCli("caldp", ["bestrefs", "--files", ...files, "--context", "hst_0729.pmap", "--update-bestrefs"], {
    env: { CRDS_PATH: crdsCache() },
  });
  assert.equal(result.status, 0, result.stderr);
  for (const [i, name] of names.entries()) {
    const expected = oracle[name];
    const before = primaryCards(join(HST_DATA, name));
    const after = primaryCards(files[i]);
    const value = (cards: (typeof before.hdus)[0]["cards"], k: string) => cards.find((c) => c.keyword === k)?.value;
    const changed: Record<string, { old: unknown; new: unknown }> = {};
    for (const card of after.hdus[0].cards) {
      if (card.kind === "commentary") continue;
      const old = value(before.hdus[0].cards, card.keyword) ?? null;
      if (old !== card.value) changed[card.keyword] = { old, new: card.value };
    }
    const expectedChanges = Object.fromEntries(
      Object.entries(expected.primary_header_changes).map(([k, v]) => [k, { old: v.old, new: v.new }]),
    );
    // CRDS_VER names the software that wrote it: the reference client there, caldp here.
    assert.match(String(changed.CRDS_VER.new), /^caldp \d+\.\d+\.\d+/);
    changed.CRDS_VER.new = expectedChanges.CRDS_VER.new;
    assert.deepEqual(changed, expectedChanges, name);
    for (const [k, v] of Object.entries(expected.all_bestref_keywords_after_update)) {
      assert.equal(value(after.hdus[0].cards, k), v, `${name} ${k}`);
    }
    const images = after.hdus[0].cards.flatMap((c) => c.images ?? []);
    const tail = images.slice(-expected.last_primary_cards.length);
    const expectedTail = expected.last_primary_cards.map((c) =>
      c.startsWith("CRDS_VER") ? tail.find((t) => t.startsWith("CRDS_VER")) : c,
    );
    assert.deepEqual(
      after.hdus[0].cards.slice(-expected.last_primary_cards.length).map((c) => c.keyword),
      expectedTail.map((c) => c!.slice(0, 8).trim()),
      `${name}: order of the last cards`,
    );
    for (let h = 1; h < after.hdus.length; h++) {
      assert.ok(
        Buffer.from(after.hdus[h].headerBytes).equals(Buffer.from(before.hdus[h].headerBytes)),
        `${name} HDU ${h} header`,
      );
    }
    for (const [h, d] of after.data.entries()) {
      assert.ok(Buffer.from(d).equals(Buffer.from(before.data[h])), `${name} HDU ${h} data`);
    }
  }
});

test("appended cards are written as astropy writes them (the oracle's raw card images)", () => {
  const dir = mkdtempSync(join(tmpdir(), "caldp-bestrefs-"));
  const copy = join(dir, "j8bt05njq_raw.fits");
  copyFileSync(join(HST_DATA, "j8bt05njq_raw.fits"), copy);
  chmodSync(copy, 0o644);
  runCli("caldp", ["bestrefs", "--files", copy, "--context", "hst_0729.pmap", "--update-bestrefs"], {
    env: { CRDS_PATH: crdsCache() },
  });
  const header = readFileSync(copy, "latin1").slice(0, 2880 * 8);
  for (const card of oracle["j8bt05njq_raw.fits"].last_primary_cards) {
    // astropy re-renders blank-keyword cards when it saves a header (12 spaces of text indent become 6);
    // we keep the file's own card, so only keyword cards are compared byte for byte.
    if (card.startsWith("CRDS_VER") || card.startsWith("        ")) continue;
    assert.ok(header.includes(card), `missing card image: ${card}`);
  }
});

test("caldp bestrefs --json reports the same results as the reference client for a real file", () => {
  const result = runCli(
    "caldp",
    ["bestrefs", "--files", join(HST_DATA, "j8bt05njq_raw.fits"), "--context", "hst_0729.pmap", "--json"],
    {
      env: { CRDS_PATH: crdsCache() },
    },
  );
  assert.equal(result.status, 0, result.stderr);
  const ours = JSON.parse(result.stdout)["j8bt05njq_raw.fits"];
  let compared = 0;
  for (const [keyword, written] of Object.entries(oracle["j8bt05njq_raw.fits"].all_bestref_keywords_after_update)) {
    const result = ours[keyword.toLowerCase()];
    if (result === undefined) continue; // keywords CRDS does not manage (DFLTFILE, PHOTTAB, …)
    assert.equal(result, written === "N/A" ? "NOT FOUND n/a" : written.replace(/^jref\$/, ""), keyword);
    compared++;
  }
  assert.ok(compared >= 20, `compared ${compared} filekinds`);
});

test("caldp bestrefs: an unknown context and an unreadable file give one line and exit 1", () => {
  const env = { CRDS_PATH: crdsCache() };
  const noContext = runCli(
    "caldp",
    ["bestrefs", "--files", join(HST_DATA, "j8bt05njq_raw.fits"), "--context", "hst_9999.pmap"],
    { env },
  );
  assert.equal(noContext.status, 1);
  assert.equal(noContext.stderr.trim().split("\n").length, 1, noContext.stderr);
  assert.match(noContext.stderr, /hst_9999\.pmap/);
  const noFile = runCli("caldp", ["bestrefs", "--files", "/nonexistent/x_raw.fits", "--context", "hst_0729.pmap"], {
    env,
  });
  assert.equal(noFile.status, 1);
  assert.match(noFile.stderr, /^caldp: \/nonexistent\/x_raw.fits: cannot open/);
});
