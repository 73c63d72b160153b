// oracles/pickle_bestrefs.json: hst_0729 bestrefs for recorded dataset parameters, through the public API.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { getBestReferences, loadContext } from "../../src/crds/index.js";
import { CRDS_DATA } from "../helpers/paths.js";

const oracle: Record<string, { input_header: Record<string, string>; contexts: Record<string, unknown> }> = JSON.parse(
  readFileSync(join(CRDS_DATA, "oracles", "pickle_bestrefs.json"), "utf8"),
);
const context = loadContext(join(CRDS_DATA, "mappings", "hst", "hst_0729.pmap"));

test("the oracle holds 5 recorded datasets", () => {
  assert.equal(Object.keys(oracle).length, 5);
});

for (const [id, entry] of Object.entries(oracle)) {
  test(`pickle_bestrefs ${id}`, () => {
    assert.deepEqual(getBestReferences(context, entry.input_header), entry.contexts["hst_0729.pmap"]);
  });
}

test("the fixture files give the same parameters as the oracle's input_header", () => {
  for (const [id, entry] of Object.entries(oracle)) {
    const [file, dataset] = id.split("::");
    const fixture = JSON.parse(readFileSync(join(CRDS_DATA, "crds-test-data", file), "utf8"));
    assert.deepEqual(fixture[dataset], entry.input_header);
  }
});

test("a filekinds subset returns only those types, and unknown types report the client's message", () => {
  const entry = Object.values(oracle)[1];
  const refs = getBestReferences(context, entry.input_header, { filekinds: ["BIASFILE", "nosuchtype"] });
  assert.deepEqual(refs, {
    biasfile: (entry.contexts["hst_0729.pmap"] as Record<string, unknown>).biasfile,
    nosuchtype: "NOT FOUND Unknown reference type 'nosuchtype'",
  });
});
