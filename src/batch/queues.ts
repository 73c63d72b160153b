/** One bullmq queue per memory rung, on one Redis; job ids `<ds>-<submission>` make every add idempotent. */
import { type Job, Queue } from "bullmq";
import { Redis } from "ioredis";
import { RUNGS, type Rung, rungOf } from "./rungs.js";

export const DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";
/** The output locations of the batch, so that `status` and the dashboard find them without options. */
const OUTPUTS_KEY = "caldp:batch:outputs";

export const redisUrl = (option?: string) => option ?? process.env.REDIS_URL ?? DEFAULT_REDIS_URL;
export const queueName = (rung: Rung) => `caldp-${rung.name}`;
export const jobId = (ds: string, submission: number) => `${ds}-${submission}`;

export interface BatchJobData {
  dataset: string;
  output: string;
  submission: number;
}

/** How long a connection attempt may take before it counts as failed (a host that drops packets). */
const CONNECT_TIMEOUT_MS = 5000;
/** A command of the CLI commands and the queues (never a blocking one) that gets no answer fails after this. */
const COMMAND_TIMEOUT_MS = 10_000;
/** The cause of a command without an answer: ioredis' command timeout and our deadline end at the same moment. */
const NO_ANSWER = `no answer within ${COMMAND_TIMEOUT_MS / 1000} s`;

/** A connection for bullmq workers: blocking commands must wait through reconnects (stack.md §4). */
export const workerConnection = (url: string) =>
  new Redis(url, { maxRetriesPerRequest: null, connectTimeout: CONNECT_TIMEOUT_MS });

/** The URL without its password, for messages and logs. */
export function shownUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.password) return url;
    parsed.password = "***";
    return parsed.toString();
  } catch {
    return url;
  }
}

/** The short cause of a connection error: its code (ECONNREFUSED, ENOTFOUND, ETIMEDOUT) or its message. */
export function connectionCause(error: unknown): string {
  const message = (error as Error)?.message ?? String(error);
  if (/Command timed out/i.test(message)) return NO_ANSWER;
  return (error as NodeJS.ErrnoException)?.code ?? message;
}

/** Connection errors in a row after which a queue operation gives up before its deadline. */
const FAILURES_BEFORE_GIVING_UP = 3;
const CONNECTION_CODES = ["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "EHOSTUNREACH"];

/** Redis did not answer: one line naming the URL and why. */
export class RedisUnreachableError extends Error {
  constructor(url: string, cause: string) {
    super(`cannot reach Redis at ${shownUrl(url)}: ${cause}`);
    this.name = "RedisUnreachableError";
  }
}

export class BatchQueues {
  readonly redis: Redis;
  private readonly queues = new Map<number, Queue<BatchJobData>>();
  /** The connection's last error: commands fail with "max retries", this says why. */
  private lastError?: string;
  /** Connection errors since the connection was last ready. */
  private failures = 0;

  constructor(readonly url: string) {
    this.redis = new Redis(url, {
      maxRetriesPerRequest: 3,
      connectTimeout: CONNECT_TIMEOUT_MS,
      commandTimeout: COMMAND_TIMEOUT_MS,
    });
    this.redis.on("error", (e: Error) => {
      this.lastError = connectionCause(e);
      this.failures += 1;
    });
    this.redis.on("ready", () => {
      this.lastError = undefined;
      this.failures = 0;
    });
  }

  /** One line for a failed command: the Redis URL and the connection's error when there is one. */
  describe(error: unknown): string {
    return this.unreachable(error)?.message ?? `Redis ${shownUrl(this.url)}: ${(error as Error).message}`;
  }

  /**
   * The failure as a RedisUnreachableError when it is the connection's (refused, unknown host, no answer),
   * else undefined: ioredis then reports only "Reached the max retries per request limit" or "Command timed out".
   */
  unreachable(error: unknown): RedisUnreachableError | undefined {
    if (error instanceof RedisUnreachableError) return error;
    const message = (error as Error)?.message ?? "";
    const code = (error as NodeJS.ErrnoException)?.code;
    const fromIoredis = /max retries per request|Command timed out|Connection is closed|Stream isn't writeable/i;
    if (!fromIoredis.test(message) && !(code && CONNECTION_CODES.includes(code))) return undefined;
    const cause = this.lastError ?? (/Command timed out/i.test(message) ? NO_ANSWER : connectionCause(error));
    return new RedisUnreachableError(this.url, cause);
  }

  queue(bin: number): Queue<BatchJobData> {
    let queue = this.queues.get(bin);
    if (!queue) {
      queue = new Queue<BatchJobData>(queueName(rungOf(bin)), { connection: this.redis });
      // without a listener bullmq prints every reconnect failure's stack; the connection's own listener keeps the cause
      queue.on("error", () => undefined);
      this.queues.set(bin, queue);
    }
    return queue;
  }

  /**
   * A queue operation with a deadline: bullmq waits for the shared connection to be ready without a limit,
   * so a Redis that is down or never answers would stall the command forever. It fails at the deadline, or
   * sooner once the connection has failed a few times in a row (a refused connection fails in well under 1 s).
   */
  bounded<T>(operation: Promise<T>, ms = COMMAND_TIMEOUT_MS): Promise<T> {
    const until = Date.now() + ms;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setInterval(() => {
        if (this.failures < FAILURES_BEFORE_GIVING_UP && Date.now() < until) return;
        reject(new RedisUnreachableError(this.url, this.lastError ?? `no answer within ${ms / 1000} s`));
      }, 100);
    });
    return Promise.race([operation, deadline]).finally(() => clearInterval(timer));
  }

  async enqueue(data: BatchJobData, bin: number): Promise<void> {
    await this.bounded(
      this.queue(bin).add("caldp-process", data, {
        jobId: jobId(data.dataset, data.submission),
        removeOnComplete: { age: 7 * 24 * 3600 },
        removeOnFail: { age: 7 * 24 * 3600 },
      }),
    );
  }

  async findJob(ds: string, submission: number, bin: number): Promise<Job<BatchJobData> | undefined> {
    return (await this.bounded(this.queue(bin).getJob(jobId(ds, submission)))) ?? undefined;
  }

  async counts(): Promise<Record<string, Record<string, number>>> {
    const result: Record<string, Record<string, number>> = {};
    for (const rung of RUNGS) {
      result[rung.name] = await this.bounded(
        this.queue(rung.bin).getJobCounts("waiting", "active", "delayed", "completed", "failed"),
      );
    }
    return result;
  }

  async rememberOutput(output: string): Promise<void> {
    await this.redis.sadd(OUTPUTS_KEY, output);
  }

  async outputs(): Promise<string[]> {
    return (await this.redis.smembers(OUTPUTS_KEY)).sort();
  }

  /** Closes the queues (a Redis that does not answer gets a few seconds) and the connection. */
  async close(): Promise<void> {
    if (this.failures === 0)
      await this.bounded(Promise.all([...this.queues.values()].map((q) => q.close())), 3000).catch(() => undefined);
    this.redis.disconnect();
  }
}
