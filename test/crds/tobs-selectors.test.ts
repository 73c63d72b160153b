// oracles/tobs_selectors.json: the TOBS rmap (every selector kind, tuple and dict leaves) asked with raw headers.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { loadMapping } from "../../src/crds/loader.js";
import { ReferenceMapping } from "../../src/crds/reference-mapping.js";
import { CRDS_DATA } from "../helpers/paths.js";

const cases: Array<{ header: Record<string, string>; result: unknown }> = JSON.parse(
  readFileSync(join(CRDS_DATA, "oracles", "tobs_selectors.json"), "utf8"),
);
const rmap = loadMapping(join(CRDS_DATA, "tobs", "tobs_tinstr_tfilekind.rmap"));

test("the TOBS rmap loads as a reference mapping and the oracle has 38 cases", () => {
  assert.ok(rmap instanceof ReferenceMapping);
  assert.equal(cases.length, 38);
});

for (const [i, c] of cases.entries()) {
  test(`tobs #${i + 1}: ${JSON.stringify(c.header)}`, () => {
    assert.deepEqual((rmap as ReferenceMapping).getBestRef(c.header), c.result);
  });
}

test("the TOBS context closure loads from its pmap", () => {
  const pmap = loadMapping(join(CRDS_DATA, "tobs", "tobs.pmap"));
  assert.equal(pmap.kind, "pipeline");
});
