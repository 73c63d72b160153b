/**
 * `caldp batch dashboard`: node:http serving the page, `/api/summary` (JSON), `/events` (server-sent events:
 * a new summary whenever the records change, checked every second), `/thumb/<ds>/<name>` (preview
 * thumbnails `<products>/previews/*_thumb.jpg`, read through the output store) and `/log/<ds>` (the kept
 * log of its latest failed attempt).
 */
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { BatchQueues } from "../queues.js";
import { readRecord } from "../records.js";
import { type BatchSummary, summarize } from "../status.js";
import { openOutputStore } from "../store.js";
import { DASHBOARD_PAGE } from "./page.js";

export interface DashboardOptions {
  port: number;
  outputs: () => Promise<string[]>;
  queues?: BatchQueues;
  pollMs?: number;
}

export interface Dashboard {
  url: string;
  close(): Promise<void>;
}

const SAFE_NAME = /^[A-Za-z0-9_.-]+$/;

/** A processed dataset's thumbnail names, listed once per version of its record (a listing is a request on S3). */
const thumbsListed = new Map<string, string[]>();

async function thumbsOf(row: BatchSummary["rows"][number]): Promise<string[]> {
  const version = `${row.output} ${row.dataset} ${row.updatedAt}`;
  let names = thumbsListed.get(version);
  if (!names) {
    const store = openOutputStore(row.output);
    const keys = await store.list(`${store.productsPrefix(row.dataset)}/previews/`);
    names = keys.filter((k) => k.endsWith("_thumb.jpg")).map((k) => k.slice(k.lastIndexOf("/") + 1));
    thumbsListed.set(version, names);
  }
  return names;
}

/**
 * The summary plus each processed dataset's thumbnails. When Redis does not answer, what the output
 * locations say (those given with --output) is still shown, with `problem` naming Redis and why.
 */
async function snapshot(
  options: DashboardOptions,
): Promise<BatchSummary & { thumbs: Record<string, string[]>; problem?: string }> {
  let problem: string | undefined;
  const describe = (e: unknown) => options.queues?.describe(e) ?? (e as Error).message;
  const outputs = await options.outputs().catch((e) => {
    problem = describe(e);
    return [] as string[];
  });
  const summary = await summarize(outputs, problem ? undefined : options.queues).catch(async (e) => {
    problem = describe(e);
    return summarize(outputs);
  });
  const thumbs: Record<string, string[]> = {};
  for (const row of summary.rows) if (row.state === "processed") thumbs[row.dataset] = await thumbsOf(row);
  return { ...summary, thumbs, problem };
}

async function sendThumb(options: DashboardOptions, ds: string, name: string, res: ServerResponse): Promise<void> {
  if (!SAFE_NAME.test(ds) || !SAFE_NAME.test(name) || !name.endsWith("_thumb.jpg")) {
    res.writeHead(400).end();
    return;
  }
  // the first output location that has it (without reading every record for each thumbnail)
  let bytes: Uint8Array | undefined;
  for (const output of await options.outputs()) {
    const store = openOutputStore(output);
    bytes = await store.getBytes(`${store.productsPrefix(ds)}/previews/${name}`);
    if (bytes) break;
  }
  if (!bytes) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { "content-type": "image/jpeg", "cache-control": "max-age=60" }).end(bytes);
}

/** The kept log of a dataset's latest failed attempt (attempt-log.ts), as plain text. */
async function sendLog(options: DashboardOptions, ds: string, res: ServerResponse): Promise<void> {
  if (!SAFE_NAME.test(ds)) {
    res.writeHead(400).end();
    return;
  }
  for (const output of await options.outputs()) {
    const store = openOutputStore(output);
    const record = await readRecord(store, ds);
    const at = record?.log?.lastIndexOf(`control/${ds}/`) ?? -1;
    if (!record?.log || at < 0) continue;
    const bytes = await store.getBytes(record.log.slice(at));
    if (!bytes) break;
    res.writeHead(200, { "content-type": "text/plain; charset=utf-8" }).end(bytes);
    return;
  }
  res.writeHead(404, { "content-type": "text/plain" }).end(`no log kept for ${ds}`);
}

export function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  const streams = new Set<ServerResponse>();
  let last = "";
  let polling = false;
  const poll = setInterval(async () => {
    // a snapshot can take seconds while Redis is away: one at a time
    if (streams.size === 0 || polling) return;
    polling = true;
    try {
      const text = JSON.stringify(await snapshot(options));
      if (text === last) return;
      last = text;
      for (const res of streams) res.write(`data: ${text}\n\n`);
    } catch {
      // a record being rewritten; the next poll sees it whole
    } finally {
      polling = false;
    }
  }, options.pollMs ?? 1000);

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    try {
      if (url.pathname === "/") {
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(DASHBOARD_PAGE);
      } else if (url.pathname === "/api/summary") {
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(await snapshot(options)));
      } else if (url.pathname === "/events") {
        res.writeHead(200, {
          "content-type": "text/event-stream",
          "cache-control": "no-cache",
          connection: "keep-alive",
        });
        last = JSON.stringify(await snapshot(options));
        res.write(`data: ${last}\n\n`);
        streams.add(res);
        req.once("close", () => streams.delete(res));
      } else if (url.pathname.startsWith("/log/")) {
        await sendLog(options, decodeURIComponent(url.pathname.slice("/log/".length)), res);
      } else if (url.pathname.startsWith("/thumb/")) {
        const [ds, name] = url.pathname.slice("/thumb/".length).split("/").map(decodeURIComponent);
        await sendThumb(options, ds, name ?? "", res);
      } else res.writeHead(404).end("not found");
    } catch (e) {
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end(String((e as Error).message));
    }
  });
  return new Promise((resolve) => {
    server.listen(options.port, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}/`,
        close: () =>
          new Promise<void>((done) => {
            clearInterval(poll);
            for (const res of streams) res.end();
            server.close(() => done());
          }),
      });
    });
  });
}
