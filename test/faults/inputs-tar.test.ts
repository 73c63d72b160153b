// Hostile tarballs: too many members, too many bytes (declared or inflated), a FIFO in place of the tarball.
// Each is refused with 21 naming the tarball and the limit, before anything is extracted, in bounded memory.
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { createGzip } from "node:zlib";
import { Header } from "tar";
import { extractTarGzSafely } from "../../src/io/tar.js";
import { TSX } from "../helpers/cli.js";
import { runCliAsync } from "../helpers/cli-async.js";
import { REPO } from "../helpers/paths.js";
import { assertTarRefused, member, tarGz, tarScratch } from "../helpers/tar-archive.js";

const scratch = () => tarScratch("caldp-faults-tar-");

const small = (i: number) => member({ path: `j8cb01${String(i).padStart(3, "0")}_raw.fits` }, Buffer.from("x"));

const refused = assertTarRefused;

/** A .tar.gz with one member of `size` zero bytes, streamed (a few hundred KB on disk for hundreds of MB). */
async function zerosTarGz(path: string, size: number): Promise<void> {
  const gzip = createGzip({ level: 1 });
  const done = once(gzip.pipe(createWriteStream(path)), "finish");
  const header = Buffer.alloc(512);
  new Header({ path: "j8cb01u2q_raw.fits", mode: 0o644, size, mtime: new Date(0), type: "File" }).encode(header, 0);
  gzip.write(header);
  const chunk = Buffer.alloc(1 << 20);
  for (let left = Math.ceil(size / 512) * 512; left > 0; left -= chunk.length) {
    if (!gzip.write(chunk.subarray(0, Math.min(left, chunk.length)))) await once(gzip, "drain");
  }
  gzip.end(Buffer.alloc(1024));
  await done;
}

/** Extracts in a child node and returns its peak RSS in MB (process.resourceUsage().maxRSS is in KB). */
async function extractionPeakMb(tarball: string, target: string, env: NodeJS.ProcessEnv = {}): Promise<number> {
  const script = `
    import { extractTarGzSafely } from ${JSON.stringify(join(REPO, "src/io/tar.ts"))};
    let outcome = "ok";
    try { await extractTarGzSafely(${JSON.stringify(tarball)}, ${JSON.stringify(target)}); }
    catch (e) { outcome = e.message; }
    console.log(JSON.stringify({ outcome, rss: process.resourceUsage().maxRSS }));`;
  const child = spawn(process.execPath, ["--import", TSX, "--input-type=module", "-e", script], {
    env: { ...process.env, ...env },
  });
  let out = "";
  child.stdout.on("data", (d) => {
    out += d;
  });
  const [code] = await once(child, "close");
  assert.equal(code, 0, out);
  const { outcome, rss } = JSON.parse(out.trim().split("\n").pop()!);
  assert.equal(outcome, env.CALDP_TAR_MAX_BYTES ? outcome : "ok");
  if (env.CALDP_TAR_MAX_BYTES) assert.match(outcome, /CALDP_TAR_MAX_BYTES/);
  return rss / 1024;
}

test("more members than CALDP_TAR_MAX_MEMBERS: 21 naming the tarball and the limit, nothing extracted", async () => {
  const { dir, target } = scratch();
  const tarball = tarGz(dir, "many.tar.gz", ...Array.from({ length: 60 }, (_, i) => small(i)));
  await refused(
    extractTarGzSafely(tarball, target, { maxMembers: 50, maxBytes: 1e9 }),
    tarball,
    /more than 50 members/,
  );
  assert.deepEqual(readdirSync(target), []);
  const members = await extractTarGzSafely(tarball, target, { maxMembers: 60, maxBytes: 1e9 });
  assert.equal(members.length, 60, "at the limit it is extracted");
});

test("a member declaring 1 TiB is refused at its header, before any byte of it is inflated", async () => {
  const { dir, target } = scratch();
  const header = member({ path: "j8cb01u2q_raw.fits", size: 2 ** 40 }).subarray(0, 512);
  const tarball = tarGz(dir, "huge.tar.gz", small(1), header, Buffer.alloc(4096));
  const started = Date.now();
  await refused(extractTarGzSafely(tarball, target), tarball, /more than 17179869184 bytes \(CALDP_TAR_MAX_BYTES\)/);
  assert.ok(Date.now() - started < 2000);
  assert.deepEqual(readdirSync(target), []);
});

test("an archive inflating beyond CALDP_TAR_MAX_BYTES (headers included) is refused while listing", async () => {
  const { dir, target } = scratch();
  // 30 one-byte members: 30 bytes of data, but 30 KB of headers and padding once inflated
  const tarball = tarGz(dir, "padded.tar.gz", ...Array.from({ length: 30 }, (_, i) => small(i)));
  await refused(extractTarGzSafely(tarball, target, { maxMembers: 100, maxBytes: 10_000 }), tarball, /inflates to/);
  assert.deepEqual(readdirSync(target), []);
});

