// caldp-process with remote inputs and outputs: an s3:// tarball in, s3:// outputs (Ceph RGW on 127.0.0.1),
// and astroquery: inputs from a MAST stand-in on 127.0.0.1.
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { after, test } from "node:test";
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import { makeTarGz } from "../../src/io/tar.js";
import { simulateDataset } from "../../src/sim/index.js";
import { runCliAsync } from "../helpers/cli-async.js";
import { startMastServer } from "../helpers/mast-server.js";
import { useCeph } from "../io/s3-env.js";

const s3 = useCeph(["caldp-in", "caldp-out"]);

function simulated(dataset: string) {
  const dir = mkdtempSync(join(tmpdir(), "caldp-remote-"));
  const sim = simulateDataset({ dataset, out: join(dir, "sim"), detector: "HRC", seed: 8 });
  const config = join(dir, "sim.cfg");
  writeFileSync(config, `CRDS_PATH=${sim.crds.root}\nCRDS_READONLY_CACHE=1\n`);
  return { dir, sim, config };
}

async function objectText(bucket: string, key: string): Promise<string> {
  const got = await s3().raw.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return got.Body!.transformToString();
}

test("s3:// in and out: the tarball comes from the bucket, products, logs and messages go to CALCLOUD's keys", async () => {
  const { dir, sim, config } = simulated("j8cb01a1q");
  const raw = sim.exposures[0].raw;
  const tarball = await makeTarGz(sim.out, [basename(raw)], join(dir, "j8cb01a1q.tar.gz"));
  await s3().raw.send(
    new PutObjectCommand({ Bucket: "caldp-in", Key: "batch-7/j8cb01a1q.tar.gz", Body: readFileSync(tarball) }),
  );
  const r = await runCliAsync("caldp-process", ["j8cb01a1q", "s3://caldp-in/batch-7", "s3://caldp-out", config], {
    cwd: dir,
  });
  assert.equal(r.status, 0, r.stdout.slice(-3000) + r.stderr);
  const listed = await s3().raw.send(new ListObjectsV2Command({ Bucket: "caldp-out" }));
  const keys = (listed.Contents ?? []).map((o) => o.Key).sort();
  assert.deepEqual(keys, [
    "messages/processed-j8cb01a1q.trigger",
    "outputs/j8cb01a1q/j8cb01a1q.tar.gz",
    "outputs/j8cb01a1q/preview.txt",
    "outputs/j8cb01a1q/preview_metrics.txt",
    "outputs/j8cb01a1q/process.txt",
    "outputs/j8cb01a1q/process_metrics.txt",
  ]);
  assert.equal(
    await objectText("caldp-out", "messages/processed-j8cb01a1q.trigger"),
    "s3://caldp-out/outputs/j8cb01a1q/j8cb01a1q.tar.gz",
  );
  assert.deepEqual(readdirSync(join(dir, "messages")), ["processed-j8cb01a1q.trigger"]);
});

test("astroquery: inputs are downloaded from MAST and calibrated; an unknown dataset is ASTROQUERY_ERROR (22)", async () => {
  const { dir, sim, config } = simulated("j8cb01a2q");
  const mast = await startMastServer([
    {
      obsId: "j8cb01a2q",
      instrument: "ACS/HRC",
      products: [{ filename: "j8cb01a2q_raw.fits", subgroup: "RAW", source: sim.exposures[0].raw }],
    },
  ]);
  after(() => mast.stop());
  const env = { CALDP_MAST_URL: mast.baseUrl };
  const ok = await runCliAsync("caldp-process", ["j8cb01a2q", "astroquery:", "file:out", config], { cwd: dir, env });
  assert.equal(ok.status, 0, ok.stdout.slice(-3000));
  assert.ok(readdirSync(join(dir, "out", "j8cb01a2q")).includes("j8cb01a2q_flt.fits"));
  // the downloads went into the run's scratch folder, removed at the end
  assert.deepEqual(readdirSync(join(dir, "out")), ["j8cb01a2q"]);
  const missing = await runCliAsync("caldp-process", ["j8cb01a9q", "astroquery:", "file:out", config], {
    cwd: dir,
    env,
  });
  assert.equal(missing.status, 22, missing.stdout.slice(-2000));
  assert.match(readFileSync(join(dir, "process.txt"), "utf8"), /j8cb01a9q/);
});

test("file: in, s3:// out, and s3:// in, file: out, complete the input/output combinations", async () => {
  const { dir, sim, config } = simulated("j8cb01a5q");
  const raw = sim.exposures[0].raw;
  const toS3 = await runCliAsync(
    "caldp-process",
    ["j8cb01a5q", `file:${sim.out}`, "s3://caldp-out/ignored-prefix", config],
    {
      cwd: dir,
    },
  );
  assert.equal(toS3.status, 0, toS3.stdout.slice(-2000));
  assert.equal(
    await objectText("caldp-out", "messages/processed-j8cb01a5q.trigger"),
    "s3://caldp-out/outputs/j8cb01a5q/j8cb01a5q.tar.gz",
  );
  const tarball = await makeTarGz(sim.out, [basename(raw)], join(dir, "j8cb01a5q.tar.gz"));
  await s3().raw.send(
    new PutObjectCommand({ Bucket: "caldp-in", Key: "j8cb01a5q.tar.gz", Body: readFileSync(tarball) }),
  );
  const fromS3 = await runCliAsync("caldp-process", ["j8cb01a5q", "s3://caldp-in", "file:local-out", config], {
    cwd: dir,
  });
  assert.equal(fromS3.status, 0, fromS3.stdout.slice(-2000));
  assert.ok(readdirSync(join(dir, "local-out", "j8cb01a5q")).includes("j8cb01a5q_flt.fits"));
  assert.deepEqual(readdirSync(join(dir, "local-out")), ["j8cb01a5q"], "scratch folder and lock removed");
});
