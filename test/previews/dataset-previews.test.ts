// The previews stage: §9 candidate, suffix and type rules; failures logged with their cause and exit 28.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import sharp from "sharp";
import { CaldpError } from "../../src/core/errors.js";
import { Logger } from "../../src/core/log.js";
import { runStage } from "../../src/pipeline/stage.js";
import { makeDatasetPreviews } from "../../src/previews/index.js";
import { HST_DATA } from "../helpers/paths.js";
import { scratchDir, writeCosX1d, writeProduct } from "./helpers.js";

function collectingLogger(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  return { log: new Logger(undefined, (line) => lines.push(line)), lines };
}

/** The stage as caldp-process runs it: failures come out as a CaldpError with the stage's exit code. */
async function previewStage(options: Parameters<typeof makeDatasetPreviews>[0]) {
  return runStage({ name: "previews", code: "CREATE_PREVIEWS_ERROR", log: options.log, env: {} }, () =>
    makeDatasetPreviews(options),
  );
}

test("ipst ACS: raw and flt previews in the output dir; other suffixes and other datasets left alone", async () => {
  const input = scratchDir("ipst-in");
  const output = join(scratchDir("ipst-out"), "previews");
  symlinkSync(join(HST_DATA, "j8bt05njq_raw.fits"), join(input, "j8bt05njq_raw.fits"));
  const flt = new Float32Array(64 * 64).map((_, i) => 50 + (i % 17));
  writeProduct(join(input, "j8bt05njq_flt.fits"), [{ data: flt, width: 64, height: 64 }]);
  writeProduct(join(input, "j8bt05njq_flt_hlet.fits"), [{ data: flt, width: 64, height: 64 }]);
  writeProduct(join(input, "j8bt05njq_spt.fits"), [{ data: flt, width: 64, height: 64 }]);
  writeProduct(join(input, "j9xx01abq_flt.fits"), [{ data: flt, width: 64, height: 64 }]);
  const { log, lines } = collectingLogger();
  const written = await previewStage({
    dataset: "j8bt05njq",
    inputDir: input,
    outputDir: output,
    instrument: "acs",
    log,
  });
  assert.deepEqual(readdirSync(output).sort(), [
    "j8bt05njq_flt.jpg",
    "j8bt05njq_flt_thumb.jpg",
    "j8bt05njq_raw.jpg",
    "j8bt05njq_raw_thumb.jpg",
  ]);
  assert.equal(written.length, 4);
  assert.ok(lines.some((l) => l.startsWith("INFO - previews completed")));
});

test("ipst COS: x1d gives PNG, thumbnail and _prev.fits", async () => {
  const input = scratchDir("cos-in");
  writeCosX1d(join(input, "la8q99ixq_x1d.fits"));
  const { log } = collectingLogger();
  await previewStage({ dataset: "la8q99030", inputDir: input, outputDir: input, instrument: "cos", log });
  for (const name of ["la8q99ixq_x1d.png", "la8q99ixq_x1d_thumb.png", "la8q99ixq_x1d_prev.fits"]) {
    assert.ok(existsSync(join(input, name)), name);
  }
});

for (const [what, content] of [
  ["an empty file", ""],
  ["a file that is not FITS", "this is not a FITS file at all"],
] as const) {
  test(`${what} is a clear error, no broken preview is left, and the stage exits 28`, async () => {
    const input = scratchDir("bad-in");
    const output = scratchDir("bad-out");
    writeFileSync(join(input, "j8bt07abq_flt.fits"), content);
    const good = new Float32Array(32 * 32).map((_, i) => 10 + (i % 5));
    writeProduct(join(input, "j8bt07abq_raw.fits"), [{ data: good, width: 32, height: 32 }]);
    const { log, lines } = collectingLogger();
    const failure = await previewStage({ dataset: "j8bt07abq", inputDir: input, outputDir: output, log }).catch(
      (e: unknown) => e,
    );
    assert.ok(failure instanceof CaldpError);
    assert.equal(failure.code, 28);
    assert.match(failure.message, /j8bt07abq_flt\.fits/);
    const cause = lines.find((l) => l.includes("j8bt07abq_flt.fits") && l.startsWith("ERROR - Preview"));
    assert.ok(cause, lines.join("\n"));
    assert.match(cause, /empty|ends inside a header/);
    assert.ok(lines.some((l) => l.includes("CREATE_PREVIEWS_ERROR[28]")));
    assert.deepEqual(
      readdirSync(output).sort(),
      ["j8bt07abq_raw.jpg", "j8bt07abq_raw_thumb.jpg"],
      "the good one is made",
    );
  });
}

test("a header-only product (SCI with NAXIS1 = 0) fails with a message that says so", async () => {
  const input = scratchDir("hdr-in");
  symlinkSync(join(HST_DATA, "sample_drc_header.fits"), join(input, "jbt122010_drc.fits"));
  const { log, lines } = collectingLogger();
  const failure = await previewStage({ dataset: "jbt122010", inputDir: input, outputDir: input, log }).catch((e) => e);
  assert.equal(failure.code, 28);
  assert.ok(lines.some((l) => /jbt122010_drc\.fits: no image HDU with two or more axes/.test(l)));
  assert.deepEqual(readdirSync(input), ["jbt122010_drc.fits"], "nothing half-written");
});

test("SVM: a colour composite (red = longest, blue = shortest, green = lower median) named as CALDP names it", async () => {
  const input = scratchDir("svm-in");
  const size = 48;
  for (const [filter, level] of [
    ["f435w", 10],
    ["f555w", 20],
    ["f814w", 40],
  ] as const) {
    const data = new Float32Array(size * size).map((_, i) => level + (i % 11));
    writeProduct(join(input, `hst_9774_01_acs_wfc_${filter}_j8ph01_drc.fits`), [{ data, width: size, height: size }]);
  }
  const { log } = collectingLogger();
  await previewStage({ dataset: "acs_8ph_01", inputDir: input, outputDir: input, log });
  const jpgs = readdirSync(input)
    .filter((n) => n.endsWith(".jpg"))
    .sort();
  assert.ok(jpgs.includes("hst_9774_01_acs_wfc_total_j8ph01_drc_color.jpg"), jpgs.join(" "));
  assert.ok(jpgs.includes("hst_9774_01_acs_wfc_total_j8ph01_drc_color_thumb.jpg"));
  assert.ok(jpgs.includes("hst_9774_01_acs_wfc_f814w_j8ph01_drc_thumb.jpg"));
  assert.equal(jpgs.length, 8);
  const colour = await sharp(readFileSync(join(input, "hst_9774_01_acs_wfc_total_j8ph01_drc_color.jpg"))).metadata();
  assert.equal(colour.channels, 3);
  const { data } = await sharp(readFileSync(join(input, "hst_9774_01_acs_wfc_total_j8ph01_drc_color.jpg")))
    .raw()
    .toBuffer({ resolveWithObject: true });
  let red = 0;
  let blue = 0;
  for (let i = 0; i < data.length; i += 3) {
    red += data[i];
    blue += data[i + 2];
  }
  assert.ok(red > 0 && blue > 0, "both ends of the colour scale carry signal");
});
