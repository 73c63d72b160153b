/**
 * A throw-away Ceph cluster with an S3 gateway (RGW) on 127.0.0.1 for integration tests: one mon, one memstore
 * OSD and radosgw from Debian's packages, configured as in docs/stack.md §3.1, in a temporary folder, on free
 * ports. The daemons run in the foreground as our children and are stopped by pid (rgw, osd, mon).
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface CephS3 {
  endpoint: string;
  accessKey: string;
  secretKey: string;
  /** Milliseconds from the first command to a usable endpoint with its user. */
  startupMs: number;
  /** Kills the gateway only (SIGKILL, as a crashed server); the cluster keeps its data. */
  killGateway(): Promise<void>;
  /** Starts the gateway again on the same port and waits until it answers. */
  startGateway(): Promise<void>;
  /** Stops rgw, osd and mon (in that order) and removes the folder; safe to call twice. */
  stop(): Promise<void>;
}

const BINARIES = ["ceph-mon", "ceph-osd", "radosgw", "radosgw-admin", "ceph", "monmaptool"];
const PACKAGES = "ceph-mon ceph-osd radosgw ceph-common";
const ACCESS_KEY = "HSTACCESSKEY";
const SECRET_KEY = "HSTSECRETKEY";
const READY_TIMEOUT_MS = 90_000;
const MAX_OSD_STARTS = 4;

function onPath(name: string): boolean {
  return (process.env.PATH ?? "/usr/bin").split(":").some((dir) => existsSync(join(dir, name)));
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function cephConf(dir: string, fsid: string, monPort: number, rgwPort: number): string {
  return `[global]
fsid = ${fsid}
mon host = v1:127.0.0.1:${monPort}
auth cluster required = none
auth service required = none
auth client required = none
auth allow insecure global id reclaim = true
ms bind msgr2 = false
public addr = 127.0.0.1
cluster addr = 127.0.0.1
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
mon allow pool size one = true
mon max pg per osd = 1000
mon warn on pool no redundancy = false
osd crush chooseleaf type = 0
run dir = ${dir}/run
log file = ${dir}/log/$name.log
admin socket = ${dir}/run/$name.asok
pid file = ${dir}/run/$name.pid
[mon.a]
mon data = ${dir}/mon
[osd.0]
osd data = ${dir}/osd0
osd objectstore = memstore
memstore device bytes = 2147483648
[client.rgw.a]
rgw frontends = beast endpoint=127.0.0.1:${rgwPort}
rgw data = ${dir}/rgw
`;
}

function tail(file: string, lines = 8): string {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

class Cluster {
  private readonly daemons = new Map<string, ChildProcess>();
  private readonly conf: string;
  private stopped = false;
  private osdStarts = 0;
  private readonly killAllSync = () => {
    for (const child of this.daemons.values()) child.kill("SIGKILL");
  };

  constructor(
    readonly dir: string,
    readonly rgwPort: number,
  ) {
    this.conf = join(dir, "ceph.conf");
    process.once("exit", this.killAllSync);
  }

  /** Runs a one-shot command; a failure names the command and shows its output. */
  run(command: string, args: string[], timeoutMs = 60_000): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile(command, args, { cwd: this.dir, timeout: timeoutMs }, (error, stdout, stderr) => {
        if (error) {
          const output = `${stdout}${stderr}`.trim().split("\n").slice(-6).join("\n");
          reject(new Error(`ceph test server: '${command} ${args.join(" ")}' failed: ${error.message}\n${output}`));
        } else resolve(stdout);
      });
    });
  }

  withConf(...args: string[]): string[] {
    return ["-c", this.conf, ...args];
  }

  /** Starts a daemon in the foreground (-f: logs to its log file); `name` is its Ceph name, e.g. osd.0. */
  startDaemon(name: string, command: string, args: string[]): void {
    const out = openSync(join(this.dir, "log", `${name}.out`), "a");
    const child = spawn(command, [...this.withConf(...args), "-f"], { cwd: this.dir, stdio: ["ignore", out, out] });
    closeSync(out);
    this.daemons.set(name, child);
    child.once("exit", () => {
      if (this.daemons.get(name) === child) this.daemons.delete(name);
    });
  }

  /** Throws with the daemon's log tail if it is no longer running. */
  assertRunning(name: string): void {
    if (this.daemons.has(name)) return;
    const log = join(this.dir, "log", `${name}.log`);
    const out = join(this.dir, "log", `${name}.out`);
    throw new Error(`ceph test server: ${name} exited during start-up\n${tail(out)}\n${tail(log)}`);
  }

  /** Sends `signal`, then SIGKILL if the daemon is still there after `graceMs`. */
  async stopDaemon(name: string, signal: NodeJS.Signals = "SIGTERM", graceMs = 3_000): Promise<void> {
    const child = this.daemons.get(name);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill(signal);
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    await exited;
    clearTimeout(timer);
  }

  startOsd(): void {
    this.osdStarts++;
    this.startDaemon("osd.0", "ceph-osd", ["-i", "0"]);
  }

  /**
   * Ceph 16's OSD sometimes sends its first mon command before it has the monmap ("wrong fsid") and exits during
   * start-up (about one start in three here); another start then succeeds.
   */
  private superviseStartup(): void {
    this.assertRunning("mon.a");
    if (!this.daemons.has("osd.0") && this.osdStarts < MAX_OSD_STARTS) this.startOsd();
    this.assertRunning("osd.0");
    this.assertRunning("client.rgw.a");
  }

  async startGateway(): Promise<void> {
    this.startDaemon("client.rgw.a", "radosgw", ["-n", "client.rgw.a"]);
    const url = `http://127.0.0.1:${this.rgwPort}/`;
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
      this.superviseStartup();
      try {
        await fetch(url, { signal: AbortSignal.timeout(2_000) });
        return;
      } catch {
        if (Date.now() > deadline) {
          throw new Error(
            `ceph test server: radosgw did not answer on ${url} within ${READY_TIMEOUT_MS / 1000} s\n` +
              tail(join(this.dir, "log", "client.rgw.a.log")),
          );
        }
        await sleep(250);
      }
    }
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const name of ["client.rgw.a", "osd.0", "mon.a"]) await this.stopDaemon(name);
    process.off("exit", this.killAllSync);
    if (!process.env.CALDP_KEEP_CEPH) rmSync(this.dir, { recursive: true, force: true });
  }
}

