import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { GetObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { cancel, clean, rescue } from "../../src/batch/control.js";
import { startDashboard } from "../../src/batch/dashboard/server.js";
import { BatchQueues } from "../../src/batch/queues.js";
import type { JobRecord } from "../../src/batch/records.js";
import { submit } from "../../src/batch/submit.js";
import { useCeph } from "../io/s3-env.js";
import { batchCli, batchWorkspace, finalMessage, startWorker, useRedis, waitFor } from "./harness.js";

const BUCKET = "caldp-batch";
const OUTPUT = `s3://${BUCKET}`;
const fx = useRedis();
const { skip, workers } = fx;
const server = useCeph(skip ? [] : [BUCKET]);

async function object(key: string): Promise<Buffer | undefined> {
  try {
    const reply = await server().raw.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    return Buffer.from(await (reply.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
  } catch (e) {
    if ((e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return undefined;
    throw e;
  }
}

async function keys(prefix: string): Promise<string[]> {
  const page = await server().raw.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
  return (page.Contents ?? []).map((o) => o.Key!).sort();
}

async function record(ds: string): Promise<JobRecord | undefined> {
  const bytes = await object(`control/${ds}/job.json`);
  return bytes && JSON.parse(bytes.toString("utf8"));
}

const messages = async (ds: string) =>
  (await keys("messages/")).map((k) => k.slice("messages/".length)).filter((m) => m.includes(`-${ds}`));

function waitForEnd(datasets: string[], timeoutMs = 90000): Promise<JobRecord[]> {
  return waitFor(
    `${datasets.join(" ")} to end`,
    async () => {
      const records = await Promise.all(datasets.map(record));
      const ended = records.every((r) => r && ["processed", "error", "terminated"].includes(r.state));
      const told = await Promise.all(
        records.map(async (r) => r && (await messages(r.dataset)).includes(finalMessage(r))),
      );
      return ended && told.every(Boolean) ? (records as JobRecord[]) : undefined;
    },
    timeoutMs,
  );
}

test("a batch to s3://: records, messages, outputs and thumbnails in the bucket; status and dashboard read them", {
  skip,
}, async () => {
  const ws = batchWorkspace(["j8sa01a1q", "j8se01a1q"]);
  workers.push(startWorker(fx.redis.url, OUTPUT, "2g", ["--concurrency", "2"]));
  const common = ["--input", ws.input, "--output", OUTPUT, "--config", ws.config, "--redis", fx.redis.url];
  const submits = await Promise.all([
    batchCli(["submit", "j8sa01a1q", ...common]),
    batchCli(["submit", "j8se01a1q", ...common, "--env", "CALDP_SIMULATE_ERROR=23"]),
    batchCli(["submit", "j8sb01a1q", ...common, "--dry-run"]),
  ]);
  for (const r of submits) assert.equal(r.status, 0, r.stderr);
  const [real, failed, dry] = await waitForEnd(["j8sa01a1q", "j8se01a1q", "j8sb01a1q"]);
  assert.equal(real.state, "processed", real.exit_reason);
  assert.equal(real.output, OUTPUT);
  assert.equal(failed.state, "error");
  assert.equal(failed.cause, "version keywords failed: Error: Simulating error = 23");
  assert.equal(failed.log, `${OUTPUT}/control/j8se01a1q/attempt-1.log`);
  const failedLog = (await object("control/j8se01a1q/attempt-1.log"))?.toString() ?? "";
  assert.match(failedLog, /EXIT - STAGE1_ERROR\[23\]/);
  assert.equal(dry.state, "processed");

  const tarballUri = `${OUTPUT}/outputs/j8sa01a1q/j8sa01a1q.tar.gz`;
  assert.deepEqual(await messages("j8sa01a1q"), ["processed-j8sa01a1q.trigger"]);
  assert.equal((await object("messages/processed-j8sa01a1q.trigger"))?.toString(), tarballUri);
  assert.deepEqual(await messages("j8se01a1q"), ["error-j8se01a1q"]);
  const outputs = await keys("outputs/j8sa01a1q/");
  for (const name of ["j8sa01a1q.tar.gz", "process_metrics.txt", "previews/j8sa01a1q_flt_thumb.jpg"]) {
    assert.ok(outputs.includes(`outputs/j8sa01a1q/${name}`), `${name} in ${outputs.join(" ")}`);
  }
  // the thumbnail beside the tarball is the one inside it (extracted by GNU tar)
  const dir = mkdtempSync(join(tmpdir(), "caldp-batch-s3-"));
  writeFileSync(join(dir, "t.tar.gz"), (await object("outputs/j8sa01a1q/j8sa01a1q.tar.gz"))!);
  assert.equal(spawnSync("tar", ["-xzf", "t.tar.gz"], { cwd: dir }).status, 0);
  const thumb = (await object("outputs/j8sa01a1q/previews/j8sa01a1q_flt_thumb.jpg"))!;
  assert.deepEqual(thumb, readFileSync(join(dir, "j8sa01a1q", "previews", "j8sa01a1q_flt_thumb.jpg")));

  const status = await batchCli(["status", "--output", `${OUTPUT}/outputs`, "--redis", fx.redis.url]);
  assert.equal(status.status, 0, status.stderr);
  assert.match(status.stdout, /outputs: s3:\/\/caldp-batch\n/);
  assert.match(status.stdout, /3\/3 ended/);
  assert.match(status.stdout, /processed\s+2 .*\n\s+error\s+1 /s);

  const dashboard = await startDashboard({ port: 0, outputs: async () => [OUTPUT] });
  try {
    const summary = await (await fetch(`${dashboard.url}api/summary`)).json();
    assert.deepEqual(
      summary.rows.map((r: { dataset: string; state: string }) => `${r.dataset} ${r.state}`),
      ["j8sa01a1q processed", "j8sb01a1q processed", "j8se01a1q error"],
    );
    assert.deepEqual(summary.thumbs.j8sa01a1q, ["j8sa01a1q_flt_thumb.jpg", "j8sa01a1q_raw_thumb.jpg"]);
    const served = await fetch(`${dashboard.url}thumb/j8sa01a1q/j8sa01a1q_flt_thumb.jpg`);
    assert.equal(served.status, 200);
    assert.deepEqual(Buffer.from(await served.arrayBuffer()), thumb);
    const log = await fetch(`${dashboard.url}log/j8se01a1q`);
    assert.equal(log.status, 200);
    assert.equal(await log.text(), failedLog);
    assert.equal((await fetch(`${dashboard.url}log/j8sa01a1q`)).status, 404, "a processed dataset keeps no batch log");
  } finally {
    await dashboard.close();
  }
});

test("cancel, rescue and clean on s3://; an output under another prefix is refused", { skip }, async () => {
  const queues = new BatchQueues(fx.redis.url);
  const place = (ds: string, memoryBin: number, env: Record<string, string> = {}) =>
    submit(queues, {
      datasets: [ds],
      input: "file:/nowhere/{dataset}",
      output: OUTPUT,
      config: "",
      env,
      dryRun: true,
      memoryBin,
    });
  try {
    // nothing serves 64g: the job waits until it is cancelled
    await place("j8sw01a1q", 3);
    assert.deepEqual((await cancel(queues, OUTPUT, "j8sw01a1q")).terminated, ["j8sw01a1q"]);
    assert.equal((await record("j8sw01a1q"))?.state, "terminated");
    assert.deepEqual(await messages("j8sw01a1q"), ["terminated-j8sw01a1q"]);

    workers.push(startWorker(fx.redis.url, OUTPUT, "8g"));
    await place("j8sx01a1q", 1, { CALDP_SIMULATE_ERROR: "24" });
    await waitForEnd(["j8sx01a1q"], 30000);
    assert.deepEqual(await rescue(queues, OUTPUT, "j8sx01a1q", { timeoutScale: 2 }), ["j8sx01a1q"]);
    const again = await waitFor("the rescued attempt to end", async () => {
      const r = await record("j8sx01a1q");
      const told = (await messages("j8sx01a1q")).includes("error-j8sx01a1q");
      return r?.state === "error" && r.attempts.length === 2 && told ? r : undefined;
    });
    assert.equal(again.submission, 2);
    assert.equal(again.timeout_scale, 2);
    assert.deepEqual(await messages("j8sx01a1q"), ["error-j8sx01a1q"]);

    assert.deepEqual(await clean(queues, OUTPUT, "all"), [
      "j8sa01a1q",
      "j8sb01a1q",
      "j8se01a1q",
      "j8sw01a1q",
      "j8sx01a1q",
    ]);
  } finally {
    await queues.close();
  }
  for (const ds of ["j8sa01a1q", "j8sw01a1q", "j8sx01a1q"]) {
    assert.deepEqual(await keys(`outputs/${ds}/`), []);
    assert.deepEqual(await keys(`control/${ds}/`), []);
    assert.deepEqual(await messages(ds), []);
  }

  const refused = await batchCli(["submit", "j8sy01a1q", "--input", "file:/nowhere", "--output", `${OUTPUT}/mine`]);
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /^caldp: batch output 's3:\/\/caldp-batch\/mine': an s3 output is a bucket/);
  assert.equal(refused.stderr.trim().split("\n").length, 1);
});
