/**
 * A small pool of worker threads for pixel work (chips and exposures in parallel). A task function is an
 * exported function of a module, named through `taskModule`, so that the compiler checks its name, its
 * argument and its result; arguments and results are structured-cloned, and the ArrayBuffers of their
 * typed arrays are transferred, not copied. A task's error comes back as its own class (worker-errors.ts).
 * Under tsx (development and tests) the workers load tsx themselves, since module hooks are not inherited
 * by workers on Node 20.
 */
import { availableParallelism } from "node:os";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { Worker } from "node:worker_threads";
import { rebuiltError, type SentError, sendableError } from "./worker-errors.js";

/** An exported function of a module, run in a worker thread with an argument of type A, giving R. */
export interface TaskFunction<A, R> {
  readonly module: URL;
  readonly fn: string;
  /** Never set: carries the argument and result types. */
  readonly signature?: (args: A) => R;
}

// biome-ignore lint/suspicious/noExplicitAny: the constraint accepts any one-argument function
type OneArgument = (args: any) => unknown;
type FunctionNames<M> = { [K in keyof M]: M[K] extends OneArgument ? K : never }[keyof M] & string;

/**
 * The task functions of one module, checked against its type: with
 * `const uvisTask = taskModule<typeof import("./uvis-tasks.js")>(new URL("./uvis-tasks.js", import.meta.url))`,
 * `uvisTask("uvisCcdTask")` is a TaskFunction of that function's argument and result (the `.js` URL is
 * turned into `.ts` when this runs from the sources).
 */
export function taskModule<M>(module: URL) {
  const url = import.meta.url.endsWith(".ts") ? new URL(module.href.replace(/\.js$/, ".ts")) : module;
  return <K extends FunctionNames<M>>(fn: K): TaskFunction<TaskArgs<M[K]>, TaskResult<M[K]>> => ({ module: url, fn });
}

type TaskArgs<F> = F extends (args: infer A) => unknown ? A : never;
type TaskResult<F> = F extends (args: never) => infer R ? Awaited<R> : never;

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

function isDetached(buffer: ArrayBuffer): boolean {
  try {
    new Uint8Array(buffer, 0, 0);
    return false;
  } catch {
    return true;
  }
}

// After each task the worker runs a full garbage collection: a worker's big scratch arrays would otherwise stay
// allocated while it idles (V8 frees ArrayBuffers only when that thread's heap is collected). It runs once the
// task's async frame is gone: a collection inside it would keep the task's message (its arguments, e.g. shared
// references of a round that is over) alive until the worker's next task ends.
const RUNNER = `
const { parentPort } = require("node:worker_threads");
require("node:v8").setFlagsFromString("--expose-gc");
const collect = require("node:vm").runInNewContext("gc");
const buffersOf = ${buffersOf.toString()};
const sendableError = ${sendableError.toString()};
const ready = process.env.CALDP_WORKER_TSX ? import(process.env.CALDP_WORKER_TSX).then((m) => m.register()) : Promise.resolve();
const run = async ({ id, module, fn, args }) => {
  try {
    await ready;
    const m = await import(module);
    if (typeof m[fn] !== "function") throw new Error(module + " exports no function " + fn);
    const result = await m[fn](args);
    // Node 24 refuses empty buffers in a transfer list (Node 20 took them): there is nothing to move in them
    parentPort.postMessage({ id, ok: true, result }, buffersOf(result).filter((b) => b.byteLength > 0));
  } catch (error) {
    parentPort.postMessage({ id, ok: false, error: sendableError(error) });
  }
};
parentPort.on("message", (message) => {
  run(message).finally(() => setImmediate(collect));
});
`;

let collector: (() => void) | undefined;

/**
 * A full garbage collection of the calling thread: between a program's steps, the arrays of the step
 * before (and the shared references they held) are freed now rather than at V8's next collection.
 */
export function collectGarbage(): void {
  if (!collector) {
    setFlagsFromString("--expose-gc");
    collector = runInNewContext("gc") as () => void;
  }
  collector();
}

/** The tsx loader URL when this process runs TypeScript sources, else undefined. */
function tsxLoader(): string | undefined {
  if (!import.meta.url.endsWith(".ts")) return undefined;
  return import.meta.resolve("tsx/esm/api");
}

interface Pending {
  fn: string;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

/** One worker thread and the calls it has not answered yet. */
class PoolWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private failure?: Error;
  private nextId = 0;

