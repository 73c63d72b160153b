import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { parseDataset } from "../../src/core/dataset.js";
import { Logger } from "../../src/core/log.js";
import { prepareAstroqueryInputs } from "../../src/io/astroquery-inputs.js";
import { MastError } from "../../src/io/errors.js";
import { exitCodeOf } from "../../src/pipeline/error-exits.js";
import { type MastServer, startMastServer } from "../helpers/mast-server.js";
import { HST_DATA } from "../helpers/paths.js";

const hst = (name: string) => join(HST_DATA, name);
const sha1 = (path: string) => createHash("sha1").update(readFileSync(path)).digest("hex");
const scratch = () => join(mkdtempSync(join(tmpdir(), "caldp-mast-")), "inputs", "ds");
const retry = { attempts: 3, baseDelayMs: 10 };

let mast: MastServer;
before(async () => {
  mast = await startMastServer(
    [
      {
        obsId: "j8bt05njq",
        instrument: "ACS/WFC",
        products: [
          { filename: "j8bt05njq_raw.fits", subgroup: "RAW", source: hst("j8bt05njq_raw.fits") },
          { filename: "j8bt05njq_flt.fits", subgroup: "FLT" },
          { filename: "j8bt05njq_raw.jpg", subgroup: "RAW" },
          { filename: "j8bt05njq_spt.fits", subgroup: "SPT" },
        ],
      },
      {
        obsId: "o4er06llq",
        instrument: "STIS/CCD",
        products: [
          { filename: "o4er06llq_raw.fits", subgroup: "RAW", source: hst("o4er06llq_raw.fits") },
          { filename: "o4er06llq_spt.fits", subgroup: "SPT", source: hst("o4er06llq_spt.fits") },
          { filename: "o4er06llq_wav.fits", subgroup: "WAV", source: hst("ocmv0lw6q_raw.fits") },
        ],
      },
      { obsId: "j8bt06o6q", instrument: "ACS/WFC", products: [{ filename: "j8bt06o6q_flt.fits", subgroup: "FLT" }] },
      { obsId: "j8bt09jcq", instrument: "ACS/WFC", products: [{ filename: "j8bt09jcq_raw.fits", subgroup: "RAW" }] },
      {
        obsId: "ocmv0lw6q",
        instrument: "STIS/CCD",
        products: [
          { filename: "ocmv0lw6q_raw.fits", subgroup: "RAW", source: hst("ocmv0lw6q_raw.fits"), truncate: true },
        ],
      },
    ],
    { executingReplies: 1 },
  );
});
after(() => mast.stop());

async function rejects22(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(promise, (e) => {
    assert.ok(e instanceof MastError, String(e));
    assert.equal(exitCodeOf(e), 22);
    assert.match(e.message, pattern);
    assert.ok(!e.message.includes("\n"), "one line");
    return true;
  });
}

test("ACS: the RAW FITS product is listed, downloaded and checked; FLT, jpg and SPT are not fetched", async () => {
  const dir = scratch();
  const lines: string[] = [];
  const log = new Logger(undefined, (l) => lines.push(l));
  mast.requests.length = 0;
  const got = await prepareAstroqueryInputs(parseDataset("j8bt05njq"), dir, {
    baseUrl: mast.baseUrl,
    log,
    pageSize: 2,
  });
  assert.deepEqual(got, { dir, tarball: undefined, files: [join(dir, "j8bt05njq_raw.fits")] });
  assert.equal(sha1(got.files[0]), sha1(hst("j8bt05njq_raw.fits")));
  assert.deepEqual(readdirSync(dir), ["j8bt05njq_raw.fits"]);
  assert.deepEqual(
    mast.requests.filter((r) => r.startsWith("download")),
    ["download mast:HST/product/j8bt05njq_raw.fits"],
  );
  const invokes = mast.requests.filter((r) => r.startsWith("invoke"));
  assert.equal(invokes.filter((r) => r === "invoke Mast.Caom.Products").length, 3, "EXECUTING once, then 2 pages of 2");
  assert.ok(lines.some((l) => l.includes(`Downloaded 1 file(s) of j8bt05njq from MAST (${mast.baseUrl})`)));
});

test("STIS: RAW and WAV (the STIS suffixes), not SPT; CALDP_MAST_URL is the default base URL", async () => {
  const dir = scratch();
  process.env.CALDP_MAST_URL = mast.baseUrl;
  try {
    const got = await prepareAstroqueryInputs(parseDataset("o4er06llq"), dir);
    assert.deepEqual(got.files, [join(dir, "o4er06llq_raw.fits"), join(dir, "o4er06llq_wav.fits")]);
    assert.equal(sha1(got.files[1]), sha1(hst("ocmv0lw6q_raw.fits")));
  } finally {
    delete process.env.CALDP_MAST_URL;
  }
});

test("no observation, or no product of the instrument's suffixes, is ASTROQUERY_ERROR (22), not an empty success", async () => {
  await rejects22(
    prepareAstroqueryInputs(parseDataset("j8bt99zzq"), scratch(), { baseUrl: mast.baseUrl }),
    /MAST \(http:\/\/127\.0\.0\.1:\d+\) has no observation with obs_id j8bt99zzq$/,
  );
  await rejects22(
    prepareAstroqueryInputs(parseDataset("j8bt06o6q"), scratch(), { baseUrl: mast.baseUrl }),
    /lists no ASN\/RAW FITS products for j8bt06o6q \(1 products listed: FLT\)$/,
  );
});

test("a listed product that cannot be downloaded (404) is 22 at once, leaving no file", async () => {
  const dir = scratch();
  mast.requests.length = 0;
  await rejects22(
    prepareAstroqueryInputs(parseDataset("j8bt09jcq"), dir, { baseUrl: mast.baseUrl, retry }),
    /^Cannot download j8bt09jcq_raw\.fits of j8bt09jcq from http:\/\/127\.0\.0\.1:\d+\/api\/v0\.1\/Download\/file\?uri=mast%3AHST%2Fproduct%2Fj8bt09jcq_raw\.fits: HTTP 404 Not Found$/,
  );
  assert.equal(mast.requests.filter((r) => r.startsWith("download")).length, 1, "a 404 is not retried");
  assert.deepEqual(readdirSync(dir), []);
});

test("a truncated download (size short of the listing) is retried, then 22, leaving no partial file", async () => {
  const dir = scratch();
  const lines: string[] = [];
  mast.requests.length = 0;
  const expected = readFileSync(hst("ocmv0lw6q_raw.fits")).length;
  await rejects22(
    prepareAstroqueryInputs(parseDataset("ocmv0lw6q"), dir, {
      baseUrl: mast.baseUrl,
      retry,
      log: new Logger(undefined, (l) => lines.push(l)),
    }),
    new RegExp(`ocmv0lw6q_raw\\.fits .*: size ${Math.floor(expected / 2)} bytes, expected ${expected}$`),
  );
  assert.equal(mast.requests.filter((r) => r.startsWith("download")).length, 3);
  assert.equal(lines.filter((l) => l.startsWith("WARNING - download of")).length, 2);
  assert.deepEqual(readdirSync(dir), []);
});
