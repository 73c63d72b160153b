// condition_value against the oracle table, and pythonFloatRepr against the real Python interpreter.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { conditionHeader, conditionValue } from "../../src/crds/conditioning.js";
import { parsePythonLiteral } from "../../src/crds/parser.js";
import { pythonFloat, pythonFloatRepr, pythonStrRepr } from "../../src/crds/python-format.js";
import { CRDS_DATA, PYTHON } from "../helpers/paths.js";

const semantics = JSON.parse(readFileSync(join(CRDS_DATA, "oracles", "selector_semantics.json"), "utf8"));
const table: Record<string, string> = semantics[semantics.length - 1].condition_value;

test("condition_value matches every entry of the oracle table", () => {
  assert.equal(Object.keys(table).length, 35);
  for (const [pythonInput, expected] of Object.entries(table)) {
    const input = parsePythonLiteral(pythonInput, "oracle");
    assert.equal(conditionValue(input), expected, `condition_value(${pythonInput})`);
  }
});

test("condition_header upper-cases keys and conditions values", () => {
  assert.deepEqual(conditionHeader({ ccdgain: "2", Detector: " hrc ", flag: true }), {
    CCDGAIN: "2.0",
    DETECTOR: "HRC",
    FLAG: "T",
  });
});

/** Values whose repr exercises both notations, the thresholds, rounding and signs. */
function sampleFloats(): number[] {
  const values = [0, -0, 1, 2, 0.1 + 0.2, 1e15, 1e16, 1e-5, 1e-4, 0.0001, 1.2345678901234568e17, 1.5e16, 5e-324];
  values.push(Number.MAX_VALUE, 2 ** 53 + 2, 4294967295, -2147483648, 1062, 2068.5, 1 / 3, 2 / 3);
  let seed = 12345;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  for (let i = 0; i < 400; i++) {
    const exponent = Math.floor(random() * 50) - 25;
    const sign = random() < 0.3 ? -1 : 1;
    values.push(sign * random() * 10 ** exponent, sign * Math.round(random() * 1e6) * 10 ** exponent);
  }
  return values;
}

test("pythonFloatRepr equals Python's repr(float) for 800+ values", () => {
  const values = sampleFloats();
  const script = "import sys, json\nfor v in json.load(sys.stdin): print(repr(float.fromhex(v)))";
  const hex = values.map((v) => {
    if (Object.is(v, -0)) return "-0x0p+0";
    return `${v < 0 ? "-" : ""}${toHexFloat(Math.abs(v))}`;
  });
  const run = spawnSync(PYTHON, ["-c", script], { input: JSON.stringify(hex), encoding: "utf8" });
  assert.equal(run.status, 0, run.stderr);
  const expected = run.stdout.trim().split("\n");
  assert.equal(expected.length, values.length);
  for (const [i, v] of values.entries()) assert.equal(pythonFloatRepr(v), expected[i], `repr of ${v}`);
});

/** Exact hexadecimal form of a non-negative double (as float.hex() writes it, without the sign). */
function toHexFloat(v: number): string {
  const buffer = Buffer.alloc(8);
  buffer.writeDoubleBE(v);
  const bits = buffer.readBigUInt64BE();
  const exponent = Number((bits >> 52n) & 0x7ffn);
  const mantissa = (bits & ((1n << 52n) - 1n)).toString(16).padStart(13, "0");
  if (exponent === 0) return `0x0.${mantissa}p-1022`;
  return `0x1.${mantissa}p${exponent - 1023}`;
}

test("pythonFloat follows float(): underscores, specials, and Python's error text", () => {
  assert.equal(pythonFloat(" 1_000.5 "), 1000.5);
  assert.equal(pythonFloat("-Infinity"), Number.NEGATIVE_INFINITY);
  assert.ok(Number.isNaN(pythonFloat("nan")));
  assert.throws(() => pythonFloat("00QM"), { message: "could not convert string to float: '00QM'" });
  assert.equal(pythonStrRepr("Unknown numerical date format: '4.5'"), `"Unknown numerical date format: '4.5'"`);
});
