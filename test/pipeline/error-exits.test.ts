// The errors of src/io and src/previews get their CALDP exit code in one place (src/pipeline/error-exits.ts),
// whatever stage they come out of: real failures of their functions, in a stage whose own code is another.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { parseDataset } from "../../src/core/dataset.js";
import { CaldpError } from "../../src/core/errors.js";
import { explain } from "../../src/core/exit-codes.js";
import { Logger } from "../../src/core/log.js";
import { prepareAstroqueryInputs } from "../../src/io/astroquery-inputs.js";
import { InputError, MastError, S3Error, TarError } from "../../src/io/errors.js";
import { prepareFileInputs } from "../../src/io/file-input.js";
import { prepareS3Inputs } from "../../src/io/s3-input.js";
import { uploadFileToS3 } from "../../src/io/s3-upload.js";
import { extractTarGzSafely } from "../../src/io/tar.js";
import { exitCodeOf, exitNameOf } from "../../src/pipeline/error-exits.js";
import { exitStatusFor, runStage } from "../../src/pipeline/stage.js";
import { makeDatasetPreviews } from "../../src/previews/dataset-previews.js";
import { PreviewError } from "../../src/previews/errors.js";
import { runCliAsync } from "../helpers/cli-async.js";
import { listenLocal } from "../helpers/local-http.js";

const DS = parseDataset("j8cb010b0");

function scratch(): string {
  return mkdtempSync(join(tmpdir(), "caldp-error-exits-"));
}

/** Runs `body` as a stage whose own code is STAGE1_ERROR (23); returns the error and the report's lines. */
async function failInStage(body: () => Promise<unknown>): Promise<{ error: CaldpError; lines: string[] }> {
  const lines: string[] = [];
  const log = new Logger(join(scratch(), "process.txt"), (line) => lines.push(line));
  try {
    await runStage({ name: "process", code: "STAGE1_ERROR", log, env: {} }, body);
  } catch (error) {
    assert.ok(error instanceof CaldpError, String(error));
    return { error, lines };
  }
  assert.fail("the stage did not fail");
}

const cases: {
  what: string;
  layer: new (...args: never[]) => Error;
  code: number;
  name: string;
  run: () => Promise<unknown>;
}[] = [
  {
    what: "a tarball that is not gzip",
    layer: TarError,
    code: 21,
    name: "InputTarError",
    run: async () => {
      const dir = scratch();
      writeFileSync(join(dir, "j8cb010b0.tar.gz"), "not a tarball\n");
      mkdirSync(join(dir, "out"));
      return extractTarGzSafely(join(dir, "j8cb010b0.tar.gz"), join(dir, "out"));
    },
  },
  {
    what: "a file: input folder that does not exist",
    layer: InputError,
    code: 21,
    name: "InputTarError",
    run: async () => prepareFileInputs("file:missing", DS, scratch(), join(scratch(), "work")),
  },
  {
    what: "astroquery: for a dataset type MAST inputs do not cover",
    layer: MastError,
    code: 22,
    name: "AstroqueryError",
    run: async () => prepareAstroqueryInputs(parseDataset("acs_8ph_01"), scratch(), { baseUrl: "http://127.0.0.1:9" }),
  },
  {
    what: "an s3: input URI without a bucket",
    layer: S3Error,
    code: 26,
    name: "S3DownloadError",
    run: async () => prepareS3Inputs("s3://", DS, scratch()),
  },
  {
    what: "an upload to an s3: URI whose bucket name is invalid",
    layer: S3Error,
    code: 25,
    name: "S3UploadError",
    run: async () => {
      const file = join(scratch(), "x.txt");
      writeFileSync(file, "x");
      return uploadFileToS3(file, "s3://x/key", { retry: { attempts: 1 } });
    },
  },
  {
    what: "a product whose preview cannot be made (an empty FITS file)",
    layer: PreviewError,
    code: 28,
    name: "PreviewsError",
    run: async () => {
      const dir = scratch();
      writeFileSync(join(dir, "j8bt07abq_flt.fits"), "");
      const quiet = new Logger(undefined, () => undefined);
      return makeDatasetPreviews({ dataset: "j8bt07abq", inputDir: dir, outputDir: dir, log: quiet });
    },
  },
];

for (const c of cases) {
  test(`${c.what}: ${c.layer.name} from a lower layer, exit ${c.code} (${c.name}) in a stage whose code is 23`, async () => {
    let thrown: unknown;
    await c.run().catch((e) => {
      thrown = e;
    });
    assert.ok(thrown instanceof c.layer, `src/io threw ${String(thrown)}`);
    assert.ok(!(thrown instanceof CaldpError), "src/io decides no exit code");
    assert.equal(exitCodeOf(thrown), c.code);
    const { error, lines } = await failInStage(() => Promise.reject(thrown));
    assert.equal(error.code, c.code);
    assert.equal(error.name, c.name);
    assert.equal(error.message, (thrown as Error).message, "the message operators read is unchanged");
    assert.equal(error.cause, thrown);
    const summary = `ERROR - process failed: ${c.name}: ${error.message}`;
    assert.ok(
      lines.some((l) => l === summary || l.startsWith(`${summary}: caused by `)),
      lines.join("\n"),
    );
    assert.ok(lines.includes(`ERROR - ${c.layer.name}: ${error.message}`), "the report's cause names the layer");
    const hint = thrown instanceof PreviewError ? thrown.hint : error.hint;
    assert.equal(error.hint, hint, "a layer's own hint is kept");
    assert.ok(lines.includes(`ERROR - Hint: ${hint}`), lines.join("\n"));
  });
}

test("errors no lower layer owns keep the stage's code; an unreported io error at the top is mapped too", async () => {
  assert.equal(exitNameOf(new Error("plain")), undefined);
  assert.equal(exitNameOf("not an error"), undefined);
  const { error } = await failInStage(() => Promise.reject(new RangeError("index out of range")));
  assert.equal(error.code, 23);
  const lines: string[] = [];
  const log = new Logger(undefined, (line) => lines.push(line));
  assert.equal(exitStatusFor(new S3Error("upload", "s3://b/k", "Cannot upload x to s3://b/k: denied"), log), 25);
  assert.ok(lines.includes(explain(25)), lines.join("\n"));
});

test("caldp-process with an S3 peer that drops every connection: 25, and stderr names S3UploadError, not S3Error", async () => {
  const dir = scratch();
  const endpoint = await listenLocal((request) => request.socket.destroy());
  const r = await runCliAsync("caldp-process", ["j8cb010b0", "file:in", "s3://outputs", "caldp-config-offsite"], {
    cwd: dir,
    env: {
      AWS_ACCESS_KEY_ID: "caldp-test",
      AWS_SECRET_ACCESS_KEY: "caldp-test-secret",
      AWS_REGION: "us-east-1",
      AWS_EC2_METADATA_DISABLED: "true",
      AWS_ENDPOINT_URL_S3: endpoint,
      CRDS_PATH: join(dir, "crds"),
    },
  });
  assert.equal(r.status, 25, r.stdout.slice(-3000) + r.stderr);
  const line = r.stderr.split("\n").find((l) => l.startsWith("caldp-process: process failed: "));
  assert.match(line ?? r.stderr, /^caldp-process: process failed: S3UploadError: S3 \w+ of s3:\/\/outputs\/messages\//);
});
