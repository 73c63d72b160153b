// Issue 13, cases 3–5: special files, unreadable paths and writer failures give a FitsError naming the path
// and the cause; a FIFO is refused without waiting for a writer; a failed write leaves nothing behind.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { FitsError, FitsFile, FitsWriter, Header, verifyFile } from "../../src/fits/index.js";
import { TSX } from "../helpers/cli.js";
import { REPO } from "../helpers/paths.js";

const dir = mkdtempSync(join(tmpdir(), "caldp-faults-fits-files-"));

function openError(path: string): FitsError {
  try {
    FitsFile.open(path).close();
  } catch (e) {
    assert.ok(e instanceof FitsError, `expected a FitsError, got ${e}`);
    assert.equal(e.location.file, path);
    assert.ok(e.message.startsWith(`${path}: `), e.message);
    return e;
  }
  assert.fail(`${path} opened without error`);
}

test("a directory: IO error naming the path and saying it is a directory (was a bare EISDIR)", () => {
  const path = join(dir, "folder.fits");
  mkdirSync(path);
  const e = openError(path);
  assert.equal(e.code, "IO");
  assert.equal(e.message, `${path}: cannot read: it is a directory, not a regular file`);
  assert.equal(verifyFile(path)[0].message, e.message);
});

test("a FIFO without a writer is refused at once, in the library and in the CLI", () => {
  const path = join(dir, "pipe.fits");
  execFileSync("mkfifo", [path]);
  const began = performance.now();
  const e = openError(path);
  assert.ok(performance.now() - began < 2000, "did not wait for a writer");
  assert.equal(e.message, `${path}: cannot read: it is a FIFO, not a regular file`);
  const cli = join(REPO, "src", "cli", "caldp.ts");
  const r = spawnSync(process.execPath, ["--import", TSX, cli, "fits", "info", path], {
    encoding: "utf8",
    timeout: 20_000,
  });
  assert.equal(r.signal, null, "caldp fits info hung on the FIFO");
  assert.equal(r.status, 1);
  assert.equal(r.stderr.trim(), `caldp: ${e.message}`);
});

test("a missing file and an unreadable one: the path and the cause", () => {
  const missing = join(dir, "missing.fits");
  assert.equal(openError(missing).message, `${missing}: cannot open: ENOENT: no such file or directory`);
  const locked = join(dir, "locked.fits");
  writeFileSync(locked, "SIMPLE  =                    T");
  chmodSync(locked, 0);
  // root reads any file: then the same file is refused for what it is, a header cut short.
  const e = openError(locked);
  if (process.getuid?.() === 0) assert.equal(e.code, "TRUNCATED");
  else assert.equal(e.message, `${locked}: cannot open: EACCES: permission denied`);
});

test("writing a non-finite value names the file written, the HDU and the keyword, and leaves no file", () => {
  const out = join(dir, "written.fits");
  const writer = new FitsWriter(out);
  writer.writeImage(new Header().set("TELESCOP", "HST"));
  const header = new Header().set("EXTNAME", "SCI").set("EXPTIME", Number.POSITIVE_INFINITY);
  assert.throws(
    () => writer.writeImage(header, new Float32Array(4), [2, 2]),
    (e: unknown) =>
      e instanceof FitsError &&
      e.code === "BAD_VALUE" &&
      e.location.file === out &&
      e.location.hdu === 1 &&
      e.location.keyword === "EXPTIME" &&
      /^.*written\.fits: HDU 1: card \d+: keyword EXPTIME: cannot write Infinity in a FITS header$/.test(e.message),
  );
  writer.abort();
  assert.deepEqual(
    readdirSync(dir).filter((n) => n.includes("written")),
    [],
  );
});

test("a header read from one file and written to another: the error names the file being written", () => {
  const source = join(dir, "source.fits");
  const w = new FitsWriter(source);
  w.writeImage(new Header().set("OBJECT", "M31"), new Int16Array(2), [2]);
  w.close();
  const file = FitsFile.open(source);
  const header = file.hdus[0].header.clone();
  file.close();
  header.set("BSCALE", Number.NaN);
  const target = join(dir, "target.fits");
  const writer = new FitsWriter(target);
  assert.throws(
    () => writer.writeImage(header, new Int16Array(2), [2], { stored: true }),
    (e: unknown) => e instanceof FitsError && e.location.file === target && e.location.keyword === "BSCALE",
  );
  writer.abort();
});