async function startCluster(cluster: Cluster, monPort: number): Promise<void> {
  const fsid = randomUUID();
  const { dir } = cluster;
  writeFileSync(join(dir, "ceph.conf"), cephConf(dir, fsid, monPort, cluster.rgwPort));
  await cluster.run("monmaptool", [
    "--create",
    "--clobber",
    "--fsid",
    fsid,
    "--addv",
    "a",
    `v1:127.0.0.1:${monPort}`,
    "monmap",
  ]);
  await cluster.run("ceph-mon", cluster.withConf("--mkfs", "-i", "a", "--monmap", "monmap"));
  cluster.startDaemon("mon.a", "ceph-mon", ["-i", "a"]);
  const osdUuid = randomUUID();
  // a loaded machine can take longer than one connect timeout to bring the monitor up; `osd new` with the same
  // uuid is idempotent, so it is retried while the monitor runs
  for (let attempt = 1; ; attempt++) {
    try {
      await cluster.run("ceph", cluster.withConf("--connect-timeout", "30", "osd", "new", osdUuid), 90_000);
      break;
    } catch (e) {
      cluster.assertRunning("mon.a");
      if (attempt === 3) throw e;
    }
  }
  cluster.assertRunning("mon.a");
  await cluster.run("ceph-osd", cluster.withConf("-i", "0", "--mkfs", "--osd-uuid", osdUuid));
  cluster.startOsd();
  await cluster.startGateway();
  await cluster.run("radosgw-admin", [
    ...cluster.withConf("user", "create", "--uid=hst", "--display-name=hst"),
    `--access-key=${ACCESS_KEY}`,
    `--secret-key=${SECRET_KEY}`,
  ]);
}

/**
 * Starts the cluster and resolves when S3 requests can be made (about 10-15 s). Missing Debian packages give
 * an error that names them and scripts/install-test-deps.sh; any other start-up failure stops what was started.
 */
export async function startCeph(): Promise<CephS3> {
  const missing = BINARIES.filter((b) => !onPath(b));
  if (missing.length) {
    throw new Error(
      `Ceph RGW test server not installed (missing ${missing.join(", ")}): run scripts/install-test-deps.sh ` +
        `as root, or apt-get install -y --no-install-recommends ${PACKAGES}`,
    );
  }
  const started = Date.now();
  const dir = mkdtempSync(join(tmpdir(), "caldp-ceph-"));
  for (const sub of ["mon", "osd0", "rgw", "run", "log"]) mkdirSync(join(dir, sub));
  const monPort = await freePort();
  let rgwPort = await freePort();
  while (rgwPort === monPort) rgwPort = await freePort();
  const cluster = new Cluster(dir, rgwPort);
  try {
    await startCluster(cluster, monPort);
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  return {
    endpoint: `http://127.0.0.1:${rgwPort}`,
    accessKey: ACCESS_KEY,
    secretKey: SECRET_KEY,
    startupMs: Date.now() - started,
    killGateway: () => cluster.stopDaemon("client.rgw.a", "SIGKILL"),
    startGateway: () => cluster.startGateway(),
    stop: () => cluster.stop(),
  };
}
