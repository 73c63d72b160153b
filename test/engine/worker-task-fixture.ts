// Functions run by test/engine/worker-pool.test.ts inside worker threads.
import { threadId } from "node:worker_threads";

export function scale(args: { data: Float32Array; factor: number }): { data: Float32Array; thread: number } {
  for (let i = 0; i < args.data.length; i++) args.data[i] *= args.factor;
  return { data: args.data, thread: threadId };
}

export function fail(args: { message: string }): never {
  throw Object.assign(new RangeError(args.message), { code: "E_TEST" });
}
