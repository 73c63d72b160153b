import { randomBytes } from "node:crypto";
import { once } from "node:events";
import {
  createReadStream,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
} from "node:fs";
import { dirname, join, posix } from "node:path";
import { pipeline } from "node:stream";
import { createGunzip } from "node:zlib";
import * as tar from "tar";
import { TarError } from "./errors.js";
import { listTarGz, type TarLimits, type TarMember, tarLimitsFromEnv } from "./tar-listing.js";

type Member = Pick<TarMember, "path" | "type" | "linkpath">;

const PLAIN_TYPES = new Set(["File", "OldFile", "ContiguousFile", "Directory"]);
const SPECIAL_TYPES = new Set(["CharacterDevice", "BlockDevice", "FIFO"]);

/** "a/./b/" → "a/b"; "./" → "". */
function clean(path: string): string {
  return path
    .split("/")
    .filter((part) => part !== "" && part !== ".")
    .join("/");
}

const isAbsolute = (path: string) => path.startsWith("/") || path.startsWith("\\") || /^[A-Za-z]:/.test(path);
const climbs = (path: string) => path.split(/[\\/]/).includes("..");

/** Why a member must not be extracted, or undefined if it is safe. `symlinks`: every link member's path. */
export function unsafeReason(member: Member, symlinks: ReadonlySet<string>): string | undefined {
  if (isAbsolute(member.path)) return "absolute path";
  if (climbs(member.path)) return "path with '..'";
  if (SPECIAL_TYPES.has(member.type)) return `${member.type} member (devices and FIFOs are not allowed)`;
  const path = clean(member.path);
  const parts = path.split("/");
  for (let i = 1; i < parts.length; i++) {
    if (symlinks.has(parts.slice(0, i).join("/")))
      return `path through the symbolic link '${parts.slice(0, i).join("/")}'`;
  }
  if (member.type === "SymbolicLink") {
    const target = posix.normalize(posix.join(posix.dirname(path), member.linkpath));
    if (isAbsolute(member.linkpath) || target === ".." || target.startsWith("../")) {
      return `symbolic link to '${member.linkpath}' outside the extraction folder`;
    }
    return undefined;
  }
  if (member.type === "Link") {
    if (isAbsolute(member.linkpath) || climbs(member.linkpath))
      return `hard link to '${member.linkpath}' outside the extraction folder`;
    return undefined;
  }
  if (!PLAIN_TYPES.has(member.type)) return `unsupported member type ${member.type}`;
  return undefined;
}

/** Streams the inflated tarball into node-tar's Unpack with backpressure (tar.x would inflate whole reads at once). */
async function unpackInto(tarball: string, cwd: string, listed: ReadonlySet<string>): Promise<void> {
  const unexpected: string[] = [];
  // only what the listing checked is written, whatever node-tar's reader makes of the bytes
  const filter = (path: string) => {
    if (listed.has(clean(path))) return true;
    unexpected.push(path);
    return false;
  };
  const unpack = new tar.Unpack({ cwd, strict: true, filter });
  const finished = new Promise<void>((resolve, reject) => {
    unpack.on("error", reject);
    unpack.on("close", () => resolve());
  });
  finished.catch(() => {});
  const gunzip = createGunzip();
  pipeline(createReadStream(tarball), gunzip, () => {});
  try {
    for await (const chunk of gunzip) {
      if (!unpack.write(chunk as Buffer)) await Promise.race([once(unpack, "drain"), finished]);
    }
    unpack.end();
    await finished;
    if (unexpected.length > 0) throw new Error(`member '${unexpected[0]}' was not in the archive's listing`);
  } finally {
    gunzip.destroy();
  }
}

/** Moves everything in `from` into `to`, merging folders and replacing files of the same name. */
function moveInto(from: string, to: string): void {
  for (const name of readdirSync(from)) {
    const source = join(from, name);
    const target = join(to, name);
    const existing = lstatSync(target, { throwIfNoEntry: false });
    if (lstatSync(source).isDirectory() && existing?.isDirectory()) {
      moveInto(source, target);
      continue;
    }
    if (existing?.isDirectory()) rmSync(target, { recursive: true });
    renameSync(source, target);
  }
}

/** The cause's first line, for the message: the fatal report shows one error, so the message carries its cause. */
function describe(error: unknown): string {
  return error instanceof Error ? error.message.split("\n")[0] : String(error);
}

/** The tarball must be a regular file: a FIFO or a device would block the read or never end. */
function checkRegularFile(tarball: string): void {
  let stat: ReturnType<typeof statSync>;
  try {
    stat = statSync(tarball);
  } catch (error) {
    throw new TarError(`Cannot read tarball ${tarball}: ${describe(error)}`, { cause: error });
  }
  if (!stat.isFile()) throw new TarError(`Tarball ${tarball} is not a regular file (a FIFO, device or folder)`);
}

/**
 * Extracts a .tar.gz into `targetDir`, refusing the whole archive if any member is unsafe: an absolute path,
 * a `..`, a device or FIFO, a link pointing outside, or a path through a symbolic link; or if it holds more
 * members or bytes than `limits` (CALDP_TAR_MAX_MEMBERS, CALDP_TAR_MAX_BYTES). The listing streams and checks
 * all of this before anything is written. The members are extracted into a temporary folder inside the target
 * and moved into place only when all of them are out, so a truncated or corrupt tarball leaves nothing under
 * final names. Every failure is a TarError naming the tarball (and the member or limit). Returns
 * the member paths, sorted.
 */
export async function extractTarGzSafely(
  tarball: string,
  targetDir: string,
  limits: TarLimits = tarLimitsFromEnv(),
): Promise<string[]> {
  checkRegularFile(tarball);
  let members: Member[];
  try {
    members = await listTarGz(tarball, limits);
  } catch (error) {
    if (error instanceof TarError) throw error;
    throw new TarError(`Cannot read tarball ${tarball}: ${describe(error)}`, { cause: error });
  }
  if (members.length === 0) throw new TarError(`Tarball ${tarball} has no members`);
  const symlinks = new Set(members.filter((m) => m.type === "SymbolicLink").map((m) => clean(m.path)));
  for (const member of members) {
    const reason = unsafeReason(member, symlinks);
    if (reason) throw new TarError(`Unsafe member '${member.path}' in tarball ${tarball}: ${reason}`);
  }
  mkdirSync(targetDir, { recursive: true });
  const temp = mkdtempSync(join(targetDir, ".caldp-extract-"));
  try {
    await unpackInto(tarball, temp, new Set(members.map((m) => clean(m.path))));
    moveInto(temp, targetDir);
  } catch (error) {
    throw new TarError(`Cannot extract tarball ${tarball}: ${describe(error)}`, { cause: error });
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
  return [...new Set(members.map((m) => clean(m.path)).filter((p) => p !== ""))].sort();
}

/**
 * Writes `tarball` (gzip) holding `members`, paths relative to `dir` (e.g. `<ds>/<file>`), atomically: under a
 * temporary name first, renamed when complete. Returns the tarball's path.
 */
export async function makeTarGz(dir: string, members: readonly string[], tarball: string): Promise<string> {
  for (const member of members) {
    if (isAbsolute(member) || climbs(member)) throw new Error(`tar member '${member}' must be relative to ${dir}`);
  }
  const temp = join(dirname(tarball), `.${randomBytes(6).toString("hex")}.tar.gz.tmp`);
  try {
    await tar.c({ gzip: true, file: temp, cwd: dir, portable: true }, [...members]);
    renameSync(temp, tarball);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  return tarball;
}
