// The JSON-RPC client and downloads against real HTTP servers on 127.0.0.1 (node:http).
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { gzipSync } from "node:zlib";
import { CrdsServerClient, cacheLayout, serverClientOptionsFromEnv } from "../../src/crds/index.js";
import { listenLocal } from "../helpers/local-http.js";

const scratch = mkdtempSync(join(tmpdir(), "caldp-crds-server-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

type Handler = (request: IncomingMessage, body: string, response: ServerResponse) => void;

function serve(handler: Handler): Promise<string> {
  return listenLocal((request, response) => {
    let body = "";
    request.on("data", (chunk) => {
      body += chunk;
    });
    request.on("end", () => handler(request, body, response));
  });
}

function reply(response: ServerResponse, id: unknown, result: unknown, error: unknown = null): void {
  response.setHeader("content-type", "application/json");
  response.end(JSON.stringify({ jsonrpc: "1.0", id, result, error }));
}

const REFERENCE = Buffer.from("SIMPLE  =                    T / a stand-in reference file body\n".repeat(40));
const REFERENCE_SHA1 = createHash("sha1").update(REFERENCE).digest("hex");

/** A CRDS-like server: JSON-RPC at /json/, files under /unchecked_get/references/hst/. */
function crdsHandler(calls: Array<{ method: string; params: unknown }>, fileBody = REFERENCE): Handler {
  return (request, body, response) => {
    if (request.method === "GET" && request.url?.startsWith("/unchecked_get/references/hst/")) {
      response.end(fileBody);
      return;
    }
    assert.equal(request.url, "/json/");
    const rpc = JSON.parse(body);
    calls.push({ method: rpc.method, params: rpc.params });
    assert.equal(rpc.jsonrpc, "1.0");
    switch (rpc.method) {
      case "get_default_context":
        return reply(response, rpc.id, "hst_0729.pmap");
      case "get_best_references": {
        const payload = gzipSync(
          Buffer.from(JSON.stringify({ biasfile: "m4r1753rj_bia.fits", atodtab: "NOT FOUND n/a" })),
        );
        return reply(response, rpc.id, { crds_encoded: "1.0", crds_payload: payload.toString("base64") });
      }
      case "get_file_info":
        return reply(response, rpc.id, {
          name: rpc.params[1],
          sha1sum: REFERENCE_SHA1,
          size: String(REFERENCE.length),
        });
      default:
        return reply(response, rpc.id, null, {
          name: "OtherError",
          code: 500,
          data: null,
          message: `OtherError: method &#x27;${rpc.method}&#x27; &lt;unknown&gt;`,
        });
    }
  };
}

test("JSON-RPC calls send positional params and decode plain and crds_encoded results", async () => {
  const calls: Array<{ method: string; params: unknown }> = [];
  const client = new CrdsServerClient({ url: await serve(crdsHandler(calls)) });
  assert.equal(await client.getDefaultContext(), "hst_0729.pmap");
  const refs = await client.getBestReferences("hst_0729.pmap", { INSTRUME: "ACS", CCDGAIN: 2 }, ["biasfile"]);
  assert.deepEqual(refs, { biasfile: "m4r1753rj_bia.fits", atodtab: "NOT FOUND n/a" });
  const info = await client.getFileInfo("hst", "m4r1753rj_bia.fits");
  assert.equal(info.sha1sum, REFERENCE_SHA1);
  assert.deepEqual(calls, [
    { method: "get_default_context", params: ["hst"] },
    { method: "get_best_references", params: ["hst_0729.pmap", { INSTRUME: "ACS", CCDGAIN: "2" }, ["biasfile"]] },
    { method: "get_file_info", params: ["hst", "m4r1753rj_bia.fits"] },
  ]);
});

test("a JSON-RPC error becomes a ServiceError with the unescaped server message, without retries", async () => {
  const calls: Array<{ method: string; params: unknown }> = [];
  const client = new CrdsServerClient({ url: await serve(crdsHandler(calls)), attempts: 3, retryDelayMs: 1 });
  await assert.rejects(client.call("no_such_method", []), {
    name: "ServiceError",
    message: "CRDS jsonrpc failure 'no_such_method' OtherError: method 'no_such_method' <unknown>",
  });
  assert.equal(calls.length, 1);
});

test("a server that fails twice and then answers is retried with backoff until it succeeds", async () => {
  let requests = 0;
  const url = await serve((_request, body, response) => {
    requests++;
    if (requests <= 2) {
      response.statusCode = 503;
      response.end("busy");
      return;
    }
    reply(response, JSON.parse(body).id, "hst_0729.pmap");
  });
  const started = Date.now();
  const client = new CrdsServerClient({ url, attempts: 3, retryDelayMs: 40 });
  assert.equal(await client.getDefaultContext(), "hst_0729.pmap");
  assert.equal(requests, 3);
  assert.ok(Date.now() - started >= 40 * 0.5 + 80 * 0.5, "backoff delays were applied");
  requests = 0;
  const impatient = new CrdsServerClient({ url, attempts: 2, retryDelayMs: 1 });
  await assert.rejects(impatient.getDefaultContext(), {
    name: "CrdsNetworkError",
    message: /after 2 attempt\(s\).*HTTP 503/,
  });
});

test("a server that never answers times out on every attempt", async () => {
  let requests = 0;
  const url = await serve(() => {
    requests++;
  });
  const started = Date.now();
  const client = new CrdsServerClient({ url, attempts: 2, retryDelayMs: 1, timeoutMs: 150 });
  await assert.rejects(client.getDefaultContext(), { name: "CrdsNetworkError", message: /timed out/ });
  const elapsed = Date.now() - started;
  assert.equal(requests, 2);
  assert.ok(elapsed >= 300 && elapsed < 5000, `elapsed ${elapsed} ms`);
});

test("a reference download is checked against get_file_info and lands in the instrument subdirectory", async () => {
  const layout = cacheLayout({ CRDS_PATH: join(scratch, "good") });
  const client = new CrdsServerClient({ url: await serve(crdsHandler([])) });
  const path = await client.downloadReference("m4r1753rj_bia.fits", layout);
  assert.equal(path, join(layout.referenceDir, "acs", "m4r1753rj_bia.fits"));
  assert.deepEqual(readFileSync(path), REFERENCE);
  assert.deepEqual(readdirSync(join(layout.referenceDir, "acs")), ["m4r1753rj_bia.fits"]);
});

test("a file whose sha1 does not match is rejected and leaves nothing behind", async () => {
  const layout = cacheLayout({ CRDS_PATH: join(scratch, "bad") });
  const tampered = Buffer.from(REFERENCE);
  tampered[10] ^= 1;
  const client = new CrdsServerClient({ url: await serve(crdsHandler([], tampered)) });
  await assert.rejects(client.downloadReference("m4r1753rj_bia.fits", layout), {
    name: "CrdsDownloadError",
    message: new RegExp(`sha1 [0-9a-f]{40} != expected ${REFERENCE_SHA1}`),
  });
  assert.deepEqual(readdirSync(join(layout.referenceDir, "acs")), []);
  const short = new CrdsServerClient({ url: await serve(crdsHandler([], REFERENCE.subarray(1))) });
  await assert.rejects(short.downloadReference("m4r1753rj_bia.fits", layout), { message: /size \d+ != expected/ });
});

test("CRDS_READONLY_CACHE forbids downloads; a serverless URL makes no requests", async () => {
  let requests = 0;
  const url = await serve(() => {
    requests++;
  });
  const readonly = cacheLayout({ CRDS_PATH: join(scratch, "ro"), CRDS_READONLY_CACHE: "1" });
  await assert.rejects(new CrdsServerClient({ url }).downloadReference("m4r1753rj_bia.fits", readonly), {
    name: "CacheError",
  });
  assert.equal(existsSync(readonly.referenceDir), false);
  const offline = new CrdsServerClient(serverClientOptionsFromEnv({}));
  assert.equal(offline.url, "https://hst-serverless.stsci.edu");
  await assert.rejects(offline.getDefaultContext(), { name: "ServiceError", message: /server-less mode/ });
  assert.equal(requests, 0);
});