  constructor(env: NodeJS.ProcessEnv) {
    this.worker = new Worker(RUNNER, { eval: true, env });
    this.worker.on("message", ({ id, ok, result, error }) => {
      const p = this.pending.get(id);
      this.pending.delete(id);
      if (ok) p?.resolve(result);
      else p?.reject(rebuiltError(error as SentError, p.fn));
    });
    const fail = (error: Error) => {
      this.failure = error;
      for (const p of this.pending.values()) p.reject(error);
      this.pending.clear();
    };
    this.worker.on("error", fail);
    this.worker.on("messageerror", fail);
    this.worker.on("exit", (code) => fail(new Error(`worker thread exited with code ${code}`)));
  }

  call(task: TaskFunction<unknown, unknown>, args: unknown): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failure);
    const transfer = buffersOf(args);
    // Node posts a detached buffer without complaint and the worker never sees the message: a typed array
    // given to two tasks (its memory moved to the first) would hang the run.
    if (transfer.some(isDetached)) {
      return Promise.reject(new Error(`${task.fn}: an argument's memory was already moved to another task`));
    }
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { fn: task.fn, resolve, reject });
      const moved = transfer.filter((b) => b.byteLength > 0); // Node 24 refuses empty buffers there
      this.worker.postMessage({ id, module: task.module.href, fn: task.fn, args }, moved);
    });
  }

  async terminate(): Promise<void> {
    this.worker.removeAllListeners("exit");
    await this.worker.terminate();
  }
}

/**
 * Worker threads kept for several rounds of tasks (a program's steps), so that threads and modules start
 * once, at the first task: a program whose steps all run on the main thread (STIS, COS) starts none (each
 * costs ~0.15 s of CPU and ~10 MB). Close it when done: the threads keep the process alive.
 */
export class WorkerPool {
  private started?: PoolWorker[];
  private readonly count: number;

  constructor(size = availableParallelism()) {
    this.count = Math.max(1, size);
  }

  get size(): number {
    return this.count;
  }

  private get workers(): PoolWorker[] {
    if (!this.started) {
      const tsx = tsxLoader();
      const env = { ...process.env, ...(tsx ? { CALDP_WORKER_TSX: tsx } : {}) };
      this.started = Array.from({ length: this.count }, () => new PoolWorker(env));
    }
    return this.started;
  }

  /** Runs `task` on each argument on the pool's workers (each takes the next when free); results in order. */
  async run<A, R>(task: TaskFunction<A, R>, args: readonly A[]): Promise<R[]> {
    const results: R[] = new Array(args.length);
    await this.each(task, args, (result, index) => {
      results[index] = result;
    });
    return results;
  }

  /**
   * Runs tasks like `run`, handing each result to `onResult` as it arrives (not kept here), once its
   * worker has been given its next task, so that a slow `onResult` (writing a file) overlaps the work.
   * After a failure no further task is started.
   */
  async each<A, R>(
    task: TaskFunction<A, R>,
    args: readonly A[],
    onResult: (result: R, index: number) => void,
  ): Promise<void> {
    let next = 0;
    let failed = false;
    const start = (worker: PoolWorker) => {
      if (failed || next >= args.length) return undefined;
      const id = next++;
      return { id, reply: worker.call(task as TaskFunction<unknown, unknown>, args[id]) };
    };
    await Promise.all(
      this.workers.map(async (worker) => {
        let current = start(worker);
        while (current) {
          try {
            const result = (await current.reply) as R;
            const done = current.id;
            current = start(worker);
            onResult(result, done);
          } catch (error) {
            failed = true;
            throw error;
          }
        }
      }),
    );
  }

  /** Runs `task` once on every worker (e.g. to drop a per-thread cache between rounds); results in worker order. */
  async onEveryWorker<A, R>(task: TaskFunction<A, R>, args: A): Promise<R[]> {
    const workers = this.started ?? [];
    return (await Promise.all(workers.map((w) => w.call(task as TaskFunction<unknown, unknown>, args)))) as R[];
  }

  async close(): Promise<void> {
    await Promise.all((this.started ?? []).map((w) => w.terminate()));
  }
}

/** Runs `task` on each argument on up to `size` new workers (default: the machine's cores); results in order. */
export async function runTasks<A, R>(
  task: TaskFunction<A, R>,
  args: readonly A[],
  size = availableParallelism(),
): Promise<R[]> {
  if (args.length === 0) return [];
  const pool = new WorkerPool(Math.min(size, args.length));
  try {
    return await pool.run(task, args);
  } finally {
    await pool.close();
  }
}
