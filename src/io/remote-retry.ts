/** Retries of remote transfers: exponential backoff with full jitter, stopping early on permanent failures. */

/** The logging the I/O layer needs; caldp's Logger fits. */
export interface IoLog {
  info(...args: unknown[]): void;
  warning(...args: unknown[]): void;
}

export interface RetryPolicy {
  /** Attempts including the first (default 3). */
  attempts?: number;
  /** Upper bound of the first wait in ms (default 1000), doubled per failure up to 20 s; the wait is jittered. */
  baseDelayMs?: number;
}

export interface RetryContext extends RetryPolicy {
  log?: IoLog;
  /** False for failures another attempt cannot fix (a missing object, a refused credential). */
  isRetryable?: (error: unknown) => boolean;
}

const MAX_DELAY_MS = 20_000;

/** One line for a failure: the message's first line, or the network cause's code. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
  const text = error.message.split("\n")[0] || error.name;
  if (text === "fetch failed" && cause) return cause.code ?? cause.message ?? text;
  return text;
}

/**
 * Runs `attempt` until it succeeds, a failure is not retryable, or the attempts are used up; the last error is
 * rethrown. `what` names the transfer in the retry warnings.
 */
export async function withRetries<T>(
  what: string,
  attempt: (tried: number) => Promise<T>,
  context: RetryContext = {},
): Promise<T> {
  const attempts = Math.max(1, Math.floor(context.attempts ?? 3));
  const base = context.baseDelayMs ?? 1000;
  for (let tried = 1; ; tried++) {
    try {
      return await attempt(tried);
    } catch (error) {
      const retryable = context.isRetryable?.(error) ?? true;
      if (!retryable || tried >= attempts) throw error;
      const waitMs = Math.random() * Math.min(MAX_DELAY_MS, base * 2 ** (tried - 1));
      context.log?.warning(
        `${what} failed (attempt ${tried} of ${attempts}): ${describeError(error)}; retrying in ${(waitMs / 1000).toFixed(1)} s`,
      );
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }
}

/** A time limit for one attempt, aborting its `signal` with a message naming the limit; `touch()` restarts it. */
export class AttemptDeadline {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly ms: number,
    private readonly setting: string,
  ) {
    this.touch();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  touch(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(
      () => this.controller.abort(new Error(`timed out after ${this.ms / 1000} s (${this.setting})`)),
      this.ms,
    );
  }

  stop(): void {
    clearTimeout(this.timer);
  }
}

/** Seconds from `name` in `env` as ms, else `fallbackMs`; a value that is not a positive number is refused. */
export function timeoutFromEnv(env: Readonly<Record<string, string | undefined>>, name: string, fallbackMs: number) {
  const text = env[name]?.trim();
  if (!text) return fallbackMs;
  const seconds = Number(text);
  if (!(seconds > 0) || !Number.isFinite(seconds)) throw new Error(`${name}='${env[name]}' is not a positive number`);
  return seconds * 1000;
}

/** The most bytes a service answer (JSON) may have: a peer streaming without end fails instead of filling memory. */
export const MAX_ANSWER_BYTES = 256 * 1024 * 1024;

/** The body of `reply` as text, refused (a plain Error) beyond `maxBytes`. */
export async function readAnswer(reply: Response, what: string, maxBytes = MAX_ANSWER_BYTES): Promise<string> {
  if (!reply.body) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of reply.body) {
    size += chunk.length;
    if (size > maxBytes) {
      await reply.body.cancel().catch(() => {});
      throw new Error(`${what}: the answer exceeds ${maxBytes} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}
