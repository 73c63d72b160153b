import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { gzipSync } from "node:zlib";
import { InputTarError } from "../../src/core/errors.js";
import { extractTarGzSafely, makeTarGz } from "../../src/io/tar.js";
import { member, tarGz } from "../helpers/tar-archive.js";

const fits = (name: string, text = "SIMPLE  =                    T") => member({ path: name }, Buffer.from(text));

function scratch(): { dir: string; target: string } {
  const dir = mkdtempSync(join(tmpdir(), "caldp-tar-"));
  const target = join(dir, "inputs");
  mkdirSync(target);
  return { dir, target };
}

async function rejects(tarball: string, target: string, pattern: RegExp): Promise<void> {
  await assert.rejects(extractTarGzSafely(tarball, target), (e) => {
    assert.ok(e instanceof InputTarError, String(e));
    assert.equal(e.code, 21);
    assert.ok(e.message.includes(tarball), e.message);
    assert.match(e.message, pattern);
    assert.doesNotMatch(e.message, /\n/);
    return true;
  });
  assert.deepEqual(readdirSync(target), [], "nothing is left in the target");
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
