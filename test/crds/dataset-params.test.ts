// Dataset parameters from HDU header cards: union of HDUs, first value wins, astropy str() of each value.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import { datasetParameters, type HeaderCard, UNDEFINED_VALUE_TEXT } from "../../src/crds/dataset-params.js";
import { PYTHON } from "../helpers/paths.js";

test("values are formatted as Python's str() of the values astropy parses from the same cards", () => {
  const script = `
import json
from astropy.io import fits
h = fits.Header()
for k, v in [("B1", True), ("B0", False), ("I1", 2), ("I2", -5), ("I3", 12345678901234567890),
             ("F1", 1.5), ("F2", 1e16), ("F3", 1e-5), ("F4", 2.0), ("F5", 1e15), ("F6", -0.0), ("S1", "abc  "),
             ("S2", "  lead"), ("C1", complex(1, 2))]:
    h[k] = v
out = []
for card in fits.Header.fromstring(h.tostring()).cards:
    v = card.value
    kind = "bool" if isinstance(v, bool) else "int" if isinstance(v, int) else "float" if isinstance(v, float) \\
        else "complex" if isinstance(v, complex) else "string"
    js = str(v) if kind in ("int", "complex") else v
    out.append([card.keyword, kind, js, str(v)])
print(json.dumps(out))`;
  const run = spawnSync(PYTHON, ["-c", script], { encoding: "utf8" });
  assert.equal(run.status, 0, run.stderr);
  const rows: Array<[string, HeaderCard["kind"], string | number | boolean, string]> = JSON.parse(run.stdout);
  assert.equal(rows.length, 14);
  const cards: HeaderCard[] = rows.map(([keyword, kind, value]) => ({
    keyword,
    kind,
    value: kind === "int" ? BigInt(value as string) : value,
  }));
  const params = datasetParameters([cards]);
  for (const [keyword, , , text] of rows) assert.equal(params[keyword], text, keyword);
});

test("the union of HDUs keeps the first value; COMMENT and HISTORY are joined; blank keywords skipped", () => {
  const primary: HeaderCard[] = [
    { keyword: "INSTRUME", value: "ACS", kind: "string" },
    { keyword: "NAXIS", value: 0, kind: "int" },
    { keyword: "DATE-OBS", value: "2002-04-13", kind: "string" },
    { keyword: "HISTORY", value: "first", kind: "string" },
    { keyword: "", value: "blank", kind: "string" },
    { keyword: "undef", value: null, kind: "undefined" },
  ];
  const sci: HeaderCard[] = [
    { keyword: "NAXIS", value: 2, kind: "int" },
    { keyword: "NAXIS1", value: 1062, kind: "int" },
    { keyword: "DATE-OBS", value: "1999-01-01", kind: "string" },
    { keyword: "HISTORY", value: "second", kind: "string" },
    { keyword: "LTV1", value: 19, kind: "float" },
  ];
  assert.deepEqual(datasetParameters([primary, sci]), {
    INSTRUME: "ACS",
    NAXIS: "0",
    "DATE-OBS": "2002-04-13",
    HISTORY: "first\nsecond",
    UNDEF: UNDEFINED_VALUE_TEXT,
    NAXIS1: "1062",
    LTV1: "19.0",
  });
});
