/** CALDP's sysexit.retry: a few attempts with jittered exponential backoff between them. */

export interface RetryOptions {
  attempts?: number;
  /** Seconds to wait after failed attempt `tried` (1-based); default CALDP's max(min(U(0.5,1)·2^tried, 64), 1). */
  delaySeconds?: (tried: number) => number;
  onRetry?: (error: unknown, tried: number, waitSeconds: number) => void;
}

export function caldpBackoff(tried: number): number {
  return Math.max(Math.min((0.5 + Math.random() / 2) * 2 ** tried, 64), 1);
}

/** Runs `attempt` until it succeeds or `attempts` (3) have failed; the last failure is rethrown. */
export async function retry<T>(attempt: () => T | Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 3;
  const delay = options.delaySeconds ?? caldpBackoff;
  for (let tried = 1; ; tried++) {
    try {
      return await attempt();
    } catch (error) {
      if (tried >= attempts) throw error;
      const wait = delay(tried);
      options.onRetry?.(error, tried, wait);
      await new Promise((resolve) => setTimeout(resolve, wait * 1000));
    }
  }
}
