/**
 * `caldp batch worker`: takes jobs from one rung's queue and runs each as an attempt (attempt.ts, child.ts);
 * the exit decides the next state (rules.ts). The bullmq lock only guards against a dead worker; who runs a
 * dataset is decided by its lease in the output location and whose attempt counts by the record (lease.ts),
 * so a job handed out twice (a stalled worker, a Redis that lost its queues) still runs one child at a time,
 * never after the dataset has ended, and only the latest attempt records its end.
 */
import { mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Job, Worker } from "bullmq";
import { explain, explainSignal } from "../pipeline/exit-codes.js";
import { signalNumber } from "../pipeline/signals.js";
import { attemptCommand, attemptMetrics, finalMessageBody } from "./attempt.js";
import { killGroup, runChild } from "./child.js";
import { acquireLease, hostId, isCurrentAttempt, LeaseKeeper, newToken, processStart } from "./lease.js";
import { hasMessage, messageKey, moveTo } from "./messages.js";
import { type BatchJobData, BatchQueues, queueName, workerConnection } from "./queues.js";
import { reconcile } from "./reconcile.js";
import {
  type AttemptRecord,
  isFinal,
  type JobRecord,
  readLease,
  readRecord,
  releaseLease,
  writeRecord,
} from "./records.js";
import { countersAfter, decide } from "./rules.js";
import { rungOf } from "./rungs.js";
import { type BatchStore, openOutputStore } from "./store.js";
import { publishThumbnails } from "./thumbnails.js";
import { finish, queueSubmission, reasonBody } from "./transitions.js";

export interface WorkerOptions {
  redis: string;
  rung: string;
  concurrency: number;
  workDir?: string;
  /** How long a lease lasts without renewal (ms). */
  leaseMs: number;
  /** bullmq's lockDuration; stalled jobs are checked every half of it. */
  lockMs: number;
  reconcileMs: number;
  /** Output locations to reconcile even before a job from them arrives. */
  outputs: string[];
  /** Overrides the rung's memory limit (tests). */
  memoryLimitMiB?: number;
  log?: (line: string) => void;
}

export interface JobOutcome {
  dataset: string;
  outcome: string;
}

export class BatchWorker {
  readonly name = `${hostId()}:${process.pid}`;
  private readonly rung;
  private readonly stores = new Map<string, BatchStore>();
  private readonly queues: BatchQueues;
  private readonly workDir: string;
  private worker?: Worker<BatchJobData, JobOutcome>;
  /** bullmq leaves a connection it was given open: closed in close(). */
  private readonly connection;
  private reconcileTimer?: NodeJS.Timeout;
  private readonly log: (line: string) => void;

  constructor(private readonly options: WorkerOptions) {
    this.rung = rungOf(options.rung);
    this.queues = new BatchQueues(options.redis);
    this.connection = workerConnection(options.redis);
    this.workDir = options.workDir ?? join(tmpdir(), `caldp-batch-${process.pid}`);
    this.log = options.log ?? ((line) => console.log(line));
  }

  private store(output: string): BatchStore {
    let store = this.stores.get(output);
    if (!store) {
      store = openOutputStore(output);
      this.stores.set(output, store);
    }
    return store;
  }

  async start(): Promise<void> {
    mkdirSync(this.workDir, { recursive: true });
    for (const output of this.options.outputs) this.store(output);
    this.worker = new Worker<BatchJobData, JobOutcome>(queueName(this.rung), (job) => this.process(job), {
      connection: this.connection,
      concurrency: this.options.concurrency,
      lockDuration: this.options.lockMs,
      stalledInterval: Math.max(500, Math.floor(this.options.lockMs / 2)),
      maxStalledCount: 4,
    });
    this.worker.on("error", (e) => this.log(`worker error: ${e.message}`));
    this.log(`caldp batch worker ${this.name} on ${queueName(this.rung)} (concurrency ${this.options.concurrency})`);
    void this.reconcileAll();
    this.reconcileTimer = setInterval(() => void this.reconcileAll(), this.options.reconcileMs);
  }

