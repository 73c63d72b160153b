// Every case of oracles/selector_semantics.json: selectors built from mapping text (as described in
// data/README.md) and asked to choose, with exceptions rendered as "EXCEPTION <Class>: <message>".
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { parseMapping } from "../../src/crds/parser.js";
import { type PyCall, PyDict, type PyTuple, pyStr } from "../../src/crds/python-values.js";
import { buildSelector } from "../../src/crds/selectors/build.js";
import type { Header } from "../../src/crds/selectors/selector.js";
import { CRDS_DATA } from "../helpers/paths.js";

interface Case {
  desc: string;
  header?: Header;
  result?: unknown;
}
const cases: Case[] = JSON.parse(readFileSync(join(CRDS_DATA, "oracles", "selector_semantics.json"), "utf8"));

const UA = (entries: Record<string, string>) =>
  `UseAfter({${Object.entries(entries)
    .map(([date, file]) => `'${date}' : '${file}',`)
    .join(" ")}})`;
const ua2000 = (file: string) => UA({ "2000-01-01 00:00:00": file });

/** The selectors of the 31 cases, as described in data/README.md (parameters, header extras, selector text). */
const SELECTORS: Array<[string[], string, string]> = [
  [["A"], "", `Match({'X': ${ua2000("exact_2000.fits")}, '*': ${UA({ "2001-01-01 00:00:00": "star_2001.fits" })}})`],
  [["A"], "", `Match({'X': ${ua2000("exact_2000.fits")}, '*': ${UA({ "2001-01-01 00:00:00": "star_2001.fits" })}})`],
  [
    ["A", "B"],
    "",
    `Match({('X','Y'): ${ua2000("xy.fits")}, ('X','N/A'): ${UA({ "2003-01-01 00:00:00": "xna.fits" })}})`,
  ],
  [
    ["A", "B"],
    "",
    `Match({('X','Y'): ${UA({ "2006-01-01 00:00:00": "xy.fits" })}, ('X','N/A'): ${UA({ "2003-01-01 00:00:00": "xna.fits" })}})`,
  ],
  [["A"], "", `Match({'X': ${UA({ "2006-01-01 00:00:00": "x.fits" })}})`],
  [["A"], "", `Match({'P|Q | R': 'pqr.fits'})`],
  [["A"], "", `Match({'FR*': 'fr.fits'})`],
  [["A"], "", `Match({'between 1055 1097': 'b.fits', 'between 1097 1200': 'c.fits'})`],
  [["A"], "", `Match({'# >3000 and <=4200 #': 'r.fits'})`],
  [["A"], "", `Match({'(^F[^13]22$)': 're.fits'})`],
  [["A"], "", `Match({'{F|*G}': 'lit.fits'})`],
  [["A"], "", `Match({'NOT HRC': 'not.fits'})`],
  [["A"], "", `Match({'X': 'x.fits'})`],
  [["A"], "", `Match({'X': 'x.fits'})`],
  [["A"], "", `Match({'X': 'x.fits', 'Y': 'y.fits'})`],
  [["A"], "", `Match({'X': 'x.fits', '*': 'star.fits'})`],
  [["A"], "", `Match({'X': 'x.fits', '*': 'star.fits'})`],
  [["A", "B"], "", `Match({('X','Y'): 'x.fits'})`],
  [["A", "B"], "", `Match({('X','N/A'): 'x.fits'})`],
  [["N"], "", `Match({1062: 'n.fits'})`],
  [
    ["CCDAMP"],
    `'substitutions': {'CCDAMP': {'G280_AMPS': ('ABCD','A','B','C','D','AC','AD','BC','BD')}},`,
    `Match({('G280_AMPS',): 'g.fits'})`,
  ],
  [["SUBARRAY"], "", `Match({'GENERIC': 'gen.fits', 'FULL': 'full.fits'})`],
  [["SUBARRAY"], "", `Match({'GENERIC': 'gen.fits', 'FULL': 'full.fits'})`],
  [["A"], `'merge_overlaps': False,`, `Match({'X': ${ua2000("a.fits")}, '*': ${ua2000("b.fits")}})`],
  [["A"], "", `Match({'X': ${ua2000("a.fits")}, '*': ${ua2000("b.fits")}})`],
  ...Array.from({ length: 6 }, (): [string[], string, string] => [
    [],
    "",
    UA({ "2004-07-02 08:09:00": "a.fits", "2004-07-02 08:09:00.5": "b.fits" }),
  ]),
];

/** Builds the selector the way an rmap does: parkey levels from the header, options from header fields. */
function build(parameters: string[], headerExtras: string, selectorText: string) {
  const levels = parameters.length > 0 ? `(${parameters.map((p) => `'${p}'`).join(", ")},), ` : "";
  const text = `header = {'parkey': (${levels}('DATE-OBS', 'TIME-OBS'),), ${headerExtras}}\nselector = ${selectorText}\n`;
  const parsed = parseMapping(text, "case.rmap");
  const substitutions = new Map<string, PyDict>();
  const defaults = new PyDict();
  defaults.set("GENERIC", "N/A");
  substitutions.set("SUBARRAY", defaults);
  const extra = parsed.header.get("substitutions");
  if (extra instanceof PyDict) for (const [k, v] of extra.entries) substitutions.set(pyStr(k), v as PyDict);
  const merge = parsed.header.get("merge_overlaps");
  const parkey = parsed.header.get("parkey") as PyTuple;
  return buildSelector(
    parsed.selector as PyCall,
    parkey.items,
    { substitutions, mergeOverlaps: merge !== false },
    "case.rmap",
  );
}

function outcome(choose: () => unknown): unknown {
  try {
    return choose();
  } catch (error) {
    return `EXCEPTION ${(error as Error).name}: ${(error as Error).message}`;
  }
}

test("the oracle has 31 selector cases and a condition_value table", () => {
  assert.equal(cases.length, 32);
  assert.equal(SELECTORS.length, 31);
});

for (const [i, c] of cases.slice(0, 31).entries()) {
  test(`selector_semantics #${i + 1}: ${c.desc}`, () => {
    const [parameters, extras, text] = SELECTORS[i];
    const selector = build(parameters, extras, text);
    assert.deepEqual(
      outcome(() => selector.choose(c.header!)),
      c.result,
    );
  });
}
