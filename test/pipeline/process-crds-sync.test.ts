// caldp-process with a CRDS server: references missing from a writable cache are downloaded (checked for
// size and sha1) before calibration, as CALDP's assign_bestrefs(sync_references=True) does.
import assert from "node:assert/strict";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { runCliAsync } from "../helpers/cli-async.js";
import { crdsFileServer, datasetWithServerReferences } from "../helpers/crds-server.js";
import { listenLocal } from "../helpers/local-http.js";

/** A CRDS server serving `dir`: each download is recorded; the files in `corrupt` have their last byte changed. */
function crdsServer(dir: string, downloads: string[], corrupt = new Set<string>()): Promise<string> {
  return listenLocal(
    crdsFileServer(dir, (file, response) => {
      downloads.push(file);
      const bytes = readFileSync(join(dir, file));
      response.end(corrupt.has(file) ? Buffer.concat([bytes.subarray(0, -1), Buffer.from("X")]) : bytes);
    }),
  );
}

const setup = () => datasetWithServerReferences("caldp-crds-sync-");

test("missing references are fetched from the CRDS server into the cache, then the dataset calibrates", async () => {
  const { dir, sim, serverDir } = setup();
  const downloads: string[] = [];
  const url = await crdsServer(serverDir, downloads);
  const config = join(dir, "sync.cfg");
  writeFileSync(config, `CRDS_PATH=${sim.crds.root}\nCRDS_READONLY_CACHE=0\nCRDS_SERVER_URL=${url}\n`);
  const r = await runCliAsync("caldp-process", ["j8cb01a1q", "file:in", "file:out", config], { cwd: dir });
  assert.equal(r.status, 0, r.stdout.slice(-3000));
  // the references the header names after bestrefs (a single exposure needs no CRREJTAB), each fetched once
  const raw = readFileSync(join(dir, "in", "j8cb01a1q_raw.fits"), "latin1").slice(0, 2880 * 12);
  const named = [...raw.matchAll(/= 'jref\$(\w+\.fits)'/g)].map((m) => m[1]).sort();
  assert.ok(named.length >= 8, named.join(" "));
  assert.deepEqual(downloads.sort(), named, "every named reference fetched once");
  assert.deepEqual(readdirSync(join(sim.crds.root, "references", "hst", "acs")).sort(), named);
  assert.ok(readdirSync(join(dir, "out", "j8cb01a1q")).includes("j8cb01a1q_flt.fits"));
});

test("a reference whose bytes do not match the server's sha1: BESTREFS_ERROR (27), nothing left in the cache", async () => {
  const { dir, sim, serverDir } = setup();
  const bias = readdirSync(serverDir).find((n) => n.endsWith("_bia.fits"))!;
  const url = await crdsServer(serverDir, [], new Set([bias]));
  const config = join(dir, "sync.cfg");
  writeFileSync(
    config,
    `CRDS_PATH=${sim.crds.root}\nCRDS_READONLY_CACHE=0\nCRDS_SERVER_URL=${url}\nCRDS_CLIENT_RETRY_COUNT=1\n`,
  );
  const r = await runCliAsync("caldp-process", ["j8cb01a1q", "file:in", "file:out", config], { cwd: dir });
  assert.equal(r.status, 27, r.stdout.slice(-3000));
  assert.match(readFileSync(join(dir, "process.txt"), "utf8"), new RegExp(`${bias}.*sha1`, "i"));
  const cached = readdirSync(join(sim.crds.root, "references", "hst", "acs"));
  assert.ok(!cached.includes(bias) && !cached.some((n) => n.includes(".tmp")), cached.join(" "));
});
