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
import { attemptCommand } from "./attempt.js";
import { recordAttemptEnd } from "./attempt-end.js";
import { killGroup, runChild } from "./child.js";
import { handBack, releaseIfHeld, withinMs } from "./handback.js";
import { acquireLease, hostId, isCurrentAttempt, LeaseKeeper, newToken, processStart } from "./lease.js";
import { hasMessage, messageKey, moveTo } from "./messages.js";
import { type BatchJobData, BatchQueues, connectionCause, queueName, shownUrl, workerConnection } from "./queues.js";
import { reconcile } from "./reconcile.js";
import { type AttemptRecord, isFinal, type JobRecord, readRecord, writeRecord } from "./records.js";
import { rungOf } from "./rungs.js";
import { type BatchStore, openOutputStore } from "./store.js";
import { finish, reasonBody } from "./transitions.js";

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
  /** On stop, how long a running child gets between SIGTERM and SIGKILL (ms). */
  stopGraceMs?: number;
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
  /** The signal that stops this worker, once one came. */
  private stopping?: NodeJS.Signals;
  private readonly stopChildren = new AbortController();
  /** The jobs being handled now (by bullmq job): their dataset, and what stop() waits for. */
  private readonly inFlight = new Map<Job, { dataset: string; handled: Promise<unknown> }>();
  /** The Redis error last logged, so that a Redis that stays away is one line, not one per reconnect. */
  private redisError?: string;
  private reconcileError?: string;

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
    this.worker = new Worker<BatchJobData, JobOutcome>(queueName(this.rung), (job) => this.track(job), {
      connection: this.connection,
      concurrency: this.options.concurrency,
      lockDuration: this.options.lockMs,
      stalledInterval: Math.max(500, Math.floor(this.options.lockMs / 2)),
      maxStalledCount: 4,
    });
    this.worker.on("error", (e) => this.redisTrouble(e));
    this.connection.on("ready", () => {
      if (this.redisError) this.log(`Redis at ${shownUrl(this.options.redis)} answers again`);
      this.redisError = undefined;
    });
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
        const line = `reconcile ${store.uri}: ${this.queues.describe(e)}`;
        if (line !== this.reconcileError) this.log(line);
        this.reconcileError = line;
        continue;
      }
      this.reconcileError = undefined;
    }
  }

  private redisTrouble(e: Error): void {
    if (!this.queues.unreachable(e)) {
      this.log(`worker error: ${e.message}`);
      return;
    }
    const cause = connectionCause(e);
    if (cause === this.redisError) return;
    this.redisError = cause;
    this.log(`cannot reach Redis at ${shownUrl(this.options.redis)}: ${cause} (retrying)`);
  }

  async close(): Promise<void> {
    clearInterval(this.reconcileTimer);
    await this.worker?.close();
    await this.queues.close();
    this.connection.disconnect();
    this.removeOwnWorkDir();
  }

  /** The default work folder is this process's own (named by its pid): gone with it, unless a child may still be in it. */
  private removeOwnWorkDir(): void {
    if (this.options.workDir === undefined) rmSync(this.workDir, { recursive: true, force: true });
  }

  /** Upper bound of stop(): the children's grace, then the hand-backs and closing the connections. */
  get stopBoundMs(): number {
    return (this.options.stopGraceMs ?? 10_000) + 8000;
  }

  /**
   * Stops on a signal, Redis or not: running children get SIGTERM (SIGKILL after the grace), each dataset
   * in hand is handed back (handback.ts), then the connections close, each step bounded in time.
   */
  async stop(signal: NodeJS.Signals): Promise<void> {
    this.stopping = signal;
    clearInterval(this.reconcileTimer);
    const held = () => [...new Set([...this.inFlight.values()].map((f) => f.dataset))];
    const grace = (this.options.stopGraceMs ?? 10_000) / 1000;
    this.log(
      `caldp batch worker ${this.name}: ${signal}: stopping; ` +
        (held().length
          ? `handing back ${held().join(" ")} (SIGTERM to the child, SIGKILL after ${grace} s)`
          : "no job in hand"),
    );
    this.stopChildren.abort();
    const settled = await withinMs(
      [...this.inFlight.values()].map((f) => f.handled),
      this.stopBoundMs - 3000,
    );
    if (!settled) this.log(`stop: ${held().join(" ")} still in hand; leaving them to bullmq's stalled-job check`);
    // bullmq's close waits for Redis to take the jobs' ends; a Redis that is away gets 2 s
    await withinMs([this.worker?.close(true)], 2000);
    await this.queues.close();
    this.connection.disconnect();
    if (settled) this.removeOwnWorkDir();
    this.log(`caldp batch worker ${this.name} stopped`);
  }

  /** process(), remembered while it runs so that stop() can wait for it. */
  private track(job: Job<BatchJobData, JobOutcome>): Promise<JobOutcome> {
    const handled = this.process(job).finally(() => this.inFlight.delete(job));
    this.inFlight.set(job, { dataset: job.data.dataset, handled: handled.catch(() => undefined) });
    return handled;
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
    const stopping = () => this.stopping !== undefined;
    const lease = await acquireLease(store, dataset, submission, me, this.options.leaseMs, this.log, stopping);
    // failed, the job is put back by reconcile if the holder does not end the dataset (stalled, if Redis is away)
    if (!lease && stopping()) throw new Error(`${dataset}: worker stopping; left to the worker that holds its lease`);
    if (!lease) return { dataset, outcome: "skipped (ended while another worker held it)" };
    let keeper: LeaseKeeper | undefined;
    try {
      const record = (await readRecord(store, dataset))!;
      if (isFinal(record) || record.submission !== submission) return { dataset, outcome: "skipped (ended meanwhile)" };
      if (this.stopping) {
        const released = () => releaseIfHeld(store, dataset, lease.token);
        const why = `worker ${this.name} stopped by ${this.stopping} before it started`;
        return {
          dataset,
          outcome: await handBack({ store, queues: this.queues, record, why, releaseLease: released, log: this.log }),
        };
      }
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
      else await releaseIfHeld(store, dataset, lease.token);
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
      stop: this.stopChildren.signal,
      stopGraceMs: this.options.stopGraceMs,
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
    if (end.killedFor === "shutdown") {
      rmSync(cwd, { recursive: true, force: true });
      attempt.end = { exitCode: end.exitCode, signal: end.signal, killedFor: end.killedFor };
      attempt.child_ms = Math.round(end.childMs * 10) / 10;
      const why = `worker ${this.name} stopped by ${this.stopping}`;
      const releaseLease = () => keeper.release();
      const outcome = await handBack({ store, queues: this.queues, record, attempt, why, releaseLease, log: this.log });
      return { dataset: ds, outcome };
    }
    const outcome = await recordAttemptEnd({
      store,
      queues: this.queues,
      record,
      attempt,
      end,
      cwd,
      taken,
      workerName: this.name,
      log: this.log,
    });
    return { dataset: ds, outcome };
  }
}
