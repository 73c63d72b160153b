import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { astropyDump } from "../helpers/astropy.js";
import { runCli } from "../helpers/cli.js";
import { HST_DATA } from "../helpers/paths.js";

const files = readdirSync(HST_DATA)
  .filter((f) => f.endsWith(".fits"))
  .map((f) => join(HST_DATA, f));

test("caldp fits info --json agrees with astropy on HDU count, names, versions, types and dimensions", () => {
  const result = runCli("caldp", ["fits", "info", "--json", ...files]);
  assert.equal(result.status, 0, result.stderr);
  const ours = JSON.parse(result.stdout) as {
    file: string;
    hdus: { name: string; ver: number; type: string; cards: number; dims: number[] }[];
  }[];
  const oracle = astropyDump(files);
  assert.equal(ours.length, files.length);
  for (const { file, hdus } of ours) {
    const expected = oracle[file];
    assert.equal(hdus.length, expected.length, file);
    hdus.forEach((h, i) => {
      const e = expected[i];
      const at = `${file} HDU ${i}`;
      assert.deepEqual([h.name, h.ver, h.type, h.cards], [e.name, e.ver, e.class, e.ncards], at);
      if (!h.type.includes("Table") && h.type !== "NonstandardExtHDU") assert.deepEqual(h.dims, e.dims, at);
    });
  }
});

test("caldp fits info prints the fitsinfo table", () => {
  const raw = join(HST_DATA, "j8bt05njq_raw.fits");
  const result = runCli("caldp", ["fits", "info", raw]);
  assert.equal(result.status, 0);
  const lines = result.stdout.trim().split("\n");
  assert.equal(lines[0], `Filename: ${raw}`);
  assert.match(lines[3], /^\s+1\s+SCI\s+1 ImageHDU\s+84\s+\(1062, 1044\)\s+int16 \(rescales to uint16\)$/);
  assert.match(lines[4], /ERR .*constant 0 over \(1062, 1044\)/);
});

test("caldp fits header prints the cards of the HDU asked for, by index or by name and version", () => {
  const file = join(HST_DATA, "ocmv0lw6q_raw.fits");
  const byName = runCli("caldp", [
    "fits",
    "header",
    file,
    "--ext",
    "SCI,3",
    "-k",
    "EXTNAME",
    "-k",
    "EXTVER",
    "-k",
    "NAXIS1",
  ]);
  assert.equal(byName.status, 0, byName.stderr);
  const lines = byName.stdout.trim().split("\n");
  assert.equal(lines[0], `# HDU ('SCI', 3) in ${file}:`);
  assert.deepEqual(
    lines.slice(1).map((l) => l.slice(0, 8).trim()),
    ["EXTNAME", "EXTVER", "NAXIS1"],
  );
  assert.match(lines[3], /=\s+30 /);
  const byIndex = runCli("caldp", ["fits", "header", file, "--ext", "7"]);
  const raw = readFileSync(file, "latin1");
  const firstCard = byIndex.stdout.split("\n")[1];
  assert.equal(firstCard, "XTENSION= 'IMAGE   '           / extension type".padEnd(80));
  assert.ok(raw.includes(firstCard));
  const missing = runCli("caldp", ["fits", "header", file, "--ext", "NOPE"]);
  assert.equal(missing.status, 1);
  assert.equal(missing.stderr, `WARNING: ${file}: Extension NOPE not found.\n`);
});

test("caldp fits verify: exit 0 for clean files, 1 and one line per problem otherwise", () => {
  const clean = runCli("caldp", [
    "fits",
    "verify",
    join(HST_DATA, "j8bt05njq_raw.fits"),
    join(HST_DATA, "j4d1435jj_bpx.fits"),
  ]);
  assert.equal(clean.status, 0, clean.stdout);
  assert.equal(clean.stdout.trim().split("\n").length, 3);
  const dir = mkdtempSync(join(tmpdir(), "caldp-cli-"));
  const cut = join(dir, "cut_raw.fits");
  writeFileSync(cut, readFileSync(join(HST_DATA, "j8bt05njq_raw.fits")).subarray(0, 100_000));
  const bad = runCli("caldp", ["fits", "verify", cut]);
  assert.equal(bad.status, 1);
  assert.match(bad.stdout, /^ERROR TRUNCATED: .*cut_raw.fits: HDU 1: data needs 2217456 bytes/m);
});

test("a file that does not exist: one line naming it, exit 1", () => {
  const result = runCli("caldp", ["fits", "info", "/nonexistent/x.fits"]);
  assert.equal(result.status, 1);
  assert.equal(result.stderr.trim().split("\n").length, 1);
  assert.match(result.stderr, /\/nonexistent\/x.fits: cannot open/);
});

test("caldp fits info: every file is reported, a bad one (missing, a folder, cut short) is one line naming it, exit 1 at the end", () => {
  const dir = mkdtempSync(join(tmpdir(), "caldp-cli-info-"));
  const cut = join(dir, "cut_raw.fits");
  writeFileSync(cut, readFileSync(join(HST_DATA, "j8bt05njq_raw.fits")).subarray(0, 1000));
  const good = [join(HST_DATA, "j8bt05njq_raw.fits"), join(HST_DATA, "j4d1435jj_bpx.fits")];
  const args = ["/nonexistent/x.fits", good[0], dir, cut, good[1]];
  const result = runCli("caldp", ["fits", "info", ...args]);
  assert.equal(result.status, 1);
  assert.deepEqual(
    result.stdout.split("\n").filter((l) => l.startsWith("Filename: ")),
    good.map((f) => `Filename: ${f}`),
  );
  const errors = result.stderr.trim().split("\n");
  assert.equal(errors.length, 3, result.stderr);
  assert.match(errors[0], /^caldp: \/nonexistent\/x.fits: cannot open: ENOENT/);
  assert.equal(errors[1], `caldp: ${dir}: cannot read: it is a directory, not a regular file`);
  assert.ok(errors[2].startsWith(`caldp: ${cut}: `), errors[2]);
  const json = runCli("caldp", ["fits", "info", "--json", ...args]);
  assert.equal(json.status, 1);
  const all = JSON.parse(json.stdout) as { file: string; error?: string; hdus?: unknown[] }[];
  assert.deepEqual(
    all.map((x) => [x.file, x.error === undefined ? x.hdus?.length : "error"]),
    [
      [args[0], "error"],
      [good[0], 4],
      [dir, "error"],
      [cut, "error"],
      [good[1], 2],
    ],
  );
});
