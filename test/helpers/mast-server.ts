/**
 * A local stand-in for MAST's API on 127.0.0.1 (node:http): `POST /api/v0/invoke` with a form field
 * `request=<json>` answers `Mast.Caom.Filtered` (obs_id filter, `*` wildcards) and `Mast.Caom.Products` (obsid
 * list) in MAST's `{status, msg, data, fields, paging}` shape, paged by `pagesize`/`page`; `GET
 * /api/v0.1/Download/file?uri=<dataURI>` serves the product's file, read in place.
 */
import { createReadStream, readFileSync, statSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";

export interface FakeProduct {
  filename: string;
  /** productSubGroupDescription, e.g. RAW. */
  subgroup: string;
  /** The file served; none: listed but 404 on download. */
  source?: string;
  /** Serve only the first half of the file (with a consistent Content-Length). */
  truncate?: boolean;
  /** Announce the whole file, send its first half, then send nothing more (a stalled transfer). */
  stall?: boolean;
  /** Send the file, then zeros without end (no Content-Length). */
  endless?: boolean;
  description?: string;
}

export interface FakeObservation {
  obsId: string;
  instrument: string;
  products: FakeProduct[];
}

export interface MastServer {
  baseUrl: string;
  /** Every request seen: `invoke <service>` or `download <uri>`. */
  requests: string[];
  stop(): Promise<void>;
}

export interface MastServerOptions {
  /** Answer each invoke with `status: EXECUTING` this many times first. */
  executingReplies?: number;
}

const OBSERVATION_FIELDS = ["obsid", "obs_id", "obs_collection", "instrument_name", "dataproduct_type"];
const PRODUCT_FIELDS = [
  "obsID",
  "obs_collection",
  "obs_id",
  "description",
  "type",
  "dataURI",
  "productType",
  "productGroupDescription",
  "productSubGroupDescription",
  "productFilename",
  "size",
  "parent_obsid",
  "dataRights",
  "calib_level",
];

const wildcard = (pattern: string) =>
  new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`, "i");

const obsidOf = (index: number) => String(24_000_000 + index);

function productRow(observation: FakeObservation, index: number, product: FakeProduct): Record<string, unknown> {
  const size = product.source ? statSync(product.source).size : 2880;
  return {
    obsID: obsidOf(index),
    obs_collection: "HST",
    obs_id: observation.obsId,
    description: product.description ?? `DADS ${product.subgroup} file`,
    type: "S",
    dataURI: `mast:HST/product/${product.filename}`,
    productType: product.subgroup === "RAW" || product.subgroup === "ASN" ? "AUXILIARY" : "SCIENCE",
    productGroupDescription: "Minimum Recommended Products",
    productSubGroupDescription: product.subgroup,
    productFilename: product.filename,
    size,
    parent_obsid: obsidOf(index),
    dataRights: "PUBLIC",
    calib_level: 1,
  };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => {
      body += chunk;
    });
    request.on("end", () => resolve(body));
    request.on("error", reject);
  });
}

function json(response: ServerResponse, status: number, value: unknown): void {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(value));
}

export function startMastServer(observations: FakeObservation[], options: MastServerOptions = {}): Promise<MastServer> {
  const requests: string[] = [];
  const executing = new Map<string, number>();
  const rows = observations.map((o, i) => ({
    observation: o,
    obsid: obsidOf(i),
    products: o.products.map((p) => ({ product: p, row: productRow(o, i, p) })),
  }));

  async function invoke(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const form = new URLSearchParams(await readBody(request));
    const mashup = JSON.parse(form.get("request") ?? "{}") as {
      service: string;
      params: { filters?: { paramName: string; values: string[] }[]; obsid?: string };
      pagesize?: number;
      page?: number;
    };
    requests.push(`invoke ${mashup.service}`);
    const seen = executing.get(JSON.stringify(mashup.params)) ?? 0;
    if (seen < (options.executingReplies ?? 0)) {
      executing.set(JSON.stringify(mashup.params), seen + 1);
      return json(response, 200, { status: "EXECUTING", msg: "", data: [], fields: [] });
    }
    let data: Record<string, unknown>[];
    let fields: string[];
    if (mashup.service === "Mast.Caom.Filtered") {
      const values = mashup.params.filters?.find((f) => f.paramName === "obs_id")?.values ?? [];
      data = rows
        .filter((r) => values.some((v) => wildcard(v).test(r.observation.obsId)))
        .map((r) => ({
          obsid: r.obsid,
          obs_id: r.observation.obsId,
          obs_collection: "HST",
          instrument_name: r.observation.instrument,
          dataproduct_type: "image",
        }));
      fields = OBSERVATION_FIELDS;
    } else if (mashup.service === "Mast.Caom.Products") {
      const ids = new Set(String(mashup.params.obsid ?? "").split(","));
      data = rows.filter((r) => ids.has(r.obsid)).flatMap((r) => r.products.map((p) => p.row));
      fields = PRODUCT_FIELDS;
    } else {
      return json(response, 200, { status: "ERROR", msg: `unknown service ${mashup.service}`, data: [], fields: [] });
    }
    const pageSize = mashup.pagesize ?? 50_000;
    const page = mashup.page ?? 1;
    json(response, 200, {
      status: "COMPLETE",
      msg: "",
      data: data.slice((page - 1) * pageSize, page * pageSize),
      fields: fields.map((name) => ({ name, type: name === "size" ? "int" : "string" })),
      paging: {
        page,
        pageSize,
        pagesFiltered: Math.max(1, Math.ceil(data.length / pageSize)),
        rows: data.length,
        rowsFiltered: data.length,
        rowsTotal: data.length,
      },
    });
  }

  function download(url: URL, response: ServerResponse): void {
    const uri = url.searchParams.get("uri") ?? "";
    requests.push(`download ${uri}`);
    const product = rows.flatMap((r) => r.products).find((p) => p.row.dataURI === uri)?.product;
    if (!product?.source) {
      response.writeHead(404, { "content-type": "text/plain" });
      response.end(`no such file: ${uri}`);
      return;
    }
    const size = statSync(product.source).size;
    if (product.endless) {
      response.writeHead(200, { "content-type": "application/octet-stream" });
      response.write(readFileSync(product.source));
      const zeros = Buffer.alloc(1 << 20);
      const more = () => {
        while (!response.destroyed && response.write(zeros));
        if (!response.destroyed) response.once("drain", more);
      };
      more();
      return;
    }
    if (product.stall) {
      response.writeHead(200, { "content-type": "application/octet-stream", "content-length": size });
      response.write(readFileSync(product.source).subarray(0, size >> 1));
      return;
    }
    const length = product.truncate ? Math.floor(size / 2) : size;
    response.writeHead(200, { "content-type": "application/octet-stream", "content-length": length });
    createReadStream(product.source, { start: 0, end: length - 1 }).pipe(response);
  }

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    if (request.method === "POST" && url.pathname === "/api/v0/invoke") {
      invoke(request, response).catch((error: Error) => json(response, 500, { status: "ERROR", msg: error.message }));
    } else if (request.method === "GET" && url.pathname === "/api/v0.1/Download/file") {
      download(url, response);
    } else {
      response.writeHead(404);
      response.end();
    }
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      resolve({
        baseUrl: `http://127.0.0.1:${port}`,
        requests,
        stop: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
