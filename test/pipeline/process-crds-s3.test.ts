// caldp-config-aws style CRDS: references come from an S3 mirror (CRDS_REFERENCE_URI=s3://…) into the cache,
// checked against the cached server info's download metadata; a reference missing from the mirror is 27.
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { simulateDataset } from "../../src/sim/index.js";
import { runCliAsync } from "../helpers/cli-async.js";
import { useCeph } from "../io/s3-env.js";

const s3 = useCeph(["crds-mirror"]);

/** A simulated dataset whose references are only in the bucket (each seed names its references differently). */
async function setup(dataset: string, seed: number, skip = "") {
  const dir = mkdtempSync(join(tmpdir(), "caldp-crds-s3-"));
  const sim = simulateDataset({ dataset, out: join(dir, "in"), detector: "HRC", seed });
  const refs = join(sim.crds.root, "references", "hst");
  for (const name of readdirSync(refs)) {
    if (!name.endsWith(skip) || skip === "") {
      await s3().raw.send(
        new PutObjectCommand({
          Bucket: "crds-mirror",
          Key: `references/hst/${name}`,
          Body: readFileSync(join(refs, name)),
        }),
      );
    }
    rmSync(join(refs, name));
  }
  writeFileSync(join(sim.crds.root, "config", "hst", "ref_cache_subdir_mode"), "instrument");
  const config = join(dir, "aws.cfg");
  const lines = [
    `CRDS_PATH=${sim.crds.root}`,
    "CRDS_SERVER_URL=https://hst-crds-serverless.stsci.edu",
    "CRDS_REFERENCE_URI=s3://crds-mirror/references/hst/",
    "CRDS_S3_ENABLED=1",
  ];
  writeFileSync(config, `${lines.join("\n")}\n`);
  return { dir, sim, config };
}

test("references are fetched from the S3 mirror into the cache, and the dataset calibrates", async () => {
  const { dir, sim, config } = await setup("j8cb01a3q", 6);
  const r = await runCliAsync("caldp-process", ["j8cb01a3q", "file:in", "file:out", config], { cwd: dir });
  assert.equal(r.status, 0, r.stdout.slice(-3000));
  const cached = readdirSync(join(sim.crds.root, "references", "hst", "acs"));
  assert.ok(
    cached.some((n) => n.endsWith("_bia.fits")) && cached.some((n) => n.endsWith("_drk.fits")),
    cached.join(" "),
  );
  assert.match(
    readFileSync(join(dir, "process.txt"), "utf8"),
    /fetching \w+_bia\.fits from s3:\/\/crds-mirror\/references\/hst\//,
  );
  assert.ok(readdirSync(join(dir, "out", "j8cb01a3q")).includes("j8cb01a3q_flt.fits"));
});

test("a reference missing from the S3 mirror is BESTREFS_ERROR (27) naming it", async () => {
  const { dir, config } = await setup("j8cb01a4q", 7, "_drk.fits");
  const r = await runCliAsync("caldp-process", ["j8cb01a4q", "file:in", "file:out", config], { cwd: dir });
  assert.equal(r.status, 27, r.stdout.slice(-3000));
  assert.match(readFileSync(join(dir, "process.txt"), "utf8"), /cannot fetch DARKFILE \w+_drk\.fits/);
});
