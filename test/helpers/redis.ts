import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

/** A free TCP port on 127.0.0.1 (bound, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export const hasRedisServer = () => spawnSync("redis-server", ["--version"]).status === 0;

/** Debian's redis-server on 127.0.0.1 and a free port, without persistence; stopped by its pid. */
export class RedisServer {
  private pid?: number;
  readonly dir = mkdtempSync(join(tmpdir(), "caldp-redis-"));

  private constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(): Promise<RedisServer> {
    const server = new RedisServer(await freePort());
    await server.restart();
    return server;
  }

  /** Starts (again) on the same port; an empty Redis, since nothing is saved. */
  async restart(): Promise<void> {
    const pidfile = join(this.dir, "redis.pid");
    rmSync(pidfile, { force: true });
    const args = ["--port", String(this.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"];
    args.push("--daemonize", "yes", "--pidfile", pidfile, "--dir", this.dir, "--logfile", join(this.dir, "redis.log"));
    const started = spawnSync("redis-server", args, { encoding: "utf8" });
    if (started.status !== 0) throw new Error(`redis-server: ${started.stderr}`);
    // the daemon creates its pidfile before it writes the number: an empty file read as 0 would make stop()
    // signal our own process group (kill(0, …)), the whole test run and the CI script with it
    const pidIn = () => (existsSync(pidfile) ? Number(readFileSync(pidfile, "utf8").trim() || Number.NaN) : Number.NaN);
    for (let i = 0; i < 200 && !(pidIn() > 1); i++) await sleep(50);
    const pid = pidIn();
    if (!(Number.isInteger(pid) && pid > 1)) throw new Error(`redis-server: no pid in ${pidfile} after 10 s`);
    this.pid = pid;
  }

  async stop(): Promise<void> {
    if (this.pid === undefined) return;
    const pid = this.pid;
    this.pid = undefined;
    if (!(Number.isInteger(pid) && pid > 1)) return;
    try {
      process.kill(pid, "SIGTERM");
    } catch {
      return;
    }
    for (let i = 0; i < 100; i++) {
      try {
        process.kill(pid, 0);
      } catch {
        return;
      }
      await sleep(50);
    }
  }
}
