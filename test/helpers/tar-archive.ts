import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { Header, type HeaderData } from "tar";
import { TarError } from "../../src/io/errors.js";
import { exitCodeOf } from "../../src/pipeline/error-exits.js";

/** One tar member written header by header, so that archives can hold what tar tools refuse to make. */
export function member(data: Partial<HeaderData>, body = Buffer.alloc(0)): Buffer {
  const header = Buffer.alloc(512);
  new Header({ mode: 0o644, size: body.length, mtime: new Date(0), type: "File", ...data }).encode(header, 0);
  const padded = Buffer.alloc(Math.ceil(body.length / 512) * 512);
  body.copy(padded);
  return Buffer.concat([header, padded]);
}

/** A gzipped tar of the members (with the two zero blocks that end an archive) written to dir/name. */
export function tarGz(dir: string, name: string, ...members: Buffer[]): string {
  const path = join(dir, name);
  writeFileSync(path, gzipSync(Buffer.concat([...members, Buffer.alloc(1024)])));
  return path;
}

/** A fresh folder under tmp with an empty `inputs/` to extract into. */
export function tarScratch(prefix: string): { dir: string; target: string } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const target = join(dir, "inputs");
  mkdirSync(target);
  return { dir, target };
}

/** `promise` fails with a one-line TarError (exit 21) that names `tarball` and matches `pattern`. */
export async function assertTarRefused(promise: Promise<unknown>, tarball: string, pattern: RegExp): Promise<void> {
  await assert.rejects(promise, (e) => {
    assert.ok(e instanceof TarError, String(e));
    assert.equal(exitCodeOf(e), 21);
    assert.ok(e.message.includes(tarball), e.message);
    assert.match(e.message, pattern);
    assert.doesNotMatch(e.message, /\n/);
    return true;
  });
}
