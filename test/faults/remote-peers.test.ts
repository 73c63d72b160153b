// MAST and S3 peers that accept connections and never answer, or stall mid-transfer: caldp-process fails within
// the configured time with the block's exit code (MAST 22, S3 input 26, S3 output 25), a message naming the
// peer and the limit, and no partial file. (Before: 10 min per MAST attempt, 300 s of silence per S3 attempt.)
import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { runCliAsync } from "../helpers/cli-async.js";
import { listenLocal } from "../helpers/local-http.js";
import { startMastServer } from "../helpers/mast-server.js";
import { HST_DATA } from "../helpers/paths.js";

const stops: (() => Promise<void>)[] = [];
after(async () => {
  for (const stop of stops) await stop();
});

/** An HTTP server on 127.0.0.1 that accepts every request and never answers. */
const silentServer = () => listenLocal();

/** A work folder with a CRDS-free config (these runs fail before bestrefs). */
function workspace(): string {
  return mkdtempSync(join(tmpdir(), "caldp-faults-remote-"));
}

const S3_ENV = {
  AWS_ACCESS_KEY_ID: "caldp-test",
  AWS_SECRET_ACCESS_KEY: "caldp-test-secret",
  AWS_REGION: "us-east-1",
  AWS_EC2_METADATA_DISABLED: "true",
  CALDP_S3_TIMEOUT_SECONDS: "1",
  CALDP_S3_CONNECT_TIMEOUT_SECONDS: "1",
};

const processLog = (dir: string) => readFileSync(join(dir, "process.txt"), "utf8");

