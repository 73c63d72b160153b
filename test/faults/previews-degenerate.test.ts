// Issue 13, case 6 (previews): images fitscut's stretch cannot show as they are get a clear outcome, never a
// silent all-white or all-black JPEG: all blank → no preview and a message; constant → a uniform preview and
// a note; all DQ-flagged → a preview scaled on the flagged pixels and a note.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import sharp from "sharp";
import { Logger } from "../../src/core/log.js";
import { runStage } from "../../src/pipeline/stage.js";
import { makeDatasetPreviews, PreviewSkipped, readPicture, writeColourPreviews } from "../../src/previews/index.js";
import { runCli } from "../helpers/cli.js";
import { decodeGrey, scratchDir, writeProduct } from "../previews/helpers.js";

const W = 64;
const H = 48;
const ramp = () => Float32Array.from({ length: W * H }, (_, i) => 10 + (i % W) + Math.floor(i / W));

function product(dir: string, name: string, data: Float32Array, dq?: Int16Array): string {
  const path = join(dir, `${name}.fits`);
  writeProduct(path, [{ data, width: W, height: H, dq }]);
  return path;
}

async function greyOf(path: string) {
  const { grey } = await decodeGrey(readFileSync(path));
  return { min: Math.min(...grey), max: Math.max(...grey) };
}

test("caldp previews: all blank is skipped with a message, constant and all-flagged are noted, others unaffected", async () => {
  const dir = scratchDir("degenerate");
  const out = join(dir, "out");
  const files = {
    nan: product(dir, "allnan", new Float32Array(W * H).fill(Number.NaN)),
    zero: product(dir, "allzero", new Float32Array(W * H)),
    constant: product(dir, "constant", new Float32Array(W * H).fill(5)),
    flagged: product(dir, "flagged", ramp(), new Int16Array(W * H).fill(4)),
    normal: product(dir, "normal", ramp()),
  };
  const r = runCli("caldp", ["previews", "--out", out, ...Object.values(files)]);
  assert.equal(r.status, 0, r.stderr);
  const blank = "no preview: every pixel is blank (NaN, ±Inf, the BADPIX value or 0.0, or outside GOODMIN…GOODMAX)";
  const lines = r.stderr.trim().split("\n");
  assert.deepEqual(lines, [
    `caldp previews: ${files.nan}: ${blank}`,
    `caldp previews: ${files.zero}: ${blank}`,
    `caldp previews: ${files.constant}: every pixel that counts is 5: a uniform (black) preview`,
    `caldp previews: ${files.flagged}: every non-blank pixel is DQ-flagged: the scale is taken from the flagged pixels`,
  ]);
  // nothing for the blank ones (and no temporary file left), both sizes for the others
  assert.deepEqual(readdirSync(out).sort(), [
    "constant.jpg",
    "constant_thumb.jpg",
    "flagged.jpg",
    "flagged_thumb.jpg",
    "normal.jpg",
    "normal_thumb.jpg",
  ]);
  assert.deepEqual(await greyOf(join(out, "constant.jpg")), { min: 0, max: 0 });
  const flagged = await greyOf(join(out, "flagged.jpg"));
  assert.ok(flagged.max - flagged.min > 50, `flagged picture spans ${flagged.min}…${flagged.max}`);
  const normal = await greyOf(join(out, "normal.jpg"));
  assert.ok(normal.max - normal.min > 50, `normal picture spans ${normal.min}…${normal.max}`);
});

test("previews stage: an all-blank product is a warning, not a stage failure; the others are made", async () => {
  const input = scratchDir("degenerate-stage-in");
  const output = join(scratchDir("degenerate-stage-out"), "previews");
  product(input, "j8dn01a1q_flt", new Float32Array(W * H).fill(Number.NaN));
  product(input, "j8dn01a1q_raw", ramp());
  const lines: string[] = [];
  const log = new Logger(undefined, (line) => lines.push(line));
  const written = await runStage({ name: "previews", code: "CREATE_PREVIEWS_ERROR", log, env: {} }, () =>
    makeDatasetPreviews({ dataset: "j8dn01a1q", inputDir: input, outputDir: output, instrument: "acs", log }),
  );
  assert.deepEqual(readdirSync(output).sort(), ["j8dn01a1q_raw.jpg", "j8dn01a1q_raw_thumb.jpg"]);
  assert.equal(written.length, 2);
  assert.ok(
    lines.includes(
      "WARNING - Preview (imaging) not generated for j8dn01a1q_flt.fits: no preview: every pixel is blank " +
        "(NaN, ±Inf, the BADPIX value or 0.0, or outside GOODMIN…GOODMAX)",
    ),
    lines.join("\n"),
  );
  assert.ok(!lines.some((l) => l.startsWith("ERROR")), lines.join("\n"));
  assert.ok(lines.some((l) => l.startsWith("INFO - previews completed")));
});

test("colour composite: all channels blank is skipped; one blank channel among others still gives a composite", async () => {
  const dir = scratchDir("degenerate-colour");
  const nan = () => new Float32Array(W * H).fill(Number.NaN);
  const red = product(dir, "red", nan());
  const blue = product(dir, "blue", nan());
  const targets = [{ path: join(dir, "c.jpg"), size: -1 }];
  await assert.rejects(writeColourPreviews({ red, blue }, targets), (e: unknown) => {
    assert.ok(e instanceof PreviewSkipped);
    assert.equal(e.message, "no colour preview: every pixel of every filter's image is blank");
    return true;
  });
  const [made] = await writeColourPreviews({ red, blue: product(dir, "blue-ok", ramp()) }, targets);
  const { data } = await sharp(made.jpeg).raw().toBuffer({ resolveWithObject: true });
  const blues = data.filter((_, i) => i % 3 === 2);
  assert.ok(Math.max(...blues) - Math.min(...blues) > 50, "the blue channel shows the ramp");
});

test("two-chip mosaic: a GOODMIN…GOODMAX range that blanks most pixels is ignored with a note; one that fits is applied", () => {
  const dir = scratchDir("degenerate-range");
  // the pixels are 10…121; a range of −1…5 describes another scaling of them, −1…100 this one
  const chips = (goodmax: number) =>
    [2, 1].map((ccdchip) => ({
      data: ramp(),
      width: W,
      height: H,
      ccdchip,
      header: { GOODMIN: -1, GOODMAX: goodmax },
    }));
  const stale = join(dir, "stale.fits");
  writeProduct(stale, chips(5));
  const fits = join(dir, "fits.fits");
  writeProduct(fits, chips(100));
  const a = readPicture(stale);
  assert.equal(a.chips, 2);
  assert.equal(a.plane.data.filter(Number.isNaN).length, 0);
  assert.deepEqual(a.notes, [
    `GOODMIN…GOODMAX (-1…5) would blank ${W * H} of the ${W * H} pixels of SCI,1: ignored, the keywords do not describe this array`,
    `GOODMIN…GOODMAX (-1…5) would blank ${W * H} of the ${W * H} pixels of SCI,2: ignored, the keywords do not describe this array`,
  ]);
  const b = readPicture(fits);
  const above = ramp().filter((x) => x > 100).length;
  assert.equal(b.plane.data.filter(Number.isNaN).length, 2 * above, "pixels above GOODMAX are blank, as in fitscut");
  assert.deepEqual(b.notes, []);
  assert.deepEqual(b.plane.range, { min: 10, max: 100 });
});
