import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import * as tar from "tar";
import { parseDataset } from "../../src/core/dataset.js";
import { Logger } from "../../src/core/log.js";
import { S3Error, TarError } from "../../src/io/errors.js";
import { LocalStore } from "../../src/io/object-store.js";
import { downloadS3Object } from "../../src/io/s3-download.js";
import { prepareS3Inputs } from "../../src/io/s3-input.js";
import { S3Store } from "../../src/io/s3-store.js";
import { makeTarGz } from "../../src/io/tar.js";
import { exitCodeOf } from "../../src/pipeline/error-exits.js";
import { DatasetMessages } from "../../src/pipeline/messages.js";
import { uploadDatasetOutputs } from "../../src/pipeline/s3-outputs.js";
import { HST_DATA } from "../helpers/paths.js";
import { member, tarGz } from "../helpers/tar-archive.js";
import { useCeph } from "./s3-env.js";

const BUCKET = "calcloud-processing-test";
const server = useCeph([BUCKET]);
const j8bt = parseDataset("j8bt05njq");
const quiet = () => new Logger(undefined, () => {});
const fast = { attempts: 2, baseDelayMs: 50 };

const sha1 = (bytes: Uint8Array) => createHash("sha1").update(bytes).digest("hex");
const scratch = (name: string) => mkdtempSync(join(tmpdir(), `caldp-s3-${name}-`));

async function put(key: string, body: Uint8Array): Promise<void> {
  await server().raw.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
}

