import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { imageCards, PRIMARY_EMPTY, writeHandmade } from "../fits/handmade.js";
import { TSX } from "../helpers/cli.js";
import { REPO } from "../helpers/paths.js";

// Two full-frame ACS/WFC-sized files (two 4096×2048 float32 SCI chips each) that differ at every pixel,
// as an _flt and an _flc of the same exposure do.
const WIDTH = 4096;
const HEIGHT = 2048;
const PIXELS = WIDTH * HEIGHT;
const RSS_LIMIT_KB = 600 * 1024;

const dir = mkdtempSync(join(tmpdir(), "caldp-fits-diff-large-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function chips(path: string, value: number): string {
  const data = new Uint8Array(PIXELS * 4);
  new DataView(data.buffer).setFloat32(0, value);
  for (let i = 4; i < data.length; i *= 2) data.copyWithin(i, 0, Math.min(i, data.length - i));
  const sci = (ver: number) => ({
    cards: imageCards(
      -32,
      [WIDTH, HEIGHT],
      [
        ["EXTNAME", "'SCI     '"],
        ["EXTVER", String(ver)],
      ],
    ),
    data,
  });
  return writeHandmade(path, [{ cards: PRIMARY_EMPTY }, sci(1), sci(2)]);
}

const a = chips(join(dir, "a_flt.fits"), 1);
const b = chips(join(dir, "a_flc.fits"), 1.5);

/** `caldp fits diff` in a child under GNU time: its exit status, output and peak resident set size. */
function diffWithPeakRss(args: string[]): { status: number | null; stdout: string; stderr: string; rssKb: number } {
  const rssFile = join(dir, "rss.txt");
  const cli = join(REPO, "src", "cli", "caldp.ts");
  const result = spawnSync(
    "/usr/bin/time",
    ["-f", "%M", "-o", rssFile, process.execPath, "--import", TSX, cli, "fits", "diff", ...args],
    { encoding: "utf8", maxBuffer: 16 * 1024 * 1024, timeout: 60_000 },
  );
  const rssKb = Number(readFileSync(rssFile, "utf8").trim().split("\n").pop());
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, rssKb };
}

test("fits diff --exact -q on two full-frame images that differ everywhere: exit 1, bounded memory", () => {
  const run = diffWithPeakRss(["--exact", "-q", a, b]);
  assert.equal(run.status, 1, run.stderr);
  assert.equal(run.stdout, "");
  assert.ok(run.rssKb > 0 && run.rssKb < RSS_LIMIT_KB, `peak RSS ${run.rssKb} kB`);
});

test("fits diff --exact --json on them counts every pixel and keeps -n differences per HDU, in bounded memory", () => {
  const run = diffWithPeakRss(["--exact", "-n", "3", "--json", a, b]);
  assert.equal(run.status, 1, run.stderr);
  assert.ok(run.rssKb > 0 && run.rssKb < RSS_LIMIT_KB, `peak RSS ${run.rssKb} kB`);
  const result = JSON.parse(run.stdout);
  assert.deepEqual(
    result.hdus.map((h: { index: number }) => h.index),
    [1, 2],
  );
  for (const hdu of result.hdus) {
    assert.equal(hdu.data.total, PIXELS);
    assert.equal(hdu.data.ratio, 1);
    assert.deepEqual(hdu.data.first[0], { at: [1, 1], a: 1, b: 1.5 });
    assert.deepEqual(
      hdu.data.first.map((f: { at: number[] }) => f.at),
      [
        [1, 1],
        [2, 1],
        [3, 1],
      ],
    );
  }
});

test("fits diff -q on identical large files: exit 0, bounded memory", () => {
  const run = diffWithPeakRss(["-q", a, a]);
  assert.equal(run.status, 0, run.stderr);
  assert.ok(run.rssKb > 0 && run.rssKb < RSS_LIMIT_KB, `peak RSS ${run.rssKb} kB`);
});
