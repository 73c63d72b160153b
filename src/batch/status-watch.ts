/**
 * `caldp batch status --watch`: the summary redrawn every interval (cursor home, clear screen, the frame) until
 * SIGINT or SIGTERM, after which it returns normally so that the caller closes its Redis connection and the
 * process exits 0. A frame that cannot be computed (Redis or the output location not answering) shows the
 * error and the next frame tries again.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { BatchQueues } from "./queues.js";
import { type BatchSummary, renderSummary, summarize } from "./status.js";

export const CLEAR_SCREEN = "\x1b[H\x1b[2J";

export interface WatchOptions {
  outputs: () => Promise<string[]>;
  queues: BatchQueues;
  render?: (summary: BatchSummary) => string;
  intervalMs?: number;
  write?: (text: string) => void;
}

export async function watchStatus(options: WatchOptions): Promise<void> {
  const render = options.render ?? renderSummary;
  const write = options.write ?? ((text: string) => process.stdout.write(text));
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    while (!stop.signal.aborted) {
      let text: string;
      try {
        text = render(await summarize(await options.outputs(), options.queues));
      } catch (e) {
        text = `status: ${(options.queues.unreachable(e) ?? (e as Error)).message}\n`;
      }
      const stamp = new Date().toISOString().replace(/\.\d+Z$/, "Z");
      write(`${CLEAR_SCREEN}caldp batch status at ${stamp} (Ctrl-C to stop)\n${text}`);
      await sleep(options.intervalMs ?? 1000, undefined, { signal: stop.signal }).catch(() => undefined);
    }
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
