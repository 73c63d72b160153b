import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import {
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { gzipSync } from "node:zlib";
import { TarError } from "../../src/io/errors.js";
import { extractTarGzSafely, makeTarGz } from "../../src/io/tar.js";
import type { TarLimits } from "../../src/io/tar-listing.js";
import { assertTarRefused, member, tarGz, tarScratch } from "../helpers/tar-archive.js";

const fits = (name: string, text = "SIMPLE  =                    T") => member({ path: name }, Buffer.from(text));

const scratch = () => tarScratch("caldp-tar-");

async function rejects(tarball: string, target: string, pattern: RegExp, limits?: TarLimits): Promise<void> {
  await assertTarRefused(extractTarGzSafely(tarball, target, limits), tarball, pattern);
  assert.deepEqual(existsSync(target) ? readdirSync(target) : [], [], "nothing is left in the target");
}

test("a sound tarball is extracted in place, folders merged, and its members listed", async () => {
  const { dir, target } = scratch();
  writeFileSync(join(target, "keep.txt"), "mine");
  const tarball = tarGz(
    dir,
    "j8cb010b0.tar.gz",
    member({ path: "j8cb010b0_asn.fits" }, Buffer.from("asn")),
    member({ path: "sub/", type: "Directory", mode: 0o755 }),
    member({ path: "sub/j8cb01u2q_raw.fits" }, Buffer.from("raw")),
    member({ path: "sub/raw.lnk", type: "SymbolicLink", linkpath: "j8cb01u2q_raw.fits" }),
    member({ path: "hard.fits", type: "Link", linkpath: "j8cb010b0_asn.fits" }),
  );
  const members = await extractTarGzSafely(tarball, target);
  assert.deepEqual(members, ["hard.fits", "j8cb010b0_asn.fits", "sub", "sub/j8cb01u2q_raw.fits", "sub/raw.lnk"]);
  assert.equal(readFileSync(join(target, "sub/raw.lnk"), "utf8"), "raw");
  assert.equal(readFileSync(join(target, "hard.fits"), "utf8"), "asn");
  assert.equal(readFileSync(join(target, "keep.txt"), "utf8"), "mine");
  assert.deepEqual(readdirSync(target).sort(), ["hard.fits", "j8cb010b0_asn.fits", "keep.txt", "sub"]);
});

test("an absolute path is refused, naming the tarball and the member", async () => {
  const { dir, target } = scratch();
  const t = tarGz(dir, "a.tar.gz", fits("ok_raw.fits"), fits("/tmp/evil.fits"));
  await rejects(t, target, /Unsafe member '\/tmp\/evil\.fits'.*absolute path/);
});

test("a '..' path is refused", async () => {
  const { dir, target } = scratch();
  await rejects(tarGz(dir, "b.tar.gz", fits("../x")), target, /'\.\.\/x'.*'\.\.'/);
  assert.equal(existsSync(join(dir, "x")), false);
});

test("a symbolic link to /etc, a link climbing out, and a path through a link are refused", async () => {
  const { dir, target } = scratch();
  await rejects(
    tarGz(dir, "c.tar.gz", member({ path: "etc", type: "SymbolicLink", linkpath: "/etc" })),
    target,
    /'etc'.*symbolic link to '\/etc'/,
  );
  await rejects(
    tarGz(dir, "d.tar.gz", member({ path: "a/up", type: "SymbolicLink", linkpath: "../.." })),
    target,
    /outside/,
  );
  const through = tarGz(dir, "e.tar.gz", member({ path: "d", type: "SymbolicLink", linkpath: "." }), fits("d/passwd"));
  await rejects(through, target, /'d\/passwd'.*through the symbolic link 'd'/);
  await rejects(
    tarGz(dir, "f.tar.gz", member({ path: "h", type: "Link", linkpath: "/etc/passwd" })),
    target,
    /hard link/,
  );
});

test("device files and FIFOs are refused", async () => {
  const { dir, target } = scratch();
  await rejects(
    tarGz(dir, "g.tar.gz", member({ path: "null", type: "CharacterDevice", devmaj: 1, devmin: 3 })),
    target,
    /CharacterDevice/,
  );
  await rejects(tarGz(dir, "h.tar.gz", member({ path: "disk", type: "BlockDevice" })), target, /BlockDevice/);
  await rejects(tarGz(dir, "i.tar.gz", member({ path: "pipe", type: "FIFO" })), target, /FIFO/);
});

test("a truncated gzip, a tar cut inside a member, and garbage are 21 with nothing left behind", async () => {
  const { dir, target } = scratch();
  const big = Buffer.alloc(200_000, 7);
  const whole = gzipSync(Buffer.concat([fits("a_raw.fits"), member({ path: "b_raw.fits" }, big), Buffer.alloc(1024)]));
  const cut = join(dir, "cut.tar.gz");
  writeFileSync(cut, whole.subarray(0, whole.length - 100));
  await rejects(cut, target, /Cannot read tarball/);
  const short = join(dir, "short.tar.gz");
  writeFileSync(
    short,
    gzipSync(Buffer.concat([fits("a_raw.fits"), member({ path: "b_raw.fits" }, big)]).subarray(0, 60_000)),
  );
  await rejects(short, target, /Cannot (read|extract) tarball/);
  const junk = join(dir, "junk.tar.gz");
  writeFileSync(junk, "not a tarball at all");
  await rejects(junk, target, /Cannot read tarball/);
});

test("makeTarGz writes members under <ds>/ that GNU tar lists, atomically, replacing an old tarball", async () => {
  const dir = mkdtempSync(join(tmpdir(), "caldp-tar-"));
  mkdirSync(join(dir, "j8cb010b0", "previews"), { recursive: true });
  writeFileSync(join(dir, "j8cb010b0", "j8cb010b0_drz.fits"), "drz");
  writeFileSync(join(dir, "j8cb010b0", "previews", "j8cb010b0_drz.jpg"), "jpg");
  const tarball = join(dir, "j8cb010b0.tar.gz");
  writeFileSync(tarball, "stale");
  await makeTarGz(dir, ["j8cb010b0/j8cb010b0_drz.fits", "j8cb010b0/previews/j8cb010b0_drz.jpg"], tarball);
  const listed = spawnSync("tar", ["tzf", tarball], { encoding: "utf8" });
  assert.equal(listed.status, 0, listed.stderr);
  assert.deepEqual(listed.stdout.trim().split("\n"), [
    "j8cb010b0/j8cb010b0_drz.fits",
    "j8cb010b0/previews/j8cb010b0_drz.jpg",
  ]);
  assert.deepEqual(readdirSync(dir).sort(), ["j8cb010b0", "j8cb010b0.tar.gz"], "no temporary file is left");
  await assert.rejects(makeTarGz(dir, ["j8cb010b0/missing.fits"], tarball));
  assert.ok(lstatSync(tarball).size > 20, "a failed write leaves the previous tarball");
  assert.deepEqual(readdirSync(dir).sort(), ["j8cb010b0", "j8cb010b0.tar.gz"]);
  await assert.rejects(makeTarGz(dir, ["../x"], tarball), /must be relative/);
});

test("the streaming listing reads what GNU tar writes: gnu and pax long names, links, folders, a 9 GB size field", async () => {
  const { dir, target } = scratch();
  const src = join(dir, "src");
  const deep = `${"d".repeat(60)}/${"e".repeat(60)}/${"f".repeat(60)}`;
  mkdirSync(join(src, deep), { recursive: true });
  const long = `${deep}/${"j8cb01u2q_".repeat(12)}raw.fits`;
  writeFileSync(join(src, long), "raw");
  writeFileSync(join(src, "ümlaut_asn.fits"), "asn");
  symlinkSync("ümlaut_asn.fits", join(src, `link_${"x".repeat(120)}`));
  linkSync(join(src, "ümlaut_asn.fits"), join(src, "hard.fits"));
  for (const format of ["gnu", "pax", "ustar", "v7"]) {
    const tarball = join(dir, `${format}.tar.gz`);
    const made = spawnSync("tar", ["czf", tarball, `--format=${format}`, "-C", src, "."], { encoding: "utf8" });
    if (made.status !== 0) {
      // ustar and v7 cannot hold the long names: GNU tar says so, which is all there is to check
      assert.ok(format === "ustar" || format === "v7", made.stderr);
      continue;
    }
    const listed = spawnSync("tar", ["tzf", tarball], { encoding: "utf8" }).stdout.trim().split("\n");
    const expected = [...new Set(listed.map((p) => p.replace(/^\.\//, "").replace(/\/$/, "")).filter(Boolean))].sort();
    const members = await extractTarGzSafely(tarball, join(target, format));
    assert.deepEqual(members, expected, format);
    assert.equal(readFileSync(join(target, format, long), "utf8"), "raw");
  }
  // a member whose size needs GNU's base-256 field (over 8 GiB) is listed with that size, and refused by the cap
  const huge = tarGz(dir, "huge.tar.gz", member({ path: "big_raw.fits", size: 9 * 1024 ** 3 }).subarray(0, 512));
  await rejects(huge, join(target, "none"), /more than 1000 bytes \(CALDP_TAR_MAX_BYTES\)/, {
    maxMembers: 10,
    maxBytes: 1000,
  });
});

test("seeded fuzz: 3,000 mutated tarballs give only TarError (21), never a hang or another exception", async () => {
  const { dir, target } = scratch();
  const sound = Buffer.concat([
    fits("j8cb01a1q_raw.fits"),
    member({ path: "sub/", type: "Directory", mode: 0o755 }),
    member({ path: "sub/j8cb01a2q_raw.fits" }, Buffer.alloc(3000, 1)),
    member({ path: "sub/l", type: "SymbolicLink", linkpath: "j8cb01a2q_raw.fits" }),
    Buffer.alloc(1024),
  ]);
  let seed = 20261207;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const path = join(dir, "fuzz.tar.gz");
  const outcomes = new Map<string, number>();
  for (let i = 0; i < 3000; i++) {
    const bytes = Buffer.from(sound);
    // the tar bytes are mutated (headers, sizes, types, names, data) and gzipped soundly, so that every
    // mutation reaches the tar reader; one in ten is also cut short
    for (let k = 1 + Math.floor(random() * 4); k > 0; k--) bytes[Math.floor(random() * bytes.length)] = random() * 256;
    const gz = gzipSync(bytes, { level: 1 });
    writeFileSync(path, random() < 0.1 ? gz.subarray(0, Math.floor(random() * gz.length)) : gz);
    const out = join(target, String(i));
    try {
      await extractTarGzSafely(path, out, { maxMembers: 100, maxBytes: 1_000_000 });
      outcomes.set("extracted", (outcomes.get("extracted") ?? 0) + 1);
    } catch (error) {
      assert.ok(error instanceof TarError, `mutation ${i}: ${String(error)}`);
      assert.ok(error.message.includes(path) && !error.message.includes("\n"), error.message);
      assert.ok(!existsSync(out) || readdirSync(out).length === 0, `mutation ${i} left files behind`);
      outcomes.set("refused", (outcomes.get("refused") ?? 0) + 1);
    }
  }
  const counts = JSON.stringify(Object.fromEntries(outcomes));
  assert.ok((outcomes.get("refused") ?? 0) > 500 && (outcomes.get("extracted") ?? 0) > 500, counts);
  assert.deepEqual(readdirSync(dir).sort(), ["fuzz.tar.gz", "inputs"], "nothing was written outside the targets");
});

test("a lone zero block followed by more members is refused (node-tar would read on, GNU tar would stop)", async () => {
  const { dir, target } = scratch();
  const tarball = join(dir, "lone.tar.gz");
  const hidden = member({ path: "up", type: "SymbolicLink", linkpath: "../../.." });
  writeFileSync(tarball, gzipSync(Buffer.concat([fits("a_raw.fits"), Buffer.alloc(512), hidden, Buffer.alloc(1024)])));
  await rejects(tarball, target, /Cannot read tarball .*a lone zero block followed by more data after 1 member/);
});
