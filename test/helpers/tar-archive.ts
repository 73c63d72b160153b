import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { Header, type HeaderData } from "tar";

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