  /** Puts back on the queues whatever the records say is in flight but Redis no longer has. */
  private async reconcileAll(): Promise<void> {
    for (const store of this.stores.values()) {
      try {
        await this.queues.rememberOutput(store.uri);
        const grace = Math.max(5000, 2 * this.options.reconcileMs);
        const requeued = await reconcile(store, this.queues, grace);
        if (requeued.length) this.log(`reconcile ${store.uri}: requeued ${requeued.join(" ")}`);
      } catch (e) {
        this.log(`reconcile ${store.uri}: ${(e as Error).message}`);
      }
    }
  }

  async close(): Promise<void> {
    clearInterval(this.reconcileTimer);
    await this.worker?.close();
    await this.queues.close();
    this.connection.disconnect();
  }

  private async process(job: Job<BatchJobData, JobOutcome>): Promise<JobOutcome> {
    const taken = performance.now();
    const { dataset, output, submission } = job.data;
    const store = this.store(output);
    const current = await readRecord(store, dataset);
    if (!current || isFinal(current) || current.submission !== submission) {
      return {
        dataset,
        outcome: `skipped (${current ? `${current.state}, submission ${current.submission}` : "no record"})`,
      };
    }
    const me = { worker: this.name, token: newToken() };
    const lease = await acquireLease(store, dataset, submission, me, this.options.leaseMs, this.log);
    if (!lease) return { dataset, outcome: "skipped (ended while another worker held it)" };
    let keeper: LeaseKeeper | undefined;
    try {
      const record = (await readRecord(store, dataset))!;
      if (isFinal(record) || record.submission !== submission) return { dataset, outcome: "skipped (ended meanwhile)" };
      if (record.terminated || (await hasMessage(store, "cancel", dataset))) {
        await finish(
          store,
          record,
          "terminated",
          reasonBody({ where: `worker ${this.name}`, reason: "Operator cancelled" }),
        );
        return { dataset, outcome: "terminated" };
      }
      keeper = new LeaseKeeper(store, dataset, lease, this.options.leaseMs, () => {
        this.log(`${dataset}: another worker took the attempt over; stopping this one`);
        if (lease.pgid !== undefined) killGroup(lease.pgid);
      });
      return await this.runAttempt(store, record, keeper, taken);
    } finally {
      if (keeper) await keeper.release();
      else {
        const held = await readLease(store, dataset).catch(() => undefined);
        if (held?.token === lease.token) await releaseLease(store, dataset);
      }
    }
  }

