// The container image (Dockerfile, scripts/build-image.sh): built with buildah from a Debian base made by
// mmdebstrap (no registry), it holds only what `npm pack` ships plus the production dependencies, runs as a
// non-root user with caldp-process as its entry point and CALDP_HOME as scratch, and runs the demo inside.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { REPO } from "../helpers/paths.js";
import { skipUnlessInstalled } from "../helpers/skip.js";

const installed = ["buildah", "mmdebstrap"].every((tool) => spawnSync(tool, ["--version"]).status === 0);
// the image does not depend on the Node.js that runs the tests: the second runtime's run does not rebuild it
const skip =
  process.env.CALDP_TEST_SECOND_RUNTIME === "1"
    ? "built and tested in the first runtime's run"
    : skipUnlessInstalled(installed && process.getuid?.() === 0, "buildah and mmdebstrap (as root)");
const pkg = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8"));
const tag = `localhost/caldp-test:${process.pid}`;
const container = `caldp-test-${process.pid}`;
const env = { ...process.env, STORAGE_DRIVER: process.env.STORAGE_DRIVER ?? "vfs" };
const storage = ["--storage-driver", env.STORAGE_DRIVER];

function buildah(...args: string[]): string {
  const r = spawnSync("buildah", [...storage, ...args], {
    env,
    encoding: "utf8",
    timeout: 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  assert.equal(r.status, 0, `buildah ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

/** A shell command run inside the container (as its user, in its working folder). */
function inside(script: string, timeout = 120_000) {
  return spawnSync("buildah", [...storage, "run", "--isolation", "chroot", container, "--", "sh", "-c", script], {
    env,
    encoding: "utf8",
    timeout,
    maxBuffer: 64 * 1024 * 1024,
  });
}

before(async () => {
  if (skip) return;
  const built = await new Promise<{ status: number | null; output: string }>((resolve) => {
    const child = spawn("bash", [join(REPO, "scripts", "build-image.sh"), tag], { cwd: REPO, env });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("close", (status) => resolve({ status, output }));
  });
  assert.equal(built.status, 0, built.output);
  buildah("from", "--name", container, tag);
});

after(() => {
  if (skip) return;
  spawnSync("buildah", [...storage, "rm", container], { env });
  spawnSync("buildah", [...storage, "rmi", tag], { env });
});

test("image config: non-root user, caldp-process entry point, CALDP_HOME scratch, OCI labels", { skip }, () => {
  const image = JSON.parse(buildah("inspect", "--type", "image", tag));
  const config = image.OCIv1.config;
  assert.deepEqual(config.Entrypoint, ["caldp-process"]);
  assert.equal(config.User, "caldp");
  assert.ok(config.Env.includes("CALDP_HOME=/scratch"), config.Env.join(" "));
  const labels = config.Labels;
  assert.equal(labels["org.opencontainers.image.version"], pkg.version);
  assert.equal(labels["org.opencontainers.image.licenses"], "BSD-3-Clause");
  assert.match(labels["org.opencontainers.image.revision"], /^[0-9a-f]{40}(-dirty)?$/);
  assert.ok(labels["org.opencontainers.image.source"], "a source label");
  const who = inside(
    "id -u; id -un; ls -ld /scratch | cut -d' ' -f1,3; command -v caldp-process; node --version; " +
      "grep -l 'BSD 3-Clause' /opt/caldp/LICENSE; grep -l 'Node.js is licensed' /usr/local/share/doc/node/LICENSE",
  );
  assert.equal(who.status, 0, who.stderr);
  const [uid, user, scratch, entry, node, ...licenses] = who.stdout.trim().split("\n");
  assert.deepEqual(licenses, ["/opt/caldp/LICENSE", "/usr/local/share/doc/node/LICENSE"]);
  assert.notEqual(uid, "0");
  assert.equal(user, "caldp");
  assert.equal(scratch, "drwx------ caldp");
  assert.equal(entry, "/usr/local/bin/caldp-process");
  assert.match(node, /^v24\./);
});

test("the image holds what npm pack ships and the production dependencies, nothing else", { skip }, () => {
  const packed = spawnSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: REPO, encoding: "utf8" });
  assert.equal(packed.status, 0, packed.stderr);
  const shipped = JSON.parse(packed.stdout)[0]
    .files.map((f: { path: string }) => f.path)
    .sort();
  assert.ok(shipped.includes("LICENSE") && shipped.includes("dist/cli/caldp-process.js"));
  const files = inside("cd /opt/caldp && find . -path ./node_modules -prune -o -type f -print | sed 's|^./||' | sort");
  assert.equal(files.status, 0, files.stderr);
  assert.deepEqual(files.stdout.trim().split("\n"), shipped);
  // the packages, hoisted as the lockfile says, of the production tree only
  const tree = spawnSync("npm", ["ls", "--omit=dev", "--all", "--parseable"], { cwd: REPO, encoding: "utf8" });
  const expected = tree.stdout
    .trim()
    .split("\n")
    .filter((path) => path.startsWith(join(REPO, "node_modules")))
    .map((path) => path.slice(REPO.length + 1))
    .sort();
  const listing = inside(
    "cd /opt/caldp && find node_modules -name package.json -exec dirname {} \\; | grep -E '^node_modules/(@[^/]+/)?[^/@]+(/node_modules/(@[^/]+/)?[^/@]+)*$' | sort -u",
  );
  assert.equal(listing.status, 0, listing.stderr);
  assert.deepEqual(listing.stdout.trim().split("\n"), expected);
  for (const dev of Object.keys(pkg.devDependencies)) assert.ok(!expected.includes(`node_modules/${dev}`), dev);
});

test("a failure inside the image is a one-line error with CALDP's exit code, no stack trace", { skip }, () => {
  const failed = inside("mkdir bad && cd bad && caldp-process j8cb010b0 file:missing file:out; echo status=$?");
  assert.equal(failed.status, 0, failed.stderr);
  assert.match(failed.stdout, /\nstatus=21\n$/);
  assert.match(failed.stderr, /^caldp-process: process failed: InputTarError: Input directory .*missing/m);
  assert.doesNotMatch(failed.stdout + failed.stderr, /^(ERROR - )?\s+at /m);
});

test("the demo inside the image: simulate j8cb010b0, calibrate it with caldp-process, products verify", {
  skip,
}, () => {
  const demo = inside(
    [
      "set -e",
      "mkdir demo && cd demo",
      "caldp sim j8cb010b0 --out inputs >/dev/null",
      'printf "CRDS_PATH=$PWD/inputs/crds\\nCRDS_READONLY_CACHE=1\\n" > demo.cfg',
      "caldp-process j8cb010b0 file:inputs file:outputs demo.cfg > run.log 2>&1 || { tail -40 run.log; exit 1; }",
      "ls outputs/j8cb010b0 messages",
      "ls outputs/j8cb010b0/previews | wc -l",
      "caldp fits verify outputs/j8cb010b0/*.fits > /dev/null",
      "ls -A /scratch | wc -l",
    ].join("\n"),
    600_000,
  );
  assert.equal(demo.status, 0, demo.stdout + demo.stderr);
  const lines = demo.stdout.trim().split("\n");
  for (const product of ["j8cb01a1q_flt.fits", "j8cb01a2q_flt.fits", "j8cb010b1_crj.fits", "j8cb010b1.tra"]) {
    assert.ok(lines.includes(product), `${product} in ${lines.join(" ")}`);
  }
  assert.ok(lines.includes("processed-j8cb010b0.trigger"), lines.join(" "));
  assert.ok(Number(lines.at(-2)) > 0, "previews were made");
  assert.equal(lines.at(-1), "0", "the scratch folder under CALDP_HOME was removed");
});
