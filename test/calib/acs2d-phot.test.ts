import assert from "node:assert/strict";
import { test } from "node:test";
import { photometryKeywords } from "../../src/calib/acs/photcorr.js";
import { type PhotmodeKeywords, photmode } from "../../src/calib/acs/photmode.js";
import {
  type Imphttab,
  lookupPhotometry,
  obsmodeOf,
  obsmodesMatch,
  parseObsmode,
} from "../../src/calib/common/imphttab.js";

const header = (k: Partial<PhotmodeKeywords>): PhotmodeKeywords => ({
  detector: "WFC",
  obstype: "IMAGING",
  filter1: "F606W",
  filter2: "CLEAR2L",
  expstart: 55000.12345,
  ...k,
});

test("PHOTMODE strings for representative headers (printf %0.4g / %0.4f rounding)", () => {
  assert.equal(photmode(header({})), "ACS WFC1 F606W MJD#55000.1234"); // 55000.12345 is below the tie in binary
  assert.equal(photmode(header({ filter1: "CLEAR1L", filter2: "F814W" })), "ACS WFC1 F814W MJD#55000.1234");
  assert.equal(
    photmode(header({ detector: "HRC", obstype: "CORONAGRAPHIC", filter1: "F435W", filter2: "N/A" })),
    "ACS HRC CORON F435W MJD#55000.1234",
  );
  assert.equal(photmode(header({ filter1: "F606W", filter2: "POL60V" })), "ACS WFC1 F606W POL_V MJD#55000.1234");
  assert.equal(photmode(header({ filter1: "F330W", filter2: "POL120UV" })), "ACS WFC1 F330W POL_UV MJD#55000.1234");
  assert.equal(
    photmode(header({ filter1: "FR656N", filter2: "CLEAR2L", lrfwave: 6571.5 })),
    "ACS WFC1 FR656N#6572 MJD#55000.1234",
  );
  assert.equal(
    photmode(header({ filter1: "CLEAR1L", filter2: "FR914M", lrfwave: 10500 })),
    "ACS WFC1 FR914M#1.05e+04 MJD#55000.1234",
  );
  assert.equal(
    photmode(header({ detector: "SBC", filter1: "F115LP", filter2: "N/A", expstart: 55000.03125 })),
    "ACS SBC F115LP MJD#55000.0312",
  );
});

test("obsmode parsing and hstcal's substring comparison", () => {
  assert.equal(obsmodeOf("ACS WFC1 F606W MJD#55000.1234"), "acs,wfc1,f606w,mjd#55000.1234");
  assert.deepEqual(parseObsmode("acs,wfc1,fr656n#6572,mjd#55000.1234"), {
    obsmode: "acs,wfc1,fr656n#,mjd#",
    names: ["fr656n#", "mjd#"],
    values: [6572, 55000.1234],
  });
  assert.ok(obsmodesMatch("ACS,WFC1,F606W,MJD#", "acs,wfc1,f606w,mjd#"));
  assert.ok(obsmodesMatch("acs,f606w,wfc1,mjd#", "acs,wfc1,f606w,mjd#")); // order does not matter
  assert.ok(!obsmodesMatch("acs,wfc1,f606w", "acs,wfc1,f606w,mjd#"));
});

function table(extrap = false): Imphttab {
  // A 2-D parameterised row: FR656N wavelength (3 values) × MJD (2 values); dimension 1 varies fastest.
  const row = (photvar: string, grid: number[]) => ({
    OBSMODE: "acs,wfc1,fr656n#,mjd#",
    DATACOL: `${photvar}2`,
    NELEM1: 3,
    NELEM2: 2,
    PAR1NAMES: "FR656N#",
    PAR2NAMES: "MJD#",
    PAR1VALUES: [6400, 6600, 6800],
    PAR2VALUES: [52000, 56000],
    [`${photvar}2`]: grid,
  });
  const scalar = (photvar: string, value: number) => ({
    OBSMODE: "acs,wfc1,f606w",
    DATACOL: photvar,
    [photvar]: value,
  });
  return {
    name: "jref$x_imp.fits",
    pedigree: "INFLIGHT",
    descrip: "test",
    parnum: 2,
    photzpt: -21.1,
    nextend: 3,
    extrap,
    extensions: {
      PHOTFLAM: [scalar("PHOTFLAM", 7.7e-20), row("PHOTFLAM", [1, 2, 3, 11, 12, 13])],
      PHOTPLAM: [scalar("PHOTPLAM", 5900), row("PHOTPLAM", [6400, 6600, 6800, 6400, 6600, 6800])],
      PHOTBW: [scalar("PHOTBW", 670), row("PHOTBW", [10, 10, 10, 20, 20, 20])],
    },
  };
}

test("IMPHTTAB: scalar row, and a 2-D parameterised row interpolated by hand", () => {
  const scalar = lookupPhotometry(table(), "ACS WFC1 F606W");
  assert.deepEqual(scalar.values, { PHOTFLAM: 7.7e-20, PHOTPLAM: 5900, PHOTBW: 670 });
  // wavelength 6500 → index 0.5 between 1 and 2 (MJD 52000) and 11 and 12 (MJD 56000): 1.5 and 11.5;
  // MJD 55000 → 3/4 of the way: 1.5 + 0.75·10 = 9
  const ramp = lookupPhotometry(table(), "ACS WFC1 FR656N#6500 MJD#55000.0000");
  assert.equal(ramp.values["PHOTFLAM"], 9);
  assert.equal(ramp.values["PHOTPLAM"], 6500);
  assert.equal(ramp.values["PHOTBW"], 17.5);
});

test("PHOTCORR: float32 keywords; outside the table → -9999 and SKIPPED unless EXTRAP allows MJD", () => {
  const ok = photometryKeywords("ACS WFC1 F606W", table());
  assert.equal(ok.state, "PERFORM");
  assert.equal(ok.sci.PHOTFLAM, Math.fround(7.7e-20));
  assert.equal(ok.sci.PHOTZPT, Math.fround(-21.1));
  const late = "ACS WFC1 FR656N#6500 MJD#58000.0000";
  const skipped = photometryKeywords(late, table(false));
  assert.equal(skipped.state, "IGNORED");
  assert.equal(skipped.sci.PHOTFLAM, -9999);
  // EXTRAP=T: MJD is extrapolated from the last two points: 1.5 + (6000/4000)·10 = 16.5
  const extrapolated = photometryKeywords(late, table(true));
  assert.equal(extrapolated.state, "PERFORM");
  assert.equal(extrapolated.sci.PHOTFLAM, 16.5);
});
