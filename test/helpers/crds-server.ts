/**
 * A CRDS server for caldp-process runs that sync references: a simulated dataset whose references are moved
 * out of its cache to a server folder, and the request handler that serves them (start it with listenLocal).
 */
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type SimulatedDataset, simulateDataset } from "../../src/sim/index.js";

export interface ServerReferences {
  dir: string;
  sim: SimulatedDataset;
  /** Where the references are now: what the server serves. */
  serverDir: string;
  /** The cache folder the ACS references are synced into. */
  cacheDir: string;
}

/** The ACS/HRC dataset j8cb01a1q in `<tmp>/<prefix>…/in`, its references only in `serverDir`; cache writable. */
export function datasetWithServerReferences(prefix: string): ServerReferences {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const sim = simulateDataset({ dataset: "j8cb01a1q", out: join(dir, "in"), detector: "HRC", seed: 4 });
  const serverDir = join(dir, "server");
  mkdirSync(serverDir);
  const refs = join(sim.crds.root, "references", "hst");
  for (const name of readdirSync(refs)) renameSync(join(refs, name), join(serverDir, name));
  writeFileSync(join(sim.crds.root, "config", "hst", "ref_cache_subdir_mode"), "instrument");
  return { dir, sim, serverDir, cacheDir: join(refs, "acs") };
}

/**
 * CRDS's JSON-RPC `get_file_info` (name, sha1sum and size of a file of `dir`; any other method is an RPC error);
 * the GETs of `/unchecked_get/references/hst/<file>` are answered by `download`.
 */
export function crdsFileServer(
  dir: string,
  download: (file: string, response: ServerResponse) => void,
): RequestListener {
  return (request: IncomingMessage, response: ServerResponse) => {
    let body = "";
    request.on("data", (chunk) => {
      body += chunk;
    });
    request.on("end", () => {
      const file = /^\/unchecked_get\/references\/hst\/(.+)$/.exec(request.url ?? "")?.[1];
      if (request.method === "GET" && file) return download(file, response);
      const rpc = JSON.parse(body);
      response.setHeader("content-type", "application/json");
      if (rpc.method !== "get_file_info") {
        response.end(JSON.stringify({ id: rpc.id, result: null, error: { message: `no ${rpc.method} here` } }));
        return;
      }
      const bytes = readFileSync(join(dir, rpc.params[1]));
      const sha1sum = createHash("sha1").update(bytes).digest("hex");
      const result = { name: rpc.params[1], sha1sum, size: String(bytes.length) };
      response.end(JSON.stringify({ id: rpc.id, result, error: null }));
    });
  };
}
