// caldp-process with a CRDS server: references missing from a writable cache are downloaded (checked for
// size and sha1) before calibration, as CALDP's assign_bestrefs(sync_references=True) does.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { simulateDataset } from "../../src/sim/index.js";
import { runCliAsync } from "../helpers/cli-async.js";

const servers: Server[] = [];
after(() => {
  for (const s of servers) {
    s.closeAllConnections();
    s.close();
  }
});

/** A CRDS server on 127.0.0.1 answering get_file_info and serving reference files from `dir`. */
async function crdsServer(dir: string, downloads: string[], corrupt = new Set<string>()): Promise<string> {
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (c) => {
      body += c;
    });
    request.on("end", () => {
      const file = /^\/unchecked_get\/references\/hst\/(.+)$/.exec(request.url ?? "")?.[1];
      if (request.method === "GET" && file) {
        downloads.push(file);
        const bytes = readFileSync(join(dir, file));
        response.end(corrupt.has(file) ? Buffer.concat([bytes.subarray(0, -1), Buffer.from("X")]) : bytes);
        return;
      }
      const rpc = JSON.parse(body);
      response.setHeader("content-type", "application/json");
      if (rpc.method !== "get_file_info") {
        response.end(JSON.stringify({ id: rpc.id, result: null, error: { message: `no ${rpc.method} here` } }));
        return;
      }
      const bytes = readFileSync(join(dir, rpc.params[1]));
      const sha1sum = createHash("sha1").update(bytes).digest("hex");
      response.end(
        JSON.stringify({
          id: rpc.id,
          result: { name: rpc.params[1], sha1sum, size: String(bytes.length) },
          error: null,
        }),
      );
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A simulated dataset whose references live only on the server; the cache is in instrument mode, writable. */
function setup() {
  const dir = mkdtempSync(join(tmpdir(), "caldp-crds-sync-"));
  const sim = simulateDataset({ dataset: "j8cb01a1q", out: join(dir, "in"), detector: "HRC", seed: 4 });
  const serverDir = join(dir, "server");
  mkdirSync(serverDir);
  const refs = join(sim.crds.root, "references", "hst");
  for (const name of readdirSync(refs)) renameSync(join(refs, name), join(serverDir, name));
  writeFileSync(join(sim.crds.root, "config", "hst", "ref_cache_subdir_mode"), "instrument");
  return { dir, sim, serverDir };
}

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
