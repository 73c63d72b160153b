// caldp bestrefs as crds bestrefs users drive it: a context-to-context comparison (--old-context/--new-context,
// --print-affected, --print-new-references), error counts and exit 1 for failed lookups, --verbosity, and
// --sync-references against a local CRDS server.
import assert from "node:assert/strict";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { test } from "node:test";
import { mappingChecksum } from "../../src/crds/index.js";
import { FitsFile, rewriteHeaders } from "../../src/fits/index.js";
import { runCli } from "../helpers/cli.js";
import { runCliAsync } from "../helpers/cli-async.js";
import { crdsFileServer, datasetWithServerReferences } from "../helpers/crds-server.js";
import { listenLocal } from "../helpers/local-http.js";
import { CRDS_DATA, HST_DATA } from "../helpers/paths.js";

const SHARED_MAPPINGS = join(CRDS_DATA, "mappings", "hst");

/** A mapping derived from a shared one: `edits` applied to its text, renamed, with its sha1sum recomputed. */
function derive(dir: string, from: string, to: string, edits: [string, string][]): void {
  let text = readFileSync(join(SHARED_MAPPINGS, from), "utf8").replace(`'name' : '${from}'`, `'name' : '${to}'`);
  for (const [a, b] of edits) {
    assert.ok(text.includes(a), `${from} has ${a}`);
    text = text.replaceAll(a, b);
  }
  text = text.replace(/'sha1sum' : '[0-9a-f]+'/, `'sha1sum' : '${mappingChecksum(text)}'`);
  writeFileSync(join(dir, to), text);
}

/**
 * A CRDS cache with the shared hst_0729 closure (linked in place) and hst_0730.pmap, which differs from it by
 * one ACS bias file: m4r1753rj_bia.fits becomes zzz0001aj_bia.fits.
 */
function twoContexts(): string {
  const root = mkdtempSync(join(tmpdir(), "caldp-bestrefs-contexts-"));
  const mappings = join(root, "mappings", "hst");
  mkdirSync(mappings, { recursive: true });
  for (const name of readdirSync(SHARED_MAPPINGS)) symlinkSync(join(SHARED_MAPPINGS, name), join(mappings, name));
  derive(mappings, "hst_acs_biasfile_0345.rmap", "hst_acs_biasfile_0346.rmap", [
    ["m4r1753rj_bia.fits", "zzz0001aj_bia.fits"],
  ]);
  derive(mappings, "hst_acs_0421.imap", "hst_acs_0422.imap", [
    ["hst_acs_biasfile_0345.rmap", "hst_acs_biasfile_0346.rmap"],
  ]);
  derive(mappings, "hst_0729.pmap", "hst_0730.pmap", [["hst_acs_0421.imap", "hst_acs_0422.imap"]]);
  return root;
}

const files = ["j8bt05njq_raw.fits", "j8bt09jcq_raw.fits", "ocmv0lw6q_raw.fits"].map((f) => join(HST_DATA, f));
const compare = ["--old-context", "hst_0729.pmap", "--new-context", "hst_0730.pmap"];

test("--old-context/--new-context: --print-affected names the files whose references change, --print-new-references what changes", () => {
  const env = { CRDS_PATH: twoContexts() };
  const affected = runCli("caldp", ["bestrefs", "--files", ...files, ...compare, "--print-affected"], { env });
  assert.equal(affected.status, 0, affected.stderr);
  // j8bt09jcq uses another bias file and ocmv0lw6q is STIS: unaffected.
  assert.equal(affected.stdout, `${files[0]}\n`);
  assert.equal(affected.stderr, "caldp bestrefs: 0 error(s), 0 warning(s)\n");
  const changes = runCli("caldp", ["bestrefs", "--files", ...files, ...compare, "--print-new-references"], { env });
  assert.equal(changes.stdout, `${files[0]} acs biasfile m4r1753rj_bia.fits zzz0001aj_bia.fits\n`);
  // Without a comparison context every dataset with references is affected, and every type is new.
  const all = runCli("caldp", ["bestrefs", "--files", ...files, "--new-context", "hst_0730.pmap", "--print-affected"], {
    env,
  });
  assert.equal(all.stdout, files.map((f) => `${f}\n`).join(""));
});

test("--update-bestrefs with --old-context writes only the references that change (and CRDS_CTX, CRDS_VER)", () => {
  const env = { CRDS_PATH: twoContexts() };
  const dir = mkdtempSync(join(tmpdir(), "caldp-bestrefs-update-"));
  const copy = join(dir, "j8bt05njq_raw.fits");
  copyFileSync(files[0], copy);
  chmodSync(copy, 0o644);
  const run = runCli("caldp", ["bestrefs", "--files", copy, ...compare, "--update-bestrefs"], { env });
  assert.equal(run.status, 0, run.stderr);
  const cards = (path: string) => {
    const fits = FitsFile.open(path);
    const all = Object.fromEntries(fits.hdus[0].header.cards.map((c) => [c.keyword, c.value]));
    fits.close();
    return all;
  };
  const before = cards(files[0]);
  const after = cards(copy);
  const changed = Object.keys(after).filter((k) => after[k] !== before[k]);
  assert.deepEqual(changed.sort(), ["BIASFILE", "CRDS_CTX", "CRDS_VER"]);
  assert.equal(after.BIASFILE, "jref$zzz0001aj_bia.fits");
  assert.equal(after.CRDS_CTX, "hst_0730.pmap");
});

