/**
 * caldp-process on a simulated STIS/CCD first-order long slit (o…, with its wavecal) with the native engine:
 * the previews are those CALDP makes for STIS (caldp-contract §9: only `_x1d`/`_sx1` are candidates, as spectra,
 * and `o…` images get no fitscut JPEG): the CR-SPLIT association gives the `_sx1` plot and its thumbnail, the
 * single exposure the `_x1d` ones; nothing for `_sx2`/`_x2d`, `_crj`, `_flt`, `_raw` or `_wav`.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { simulateDataset } from "../../../src/sim/index.js";
import { runCliAsync } from "../../helpers/cli-async.js";
import { decodeGrey } from "../../previews/helpers.js";

const dir = mkdtempSync(join(tmpdir(), "caldp-stis-longslit-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Simulates `dataset`, runs caldp-process on it and returns its product folder. */
async function processLongSlit(dataset: string, seed: number): Promise<string> {
  const sim = simulateDataset({ dataset, out: join(dir, `${dataset}-in`), spectroscopic: true, seed });
  const config = join(dir, `${dataset}.cfg`);
  writeFileSync(config, `CRDS_PATH=${sim.crds.root}\nCRDS_READONLY_CACHE=1\n`);
  const args = [dataset, `file:${dataset}-in`, `file:${dataset}-out`, config];
  const r = await runCliAsync("caldp-process", args, { cwd: dir });
  assert.equal(r.status, 0, r.stderr + r.stdout);
  return join(dir, `${dataset}-out`, dataset);
}

/** The plot has data drawn across its one panel (x 110…994, y 90…580); the thumbnail is 128 × 128, not blank. */
async function assertSpectrumPlots(png: string, thumb: string): Promise<void> {
  const full = await decodeGrey(readFileSync(png));
  assert.equal(full.width, 1024);
  const columns = new Set<number>();
  for (let y = 95; y < 575; y++) {
    for (let x = 115; x < 990; x++) if (full.grey[y * full.width + x]! < 160) columns.add(x);
  }
  assert.ok(columns.size > 800, `${png}: data drawn across the panel (${columns.size} columns)`);
  const small = await decodeGrey(readFileSync(thumb));
  assert.deepEqual([small.width, small.height], [128, 128]);
  assert.ok(
    small.grey.some((g) => g < 160),
    `${thumb} is not blank`,
  );
}

test("caldp-process on the STIS long-slit CR-SPLIT: sx2 and sx1, previews of the sx1 only (PNG and thumbnail)", async () => {
  const out = await processLongSlit("o8ab06010", 6);
  const products = readdirSync(out).filter((f) => f.endsWith(".fits"));
  for (const suffix of ["crj", "flt", "sx2", "sx1"]) assert.ok(products.includes(`o8ab06010_${suffix}.fits`), suffix);
  assert.ok(!products.includes("o8ab06010_x1d.fits"), "a CR-SPLIT is extracted from its crj only");
  const previews = readdirSync(join(out, "previews")).sort();
  assert.deepEqual(previews, ["o8ab06010_sx1.png", "o8ab06010_sx1_thumb.png"]);
  await assertSpectrumPlots(join(out, "previews", previews[0]!), join(out, "previews", previews[1]!));
  const trigger = readFileSync(join(dir, "messages", "processed-o8ab06010.trigger"), "utf8");
  assert.match(trigger, /o8ab06010\/previews\/o8ab06010_sx1\.png/);
});

test("caldp-process on a single STIS long-slit exposure: x2d and x1d, previews of the x1d only", async () => {
  const out = await processLongSlit("o8ab06a1q", 7);
  const products = readdirSync(out).filter((f) => f.endsWith(".fits"));
  for (const suffix of ["flt", "x2d", "x1d"]) assert.ok(products.includes(`o8ab06a1q_${suffix}.fits`), suffix);
  const previews = readdirSync(join(out, "previews")).sort();
  assert.deepEqual(previews, ["o8ab06a1q_x1d.png", "o8ab06a1q_x1d_thumb.png"]);
  await assertSpectrumPlots(join(out, "previews", previews[0]!), join(out, "previews", previews[1]!));
});
