/**
 * caldp-process end to end on a CTE dataset with the native stage 2 (issue 16): a simulated ACS/WFC WFC2C-512
 * CR-SPLIT ×2 with PCTECORR and DRIZCORR = PERFORM gives _flt/_flc, _crj/_crc, and the association's _drz (from
 * the flt) and _drc (from the flc), each previewed and listed in the message. The drc must be built from the flc
 * pixels: it equals `caldp drizzle` of the returned flc files, the drz that of the flt files, and the two differ.
 * A subarray keeps it to seconds of CPU.
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { FitsFile, rewriteHeaders } from "../../src/fits/index.js";
import { simulateDataset } from "../../src/sim/index.js";
import { runCliAsync } from "../helpers/cli-async.js";

const DS = "j8cb0b0b0";
const dir = mkdtempSync(join(tmpdir(), "caldp-process-cte-drizzle-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function image(path: string, extname: string): Float32Array {
  const file = FitsFile.open(path);
  try {
    return Float32Array.from(file.readImage(extname).data as ArrayLike<number>);
  } finally {
    file.close();
  }
}

test("caldp-process drizzles the _flc of a CTE association into _drc, beside the _drz of the _flt", async () => {
  const sim = simulateDataset({
    dataset: DS,
    detector: "WFC",
    exposures: 2,
    seed: 33,
    cte: true,
    subarray: "WFC2C-512",
    dateObs: "2012-03-04T05:06:07Z",
    out: join(dir, "in"),
  });
  for (const e of sim.exposures) rewriteHeaders(e.raw, (h, hdu) => hdu.index === 0 && h.set("DRIZCORR", "PERFORM"));
  const config = join(dir, "sim.cfg");
  writeFileSync(config, `CRDS_PATH=${sim.crds.root}\nCRDS_READONLY_CACHE=1\n`);
  const r = await runCliAsync("caldp-process", [DS, "file:in", "file:out", config], { cwd: dir });
  assert.equal(r.status, 0, r.stdout.slice(-3000) + r.stderr);

  const out = join(dir, "out", DS);
  const members = sim.exposures.map((e) => e.rootname);
  const message = readFileSync(join(dir, "messages", `processed-${DS}.trigger`), "utf8").split("\n");
  for (const name of [`${DS}_drz.fits`, `${DS}_drc.fits`, ...members.map((m) => `${m}_flc.fits`)]) {
    assert.ok(existsSync(join(out, name)), name);
    assert.ok(message.includes(`${DS}/${name}`), `the message lists ${name}`);
  }
  for (const preview of [`${DS}_drc.jpg`, `${DS}_drc_thumb.jpg`, `${DS}_drz.jpg`]) {
    assert.ok(existsSync(join(out, "previews", preview)), preview);
    assert.ok(message.includes(`${DS}/previews/${preview}`), `the message lists ${preview}`);
  }
  const log = readFileSync(join(dir, "process.txt"), "utf8");
  assert.match(log, new RegExp(`native drizzle\\): \\S*${DS}_drc\\.fits from 2 chip`));

  // The same drizzle run by hand on the returned flc and flt files.
  const mine = join(dir, "mine");
  mkdirSync(mine);
  for (const [kind, name] of [
    ["flc", "drc"],
    ["flt", "drz"],
  ] as const) {
    const inputs = members.map((m) => join(out, `${m}_${kind}.fits`));
    const d = await runCliAsync("caldp", ["drizzle", "--output", join(mine, `hand_${name}.fits`), ...inputs], {
      cwd: dir,
    });
    assert.equal(d.status, 0, d.stderr);
    for (const extname of ["SCI", "WHT", "CTX"]) {
      const pipeline = image(join(out, `${DS}_${name}.fits`), extname);
      assert.deepEqual(image(join(mine, `hand_${name}.fits`), extname), pipeline, `${name} ${extname}`);
    }
  }

  // …and they differ, by the CTE correction (and the DRKCFILE in place of the DARKFILE) of the flc.
  const drc = image(join(out, `${DS}_drc.fits`), "SCI");
  const drz = image(join(out, `${DS}_drz.fits`), "SCI");
  const changed = drc.filter((v, k) => v !== drz[k]).length;
  assert.ok(changed > drc.length / 10, `${changed} of ${drc.length} drc pixels differ from the drz`);
});