async function get(key: string): Promise<Buffer> {
  const reply = await server().raw.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return Buffer.from(await (reply.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
}

async function keys(prefix: string): Promise<string[]> {
  const reply = await server().raw.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
  return (reply.Contents ?? []).map((o) => o.Key ?? "").sort();
}

describe("s3:// input", () => {
  test("<prefix>/<ds>.tar.gz is downloaded, extracted safely, deleted; inputs are the sorted <ds5>*.fits", async () => {
    const names = ["j8bt05njq_raw.fits", "j8bt06o6q_raw.fits"];
    const tarball = await makeTarGz(HST_DATA, names, join(scratch("tar"), "in.tar.gz"));
    await put("inputs/j8bt05njq.tar.gz", readFileSync(tarball));
    const work = join(scratch("in"), "inputs", "j8bt05njq");
    const got = await prepareS3Inputs(`s3://${BUCKET}/inputs/`, j8bt, work, { log: quiet() });
    assert.equal(got.source, `s3://${BUCKET}/inputs/j8bt05njq.tar.gz`);
    assert.deepEqual(
      got.files,
      names.map((n) => join(work, n)),
    );
    for (const name of names)
      assert.equal(sha1(readFileSync(join(work, name))), sha1(readFileSync(join(HST_DATA, name))));
    assert.deepEqual(readdirSync(work).sort(), names, "no tarball or temporary file is left");
  });

  test("a missing object or bucket is S3_DOWNLOAD_ERROR (26) naming the URI, without retries", async () => {
    const work = scratch("missing");
    const started = Date.now();
    await assert.rejects(
      prepareS3Inputs(`s3://${BUCKET}/nowhere`, j8bt, work, { retry: { baseDelayMs: 5000 } }),
      (e) =>
        e instanceof S3Error &&
        exitCodeOf(e) === 26 &&
        e.message.includes(`s3://${BUCKET}/nowhere/j8bt05njq.tar.gz`) &&
        /NoSuchKey/.test(e.message),
    );
    assert.ok(Date.now() - started < 4000, "a 404 is not retried");
    await assert.rejects(
      prepareS3Inputs("s3://no-such-bucket-here", j8bt, work),
      (e) => e instanceof S3Error && exitCodeOf(e) === 26,
    );
  });

  test("an unsafe or broken tarball is INPUT_TAR_FILE_ERROR (21) and nothing is extracted", async () => {
    const dir = scratch("unsafe");
    const evil = tarGz(dir, "evil.tar.gz", member({ path: "../j8bt05njq_raw.fits" }, Buffer.from("x")));
    await put("unsafe/j8bt05njq.tar.gz", readFileSync(evil));
    await put("broken/j8bt05njq.tar.gz", readFileSync(evil).subarray(0, 20));
    for (const prefix of ["unsafe", "broken"]) {
      const work = join(dir, prefix);
      await assert.rejects(
        prepareS3Inputs(`s3://${BUCKET}/${prefix}`, j8bt, work, { retry: fast }),
        (e) => e instanceof TarError && exitCodeOf(e) === 21 && e.message.includes(`s3://${BUCKET}/${prefix}/`),
      );
      assert.deepEqual(readdirSync(work), []);
    }
    assert.ok(!existsSync(join(dir, "j8bt05njq_raw.fits")));
  });
});

describe("downloadS3Object (CRDS references from an S3 mirror)", () => {
  test("checks size and sha1, then renames; a mismatch leaves no file and is 26", async () => {
    const body = readFileSync(join(HST_DATA, "j4d1435jj_bpx.fits"));
    await put("references/hst/j4d1435jj_bpx.fits", body);
    const dir = scratch("ref");
    const uri = `s3://${BUCKET}/references/hst/j4d1435jj_bpx.fits`;
    const target = join(dir, "references", "hst", "acs", "j4d1435jj_bpx.fits");
    const written = await downloadS3Object(uri, target, { size: body.length, sha1: sha1(body) });
    assert.deepEqual(written, { size: body.length, sha1: sha1(body) });
    assert.ok(readFileSync(target).equals(body));
    const other = join(dir, "other.fits");
    await assert.rejects(
      downloadS3Object(uri, other, { sha1: "0".repeat(40) }, { retry: fast }),
      (e) =>
        e instanceof S3Error &&
        exitCodeOf(e) === 26 &&
        e.message.includes(uri) &&
        /sha1 [0-9a-f]{40}, expected 0{40}/.test(e.message),
    );
    await assert.rejects(
      downloadS3Object(uri, other, { size: body.length + 1 }, { retry: fast }),
      (e) => e instanceof S3Error && exitCodeOf(e) === 26 && /expected \d+/.test(e.message),
    );
    assert.deepEqual(readdirSync(dir), ["references"], "no temporary or partial file is left");
  });
});

/** CALDP's local tree after the three steps of an s3: run: ./outputs/<ds>/..., the logs in cwd. */
function outputTree(): { cwd: string; outputs: string; products: Record<string, Buffer> } {
  const cwd = scratch("out");
  const outputs = join(cwd, "outputs");
  const ds = join(outputs, "j8bt05njq");
  mkdirSync(join(ds, "previews"), { recursive: true });
  const products: Record<string, Buffer> = {
    "j8bt05njq/j8bt05njq_raw.fits": readFileSync(join(HST_DATA, "j8bt05njq_raw.fits")),
    "j8bt05njq/j8bt05njq.tra": Buffer.from("trailer\n"),
    "j8bt05njq/previews/j8bt05njq_raw.jpg": Buffer.from("jpeg"),
  };
  for (const [path, body] of Object.entries(products)) writeFileSync(join(outputs, path), body);
  writeFileSync(join(ds, "j8bt05njq_cal_env.txt"), "K=V\n");
  for (const name of ["process.txt", "process_metrics.txt", "preview.txt", "preview_metrics.txt"])
    writeFileSync(join(cwd, name), `${name}\n`);
  return { cwd, outputs, products };
}

describe("s3:// output", () => {
  test("tarball and the four logs land at s3://<bucket>/outputs/<ds>/ (prefix ignored); local files kept", async () => {
    const { cwd, outputs, products } = outputTree();
    const lines: string[] = [];
    const got = await uploadDatasetOutputs({
      dataset: j8bt,
      outputUri: `s3://${BUCKET}/some/prefix`,
      localOutputDir: outputs,
      logsDir: cwd,
      log: new Logger(undefined, (l) => lines.push(l)),
    });
    assert.equal(got.tarballUri, `s3://${BUCKET}/outputs/j8bt05njq/j8bt05njq.tar.gz`);
    assert.deepEqual(await keys("outputs/j8bt05njq/"), [
      "outputs/j8bt05njq/j8bt05njq.tar.gz",
      "outputs/j8bt05njq/preview.txt",
      "outputs/j8bt05njq/preview_metrics.txt",
      "outputs/j8bt05njq/process.txt",
      "outputs/j8bt05njq/process_metrics.txt",
    ]);
    assert.equal((await get("outputs/j8bt05njq/process_metrics.txt")).toString(), "process_metrics.txt\n");
    const stored = join(cwd, "stored.tar.gz");
    writeFileSync(stored, await get("outputs/j8bt05njq/j8bt05njq.tar.gz"));
    const members: Record<string, Buffer> = {};
    await tar.t({
      file: stored,
      onReadEntry: (entry) => {
        const chunks: Buffer[] = [];
        entry.on("data", (c: Buffer) => chunks.push(c));
        entry.on("end", () => {
          members[entry.path] = Buffer.concat(chunks);
        });
      },
    });
    assert.deepEqual(Object.keys(members).sort(), Object.keys(products).sort(), "the env file is not tarred");
    for (const [path, body] of Object.entries(products)) assert.ok(members[path].equals(body), path);
    assert.ok(existsSync(join(outputs, "j8bt05njq", "j8bt05njq.tar.gz")), "the tarball stays local");
    for (const path of Object.keys(products)) assert.ok(existsSync(join(outputs, path)));
    assert.ok(lines.some((l) => /Uploaded .*j8bt05njq\.tar\.gz to s3:\/\/.* MB\/s/.test(l)));
  });

  test("no products: the inputs are tarred for debugging (CALDP's fallback)", async () => {
    const cwd = scratch("fallback");
    mkdirSync(join(cwd, "inputs", "j8bt05njq"), { recursive: true });
    writeFileSync(join(cwd, "inputs", "j8bt05njq", "j8bt05njq_raw.fits"), "raw");
    await uploadDatasetOutputs({
      dataset: j8bt,
      outputUri: `s3://${BUCKET}`,
      localOutputDir: join(cwd, "outputs"),
      inputsDir: join(cwd, "inputs"),
      logsDir: cwd,
      log: quiet(),
    });
    const stored = join(cwd, "stored.tar.gz");
    writeFileSync(stored, await get("outputs/j8bt05njq/j8bt05njq.tar.gz"));
    const paths: string[] = [];
    await tar.t({ file: stored, onReadEntry: (e) => paths.push(e.path) });
    assert.deepEqual(paths, ["j8bt05njq/j8bt05njq_raw.fits"]);
  });

  test("a bucket that does not exist is S3_UPLOAD_ERROR (25) naming the object; nothing local is lost", async () => {
    const { cwd, outputs, products } = outputTree();
    await assert.rejects(
      uploadDatasetOutputs({
        dataset: j8bt,
        outputUri: "s3://no-such-bucket-here",
        localOutputDir: outputs,
        logsDir: cwd,
        log: quiet(),
      }),
      (e) =>
        e instanceof S3Error &&
        exitCodeOf(e) === 25 &&
        e.message.includes("s3://no-such-bucket-here/outputs/j8bt05njq/j8bt05njq.tar.gz") &&
        /NoSuchBucket/.test(e.message),
    );
    for (const path of Object.keys(products)) assert.ok(existsSync(join(outputs, path)));
  });
});

describe("S3Store (messages/)", () => {
  test("CALDP's message sequence lands at s3://<bucket>/messages/ as in the local folder", async () => {
    const cwd = scratch("messages");
    await put("messages/submit-j8bt05njq", Buffer.alloc(0));
    await put("messages/error-j8bt05njq", Buffer.from("stale"));
    const store = new S3Store({ bucket: BUCKET });
    const lines: string[] = [];
    const messages = new DatasetMessages(
      "j8bt05njq",
      [new LocalStore(cwd), store],
      new Logger(undefined, (l) => lines.push(l)),
    );
    await messages.init();
    await messages.processing();
    assert.deepEqual(await store.list("messages/"), ["messages/processing-j8bt05njq"]);
    const tarballUri = `s3://${BUCKET}/outputs/j8bt05njq/j8bt05njq.tar.gz`;
    await messages.final("processed", { tarballUri });
    assert.deepEqual(await keys("messages/"), ["messages/processed-j8bt05njq.trigger"]);
    assert.equal((await get("messages/processed-j8bt05njq.trigger")).toString(), tarballUri);
    assert.deepEqual(readdirSync(join(cwd, "messages")), ["processed-j8bt05njq.trigger"]);
    assert.ok(lines.includes(`INFO - Message file created: s3://${BUCKET}/messages/processed-j8bt05njq.trigger`));
    await store.remove("messages/never-there");
  });

  test("list pages through more than one page of keys; a missing bucket is 25 on put", async () => {
    const store = new S3Store({ bucket: BUCKET });
    const names = Array.from({ length: 1003 }, (_, i) => `paged/m-${String(i).padStart(4, "0")}`);
    for (let i = 0; i < names.length; i += 50) await Promise.all(names.slice(i, i + 50).map((k) => store.put(k, "")));
    assert.deepEqual(await store.list("paged/m-"), names);
    await assert.rejects(
      new S3Store({ bucket: "no-such-bucket-here", retry: fast }).put("messages/x", "x"),
      (e) => e instanceof S3Error && exitCodeOf(e) === 25 && e.message.includes("s3://no-such-bucket-here/messages/x"),
    );
  });
});
