/**
 * A client of MAST's public API as astroquery.mast uses it: service requests (`Mast.Caom.Filtered`,
 * `Mast.Caom.Products`) POSTed to `<base>/api/v0/invoke` as a form field `request=<json>`, answered with
 * `{status, msg, data, fields, paging}` (status EXECUTING means: ask again), and files from
 * `<base>/api/v0.1/Download/file?uri=<dataURI>`.
 */
import { randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import {
  AttemptDeadline,
  type IoLog,
  type RetryPolicy,
  readAnswer,
  timeoutFromEnv,
  withRetries,
} from "./remote-retry.js";
import { type WrittenContent, writeVerified } from "./verified-file.js";

export const DEFAULT_MAST_URL = "https://mast.stsci.edu";
export const DEFAULT_MAST_TIMEOUT_MS = 120_000;

export type MastRow = Record<string, unknown>;

export interface MastProduct {
  obsID: string;
  obs_id: string;
  productFilename: string;
  dataURI: string;
  productSubGroupDescription: string;
  description: string;
  size: number | undefined;
}

interface MastResponse {
  status?: string;
  msg?: string;
  data?: MastRow[];
  paging?: { page?: number; pagesFiltered?: number };
}

export interface MastClientOptions {
  /** CALDP_MAST_URL, default https://mast.stsci.edu. */
  baseUrl?: string;
  retry?: RetryPolicy;
  log?: IoLog;
  /** Rows per page of a service request (astroquery's default 50000). */
  pageSize?: number;
  /**
   * Time limit per attempt in ms (CALDP_MAST_TIMEOUT_SECONDS, default 120 s): the whole service request, or the
   * longest wait for data during a download.
   */
  timeoutMs?: number;
}

/** MAST answered, but not with what was asked for; another attempt will not help. */
export class MastRefusal extends Error {}

const text = (value: unknown) => (value === null || value === undefined ? "" : String(value));

function asProduct(row: MastRow): MastProduct {
  const size = Number(row.size);
  return {
    obsID: text(row.obsID),
    obs_id: text(row.obs_id),
    productFilename: text(row.productFilename),
    dataURI: text(row.dataURI),
    productSubGroupDescription: text(row.productSubGroupDescription),
    description: text(row.description),
    size: Number.isFinite(size) && size > 0 ? size : undefined,
  };
}

/** The chunks of `body`, restarting the deadline at each: a download that keeps receiving is not stalled. */
async function* touching(
  body: AsyncIterable<Uint8Array>,
  deadline: AttemptDeadline,
  size: number | undefined,
): AsyncGenerator<Uint8Array> {
  let received = 0;
  for await (const chunk of body) {
    deadline.touch();
    received += chunk.length;
    // a peer sending more than announced would fill the disk before the size check at the end
    if (size !== undefined && received > size) throw new Error(`more than the expected ${size} bytes`);
    yield chunk;
  }
}

function isTransientStatus(status: number): boolean {
  return status >= 500 || status === 429 || status === 408;
}

export class MastClient {
  readonly baseUrl: string;
  private readonly options: MastClientOptions;
  private readonly timeoutMs: number;

  constructor(options: MastClientOptions = {}) {
    this.baseUrl = (options.baseUrl ?? DEFAULT_MAST_URL).replace(/\/+$/, "");
    this.options = options;
    this.timeoutMs =
      options.timeoutMs ?? timeoutFromEnv(process.env, "CALDP_MAST_TIMEOUT_SECONDS", DEFAULT_MAST_TIMEOUT_MS);
  }

  /** Runs one attempt under a deadline (CALDP_MAST_TIMEOUT_SECONDS). */
  private async timed<T>(attempt: (deadline: AttemptDeadline) => Promise<T>): Promise<T> {
    const deadline = new AttemptDeadline(this.timeoutMs, "CALDP_MAST_TIMEOUT_SECONDS");
    try {
      return await attempt(deadline);
    } finally {
      deadline.stop();
    }
  }

  /** All rows of a service request, page after page. */
  async invoke(service: string, params: Record<string, unknown>): Promise<MastRow[]> {
    const rows: MastRow[] = [];
    const pagesize = this.options.pageSize ?? 50_000;
    for (let page = 1, pages = 1; page <= pages; page++) {
      const request = { service, params, format: "json", pagesize, page, cacheBreaker: randomUUID() };
      const reply = await this.request(service, request);
      rows.push(...(reply.data ?? []));
      pages = reply.paging?.pagesFiltered ?? 1;
    }
    return rows;
  }

  /** Observations whose obs_id matches (MAST accepts `*` wildcards). */
  observations(obsId: string): Promise<MastRow[]> {
    return this.invoke("Mast.Caom.Filtered", { columns: "*", filters: [{ paramName: "obs_id", values: [obsId] }] });
  }

  /** The products of the observations with these MAST obsids (the `obsid` column, not obs_id). */
  async products(obsids: readonly string[]): Promise<MastProduct[]> {
    const rows = await this.invoke("Mast.Caom.Products", { obsid: obsids.join(",") });
    return rows.map(asProduct);
  }

  downloadUrl(dataURI: string): string {
    return `${this.baseUrl}/api/v0.1/Download/file?uri=${encodeURIComponent(dataURI)}`;
  }

  /**
   * Downloads a product to `destination` (temporary name, size check against the listing and the announced
   * length, then rename). Network failures, server errors and short files are retried; a 4xx is not.
   */
  download(product: MastProduct, destination: string): Promise<WrittenContent> {
    const url = this.downloadUrl(product.dataURI);
    return withRetries(
      `download of ${url}`,
      () =>
        this.timed(async (deadline) => {
          const reply = await fetch(url, { signal: deadline.signal });
          if (!reply.ok || !reply.body) {
            await reply.body?.cancel();
            const message = `HTTP ${reply.status} ${reply.statusText}`.trim();
            throw isTransientStatus(reply.status) ? new Error(message) : new MastRefusal(message);
          }
          const announced = Number(reply.headers.get("content-length") ?? Number.NaN);
          const size = product.size ?? (Number.isFinite(announced) ? announced : undefined);
          const body = touching(
            Readable.fromWeb(reply.body as import("node:stream/web").ReadableStream),
            deadline,
            size,
          );
          return writeVerified(body, destination, { size });
        }),
      { ...this.options.retry, log: this.options.log, isRetryable: (e) => !(e instanceof MastRefusal) },
    );
  }

  private async request(service: string, request: Record<string, unknown>): Promise<MastResponse> {
    const url = `${this.baseUrl}/api/v0/invoke`;
    const body = `request=${encodeURIComponent(JSON.stringify(request))}`;
    const executingUntil = Date.now() + this.timeoutMs;
    return withRetries(
      `MAST ${service} request to ${url}`,
      () =>
        this.timed(async (deadline) => {
          for (;;) {
            const reply = await fetch(url, {
              method: "POST",
              headers: { "content-type": "application/x-www-form-urlencoded", accept: "text/plain" },
              body,
              signal: deadline.signal,
            });
            const raw = await readAnswer(reply, `MAST ${service} request to ${url}`);
            if (!reply.ok) {
              const message = `HTTP ${reply.status}: ${raw.slice(0, 120).replace(/\s+/g, " ")}`;
              throw isTransientStatus(reply.status) ? new Error(message) : new MastRefusal(message);
            }
            let parsed: MastResponse;
            try {
              parsed = JSON.parse(raw) as MastResponse;
            } catch {
              throw new Error(`not JSON: ${raw.slice(0, 80).replace(/\s+/g, " ")}`);
            }
            if (parsed.status === "EXECUTING" && Date.now() < executingUntil) {
              await new Promise((resolve) => setTimeout(resolve, 500));
              deadline.touch();
              continue;
            }
            if (parsed.status !== "COMPLETE") {
              throw new MastRefusal(`status ${parsed.status ?? "missing"}${parsed.msg ? `: ${parsed.msg}` : ""}`);
            }
            return parsed;
          }
        }),
      { ...this.options.retry, log: this.options.log, isRetryable: (e) => !(e instanceof MastRefusal) },
    );
  }
}
