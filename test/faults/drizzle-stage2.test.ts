/**
 * caldp-process (native) stage 2 on bad input, on the simulator's dithered ACS/HRC association (2 exposures):
 * an IDCTAB without the row for the exposures' filters, an exposure pointing 3' away from the other (no
 * overlap), a raw SCI without CRVAL1. Stage 1 succeeds; stage 2 fails with STAGE2_ERROR (24), one error line
 * naming the file and the keyword, an error- message, no drz/drc product and no temporary file, and the input
 * folder as it was.
 */
import assert from "node:assert/strict";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { rewriteHeaders } from "../../src/fits/index.js";
import { writeIdctab } from "../../src/sim/distortion-references.js";
import { simulateDither } from "../../src/sim/dither.js";
import { runCliAsync } from "../helpers/cli-async.js";

const DS = "j8dt020b0";
const root = mkdtempSync(join(tmpdir(), "caldp-faults-stage2-"));
after(() => rmSync(root, { recursive: true, force: true }));
const template = join(root, "template");
const sim = simulateDither({ asnId: DS, out: template, exposures: 2, seed: 11, exptime: 60 });
const second = sim.exposures[1].raw.split("/").pop()!;

function listing(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" }).sort();
}

/** A copy of the simulated inputs edited by `edit(folder)`, run through caldp-process; its state after. */
async function runEdited(name: string, edit: (input: string) => void) {
  const dir = join(root, name);
  const input = join(dir, "in");
  cpSync(template, input, { recursive: true });
  edit(input);
  const before = listing(input);
  const config = join(dir, "sim.cfg");
  writeFileSync(config, `CRDS_PATH=${join(input, "crds")}\nCRDS_READONLY_CACHE=1\n`);
  const r = await runCliAsync("caldp-process", [DS, "file:in", "file:out", config], { cwd: dir });
  const log = readFileSync(join(dir, "process.txt"), "utf8");
  assert.equal(r.status, 24, log.slice(-3000));
  assert.ok(log.includes("EXIT - STAGE2_ERROR[24]"), log.slice(-2000));
  assert.deepEqual(readdirSync(join(dir, "messages")), [`error-${DS}`]);
  const products = join(dir, "out", DS);
  const written = existsSync(products) ? listing(products) : [];
  assert.deepEqual(
    written.filter((f) => /_dr[zc]\.fits$|\.tmp|^\./.test(f)),
    [],
    "no drizzled product, nothing half-written",
  );
  assert.deepEqual(listing(input), before, "the input folder as it was");
  const errors = log.split("\n").filter((l) => /Error: /.test(l));
  assert.ok(errors.length > 0, log.slice(-3000));
  return errors[0];
}

// the three runs at once: each is mostly one process waiting on its children
describe("stage 2 on bad input", { concurrency: 3 }, () => {
  test("an IDCTAB without the row for the exposures' filters: IDCTAB and the flt named, exit 24", async () => {
    const line = await runEdited("idctab", (input) => {
      const dir = join(input, "crds", "references", "hst");
      const rewritten = writeIdctab(sim.model, 11, dir, { filter1: "F814W", filter2: "CLEAR2S" });
      assert.equal(rewritten.path, join(dir, sim.references.IDCTAB.split("/").pop()!));
    });
    assert.match(
      line,
      /j8dt02a1q_flt\.fits keyword IDCTAB: jref\$\w+_idc\.fits has no forward row for chip 1 and filters F606W,CLEAR$/,
    );
  });

  test("an exposure 3' away from the other: the one apart named, exit 24", async () => {
    const line = await runEdited("apart", (input) => {
      rewriteHeaders(join(input, second), (h, hdu) => {
        if (hdu.index === 0) h.set("DEC_TARG", h.getNumber("DEC_TARG") + 0.05, { float: true });
        else h.set("CRVAL2", h.getNumber("CRVAL2") + 0.05, { float: true });
      });
    });
    // with two exposures each is apart from the other: the first is named
    assert.match(line, /j8dt02a1q_flt\.fits: does not overlap any other exposure on the sky \(check CRVAL1\/CRVAL2\)$/);
  });

  test("a raw SCI without CRVAL1: the flt and the keyword named, exit 24", async () => {
    const line = await runEdited("crval1", (input) => {
      rewriteHeaders(join(input, second), (h, hdu) => {
        if (hdu.name === "SCI") assert.equal(h.delete("CRVAL1"), 1);
      });
    });
    assert.match(line, new RegExp(`${second.replace("_raw", "_flt")}.*CRVAL1`));
  });
});
