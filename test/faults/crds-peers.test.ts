// CRDS servers that hang, close or stall, and a cache that cannot be written, while caldp-process syncs the
// references it needs: each fails the bestrefs block with 27 within the configured time, naming the URL and the
// limit or the cache folder, and leaves nothing partial in the cache.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { TSX } from "../helpers/cli.js";
import { runCliAsync } from "../helpers/cli-async.js";
import { crdsFileServer, datasetWithServerReferences } from "../helpers/crds-server.js";
import { listenLocal } from "../helpers/local-http.js";
import { REPO } from "../helpers/paths.js";

/** The shared dataset with its references on the server, and the config of a run that syncs them from `url`. */
function setup(timeoutSeconds = 2) {
  const data = datasetWithServerReferences("caldp-faults-crds-");
  const config = (url: string) => {
    const path = join(data.dir, "sync.cfg");
    const lines = [`CRDS_PATH=${data.sim.crds.root}`, "CRDS_READONLY_CACHE=0", `CRDS_SERVER_URL=${url}`];
    writeFileSync(path, `${lines.join("\n")}\nCRDS_CLIENT_TIMEOUT_SECONDS=${timeoutSeconds}\n`);
    return path;
  };
  return { ...data, config };
}

const log = (dir: string) => readFileSync(join(dir, "process.txt"), "utf8");

function assertFailedBestrefs(dir: string, cacheDir: string, status: number | null, out: string): void {
  assert.equal(status, 27, out.slice(-3000));
  assert.deepEqual(readdirSync(join(dir, "messages")), ["error-j8cb01a1q"]);
  assert.ok(log(dir).includes("EXIT - BESTREFS_ERROR[27]"));
  assert.doesNotMatch(log(dir), /stage 1 \(native\) started/, "calibration never started");
  let cached: string[] = [];
  try {
    cached = readdirSync(cacheDir);
  } catch {}
  assert.deepEqual(
    cached.filter((n) => n.startsWith(".")),
    [],
    "no partial download in the cache",
  );
}

// the runs mostly wait (process start-up, CALDP's bestrefs retry backoff): run a few side by side
describe("CRDS peers and cache faults while syncing references", { concurrency: 2 }, () => {
  test("a CRDS server that accepts and never answers: 27 within 3 tries of the 2 s limit, naming the URL and the limit", async () => {
    const { dir, config, cacheDir } = setup(2);
    const url = await listenLocal(() => {});
    const started = Date.now();
    const r = await runCliAsync("caldp-process", ["j8cb01a1q", "file:in", "file:out", config(url)], { cwd: dir });
    const seconds = (Date.now() - started) / 1000;
    assertFailedBestrefs(dir, cacheDir, r.status, r.stdout);
    // three bestrefs tries (CALDP's retry) of one attempt each (CRDS_CLIENT_RETRY_COUNT unset), 2 s each, + backoff
    assert.ok(seconds < 25, `failed after ${seconds.toFixed(1)} s`);
    assert.match(
      log(dir),
      new RegExp(`cannot fetch \\w+ \\w+\\.fits .*${url}.*timed out after 2 s \\(CRDS_CLIENT_TIMEOUT_SECONDS\\)`),
    );
  });

  test("a CRDS server that closes every connection: 27 naming the URL and the cause, at once", async () => {
    const { dir, config, cacheDir } = setup(30);
    const url = await listenLocal((request) => request.socket.destroy());
    const started = Date.now();
    const r = await runCliAsync("caldp-process", ["j8cb01a1q", "file:in", "file:out", config(url)], { cwd: dir });
    assertFailedBestrefs(dir, cacheDir, r.status, r.stdout);
    assert.ok(Date.now() - started < 20_000);
    assert.match(
      log(dir),
      new RegExp(`CrdsNetworkError: JSON RPC 'get_file_info' failed after 1 attempt\\(s\\) on ${url}: \\w+`),
    );
  });

  test("a download that stalls half-way times out and leaves no partial reference in the cache", async () => {
    const { dir, serverDir, config, cacheDir } = setup(2);
    const url = await listenLocal(
      crdsFileServer(serverDir, (file, response) => {
        const bytes = readFileSync(join(serverDir, file));
        response.writeHead(200, { "content-length": bytes.length });
        response.write(bytes.subarray(0, bytes.length >> 1));
      }),
    );
    const r = await runCliAsync("caldp-process", ["j8cb01a1q", "file:in", "file:out", config(url)], { cwd: dir });
    assertFailedBestrefs(dir, cacheDir, r.status, r.stdout);
    assert.match(
      log(dir),
      new RegExp(`download of ${url}/unchecked_get/references/hst/\\w+\\.fits .*timed out after 2 s`),
    );
    assert.deepEqual(readdirSync(cacheDir), [], "nothing under a final name either");
  });

  test("a download that goes on past the size CRDS records: 27 at once, nothing left in the cache", async () => {
    const { dir, serverDir, config, cacheDir } = setup(10);
    const url = await listenLocal(
      crdsFileServer(serverDir, (file, response) => {
        response.writeHead(200);
        response.write(readFileSync(join(serverDir, file)));
        const zeros = Buffer.alloc(1 << 20);
        const more = () => {
          while (!response.destroyed && response.write(zeros));
          if (!response.destroyed) response.once("drain", more);
        };
        more();
      }),
    );
    const r = await runCliAsync("caldp-process", ["j8cb01a1q", "file:in", "file:out", config(url)], { cwd: dir });
    assertFailedBestrefs(dir, cacheDir, r.status, r.stdout);
    assert.match(log(dir), /download of .*: more than the expected \d+ bytes/);
    assert.deepEqual(readdirSync(cacheDir), []);
  });

  /** caldp-process as a user that cannot write `cacheDir` (root writes anywhere: the child runs as nobody). */
  function runAsUnprivileged(dir: string, config: string): Promise<{ status: number | null; stdout: string }> {
    const asRoot = process.getuid?.() === 0;
    if (asRoot) chmodSync(dir, 0o777);
    const script = join(REPO, "src", "cli", "caldp-process.ts");
    const child = spawn(process.execPath, ["--import", TSX, script, "j8cb01a1q", "file:in", "file:out", config], {
      cwd: dir,
      env: { ...process.env, HOME: dir },
      ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
    });
    let stdout = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stdout += d;
    });
    return new Promise((resolve) => child.once("close", (status) => resolve({ status, stdout })));
  }

  test("a CRDS cache folder that cannot be written, with sync on: 27 naming the folder (no stream crash)", async () => {
    const { dir, serverDir, config, cacheDir, sim } = setup(10);
    const url = await listenLocal(
      crdsFileServer(serverDir, (file, response) => response.end(readFileSync(join(serverDir, file)))),
    );
    const cfg = config(url);
    // everything readable and the inputs writable for the run, the reference folder read-only
    mkdirSync(cacheDir, { recursive: true });
    for (const path of [join(dir, "in"), join(dir, "in", "j8cb01a1q_raw.fits"), sim.crds.root]) chmodSync(path, 0o777);
    chmodSync(join(dir, "in", "j8cb01a1q_raw.fits"), 0o666);
    chmodSync(cacheDir, 0o555);
    const r = await runAsUnprivileged(dir, cfg);
    assert.equal(r.status, 27, r.stdout.slice(-3000));
    assert.match(log(dir), new RegExp(`cannot write into the CRDS cache folder ${cacheDir}: EACCES`));
    assert.deepEqual(readdirSync(join(dir, "messages")), ["error-j8cb01a1q"]);
    assert.deepEqual(readdirSync(cacheDir), []);
  });
});
