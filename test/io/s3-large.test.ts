import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { once } from "node:events";
import {
  createReadStream,
  createWriteStream,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { promisify } from "node:util";
import { HeadObjectCommand, ListMultipartUploadsCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { parseDataset } from "../../src/core/dataset.js";
import { Logger } from "../../src/core/log.js";
import { S3Error } from "../../src/io/errors.js";
import { partSizeFor } from "../../src/io/s3-upload.js";
import { makeTarGz } from "../../src/io/tar.js";
import { exitCodeOf } from "../../src/pipeline/error-exits.js";
import { uploadDatasetOutputs } from "../../src/pipeline/s3-outputs.js";
import { REPO } from "../helpers/paths.js";
import { useCeph } from "./s3-env.js";

const run = promisify(execFile);

const BUCKET = "caldp-large";
const server = useCeph([BUCKET]);
const j8bt = parseDataset("j8bt05njq");
const MiB = 1024 * 1024;
const SIZE = 200 * MiB;
const SMALL = 24 * MiB;
/**
 * Streaming shows as a peak that does not grow with the object: the 200 MiB transfer may use at most this much
 * more than the same transfer of 24 MiB, against the 176 MiB a buffered transfer would add. The parts are bounded
 * (5 MiB × 4); the rest is garbage awaiting collection, 20-36 MiB measured here for uploads.
 */
const SIZE_DEPENDENT_BUDGET = 48 * MiB;

const LOGS = ["process.txt", "process_metrics.txt", "preview.txt", "preview_metrics.txt"];
const cwd = mkdtempSync(join(tmpdir(), "caldp-s3-large-"));
const outputs = join(cwd, "outputs");
const product = join(outputs, "j8bt05njq", "j8bt05njq_raw.fits");
const smallDir = join(cwd, "small");
after(() => rmSync(cwd, { recursive: true, force: true }));
const smallProduct = join(smallDir, "j8bt05njq_raw.fits");
let productSha1 = "";

/** Random (incompressible) content, written in 1 MiB pieces so that the test itself holds little memory. */
async function writeRandomFile(path: string, size: number): Promise<string> {
  const hash = createHash("sha1");
  const out = createWriteStream(path);
  for (let written = 0; written < size; written += MiB) {
    const piece = randomBytes(Math.min(MiB, size - written));
    hash.update(piece);
    if (!out.write(piece)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
  return hash.digest("hex");
}

async function fileSha1(path: string): Promise<string> {
  const hash = createHash("sha1");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

interface Measured {
  before: number;
  peak: number;
  growth: number;
  seconds: number;
}

/** Runs a transfer in a fresh process (test/io/s3-transfer-probe.ts) and returns its peak resident set. */
async function measured(operation: string, from: string, to: string): Promise<Measured> {
  const probe = join(REPO, "test", "io", "s3-transfer-probe.ts");
  const { stdout } = await run(process.execPath, ["--import", "tsx", probe, operation, from, to], {
    cwd: REPO,
    env: process.env,
  });
  return JSON.parse(stdout.trim().split("\n").at(-1) ?? "") as Measured;
}

const mb = (bytes: number) => (bytes / MiB).toFixed(1);

/** Asserts that the large transfer's peak is not the small one's plus something that scales with the size. */
function assertStreamed(what: string, large: Measured, small: Measured): void {
  const extra = large.growth - small.growth;
  console.log(`#   ${what}: +${mb(small.growth)} MiB for 24 MiB, +${mb(large.growth)} MiB for 200 MiB`);
  assert.ok(extra < SIZE_DEPENDENT_BUDGET, `${what}: ${mb(extra)} MiB more RSS for 200 MiB than for 24 MiB`);
  assert.ok(large.growth < SIZE / 2, `${what}: RSS grew by ${mb(large.growth)} MiB`);
}

function report(what: string, size: number, m: Measured): void {
  const rate = (size / MiB / m.seconds).toFixed(0);
  console.log(`# ${what} of ${mb(size)} MiB: ${rate} MiB/s; peak RSS ${mb(m.peak)} MiB, +${mb(m.growth)} MiB`);
}

test("a 200 MiB tarball goes up in parts (ETag verified) and streams up and down well below its size in RSS", async () => {
  mkdirSync(join(outputs, "j8bt05njq", "previews"), { recursive: true });
  productSha1 = await writeRandomFile(product, SIZE);
  for (const name of LOGS) writeFileSync(join(cwd, name), `${name}\n`);
  // RGW creates its data pools on the first writes; keep that out of the figures.
  const warmUp = { Bucket: BUCKET, Key: "warm-up", Body: Buffer.alloc(11 * MiB) };
  await new Upload({ client: server().raw, params: warmUp, partSize: 5 * MiB }).done();

  const log = new Logger(undefined, () => {});
  const uploaded = await uploadDatasetOutputs({
    dataset: j8bt,
    outputUri: `s3://${BUCKET}`,
    localOutputDir: outputs,
    logsDir: cwd,
    log,
  });
  const tarball = uploaded.objects[0];
  const local = join(outputs, "j8bt05njq", "j8bt05njq.tar.gz");
  assert.ok(tarball.size > 100 * 1e6, `the tarball has ${tarball.size} bytes`);
  assert.match(tarball.etag, new RegExp(`-${Math.ceil(tarball.size / partSizeFor(tarball.size))}$`), "multipart");
  const head = await server().raw.send(
    new HeadObjectCommand({ Bucket: BUCKET, Key: "outputs/j8bt05njq/j8bt05njq.tar.gz" }),
  );
  assert.equal(head.ContentLength, tarball.size);

  mkdirSync(smallDir, { recursive: true });
  await writeRandomFile(smallProduct, SMALL);
  const up = await measured("upload", local, `s3://${BUCKET}/copies/j8bt05njq.tar.gz`);
  report("upload (multipart + verification)", tarball.size, up);
  const upSmall = await measured("upload", smallProduct, `s3://${BUCKET}/copies/small.fits`);
  assertStreamed("upload", up, upSmall);

  const copy = join(cwd, "down", "copy.tar.gz");
  const down = await measured("download", `s3://${BUCKET}/outputs/j8bt05njq/j8bt05njq.tar.gz`, copy);
  report("streamed download", tarball.size, down);
  assert.equal(await fileSha1(copy), await fileSha1(local));
  const downSmall = await measured("download", `s3://${BUCKET}/copies/small.fits`, join(cwd, "down", "small.fits"));
  assertStreamed("download", down, downSmall);
});

/** Tars `<dir>/j8bt05njq_raw.fits` flat, as input tarballs are, and puts it at `<prefix>/j8bt05njq.tar.gz`. */
async function putInputTarball(dir: string, prefix: string): Promise<number> {
  const input = await makeTarGz(dir, ["j8bt05njq_raw.fits"], join(dir, "input.tar.gz"));
  const size = statSync(input).size;
  const put = { Bucket: BUCKET, Key: `${prefix}/j8bt05njq.tar.gz`, Body: createReadStream(input), ContentLength: size };
  await server().raw.send(new PutObjectCommand(put));
  return size;
}

test("a 200 MiB s3:// input tarball is downloaded and extracted without buffering", async () => {
  const size = await putInputTarball(join(outputs, "j8bt05njq"), "inputs");
  const work = join(cwd, "inputs", "j8bt05njq");
  const got = await measured("input", `s3://${BUCKET}/inputs`, work);
  report("s3 input (download + safe extraction)", size, got);
  assert.deepEqual(readdirSync(work), ["j8bt05njq_raw.fits"]);
  assert.equal(await fileSha1(join(work, "j8bt05njq_raw.fits")), productSha1);
  // The download streams (previous test); the extraction (tar.ts, node-tar) adds 50-90 MiB of buffers whose
  // peak varies with garbage collection between runs, so only an absolute bound is checked here.
  assert.ok(got.growth < 0.6 * SIZE, `s3 input: RSS grew by ${mb(got.growth)} MiB`);
});

test("the gateway killed mid-upload: S3_UPLOAD_ERROR (25) and every local file kept", async () => {
  const { ceph, raw } = server();
  const lines: string[] = [];
  const uploading = uploadDatasetOutputs({
    dataset: j8bt,
    outputUri: `s3://${BUCKET}`,
    localOutputDir: outputs,
    logsDir: cwd,
    log: new Logger(undefined, (l) => lines.push(l)),
    retry: { attempts: 2, baseDelayMs: 100 },
  });
  const outcome = uploading.then(
    () => undefined,
    (error: unknown) => error,
  );
  let inFlight = false;
  const deadline = Date.now() + 60_000;
  while (!inFlight && Date.now() < deadline) {
    const listing = await raw.send(new ListMultipartUploadsCommand({ Bucket: BUCKET }));
    inFlight = (listing.Uploads ?? []).length > 0;
    if (!inFlight) await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.ok(inFlight, "a multipart upload was seen in flight");
  await ceph.killGateway();
  try {
    const error = await outcome;
    assert.ok(error instanceof S3Error, `got ${String(error)}`);
    assert.equal(exitCodeOf(error), 25);
    assert.match(
      error.message,
      /^Cannot upload \S+j8bt05njq\.tar\.gz to s3:\/\/caldp-large\/outputs\/j8bt05njq\/j8bt05njq\.tar\.gz: /,
    );
    assert.ok(!error.message.includes("\n"), "one line");
    assert.ok(
      lines.some((l) => l.startsWith("WARNING - upload of") && l.includes("attempt 1 of 2")),
      "it was retried",
    );
    assert.equal(await fileSha1(product), productSha1);
    assert.ok(statSync(join(outputs, "j8bt05njq", "j8bt05njq.tar.gz")).size > 100 * 1e6);
    for (const name of LOGS) assert.equal(readFileSync(join(cwd, name), "utf8"), `${name}\n`);
  } finally {
    await ceph.startGateway();
  }
});
