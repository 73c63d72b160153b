// Issue 13, case 3: a small .fits.gz that inflates to hundreds of MB (a gzip bomb) is read with bounded memory
// through a temporary file that disappears at once, or refused beyond CALDP_FITS_GZ_MAX_BYTES; damage is a
// FitsError naming the file.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { gzipSync } from "node:zlib";
import { FitsError, FitsFile } from "../../src/fits/index.js";
import { headerBytes, imageCards } from "../fits/handmade.js";
import { TSX } from "../helpers/cli.js";
import { REPO } from "../helpers/paths.js";

const dir = mkdtempSync(join(tmpdir(), "caldp-faults-fits-gzip-"));
const MIB = 1024 * 1024;
/** 512 MiB of zero pixels in the primary, then a small SCI extension: 0.5 MB compressed. */
const BOMB_PIXELS = 512 * MIB;

/** Our temporary folders in a TMPDIR (tsx keeps its cache there too). */
function ours(tmp: string): string[] {
  return readdirSync(tmp).filter((name) => name.startsWith("caldp-"));
}

function writeBomb(name: string, cut = 0): string {
  const zeros = gzipSync(Buffer.alloc(64 * MIB), { level: 9 });
  const primary = headerBytes([
    ["SIMPLE", "T"],
    ["BITPIX", "8"],
    ["NAXIS", "2"],
    ["NAXIS1", "16384"],
    ["NAXIS2", String(BOMB_PIXELS / 16384)],
    ["EXTEND", "T"],
  ]);
  const sci = Buffer.alloc(2880);
  [7, -3, 1000, 42].forEach((v, i) => {
    sci.writeInt16BE(v, 2 * i);
  });
  const padding = Buffer.alloc((2880 - (BOMB_PIXELS % 2880)) % 2880);
  const extension = Buffer.concat([padding, headerBytes(imageCards(16, [2, 2], [["EXTNAME", "'SCI     '"]])), sci]);
  // Concatenated gzip members are one gzip stream (RFC 1952): the 64 MiB member stands for 8 of them.
  const members = [gzipSync(primary), ...Array(BOMB_PIXELS / (64 * MIB)).fill(zeros), gzipSync(extension)];
  const bytes = Buffer.concat(members);
  const path = join(dir, name);
  writeFileSync(path, bytes.subarray(0, bytes.length - cut));
  return path;
}

/** Opens the file in a child with its own TMPDIR; reports the SCI pixels, the temporary files while open, peak RSS. */
function openInChild(path: string, env: NodeJS.ProcessEnv = {}) {
  const tmp = mkdtempSync(join(dir, "tmp-"));
  const script = `
    import { readdirSync } from "node:fs";
    import { FitsFile } from ${JSON.stringify(join(REPO, "src", "fits", "index.ts"))};
    const file = FitsFile.open(process.argv[1]);
    const pixels = Array.from(file.readImage("SCI").data);
    const whileOpen = readdirSync(process.env.TMPDIR).filter((n) => n.startsWith("caldp-"));
    file.close();
    console.log(JSON.stringify({ pixels, whileOpen, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
  `;
  const r = spawnSync(process.execPath, ["--import", TSX, "--input-type=module", "-e", script, path], {
    encoding: "utf8",
    timeout: 120_000,
    env: { ...process.env, TMPDIR: tmp, ...env },
  });
  return { ...r, tmpAfter: ours(tmp) };
}

test("a 0.5 MB gzip of 512 MiB: read through a temporary file with bounded memory, nothing left in TMPDIR", () => {
  const path = writeBomb("bomb.fits.gz");
  const r = openInChild(path);
  assert.equal(r.status, 0, r.stderr);
  const result = JSON.parse(r.stdout) as { pixels: number[]; whileOpen: string[]; maxRssMb: number };
  assert.deepEqual(result.pixels, [7, -3, 1000, 42]);
  // The inflated file is unlinked once opened: a killed process leaves nothing either.
  assert.deepEqual(result.whileOpen, []);
  assert.deepEqual(r.tmpAfter, []);
  // Inflated whole in memory it took more than 512 MiB (6.3 GB for the 3 MB file).
  assert.ok(result.maxRssMb < 350, `peak RSS ${result.maxRssMb.toFixed(0)} MB`);
});