test("a 300 MB member is extracted in bounded memory; with CALDP_TAR_MAX_BYTES below it, refused", async () => {
  const { dir, target } = scratch();
  const tarball = join(dir, "zeros.tar.gz");
  const size = 300 * 1024 * 1024;
  await zerosTarGz(tarball, size);
  const refusedPeak = await extractionPeakMb(tarball, target, { CALDP_TAR_MAX_BYTES: String(100 * 1024 * 1024) });
  assert.deepEqual(readdirSync(target), [], "nothing extracted on refusal");
  assert.ok(refusedPeak < 200, `peak RSS ${refusedPeak.toFixed(0)} MB while refusing`);
  const peak = await extractionPeakMb(tarball, target);
  assert.deepEqual(readdirSync(target), ["j8cb01u2q_raw.fits"]);
  // the former tar.x inflated each 16 MB read at once: peak RSS ~ member size + 100 MB
  assert.ok(peak < 220, `peak RSS ${peak.toFixed(0)} MB for a ${size / 2 ** 20} MB member`);
});

test("a FIFO named like the tarball is refused at once, without blocking on it", async () => {
  const { dir, target } = scratch();
  const fifo = join(dir, "j8cb010b0.tar.gz");
  execFileSync("mkfifo", [fifo]);
  await refused(extractTarGzSafely(fifo, target), fifo, /not a regular file/);
  assert.deepEqual(readdirSync(target), []);
});

test("caldp-process: a tarball over CALDP_TAR_MAX_MEMBERS exits 21, nothing extracted, the tarball intact", async () => {
  const dir = mkdtempSync(join(tmpdir(), "caldp-faults-tar-"));
  const input = join(dir, "in");
  mkdirSync(input);
  const tarball = tarGz(input, "j8cb010b0.tar.gz", ...Array.from({ length: 12 }, (_, i) => small(i)));
  const before = readFileSync(tarball);
  const r = await runCliAsync("caldp-process", ["j8cb010b0", "file:in", "file:out", "caldp-config-offsite"], {
    cwd: dir,
    env: { CRDS_PATH: join(dir, "crds"), CALDP_TAR_MAX_MEMBERS: "10" },
  });
  assert.equal(r.status, 21, r.stdout.slice(-2000));
  assert.deepEqual(readdirSync(input), ["j8cb010b0.tar.gz"]);
  assert.ok(readFileSync(tarball).equals(before));
  const log = readFileSync(join(dir, "process.txt"), "utf8");
  assert.ok(log.includes(`${tarball} has more than 10 members (CALDP_TAR_MAX_MEMBERS)`), log.slice(-1500));
  assert.deepEqual(readdirSync(join(dir, "messages")), ["error-j8cb010b0"]);
  const products = join(dir, "out", "j8cb010b0");
  const fits = existsSync(products) ? readdirSync(products).filter((n) => n.endsWith(".fits")) : [];
  assert.deepEqual(fits, [], "no product");
});

test("a malformed CALDP_TAR_MAX_BYTES is 21 naming the variable", async () => {
  const { dir, target } = scratch();
  const tarball = tarGz(dir, "one.tar.gz", small(1));
  const saved = process.env.CALDP_TAR_MAX_BYTES;
  process.env.CALDP_TAR_MAX_BYTES = "12 GB";
  try {
    await assert.rejects(extractTarGzSafely(tarball, target), /CALDP_TAR_MAX_BYTES='12 GB' is not a positive whole/);
  } finally {
    if (saved === undefined) delete process.env.CALDP_TAR_MAX_BYTES;
    else process.env.CALDP_TAR_MAX_BYTES = saved;
  }
  assert.deepEqual(readdirSync(target), []);
});

test("caldp-process: a tarball that is not gzip: the fatal report names it (before: a bare TAR_BAD_ARCHIVE, no path)", async () => {
  const dir = mkdtempSync(join(tmpdir(), "caldp-faults-tar-"));
  mkdirSync(join(dir, "in"));
  const tarball = join(dir, "in", "j8cb010b0.tar.gz");
  writeFileSync(tarball, "not a tarball\n");
  const r = await runCliAsync("caldp-process", ["j8cb010b0", "file:in", "file:out", "caldp-config-offsite"], {
    cwd: dir,
    env: { CRDS_PATH: join(dir, "crds") },
  });
  assert.equal(r.status, 21, r.stdout.slice(-2000));
  const log = readFileSync(join(dir, "process.txt"), "utf8");
  const summary = `ERROR - get inputs failed: InputTarError: Cannot read tarball ${tarball}: incorrect header check`;
  assert.ok(log.includes(summary), log);
  assert.deepEqual(readdirSync(join(dir, "in")), ["j8cb010b0.tar.gz"]);
});