  private async runAttempt(
    store: BatchStore,
    record: JobRecord,
    keeper: LeaseKeeper,
    taken: number,
  ): Promise<JobOutcome> {
    const lease = keeper.lease;
    const ds = record.dataset;
    const bin = record.memory_bin;
    for (const earlier of record.attempts) {
      if (earlier.ended_at === undefined) {
        earlier.ended_at = new Date().toISOString();
        earlier.exit_reason = `worker ${earlier.worker} lost; taken over by ${this.name}`;
      }
    }
    const attempt: AttemptRecord = {
      submission: record.submission,
      bin,
      worker: this.name,
      host: lease.host,
      token: lease.token,
      started_at: new Date().toISOString(),
    };
    record.attempts.push(attempt);
    record.state = "processing";
    await writeRecord(store, record);
    keeper.start();
    await moveTo(store, "processing", ds, `${messageKey("processing", ds).slice("messages/".length)}\n`);

    const cwd = join(this.workDir, `${ds}-${record.submission}-${record.attempts.length}`);
    rmSync(cwd, { recursive: true, force: true });
    mkdirSync(cwd, { recursive: true });
    const limitMiB = this.options.memoryLimitMiB ?? rungOf(bin).memoryMiB;
    const { command, args } = attemptCommand(record, cwd, limitMiB);
    let started: Promise<unknown> = Promise.resolve();
    const end = await runChild({
      command,
      args,
      cwd,
      env: { ...process.env, ...record.env },
      killTimeMs: record.kill_time * 1000,
      memoryLimitMiB: limitMiB,
      cancelled: () => hasMessage(store, "cancel", ds),
      onStart: (pgid) => {
        if (keeper.lost) killGroup(pgid);
        lease.pgid = pgid;
        lease.pgid_start = processStart(pgid);
        attempt.pgid = pgid;
        started = Promise.all([keeper.write(), writeRecord(store, record)]).catch(() => undefined);
      },
    });
    // the record's pgid write must not land after the attempt's end; no renewal may see that end as a takeover
    await started;
    await keeper.stop();
    if (keeper.lost || !isCurrentAttempt(await readRecord(store, ds), record.submission, lease.token)) {
      rmSync(cwd, { recursive: true, force: true });
      this.log(`${ds}: attempt ${lease.token} was taken over by another worker: its end is not recorded`);
      return { dataset: ds, outcome: "refused (stale attempt)" };
    }
    const metrics = attemptMetrics(cwd);
    const decision = decide(end, {
      memoryBin: bin,
      memoryRetries: record.memory_retries,
      retries: record.retries,
      terminated: false,
    });
    const counters = countersAfter(decision, {
      memoryBin: bin,
      memoryRetries: record.memory_retries,
      retries: record.retries,
      terminated: record.terminated,
    });
    const exitReason = end.signal
      ? explainSignal(signalNumber(end.signal) ?? 0)
      : end.exitCode !== null
        ? explain(end.exitCode)
        : `spawn failed: ${end.spawnError}`;
    Object.assign(attempt, {
      ended_at: new Date().toISOString(),
      end: { ...end, childMs: undefined, peakGroupRssKb: undefined },
      decision,
      exit_reason: exitReason,
      wall_seconds: metrics.wallSeconds ?? end.childMs / 1000,
      max_rss_kb: metrics.maxRssKb ?? end.peakGroupRssKb,
      child_ms: Math.round(end.childMs * 10) / 10,
    });
    Object.assign(record, {
      memory_bin: counters.memoryBin,
      memory_retries: counters.memoryRetries,
      retries: counters.retries,
      exit_code: end.exitCode ?? (end.signal ? `signal ${end.signal}` : "spawn"),
      exit_reason: exitReason,
      status_reason: end.killedFor ? `killed by the worker: ${end.killedFor}` : decision.reason,
      wall_seconds: attempt.wall_seconds,
      max_rss_kb: attempt.max_rss_kb,
    });
    const finishAttempt = () => {
      attempt.handled_ms = Math.round((performance.now() - taken) * 10) / 10;
    };
    if (decision.action === "processed") {
      record.processed_bin = bin;
      if (record.output.startsWith("s3://")) {
        await publishThumbnails(store, cwd, ds).catch((e) => this.log(`${ds}: thumbnails not copied: ${e.message}`));
      }
      finishAttempt();
      const name = messageKey("processed", ds).slice("messages/".length);
      await finish(store, record, "processed", finalMessageBody(cwd, name) ?? `${name}\n`);
    } else if (decision.action === "rescue") {
      finishAttempt();
      const body = reasonBody({ reason: decision.reason, exit_code: record.exit_code, memory_bin: decision.bin });
      await queueSubmission(store, this.queues, record, "rescue", body);
    } else {
      finishAttempt();
      const body = reasonBody({
        where: `worker ${this.name}`,
        exit_code: record.exit_code,
        exit_reason: exitReason,
        reason: decision.reason,
      });
      await finish(store, record, decision.action, body);
    }
    rmSync(cwd, { recursive: true, force: true });
    this.log(
      `${ds}: ${exitReason} → ${decision.action}${decision.action === "rescue" ? ` (bin ${decision.bin})` : ""}`,
    );
    return { dataset: ds, outcome: decision.action };
  }
}
