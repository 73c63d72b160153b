/**
 * A small pool of worker threads for pixel work (chips and exposures in parallel). A task names a module
 * and one of its exported functions; arguments and results are structured-cloned, and the ArrayBuffers of
 * their typed arrays are transferred, not copied. Under tsx (development and tests) the workers load tsx
 * themselves, since module hooks are not inherited by workers on Node 20.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";

export interface Task {
  /** URL of the module (import.meta.url-relative `new URL("./x.js", import.meta.url)` works for .ts and .js). */
  module: URL;
  /** Name of an exported function taking `args` and returning (a promise of) the result. */
  fn: string;
  args: unknown;
}

/** Every ArrayBuffer reachable through typed arrays in a value (for transfer lists). */
export function buffersOf(value: unknown, found = new Set<ArrayBuffer>()): ArrayBuffer[] {
  if (ArrayBuffer.isView(value)) {
    if (value.buffer instanceof ArrayBuffer) found.add(value.buffer);
  } else if (Array.isArray(value)) {
    for (const v of value) buffersOf(v, found);
  } else if (value !== null && typeof value === "object") {
    for (const v of Object.values(value)) buffersOf(v, found);
  }
  return [...found];
}

const RUNNER = `
const { parentPort } = require("node:worker_threads");
const buffersOf = ${buffersOf.toString()};
const ready = process.env.CALDP_WORKER_TSX ? import(process.env.CALDP_WORKER_TSX).then((m) => m.register()) : Promise.resolve();
parentPort.on("message", async ({ id, module, fn, args }) => {
  try {
    await ready;
    const m = await import(module);
    if (typeof m[fn] !== "function") throw new Error(module + " exports no function " + fn);
    const result = await m[fn](args);
    parentPort.postMessage({ id, ok: true, result }, buffersOf(result));
  } catch (error) {
    parentPort.postMessage({ id, ok: false, error: error instanceof Error ? { name: error.name, message: error.message, stack: error.stack, code: error.code } : { message: String(error) } });
  }
});
`;

/** The tsx loader URL when this process runs TypeScript sources, else undefined. */
function tsxLoader(): string | undefined {
  if (!import.meta.url.endsWith(".ts")) return undefined;
  return import.meta.resolve("tsx/esm/api");
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

/** Runs tasks on up to `size` workers (default: the machine's cores) and returns the results in task order. */
export async function runTasks<R>(tasks: readonly Task[], size = availableParallelism()): Promise<R[]> {
  if (tasks.length === 0) return [];
  const workerCount = Math.max(1, Math.min(size, tasks.length));
  const tsx = tsxLoader();
  const env = { ...process.env, ...(tsx ? { CALDP_WORKER_TSX: tsx } : {}) };
  const workers = Array.from({ length: workerCount }, () => new Worker(RUNNER, { eval: true, env }));
  const results: R[] = new Array(tasks.length);
  let next = 0;
  try {
    await Promise.all(
      workers.map(async (worker) => {
        const pending = new Map<number, Pending>();
        worker.on("message", ({ id, ok, result, error }) => {
          const p = pending.get(id);
          pending.delete(id);
          if (ok) p?.resolve(result);
          else p?.reject(Object.assign(new Error(error.message), error));
        });
        worker.on("error", (error) => {
          for (const p of pending.values()) p.reject(error);
        });
        while (next < tasks.length) {
          const id = next++;
          const task = tasks[id];
          results[id] = (await new Promise<unknown>((resolve, reject) => {
            pending.set(id, { resolve, reject });
            worker.postMessage({ id, module: task.module.href, fn: task.fn, args: task.args }, buffersOf(task.args));
          })) as R;
        }
      }),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}