test("a failed lookup: one ERROR line naming file, type and cause, the error count, exit 1 (with and without --json)", () => {
  const env = { CRDS_PATH: twoContexts() };
  const dir = mkdtempSync(join(tmpdir(), "caldp-bestrefs-broken-"));
  const broken = join(dir, "j8bt05njq_raw.fits");
  copyFileSync(files[0], broken);
  chmodSync(broken, 0o644);
  rewriteHeaders(broken, (header, hdu) => {
    if (hdu.index === 0) header.set("CCDAMP", "FOOBAR");
  });
  for (const extra of [[], ["--json"]]) {
    const run = runCli("caldp", ["bestrefs", "--files", broken, files[1], "--new-context", "hst_0729.pmap", ...extra], {
      env,
    });
    assert.equal(run.status, 1, run.stderr);
    const lines = run.stderr.trim().split("\n");
    const amps = "['A', 'ABCD', 'AC', 'AD', 'B', 'BC', 'BD', 'C', 'D']";
    assert.deepEqual(lines, [
      `caldp bestrefs: ERROR: ${broken} biasfile: parameter='CCDAMP' value='FOOBAR' is not in ${amps}`,
      `caldp bestrefs: ERROR: ${broken} darkfile: parameter='CCDAMP' value='FOOBAR' is not in ${amps}`,
      "caldp bestrefs: 2 error(s), 0 warning(s)",
    ]);
  }
  // in a comparison, the old context's failures are warnings (the new context's are still errors)
  const warned = runCli(
    "caldp",
    [
      "bestrefs",
      "--files",
      broken,
      "--old-context",
      "hst_0729.pmap",
      "--new-context",
      "hst_0729.pmap",
      "--print-affected",
    ],
    { env },
  );
  assert.equal(warned.status, 1);
  assert.match(warned.stderr, /2 error\(s\), 2 warning\(s\)\n$/);
});

test("--verbosity: per-type lines on stderr from 10 up, as the CRDS client's debug log; a bad level is refused", () => {
  const env = { CRDS_PATH: twoContexts() };
  const quiet = runCli("caldp", ["bestrefs", "--files", files[0], ...compare, "--print-affected", "--verbosity", "0"], {
    env,
  });
  assert.equal(quiet.stderr.split("\n").length, 2);
  const loud = runCli("caldp", ["bestrefs", "--files", files[0], ...compare, "--print-affected", "--verbosity", "50"], {
    env,
  });
  assert.equal(loud.stdout, quiet.stdout);
  assert.ok(
    loud.stderr.includes(
      `instrument='ACS' type='BIASFILE' data='${files[0]}' ::  Bestref FOUND: 'zzz0001aj_bia.fits' :: Updating.`,
    ),
    loud.stderr,
  );
  assert.ok(
    loud.stderr.includes(`type='DARKFILE' data='${files[0]}' ::  Bestref FOUND: 'n3o1059hj_drk.fits' :: No update.`),
  );
  const bad = runCli("caldp", ["bestrefs", "--files", files[0], "--verbosity", "loud"], { env });
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /--verbosity loud: an integer from 0 to 100/);
});

test("--sync-references fetches the missing references from the CRDS server once; a read-only cache is an error", async () => {
  const { sim, serverDir, cacheDir } = datasetWithServerReferences("caldp-bestrefs-sync-");
  const downloads: string[] = [];
  const url = await listenLocal(
    crdsFileServer(serverDir, (file, response) => {
      downloads.push(file);
      response.end(readFileSync(join(serverDir, file)));
    }),
  );
  const raw = sim.exposures[0].raw;
  const args = ["bestrefs", "--files", raw, "--context", sim.crds.context, "--sync-references", "--json"];
  const readonly = await runCliAsync("caldp", args, {
    env: { CRDS_PATH: sim.crds.root, CRDS_SERVER_URL: url, CRDS_READONLY_CACHE: "1" },
  });
  assert.equal(readonly.status, 1);
  assert.match(
    readonly.stderr,
    /ERROR: cannot fetch \w+_bia\.fits: the CRDS cache is read-only \(CRDS_READONLY_CACHE=1\)/,
  );
  assert.deepEqual(downloads, []);
  const env = { CRDS_PATH: sim.crds.root, CRDS_SERVER_URL: url, CRDS_READONLY_CACHE: "0" };
  const synced = await runCliAsync("caldp", args, { env });
  assert.equal(synced.status, 0, synced.stderr);
  const chosen = Object.values(JSON.parse(synced.stdout)[basename(raw)] as Record<string, string>)
    .filter((v) => !v.startsWith("NOT FOUND"))
    .sort();
  assert.ok(chosen.length >= 8, chosen.join(" "));
  assert.deepEqual(downloads.sort(), chosen);
  assert.deepEqual(readdirSync(cacheDir).sort(), chosen);
  assert.match(synced.stderr, new RegExp(`${chosen.length} reference\\(s\\) fetched into the cache`));
  const again = await runCliAsync("caldp", args, { env });
  assert.match(again.stderr, /0 reference\(s\) fetched/);
  assert.equal(downloads.length, chosen.length);
  assert.ok(chosen.every((name) => existsSync(join(cacheDir, name))));
});
