/** One node:test per calacs.e case: our flt/crj must equal calacs.e's recorded fingerprints. */
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { test } from "node:test";
import { PARITY_CASES } from "./cases.js";
import { compareProducts, describe } from "./fingerprint.js";
import { recorded, runOurs } from "./run-case.js";

export function acsParityTest(name: string): void {
  const c = PARITY_CASES.find((x) => x.name === name);
  if (!c) throw new Error(`no parity case ${name}`);
  test(`${c.name}: our products equal calacs.e's (SCI/ERR within 1e-4 relative, DQ identical)`, async () => {
    const theirs = recorded(c);
    const ours = await runOurs(c, theirs.sampleSeed);
    try {
      assert.equal(ours.run.status, 0, ours.run.stderr);
      assert.deepEqual(
        ours.products.map((p) => p.file),
        theirs.products.map((p) => p.file),
      );
      const differences = theirs.products.flatMap((t, i) => {
        assert.deepEqual(ours.products[i].samplePositions, t.samplePositions, `${t.file}: the same sampled pixels`);
        return compareProducts(ours.products[i], t).map(describe);
      });
      assert.deepEqual(differences, [], `differences from ${theirs.program}`);
    } finally {
      rmSync(ours.dir, { recursive: true, force: true });
    }
  });
}