test("beyond CALDP_FITS_GZ_MAX_BYTES: TOO_LARGE naming the file and the variable, from the CLI too", () => {
  const path = writeBomb("bomb-limited.fits.gz");
  const tmp = mkdtempSync(join(dir, "tmp-"));
  const cli = join(REPO, "src", "cli", "caldp.ts");
  const r = spawnSync(process.execPath, ["--import", TSX, cli, "fits", "info", path], {
    encoding: "utf8",
    timeout: 120_000,
    env: { ...process.env, TMPDIR: tmp, CALDP_FITS_GZ_MAX_BYTES: String(100 * MIB) },
  });
  assert.equal(r.status, 1, r.stderr);
  assert.equal(r.stderr.trim(), `caldp: ${path}: inflates to more than ${100 * MIB} bytes (CALDP_FITS_GZ_MAX_BYTES)`);
  assert.deepEqual(ours(tmp), []);
  const bad = openInChild(path, { CALDP_FITS_GZ_MAX_BYTES: "lots" });
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /CALDP_FITS_GZ_MAX_BYTES = 'lots' is not a positive number of bytes/);
});

test("damaged gzip, small (inflated in memory) and large (streamed): TRUNCATED naming the file", () => {
  const small = join(dir, "small.fits.gz");
  const whole = gzipSync(
    headerBytes([
      ["SIMPLE", "T"],
      ["BITPIX", "8"],
      ["NAXIS", "0"],
    ]),
  );
  writeFileSync(small, whole.subarray(0, whole.length - 12));
  const expectDamaged = (path: string) => {
    assert.throws(
      () => FitsFile.open(path),
      (e: unknown) =>
        e instanceof FitsError && e.code === "TRUNCATED" && e.message.startsWith(`${path}: gzip stream is damaged`),
    );
  };
  expectDamaged(small);
  const tmp = join(dir, "tmp-large");
  mkdirSync(tmp);
  const large = writeBomb("bomb-cut.fits.gz", 100);
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = tmp;
  try {
    expectDamaged(large);
  } finally {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
  }
  assert.deepEqual(ours(tmp), [], "the partial temporary file is removed");
});

test("killed while inflating: the temporary file was unlinked at once, nothing is left", async () => {
  const path = writeBomb("bomb-killed.fits.gz");
  const tmp = mkdtempSync(join(dir, "tmp-"));
  const script = `import { FitsFile } from ${JSON.stringify(join(REPO, "src", "fits", "index.ts"))}; FitsFile.open(process.argv[1]);`;
  const child = spawn(process.execPath, ["--import", TSX, "--input-type=module", "-e", script, path], {
    env: { ...process.env, TMPDIR: tmp },
    stdio: "ignore",
  });
  const exited = new Promise((resolve) => child.on("exit", resolve));
  // The child's descriptors show the inflated file while it is written: open, and already deleted.
  let inflating: string | undefined;
  for (let i = 0; i < 600 && inflating === undefined; i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    const links = readdirSync(`/proc/${child.pid}/fd`).map((fd) => {
      try {
        return readlinkSync(`/proc/${child.pid}/fd/${fd}`);
      } catch {
        return "";
      }
    });
    // between its open and its unlink (microseconds) the file may be seen not yet deleted: look again
    inflating = links.find((link) => link.includes("/caldp-gz-") && link.endsWith(" (deleted)"));
  }
  assert.match(inflating ?? "", /^.*\/caldp-gz-\w+\/inflated\.fits \(deleted\)$/);
  assert.deepEqual(ours(tmp), []);
  child.kill("SIGKILL");
  await exited;
  assert.deepEqual(ours(tmp), []);
});