describe("remote peers that hang", { concurrency: 2 }, () => {
  test("a MAST that never answers: 22 within the limit, naming the URL and CALDP_MAST_TIMEOUT_SECONDS", async () => {
    const dir = workspace();
    const url = await silentServer();
    const started = Date.now();
    const r = await runCliAsync("caldp-process", ["j8bt05njq", "astroquery:", "file:out", "caldp-config-offsite"], {
      cwd: dir,
      env: { CALDP_MAST_URL: url, CALDP_MAST_TIMEOUT_SECONDS: "1", CRDS_PATH: join(dir, "crds") },
    });
    const seconds = (Date.now() - started) / 1000;
    assert.equal(r.status, 22, r.stdout.slice(-3000));
    // three attempts of 1 s with jittered waits of at most 1 and 2 s, plus the process start-ups
    assert.ok(seconds < 20, `failed after ${seconds.toFixed(1)} s`);
    assert.match(processLog(dir), new RegExp(`${url}.*timed out after 1 s \\(CALDP_MAST_TIMEOUT_SECONDS\\)`));
    assert.deepEqual(readdirSync(join(dir, "messages")), ["error-j8bt05njq"]);
  });

  test("a MAST download that stalls half-way: 22 naming the file and the limit, no partial file kept", async () => {
    const dir = workspace();
    const mast = await startMastServer([
      {
        obsId: "j8bt05njq",
        instrument: "ACS/WFC",
        products: [
          {
            filename: "j8bt05njq_raw.fits",
            subgroup: "RAW",
            source: join(HST_DATA, "j8bt05njq_raw.fits"),
            stall: true,
          },
        ],
      },
    ]);
    stops.push(mast.stop);
    const r = await runCliAsync("caldp-process", ["j8bt05njq", "astroquery:", "file:out", "caldp-config-offsite"], {
      cwd: dir,
      env: { CALDP_MAST_URL: mast.baseUrl, CALDP_MAST_TIMEOUT_SECONDS: "1", CRDS_PATH: join(dir, "crds") },
    });
    assert.equal(r.status, 22, r.stdout.slice(-3000));
    assert.match(processLog(dir), /Cannot download j8bt05njq_raw\.fits of j8bt05njq from .*timed out after 1 s/);
    assert.equal(mast.requests.filter((q) => q.startsWith("download")).length, 3, "each attempt stalled");
    const inputs = join(dir, "inputs", "j8bt05njq");
    const left = (() => {
      try {
        return readdirSync(inputs);
      } catch {
        return [];
      }
    })();
    assert.deepEqual(left, [], "no partial download");
  });

  test("a MAST download that goes on past the listed size: 22 at once, no file left (the disk is not filled)", async () => {
    const dir = workspace();
    const raw = join(HST_DATA, "j8bt05njq_raw.fits");
    const mast = await startMastServer([
      {
        obsId: "j8bt05njq",
        instrument: "ACS/WFC",
        products: [{ filename: "j8bt05njq_raw.fits", subgroup: "RAW", source: raw, endless: true }],
      },
    ]);
    stops.push(mast.stop);
    const r = await runCliAsync("caldp-process", ["j8bt05njq", "astroquery:", "file:out", "caldp-config-offsite"], {
      cwd: dir,
      env: { CALDP_MAST_URL: mast.baseUrl, CRDS_PATH: join(dir, "crds") },
    });
    assert.equal(r.status, 22, r.stdout.slice(-3000));
    assert.match(processLog(dir), new RegExp(`more than the expected ${statSync(raw).size} bytes`));
    const inputs = join(dir, "inputs", "j8bt05njq");
    assert.deepEqual(existsSync(inputs) ? readdirSync(inputs) : [], [], "no partial download");
  });

  test("a MAST product named like a path ('../x_raw.fits'): 22 naming it, nothing written anywhere", async () => {
    const dir = workspace();
    const mast = await startMastServer([
      {
        obsId: "j8bt05njq",
        instrument: "ACS/WFC",
        products: [
          { filename: "../../j8bt05njq_raw.fits", subgroup: "RAW", source: join(HST_DATA, "j8bt05njq_raw.fits") },
        ],
      },
    ]);
    stops.push(mast.stop);
    const r = await runCliAsync("caldp-process", ["j8bt05njq", "astroquery:", "file:out", "caldp-config-offsite"], {
      cwd: dir,
      env: { CALDP_MAST_URL: mast.baseUrl, CRDS_PATH: join(dir, "crds") },
    });
    assert.equal(r.status, 22, r.stdout.slice(-3000));
    assert.match(
      processLog(dir),
      /lists a product of j8bt05njq with an unsafe file name '\.\.\/\.\.\/j8bt05njq_raw\.fits'/,
    );
    assert.deepEqual(
      mast.requests.filter((q) => q.startsWith("download")),
      [],
      "nothing downloaded",
    );
    assert.ok(!readdirSync(dir).includes("j8bt05njq_raw.fits"));
  });

  test("an S3 endpoint that never answers, for the input: 26 within the limit, naming the object and the limit", async () => {
    const dir = workspace();
    const endpoint = await silentServer();
    const started = Date.now();
    const r = await runCliAsync("caldp-process", ["j8bt05njq", "s3://inputs", "file:out", "caldp-config-offsite"], {
      cwd: dir,
      env: { ...S3_ENV, AWS_ENDPOINT_URL_S3: endpoint, CRDS_PATH: join(dir, "crds") },
    });
    const seconds = (Date.now() - started) / 1000;
    assert.equal(r.status, 26, r.stdout.slice(-3000));
    assert.ok(seconds < 40, `failed after ${seconds.toFixed(1)} s`);
    const log = processLog(dir);
    assert.match(log, /Cannot download s3:\/\/inputs\/j8bt05njq\.tar\.gz: .*CALDP_S3_TIMEOUT_SECONDS/);
    assert.ok(log.includes(endpoint), "the endpoint is named");
  });

  test("an S3 input object larger than CALDP_TAR_MAX_BYTES: 21 from its announced size, nothing downloaded", async () => {
    const dir = workspace();
    const requests: string[] = [];
    const endpoint = await listenLocal((request, response) => {
      requests.push(`${request.method} ${request.url?.split("?")[0]}`);
      response.writeHead(200, { "content-type": "application/x-gzip", "content-length": String(10 ** 12) });
      response.write(Buffer.alloc(1024));
    });
    const r = await runCliAsync("caldp-process", ["j8bt05njq", "s3://inputs", "file:out", "caldp-config-offsite"], {
      cwd: dir,
      env: { ...S3_ENV, AWS_ENDPOINT_URL_S3: endpoint, CALDP_S3_TIMEOUT_SECONDS: "30", CRDS_PATH: join(dir, "crds") },
    });
    assert.equal(r.status, 21, r.stdout.slice(-3000));
    assert.match(
      processLog(dir),
      /Tarball s3:\/\/inputs\/j8bt05njq\.tar\.gz has 1000000000000 bytes, more than 17179869184 \(CALDP_TAR_MAX_BYTES\)/,
    );
    assert.deepEqual(requests, ["GET /inputs/j8bt05njq.tar.gz"], "asked once, not retried");
    const inputs = join(dir, "inputs", "j8bt05njq");
    assert.deepEqual(existsSync(inputs) ? readdirSync(inputs) : [], []);
  });

  test("an S3 endpoint that never answers, for the output: 25 within the limit, the local files kept", async () => {
    const dir = workspace();
    mkdirSync(join(dir, "in"));
    copyFileSync(join(HST_DATA, "j8bt05njq_raw.fits"), join(dir, "in", "j8bt05njq_raw.fits"));
    const endpoint = await silentServer();
    const started = Date.now();
    const r = await runCliAsync("caldp-process", ["j8bt05njq", "file:in", "s3://outputs", "caldp-config-offsite"], {
      cwd: dir,
      env: { ...S3_ENV, AWS_ENDPOINT_URL_S3: endpoint, CRDS_PATH: join(dir, "crds") },
    });
    const seconds = (Date.now() - started) / 1000;
    assert.equal(r.status, 25, r.stdout.slice(-3000) + r.stderr.slice(-2000));
    assert.ok(seconds < 60, `failed after ${seconds.toFixed(1)} s`);
    assert.match(r.stdout + r.stderr, /CALDP_S3_TIMEOUT_SECONDS/);
    for (const name of ["process.txt", "process_metrics.txt"]) assert.ok(existsSync(join(dir, name)), `${name} kept`);
  });
});
