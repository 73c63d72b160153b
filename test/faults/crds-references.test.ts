// References that are missing, cut, damaged or wrong in a read-only CRDS cache: bestrefs finds each before stage 1
// and fails with 27 naming the keyword, the reference and the cause (before, a missing one surfaced in stage 1 as
// 23, and an infinite gain as "cannot write Infinity in a FITS header").
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { simulateDataset } from "../../src/sim/index.js";
import { runCliAsync } from "../helpers/cli-async.js";
import { PYTHON } from "../helpers/paths.js";

/** A simulated ACS/HRC exposure with its references in a read-only cache (flat layout). */
function setup() {
  const dir = mkdtempSync(join(tmpdir(), "caldp-faults-refs-"));
  const sim = simulateDataset({ dataset: "j8cb01a1q", out: join(dir, "in"), detector: "HRC", seed: 4 });
  const refs = join(sim.crds.root, "references", "hst");
  const config = join(dir, "sim.cfg");
  writeFileSync(config, `CRDS_PATH=${sim.crds.root}\nCRDS_READONLY_CACHE=1\n`);
  const reference = (suffix: string) => join(refs, readdirSync(refs).find((n) => n.endsWith(suffix))!);
  return { dir, sim, refs, config, reference };
}

const name = (path: string) => path.slice(path.lastIndexOf("/") + 1);

async function failsBeforeStage1(dir: string, config: string, pattern: RegExp): Promise<string> {
  const r = await runCliAsync("caldp-process", ["j8cb01a1q", "file:in", "file:out", config], { cwd: dir });
  assert.equal(r.status, 27, r.stdout.slice(-3000));
  const log = readFileSync(join(dir, "process.txt"), "utf8");
  assert.match(log, pattern);
  assert.doesNotMatch(log, /stage 1 \(native\) started/, "calibration never started");
  assert.ok(log.includes("EXIT - BESTREFS_ERROR[27]"));
  assert.deepEqual(readdirSync(join(dir, "messages")), ["error-j8cb01a1q"]);
  const products = join(dir, "out", "j8cb01a1q");
  assert.deepEqual(existsSync(products) ? readdirSync(products).filter((n) => n.endsWith("_flt.fits")) : [], []);
  return log;
}

// the runs mostly wait (process start-up, CALDP's bestrefs retry backoff): run a few side by side
describe("references checked by bestrefs before stage 1", { concurrency: 3 }, () => {
  test("a reference missing from a read-only cache: 27 naming keyword, reference, raw file and why", async () => {
    const { dir, config, reference } = setup();
    const bias = reference("_bia.fits");
    rmSync(bias);
    const log = await failsBeforeStage1(
      dir,
      config,
      new RegExp(
        `BIASFILE ${name(bias)} \\(selected for .*j8cb01a1q_raw\\.fits\\) is not in the CRDS cache \\(${bias}\\)`,
      ),
    );
    assert.match(log, /the cache is not synced \(CRDS_READONLY_CACHE=1\)/);
  });

  test("a reference cut short: 27, not sound FITS, naming the path", async () => {
    const { dir, config, reference } = setup();
    const dark = reference("_drk.fits");
    truncateSync(dark, statSync(dark).size - 10_000);
    await failsBeforeStage1(dir, config, new RegExp(`DARKFILE ${name(dark)} .*: ${dark} is not sound FITS: .*`));
  });

  test("a reference with a damaged data byte: 27, its DATASUM does not match", async () => {
    const { dir, config, reference } = setup();
    const flat = reference("_pfl.fits");
    const fd = openSync(flat, "r+");
    writeSync(fd, Buffer.from([0x5a]), 0, 1, statSync(flat).size - 2880 * 3);
    const log = await failsBeforeStage1(dir, config, new RegExp(`PFLTFILE ${name(flat)} .*do not match DATASUM`));
    assert.ok(log.includes(flat));
  });

  test("an infinite gain in a CCDTAB (checksums valid): 27 naming table, column and row", async () => {
    const { dir, config, reference } = setup();
    const ccdtab = reference("_ccd.fits");
    execFileSync(PYTHON, [
      "-c",
      "import sys, numpy\nfrom astropy.io import fits\nwith fits.open(sys.argv[1], mode='update') as h:\n" +
        "    h[1].data['ATODGNC'][0] = numpy.inf\n",
      ccdtab,
    ]);
    execFileSync(PYTHON, [
      "-c",
      "import sys\nfrom astropy.io import fits\nfits.open(sys.argv[1], checksum=True)",
      ccdtab,
    ]);
    await failsBeforeStage1(
      dir,
      config,
      new RegExp(`CCDTAB ${name(ccdtab)} .*HDU 1 column ATODGNC row 1 is Infinity: not a usable reference value`),
    );
  });

  test("a reference whose sha1 differs from the cached server info's download_metadata: 27 naming both sums", async () => {
    const { dir, sim, config, refs, reference } = setup();
    const osc = reference("_osc.fits");
    const metadata = readdirSync(refs).map((n) => {
      const bytes = readFileSync(join(refs, n));
      const sha1 = n === name(osc) ? "0".repeat(40) : createHash("sha1").update(bytes).digest("hex");
      return `'${n}': {'sha1sum': '${sha1}', 'size': ${bytes.length}}`;
    });
    const serverConfig = join(sim.crds.root, "config", "hst", "server_config");
    const text = readFileSync(serverConfig, "utf8").trimEnd();
    writeFileSync(serverConfig, `${text.slice(0, -1)},\n 'download_metadata': {${metadata.join(", ")}}}\n`);
    const sha1 = createHash("sha1").update(readFileSync(osc)).digest("hex");
    await failsBeforeStage1(
      dir,
      config,
      new RegExp(`OSCNTAB ${name(osc)} .*: ${osc} has sha1 ${sha1}; CRDS records ${"0".repeat(40)}`),
    );
  });
});
