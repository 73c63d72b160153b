import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { test } from "node:test";
import { explain } from "../../src/core/exit-codes.js";
import { makeTarGz } from "../../src/io/tar.js";
import { simulateDataset } from "../../src/sim/index.js";
import { runCliAsync } from "../helpers/cli-async.js";
import { member, tarGz } from "../helpers/tar-archive.js";

test("a dataset tarball is extracted in a scratch folder and calibrated; the input folder is left as it was", async () => {
  const dir = mkdtempSync(join(tmpdir(), "caldp-tarball-"));
  const sim = simulateDataset({ dataset: "j8cb010b0", out: join(dir, "sim"), detector: "HRC", seed: 5 });
  const input = join(dir, "in");
  mkdirSync(input);
  const names = [sim.asn!, ...sim.exposures.map((e) => e.raw)].map((p) => basename(p));
  for (const name of names) renameSync(join(sim.out, name), join(dir, name));
  await makeTarGz(dir, names, join(input, "j8cb010b0.tar.gz"));
  const config = join(dir, "sim.cfg");
  writeFileSync(config, `CRDS_PATH=${sim.crds.root}\nCRDS_READONLY_CACHE=1\n`);
  const r = await runCliAsync("caldp-process", ["j8cb010b0", "file:in", "file:out", config], { cwd: dir });
  assert.equal(r.status, 0, r.stdout.slice(-2000));
  assert.deepEqual(readdirSync(input), ["j8cb010b0.tar.gz"]);
  const products = readdirSync(join(dir, "out", "j8cb010b0"));
  for (const name of [...names, "j8cb010b1_crj.fits"]) assert.ok(products.includes(name), `${name} in the output`);
  assert.deepEqual(readdirSync(join(dir, "out")), ["j8cb010b0"], "no scratch folder or lock left");
});

test("a tarball with a member outside the folder: INPUT_TAR_FILE_ERROR (21), nothing extracted, input kept", async () => {
  const dir = mkdtempSync(join(tmpdir(), "caldp-tarball-"));
  const input = join(dir, "in");
  mkdirSync(input);
  const tarball = tarGz(
    input,
    "j8cb010b0.tar.gz",
    member({ path: "j8cb01a1q_raw.fits" }, Buffer.from("SIMPLE  =                    T")),
    member({ path: "../escaped.txt" }, Buffer.from("outside")),
  );
  const before = readFileSync(tarball);
  const r = await runCliAsync("caldp-process", ["j8cb010b0", "file:in", "file:out", "caldp-config-offsite"], {
    cwd: dir,
    env: { CRDS_PATH: join(dir, "crds") },
  });
  assert.equal(r.status, 21, r.stdout.slice(-2000));
  assert.deepEqual(readdirSync(input), ["j8cb010b0.tar.gz"]);
  assert.ok(readFileSync(tarball).equals(before));
  assert.ok(!existsSync(join(dir, "escaped.txt")));
  const log = readFileSync(join(dir, "process.txt"), "utf8");
  assert.match(log, /\.\.\/escaped\.txt/);
  assert.ok(log.includes(explain(21)));
  assert.deepEqual(readdirSync(join(dir, "messages")), ["error-j8cb010b0"]);
});
