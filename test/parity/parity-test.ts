/**
 * One node:test per parity case: our products must equal the C program's recorded fingerprints (SCI/ERR within
 * 1e-4 relative, DQ identical), except in the extensions `known` names (`file[EXTNAME,*]` or
 * `file[EXTNAME,ver]`), and the header differences `knownHeaders` matches (tested against `file what`, e.g.
 * `x_flt.fits header READNSEA = 5.57, theirs 0`), whose differences are printed as diagnostics.
 */
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { test } from "node:test";
import { PARITY_CASES } from "./cases.js";
import { compareProducts, describe } from "./fingerprint.js";
import { recorded, runOurs } from "./run-case.js";

export interface ParityOptions {
  known?: readonly string[];
  knownHeaders?: readonly RegExp[];
  skip?: string | false;
}

export function parityTest(name: string, options: ParityOptions = {}): void {
  const c = PARITY_CASES.find((x) => x.name === name);
  if (!c) throw new Error(`no parity case ${name}`);
  const known = options.known ?? [];
  const knownHeaders = options.knownHeaders ?? [];
  const isKnown = (file: string, extname: string, extver: number, what: string) =>
    known.includes(`${file}[${extname},*]`) ||
    known.includes(`${file}[${extname},${extver}]`) ||
    (what.startsWith("header ") && knownHeaders.some((r) => r.test(`${file} ${what}`)));
  const title =
    known.length + knownHeaders.length
      ? `${c.name}: our products equal ${c.program}'s except the known differences`
      : `${c.name}: our products equal ${c.program}'s (SCI/ERR within 1e-4 relative, DQ identical)`;
  test(title, { skip: options.skip ?? false }, async (t) => {
    const theirs = recorded(c);
    const ours = await runOurs(c, theirs.sampleSeed);
    try {
      assert.equal(ours.run.status, 0, ours.run.stderr);
      assert.deepEqual(
        ours.products.map((p) => p.file),
        theirs.products.map((p) => p.file),
      );
      const unexpected: string[] = [];
      theirs.products.forEach((p, i) => {
        assert.deepEqual(ours.products[i].samplePositions, p.samplePositions, `${p.file}: the same sampled pixels`);
        for (const d of compareProducts(ours.products[i], p)) {
          if (isKnown(d.file, d.extname, d.extver, d.what)) t.diagnostic(`known difference: ${describe(d)}`);
          else unexpected.push(describe(d));
        }
      });
      assert.deepEqual(unexpected, [], `differences from ${theirs.program}`);
    } finally {
      rmSync(ours.dir, { recursive: true, force: true });
    }
  });
}
