import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { gunzipSync } from "node:zlib";
import { FitsError } from "./errors.js";

/** Inflated sizes up to this stay in memory; larger ones are streamed to a temporary file. */
const IN_MEMORY_BYTES = 64 * 1024 * 1024;
/** Default for CALDP_FITS_GZ_MAX_BYTES: the most a .fits.gz may inflate to (the temporary file's size). */
export const DEFAULT_GZ_MAX_BYTES = 8 * 1024 ** 3;
/** How long streaming may take before the file is given up (a stalled network file system). */
const STREAM_TIMEOUT_MS = 30 * 60 * 1000;

/** In memory, or in an unnamed temporary file open for reading at `fd` (the caller closes it). */
export type Inflated = { bytes: Uint8Array } | { bytes?: undefined; fd: number };

/** CALDP_FITS_GZ_MAX_BYTES, else the default. */
export function gzMaxBytes(env: NodeJS.ProcessEnv = process.env): number {
  const text = env.CALDP_FITS_GZ_MAX_BYTES;
  if (text === undefined || text === "") return DEFAULT_GZ_MAX_BYTES;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n <= 0) {
    throw new FitsError("BAD_VALUE", `CALDP_FITS_GZ_MAX_BYTES = '${text}' is not a positive number of bytes`);
  }
  return n;
}

/**
 * Inflates a gzip file with bounded memory: a small result is kept in memory (inflation stops at
 * IN_MEMORY_BYTES), a larger one is streamed to a temporary file that is unlinked as soon as it is
 * created (its descriptor keeps it readable; the disk space returns when it is closed, also when the
 * process is killed, even while inflating). More than CALDP_FITS_GZ_MAX_BYTES is refused: a gzip bomb
 * costs neither memory nor more disk than that.
 */
export function inflateGzip(path: string, compressedBytes: number): Inflated {
  const max = gzMaxBytes();
  const inMemory = Math.min(IN_MEMORY_BYTES, max);
  if (compressedBytes <= inMemory / 4) {
    try {
      return { bytes: gunzipSync(readFileSync(path), { maxOutputLength: inMemory }) };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ERR_BUFFER_TOO_LARGE") throw damaged(path, e);
      if (max <= inMemory) throw tooLarge(path, max);
    }
  }
  return inflateToFile(path, max);
}

function damaged(path: string, e: unknown): FitsError {
  return new FitsError("TRUNCATED", `gzip stream is damaged: ${(e as Error).message}`, { file: path });
}

function tooLarge(path: string, max: number): FitsError {
  return new FitsError("TOO_LARGE", `inflates to more than ${max} bytes (CALDP_FITS_GZ_MAX_BYTES)`, { file: path });
}

/** The worker that streams: plain JavaScript, so that it needs no loader. It reports through shared memory. */
const STREAMER = `
const { workerData } = require("node:worker_threads");
const { createReadStream, write } = require("node:fs");
const { Transform, Writable } = require("node:stream");
const { pipeline } = require("node:stream/promises");
const { createGunzip } = require("node:zlib");
const { source, fd, max, shared } = workerData;
const state = new Int32Array(shared, 0, 2);
const text = new Uint8Array(shared, 8);
let total = 0;
const limit = new Transform({
  transform(chunk, _encoding, done) {
    total += chunk.length;
    done(total > max ? Object.assign(new Error("limit"), { code: "CALDP_LIMIT" }) : null, chunk);
  },
});
function finish(status, message) {
  const bytes = Buffer.from(message).subarray(0, text.length);
  text.set(bytes);
  state[1] = bytes.length;
  Atomics.store(state, 0, status);
  Atomics.notify(state, 0);
}
// Not fs.WriteStream: destroyed on an error, it closes the descriptor, which belongs to the main thread.
let position = 0;
const toFd = new Writable({
  write(chunk, _encoding, done) {
    const next = (offset) => {
      if (offset === chunk.length) return done();
      write(fd, chunk, offset, chunk.length - offset, position, (error, n) => {
        if (error) return done(error);
        position += n;
        next(offset + n);
      });
    };
    next(0);
  },
});
pipeline(createReadStream(source), createGunzip(), limit, toFd).then(
  () => finish(1, ""),
  (e) => finish(e.code === "CALDP_LIMIT" ? 3 : 2, String(e.message)),
);
`;

/** Streams the inflation in a worker thread while this thread waits (FitsFile.open is synchronous). */
function inflateToFile(path: string, max: number): Inflated {
  const dir = mkdtempSync(join(tmpdir(), "caldp-gz-"));
  let fd: number;
  try {
    fd = openSync(join(dir, "inflated.fits"), "wx+");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const shared = new SharedArrayBuffer(8 + 1024);
  const state = new Int32Array(shared, 0, 2);
  // Threads share descriptors. No execArgv: a loader such as tsx would wait for this blocked thread.
  let worker: Worker;
  try {
    worker = new Worker(STREAMER, { eval: true, execArgv: [], workerData: { source: path, fd, max, shared } });
  } catch (e) {
    closeSync(fd);
    throw new FitsError("IO", `cannot start the thread that inflates it: ${(e as Error).message}`, { file: path });
  }
  worker.unref();
  const outcome = Atomics.wait(state, 0, 0, STREAM_TIMEOUT_MS);
  void worker.terminate();
  const status = Atomics.load(state, 0);
  if (status === 1) return { fd };
  closeSync(fd);
  if (outcome === "timed-out") {
    throw new FitsError("IO", `inflating took more than ${STREAM_TIMEOUT_MS / 1000} s`, { file: path });
  }
  if (status === 3) throw tooLarge(path, max);
  const message = Buffer.from(new Uint8Array(shared, 8, state[1])).toString();
  throw damaged(path, new Error(message));
}
