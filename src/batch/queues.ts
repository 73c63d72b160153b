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

/** A connection for bullmq workers: blocking commands must wait through reconnects (stack.md §4). */
export const workerConnection = (url: string) => new Redis(url, { maxRetriesPerRequest: null });

export class BatchQueues {
  readonly redis: Redis;
  private readonly queues = new Map<number, Queue<BatchJobData>>();
  /** The connection's last error: commands fail with "max retries", this says why. */
  private lastError?: string;

  constructor(readonly url: string) {
    this.redis = new Redis(url, { maxRetriesPerRequest: 3 });
    this.redis.on("error", (e: Error) => {
      this.lastError = e.message;
    });
  }

  /** One line for a failed command: the Redis URL and the connection's error when there is one. */
  describe(error: unknown): string {
    return `Redis ${this.url}: ${this.lastError ?? (error as Error).message}`;
  }

  queue(bin: number): Queue<BatchJobData> {
    let queue = this.queues.get(bin);
    if (!queue) {
      queue = new Queue<BatchJobData>(queueName(rungOf(bin)), { connection: this.redis });
      this.queues.set(bin, queue);
    }
    return queue;
  }

  async enqueue(data: BatchJobData, bin: number): Promise<void> {
    await this.queue(bin).add("caldp-process", data, {
      jobId: jobId(data.dataset, data.submission),
      removeOnComplete: { age: 7 * 24 * 3600 },
      removeOnFail: { age: 7 * 24 * 3600 },
    });
  }

  async findJob(ds: string, submission: number, bin: number): Promise<Job<BatchJobData> | undefined> {
    return (await this.queue(bin).getJob(jobId(ds, submission))) ?? undefined;
  }

  async counts(): Promise<Record<string, Record<string, number>>> {
    const result: Record<string, Record<string, number>> = {};
    for (const rung of RUNGS) {
      result[rung.name] = await this.queue(rung.bin).getJobCounts(
        "waiting",
        "active",
        "delayed",
        "completed",
        "failed",
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

  async close(): Promise<void> {
    for (const queue of this.queues.values()) await queue.close();
    this.redis.disconnect();
  }
}
