import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { FitsError, FitsFile, FitsWriter, Header, rewriteHeaders } from "../../src/fits/index.js";
import { REPO } from "../helpers/paths.js";

test("a write that fails midway leaves nothing under the final name and no temporary file", () => {
  const dir = mkdtempSync(join(tmpdir(), "caldp-atomic-"));
  const path = join(dir, "x_flt.fits");
  const writer = new FitsWriter(path);
  writer.writeImage(new Header(), new Float32Array(100), [10, 10]);
  assert.throws(
    () => writer.writeRaw(new Header().set("XTENSION", "IMAGE"), 400, (emit) => emit(new Uint8Array(12))),
    (e) => e instanceof FitsError && /wrote 12 data bytes, header says 400/.test(e.message),
  );
  writer.abort();
  assert.deepEqual(readdirSync(dir), []);
});

test("a process killed while writing leaves the previous file intact under the final name", async () => {
  const dir = mkdtempSync(join(tmpdir(), "caldp-atomic-"));
  const path = join(dir, "x_flt.fits");
  const before = new FitsWriter(path);
  before.writeImage(new Header().set("VERSION", "old"));
  before.close();
  const original = readFileSync(path);
  const script = `
    import { FitsWriter, Header } from "${join(REPO, "src/fits/index.ts")}";
    const w = new FitsWriter(${JSON.stringify(path)});
    w.writeImage(new Header().set("VERSION", "new"));
    const big = new Float32Array(64 * 1024 * 1024);
    w.writeRaw(new Header().set("XTENSION", "IMAGE").set("BITPIX", -32).set("NAXIS", 1).set("NAXIS1", 8 * big.length)
      .set("PCOUNT", 0).set("GCOUNT", 1), 32 * big.length, (emit) => {
        process.stdout.write("writing\\n");
        for (let i = 0; i < 8; i++) { emit(new Uint8Array(big.buffer)); if (i === 1) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60000); }
      });
    w.close();`;
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { cwd: REPO });
  await new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
  await new Promise((r) => setTimeout(r, 300));
  child.kill("SIGKILL");
  await new Promise((r) => child.once("exit", r));
  assert.ok(readFileSync(path).equals(original), "the final name still holds the old file");
  const f = FitsFile.open(path);
  assert.equal(f.hdus[0].header.get("VERSION"), "old");
  f.close();
  assert.ok(
    readdirSync(dir).some((n) => n.endsWith(".tmp")),
    "the partial write is under a temporary name",
  );
});

test("rewriteHeaders that fails leaves the file as it was", () => {
  const dir = mkdtempSync(join(tmpdir(), "caldp-atomic-"));
  const path = join(dir, "y_raw.fits");
  const w = new FitsWriter(path);
  w.writeImage(new Header().set("A", 1));
  w.writeImage(new Header().set("EXTNAME", "SCI"), new Uint16Array(6), [3, 2]);
  w.close();
  const original = readFileSync(path);
  assert.throws(() =>
    rewriteHeaders(path, (_h, hdu) => {
      if (hdu.index === 1) throw new Error("edit failed");
    }),
  );
  assert.ok(readFileSync(path).equals(original));
  assert.deepEqual(readdirSync(dir), ["y_raw.fits"]);
});

test("writing over an existing name replaces it only when complete; a missing folder is a clear IO error", () => {
  const dir = mkdtempSync(join(tmpdir(), "caldp-atomic-"));
  const path = join(dir, "z.fits");
  writeFileSync(path, "not fits");
  const w = new FitsWriter(path);
  w.writeImage(new Header().set("B", true));
  assert.equal(readFileSync(path, "utf8"), "not fits");
  w.close();
  assert.equal(FitsFile.open(path).hdus[0].header.get("B"), true);
  assert.throws(
    () => new FitsWriter(join(dir, "no", "such", "dir.fits")),
    (e) => e instanceof FitsError && e.code === "IO" && /no\/such\/dir.fits: cannot create/.test(e.message),
  );
  assert.ok(!existsSync(join(dir, "no")));
});
