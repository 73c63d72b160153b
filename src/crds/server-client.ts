/**
 * JSON-RPC client of the CRDS server (crds/client/proxy.py, api.py) and verified file downloads
 * (temporary name, size and sha1 check, rename). Transport failures are retried with exponential
 * backoff and jitter; JSON-RPC errors are not retried. Every attempt has a time limit
 * (CRDS_CLIENT_TIMEOUT_SECONDS, 60 s by default rather than CRDS's 3600 s, so a hung server fails the job):
 * the whole call for JSON-RPC, the wait for each next piece of data for a download.
 */
import { createHash, randomBytes } from "node:crypto";
import { type FileHandle, mkdir, open, rename, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { gunzipSync } from "node:zlib";
import { AttemptTimer, DEFAULT_CRDS_TIMEOUT_MS, readAnswer, TransientError } from "./attempt.js";
import { type CacheLayout, type Env, mappingPath, referencePath } from "./cache.js";
import { CacheError, CrdsDownloadError, CrdsNetworkError, ServiceError } from "./errors.js";

export interface ServerClientOptions {
  /** Server base URL (CRDS_SERVER_URL); JSON-RPC goes to <url>/json/. */
  url: string;
  observatory?: string;
  /** Attempts per call, including the first (CRDS_CLIENT_RETRY_COUNT, default 1 as in CRDS). */
  attempts?: number;
  /** First backoff delay in ms, doubled after each failure, with jitter (CRDS_CLIENT_RETRY_DELAY_SECONDS). */
  retryDelayMs?: number;
  /**
   * Per-attempt time limit in ms (CRDS_CLIENT_TIMEOUT_SECONDS, default 60 s): the whole JSON-RPC call, or the
   * longest wait for data during a download.
   */
  timeoutMs?: number;
}

export interface FileIntegrity {
  sha1?: string;
  size?: number;
}

const HTML_ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'", "#x27": "'" };

function htmlUnescape(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39|#x27);/g, (_, name: string) => HTML_ENTITIES[name]);
}

/** proxy.crds_decode: results may be gzip+base64 JSON. */
export function crdsDecode(result: unknown): unknown {
  if (result !== null && typeof result === "object" && "crds_encoded" in result) {
    const payload = String((result as Record<string, unknown>).crds_payload);
    return JSON.parse(gunzipSync(Buffer.from(payload, "base64")).toString("utf8"));
  }
  return result;
}

function envNumber(env: Env, name: string): number | undefined {
  const value = env[name];
  if (value === undefined || value.trim() === "") return undefined;
  const number = Number(value);
  return Number.isFinite(number) ? number : undefined;
}

/** Client options from CRDS_SERVER_URL and the CRDS_CLIENT_* variables. */
export function serverClientOptionsFromEnv(env: Env = process.env, observatory = "hst"): ServerClientOptions {
  const delaySeconds = envNumber(env, "CRDS_CLIENT_RETRY_DELAY_SECONDS");
  const timeoutSeconds = envNumber(env, "CRDS_CLIENT_TIMEOUT_SECONDS");
  return {
    url: env.CRDS_SERVER_URL ?? `https://${observatory}-serverless.stsci.edu`,
    observatory,
    attempts: envNumber(env, "CRDS_CLIENT_RETRY_COUNT"),
    retryDelayMs: delaySeconds === undefined ? undefined : delaySeconds * 1000,
    timeoutMs: timeoutSeconds === undefined ? undefined : timeoutSeconds * 1000,
  };
}

export class CrdsServerClient {
  readonly url: string;
  readonly observatory: string;
  private readonly attempts: number;
  private readonly retryDelayMs: number;
  private readonly timeoutMs: number;
  private requestCount = 0;

  constructor(options: ServerClientOptions) {
    this.url = options.url.replace(/\/+$/, "");
    this.observatory = options.observatory ?? "hst";
    this.attempts = Math.max(1, Math.floor(options.attempts ?? 1));
    this.retryDelayMs = options.retryDelayMs ?? 500;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_CRDS_TIMEOUT_MS;
  }

  get serverless(): boolean {
    return this.url.includes("serverless") || this.url.includes("server-less");
  }

  /** Calls JSON-RPC `method` with positional `params` and returns the decoded result. */
  async call<T = unknown>(method: string, params: unknown[]): Promise<T> {
    if (this.serverless) {
      throw new ServiceError(`Configured for server-less mode.  Skipping JSON RPC '${method}'`);
    }
    const id = `caldp-${process.pid}-${++this.requestCount}`;
    const body = JSON.stringify({ jsonrpc: "1.0", method, params, id });
    const response = await this.withRetries(`JSON RPC '${method}'`, async ({ signal }) => {
      const reply = await fetch(`${this.url}/json/`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
        signal,
      });
      const text = await readAnswer(reply, `JSON RPC '${method}'`);
      if (reply.status >= 500 || reply.status === 429) throw new TransientError(`HTTP ${reply.status}`);
      if (!reply.ok) throw new ServiceError(`CRDS jsonrpc failure '${method}' HTTP ${reply.status}`);
      try {
        return JSON.parse(text) as { result?: unknown; error?: { message?: string } | null };
      } catch {
        throw new TransientError(`invalid JSON-RPC response: ${text.slice(0, 80)}`);
      }
    });
    if (response.error) {
      throw new ServiceError(`CRDS jsonrpc failure '${method}' ${htmlUnescape(String(response.error.message ?? ""))}`);
    }
    return crdsDecode(response.result) as T;
  }

  getDefaultContext(observatory = this.observatory, state?: string): Promise<string> {
    return this.call("get_default_context", state === undefined ? [observatory] : [observatory, state]);
  }

  getServerInfo(): Promise<Record<string, unknown>> {
    return this.call("get_server_info", []);
  }

  getContextByDate(date: string, observatory = this.observatory): Promise<string> {
    return this.call("get_context_by_date", [date, observatory]);
  }

  /** Best references computed by the server; header keys and values are sent as strings. */
  getBestReferences(
    context: string,
    header: Readonly<Record<string, unknown>>,
    reftypes: readonly string[] | null = null,
  ): Promise<Record<string, unknown>> {
    const stringified = Object.fromEntries(Object.entries(header).map(([k, v]) => [String(k), String(v)]));
    return this.call("get_best_references", [context, stringified, reftypes]);
  }

  getFileInfo(contextOrObservatory: string, filename: string): Promise<Record<string, string>> {
    return this.call("get_file_info", [contextOrObservatory, filename]);
  }

  /**
   * Downloads `url` to `destination` through a temporary file in the same directory, checking size
   * and sha1 before renaming. Integrity failures are not retried.
   */
  async downloadFile(url: string, destination: string, integrity: FileIntegrity = {}): Promise<void> {
    await mkdir(dirname(destination), { recursive: true }).catch((error: NodeJS.ErrnoException) => {
      throw new CacheError(`cannot create ${dirname(destination)} in the CRDS cache: ${error.code ?? error.message}`);
    });
    await this.withRetries(`download of ${url}`, async (timer) => {
      const temporary = join(dirname(destination), `.${randomBytes(6).toString("hex")}.caldp-download`);
      let out: FileHandle | undefined;
      try {
        out = await openInCache(temporary);
        const reply = await fetch(url, { signal: timer.signal });
        if (reply.status >= 500 || reply.status === 429) throw new TransientError(`HTTP ${reply.status}`);
        if (!reply.ok || reply.body === null) {
          throw new CrdsDownloadError(`download of ${url} failed: HTTP ${reply.status}`);
        }
        const hash = createHash("sha1");
        let size = 0;
        for await (const chunk of reply.body) {
          timer.touch();
          const bytes = chunk as Uint8Array;
          hash.update(bytes);
          size += bytes.length;
          if (integrity.size !== undefined && size > integrity.size) {
            throw new CrdsDownloadError(`download of ${url}: more than the expected ${integrity.size} bytes`);
          }
          await out.write(bytes).catch((error: NodeJS.ErrnoException) => {
            throw new CacheError(`cannot write ${temporary} in the CRDS cache: ${error.code ?? error.message}`);
          });
        }
        await out.close();
        out = undefined;
        const sha1 = hash.digest("hex");
        if (integrity.size !== undefined && size !== integrity.size) {
          throw new CrdsDownloadError(`download of ${url}: size ${size} != expected ${integrity.size}`);
        }
        if (integrity.sha1 !== undefined && sha1 !== integrity.sha1.toLowerCase()) {
          throw new CrdsDownloadError(`download of ${url}: sha1 ${sha1} != expected ${integrity.sha1}`);
        }
        await rename(temporary, destination);
      } finally {
        await out?.close().catch(() => {});
        await rm(temporary, { force: true });
      }
    });
  }

  /** Downloads a mapping into the cache, checked against the server's file info. */
  async downloadMapping(name: string, layout: CacheLayout, baseUrl?: string): Promise<string> {
    return this.downloadIntoCache(
      name,
      layout,
      mappingPath(layout, name),
      baseUrl ?? `${this.url}/unchecked_get/mappings/${layout.observatory}/`,
    );
  }

  /** Downloads a reference file into the cache (flat or instrument layout), checked against its file info. */
  async downloadReference(name: string, layout: CacheLayout, baseUrl?: string, env?: Env): Promise<string> {
    return this.downloadIntoCache(
      name,
      layout,
      referencePath(layout, name, env),
      baseUrl ?? `${this.url}/unchecked_get/references/${layout.observatory}/`,
    );
  }

  private async downloadIntoCache(name: string, layout: CacheLayout, path: string, baseUrl: string): Promise<string> {
    if (layout.readonly) {
      throw new CacheError(`cannot download ${name}: the CRDS cache is read-only (CRDS_READONLY_CACHE)`);
    }
    const info = await this.getFileInfo(layout.observatory, name);
    const size = info.size === undefined ? undefined : Number(info.size);
    await this.downloadFile(`${baseUrl.replace(/\/?$/, "/")}${name}`, path, { sha1: info.sha1sum, size });
    return path;
  }

  private async withRetries<T>(what: string, attempt: (timer: AttemptTimer) => Promise<T>): Promise<T> {
    let lastError: unknown;
    for (let i = 0; i < this.attempts; i++) {
      if (i > 0) {
        const backoff = this.retryDelayMs * 2 ** (i - 1);
        await new Promise((resolve) => setTimeout(resolve, backoff * (0.5 + Math.random() / 2)));
      }
      const timer = new AttemptTimer(this.timeoutMs);
      try {
        return await attempt(timer);
      } catch (error) {
        if (timer.timedOut)
          lastError = new TransientError(`timed out after ${this.timeoutMs / 1000} s (CRDS_CLIENT_TIMEOUT_SECONDS)`);
        else if (isTransient(error)) lastError = error;
        else throw error;
      } finally {
        timer.stop();
      }
    }
    const reason = lastError instanceof Error ? describeFailure(lastError) : String(lastError);
    throw new CrdsNetworkError(`${what} failed after ${this.attempts} attempt(s) on ${this.url}: ${reason}`);
  }
}

/** The temporary file of a download; a cache folder we may not write is a CacheError naming it. */
async function openInCache(path: string): Promise<FileHandle> {
  try {
    return await open(path, "wx");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new CacheError(`cannot write into the CRDS cache folder ${dirname(path)}: ${code}`);
  }
}

function isTransient(error: unknown): boolean {
  if (error instanceof TransientError) return true;
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) return true;
  return error instanceof TypeError && error.message === "fetch failed";
}

function describeFailure(error: Error): string {
  if (error instanceof TransientError) return error.message;
  const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? error.message;
}
