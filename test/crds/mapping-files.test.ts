// Parsing and checksums of real mapping files, the deliberately broken fixtures, and corrupted copies.
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { mappingChecksum } from "../../src/crds/checksum.js";
import { ChecksumError, MappingFormatError, MappingSyntaxError, MissingHeaderKeyError } from "../../src/crds/errors.js";
import { InstrumentContext, PipelineContext } from "../../src/crds/index.js";
import { loadMapping, MappingLoader } from "../../src/crds/loader.js";
import { parseMapping } from "../../src/crds/parser.js";
import { PyCall, PyDict, PyNumber, PyTuple } from "../../src/crds/python-values.js";
import { CRDS_DATA } from "../helpers/paths.js";

const HST = join(CRDS_DATA, "mappings", "hst");
const FIXTURES = join(CRDS_DATA, "crds-test-data");
const scratch = mkdtempSync(join(tmpdir(), "caldp-crds-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

test("the hst_0729 closure loads completely: 7 imaps and 129 rmaps, every checksum valid", () => {
  const pmap = loadMapping(join(HST, "hst_0729.pmap"));
  assert.ok(pmap instanceof PipelineContext);
  const imaps = pmap.imaps();
  const rmaps = imaps.flatMap((imap) => imap.rmaps());
  assert.equal(imaps.length, 7);
  assert.equal(new Set(rmaps.map((r) => r.name)).size, 129);
  const files = readdirSync(HST);
  assert.equal(files.length, 137);
  assert.deepEqual(new Set(files), new Set([pmap.name, ...imaps.map((i) => i.name), ...rmaps.map((r) => r.name)]));
});

test("every mapping's embedded sha1sum equals the checksum of its text", () => {
  for (const dir of [HST, join(CRDS_DATA, "tobs")]) {
    for (const file of readdirSync(dir)) {
      const text = readFileSync(join(dir, file), "utf8");
      const recorded = /'sha1sum' : '([0-9a-f]+)'/.exec(text)?.[1];
      assert.equal(mappingChecksum(text), recorded, file);
    }
  }
});

test("a corrupted copy of a mapping is refused with ChecksumError unless the checksum is ignored", () => {
  const original = readFileSync(join(HST, "hst_cos_deadtab_0250.rmap"), "utf8");
  const corrupted = join(scratch, "hst_cos_deadtab_0250.rmap");
  writeFileSync(corrupted, original.replace("s7g1700gl_dead.fits", "s7g1700gx_dead.fits"));
  assert.throws(() => loadMapping(corrupted), {
    name: "ChecksumError",
    message: "sha1sum mismatch in 'hst_cos_deadtab_0250.rmap'",
  });
  const loaded = loadMapping(corrupted, { ignoreChecksum: true });
  assert.deepEqual(loaded.kind, "reference");
});

test("a wrong sha1sum value and a missing one give the client's messages", () => {
  assert.throws(
    () => loadMapping(join(FIXTURES, "hst-bad-xsum.rmap")),
    (error: Error) => {
      return error instanceof ChecksumError && error.message === "sha1sum mismatch in 'hst-bad-xsum.rmap'";
    },
  );
  assert.throws(() => loadMapping(join(FIXTURES, "hst-missing-xsum.rmap")), {
    message: "sha1sum is missing in 'hst-missing-xsum.rmap'",
  });
  const reordered = join(scratch, "hst_acs_0421.imap");
  const text = readFileSync(join(HST, "hst_acs_0421.imap"), "utf8");
  writeFileSync(reordered, text.replace("03749c26343894a5e62095d285bfd7fe93ff98f8", "0".repeat(40)));
  assert.throws(() => new MappingLoader({ locateMapping: (name) => join(HST, name) }).load(reordered), {
    message: "sha1sum mismatch in 'hst_acs_0421.imap'",
  });
});

test("the deliberately invalid fixtures give their documented errors", () => {
  const load = (name: string) => () => new MappingLoader({ mappingDir: FIXTURES }).load(join(FIXTURES, name));
  assert.throws(load("hst_acs_darkfile_missing_key.rmap"), (e: Error) => {
    return e instanceof MissingHeaderKeyError && e.message.endsWith("Required header key 'mapping' is missing.");
  });
  assert.throws(load("hst_missing_parkey.rmap"), {
    message: "hst_missing_parkey.rmap: Required header key 'parkey' is missing.",
  });
  assert.throws(load("hst_acs_darkfile_badexpr.rmap"), (e: Error) => {
    return (
      e instanceof MappingFormatError &&
      e.message.includes("invalid parkey_relevance expression '(DETECTOR x= \"SBC\")'")
    );
  });
  assert.throws(load("hst_cos_dup.rmap"), { name: "ChecksumError" });
  assert.throws(load("hst_cos_tdstab_duplicate.rmap"), {
    message: "sha1sum mismatch in 'hst_cos_tdstab_duplicate.rmap'",
  });
});

test("duplicate dict keys keep the last value (Python semantics) and are reported with positions", () => {
  const parsed = parseMapping(readFileSync(join(FIXTURES, "hst_cos_dup.rmap"), "utf8"), "hst_cos_dup.rmap");
  const match = parsed.selector as PyCall;
  const fuv = match.argument.get(new PyTuple(["FUV"])) as PyCall;
  assert.deepEqual(fuv.argument.entries, [["1996-10-01 00:00:00", "s7g1700gl_dead_dup2.fits"]]);
  assert.deepEqual(
    fuv.argument.duplicates.map((d) => [d.key, d.first.line, d.again.line]),
    [["1996-10-01 00:00:00", 19, 20]],
  );
  const tds = parseMapping(readFileSync(join(FIXTURES, "hst_cos_tdstab_duplicate.rmap"), "utf8"), "x.rmap");
  assert.equal((tds.selector as PyCall).argument.duplicates.length, 1);
});

test("the parser reads every literal form: quotes, escapes, comments, numbers, tuples and trailing commas", () => {
  const text = [
    "# leading comment",
    "header = {",
    "    'a' : \"double\", 'b' : '''tri'ple''', 'c' : r'raw\\n', 'd' : 'esc\\t\\x41\\u00e9\\101',",
    "    'e' : ('one',), 'f' : (), 'g' : [1, -2.5e3, 0x10, 1_000, True, False, None,],",
    "    'h' : 'adjacent' \"strings\", 'i' : '# not a comment', 'j' : '''multi",
    "line''',  # trailing comment",
    "}",
    "selector = Match({('X', 1062): UseAfter({'2000-01-01 00:00:00' : 'x.fits',}),})",
  ].join("\n");
  const { header, selector } = parseMapping(text, "forms.rmap");
  assert.equal(header.get("a"), "double");
  assert.equal(header.get("b"), "tri'ple");
  assert.equal(header.get("c"), "raw\\n");
  assert.equal(header.get("d"), "esc\tAéA");
  assert.deepEqual((header.get("e") as PyTuple).items, ["one"]);
  assert.deepEqual((header.get("f") as PyTuple).items, []);
  const list = (header.get("g") as { items: unknown[] }).items;
  assert.deepEqual(
    list.map((v) => (v instanceof PyNumber ? [v.value, v.isInt] : v)),
    [[1, true], [-2500, false], [16, true], [1000, true], true, false, null],
  );
  assert.equal(header.get("h"), "adjacentstrings");
  assert.equal(header.get("i"), "# not a comment");
  assert.equal(header.get("j"), "multi\nline");
  assert.ok(selector instanceof PyCall && selector.name === "Match");
  assert.ok(selector.argument instanceof PyDict);
});

test("syntax errors name the file, line and column", () => {
  const cases: Array<[string, number, number, RegExp]> = [
    ["header = {\n  'a' : 'b'\n  'c' : 'd',\n}\nselector = {}\n", 3, 7, /expected ',', found ':'/],
    ["header = {}\nselector = Lambda({})\n", 2, 12, /name 'Lambda' is not allowed/],
    ["header = {}\nimport os\n", 2, 1, /only assignments/],
    ["header = {'a': 'unterminated}\n", 1, 16, /unterminated string/],
    ["header = {'a': 007}\n", 1, 16, /leading zeros/],
    ["header = {}\nselector = Match(['x'])\n", 2, 18, /takes one dict argument/],
  ];
  for (const [text, line, column, detail] of cases) {
    assert.throws(
      () => parseMapping(text, "bad.rmap"),
      (e: Error) =>
        e instanceof MappingSyntaxError &&
        e.line === line &&
        e.column === column &&
        detail.test(e.detail) &&
        e.message.startsWith(`bad.rmap:${line}:${column}: `),
      JSON.stringify(text),
    );
  }
});

test("an imap with N/A and OMIT types and a path-valued rmap loads, with specials kept as values", () => {
  const imap = new MappingLoader({ mappingDir: FIXTURES }).load(join(FIXTURES, "hst_acs_9999.imap"));
  assert.ok(imap instanceof InstrumentContext);
  assert.equal(imap.selections.get("crrejtab"), "N/A");
  assert.equal(imap.selections.get("mlintab"), "OMIT");
  assert.equal((imap.selections.get("darkfile") as { name: string }).name, "hst_acs_darkfile_na_omit.rmap");
});
