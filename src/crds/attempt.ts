/** One attempt of a CRDS server call: its time limit, what makes it worth another attempt, a bounded answer. */
import { ServiceError } from "./errors.js";

/** A transport failure worth another attempt. */
export class TransientError extends Error {}

/** The most bytes a JSON-RPC answer may have (get_server_info with its download metadata is tens of MB). */
const MAX_ANSWER_BYTES = 256 * 1024 * 1024;

export async function readAnswer(reply: Response, what: string): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of reply.body ?? []) {
    size += chunk.length;
    if (size > MAX_ANSWER_BYTES) {
      await reply.body?.cancel().catch(() => {});
      throw new ServiceError(`${what}: the answer exceeds ${MAX_ANSWER_BYTES} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export const DEFAULT_CRDS_TIMEOUT_MS = 60_000;

/** An attempt's time limit: `touch()` restarts it (a download that keeps receiving data is not stalled). */
export class AttemptTimer {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  timedOut = false;
  constructor(private readonly ms: number) {
    this.touch();
  }
  get signal(): AbortSignal {
    return this.controller.signal;
  }
  touch(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.controller.abort(new TransientError("timed out"));
    }, this.ms);
  }
  stop(): void {
    clearTimeout(this.timer);
  }
}
