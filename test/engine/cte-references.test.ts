import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { CalibrationError } from "../../src/calib/common/errors.js";
import { cteReferences } from "../../src/engine/cte/references.js";
import { Header } from "../../src/fits/index.js";

const dir = mkdtempSync(join(tmpdir(), "caldp-cte-refs-"));
after(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, "x_cte.fits"), "");
writeFileSync(join(dir, "x_dkc.fits"), "");
const env = { jref: `${dir}/` };
const header = (drkcfile: string) =>
  new Header().set("PCTECORR", "PERFORM").set("PCTETAB", "jref$x_cte.fits").set("DRKCFILE", drkcfile);

test("PCTETAB and DRKCFILE resolved from $jref", () => {
  assert.deepEqual(cteReferences(header("jref$x_dkc.fits"), "j_raw.fits", env, true), {
    pctetab: join(dir, "x_cte.fits"),
    drkcfile: join(dir, "x_dkc.fits"),
  });
  assert.equal(cteReferences(header("N/A"), "j_raw.fits", env, false).drkcfile, undefined);
});

test("a DRKCFILE missing while PCTECORR = PERFORM names the raw, the keyword and the path", () => {
  const fails = (drkcfile: string, pattern: RegExp) =>
    assert.throws(
      () => cteReferences(header(drkcfile), "j8cb01abq_raw.fits", env, true),
      (e: unknown) => e instanceof CalibrationError && e.code === "CAL_FILE_MISSING" && pattern.test(e.message),
    );
  fails("N/A", /^j8cb01abq_raw\.fits: PCTECORR = PERFORM: DRKCFILE is needed but the header says 'N\/A'$/);
  fails(
    "jref$gone_dkc.fits",
    /j8cb01abq_raw\.fits: PCTECORR = PERFORM: DRKCFILE = 'jref\$gone_dkc\.fits': .*gone_dkc\.fits does not exist/,
  );
});
