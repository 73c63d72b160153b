import assert from "node:assert/strict";
import { test } from "node:test";
import {
  type AcsCcdExposure,
  type AcsCcdReferences,
  type AcsCcdSwitches,
  runAcsCcd,
} from "../../src/calib/acs/acsccd.js";
import type { ImageSet } from "../../src/calib/common/imset.js";
import { ccdRow, imageOf, oscnRow } from "./acs-fixtures.js";

/*
 * ACSCCD with the raw ERR deferred (`errValue`, an empty `set.err`: what the engine hands over for a raw's
 * constant-value ERR) must give the bits of ACSCCD with the ERR held from the start: the bias's ERR in
 * quadrature, × gain, then the noise model, with a bias ERR that is not a round number anywhere.
 */
const raw = (chip = 1) =>
  imageOf(10, 8, (i, j) => (i === 4 && j === 3 ? 4095 : i < 2 || i > 7 ? 60 + j : 310 + 7 * i + 3 * j), {
    ltv: [2, 0],
    chip,
  });

const exposure: AcsCcdExposure = {
  detector: "HRC",
  ccdamp: "B",
  ccdgain: 2,
  ccdofst: [3, 3, 3, 3],
  expstart: 53000,
  subarray: false,
  aperture: "HRC",
  jwrotype: "CLAMP",
  darktime: 100,
  flashdur: 0,
  flashsta: "NOT PERFORMED",
  targname: "NGC104",
  hasBiaslevKeywords: true,
};

function biasImage(): ImageSet {
  const bias = imageOf(10, 8, (i, j) => 10 + 0.1 * i - 0.07 * j, { ltv: [2, 0] });
  for (let k = 0; k < bias.err.length; k++) bias.err[k] = 1 / 3 + 0.173 * (k % 11);
  return bias;
}

const refs = (): AcsCcdReferences => ({
  ccdtab: { name: "jref$t_ccd.fits", pedigree: "INFLIGHT", descrip: "ccd table", rows: [ccdRow()] },
  oscntab: { name: "jref$t_osc.fits", pedigree: "INFLIGHT", descrip: "overscan", rows: [oscnRow()] },
  bias: { name: "jref$t_bia.fits", pedigree: "INFLIGHT", descrip: "", imsets: [biasImage()] },
  satufile: {
    name: "jref$t_sat.fits",
    pedigree: "",
    descrip: "",
    imsets: [imageOf(10, 8, () => 8000, { ltv: [2, 0] })],
  },
});

const bytes = (a: Float32Array | Uint16Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

function held(errValue: number, switches: AcsCcdSwitches) {
  const set = raw();
  set.err.fill(errValue);
  return runAcsCcd([{ set }], exposure, switches, refs());
}

function deferred(errValue: number, switches: AcsCcdSwitches) {
  const set = { ...raw(), err: new Float32Array(0) };
  return runAcsCcd([{ set, errValue }], exposure, switches, refs());
}

for (const errValue of [0, 1.25]) {
  for (const BIASCORR of ["PERFORM", "OMIT"] as const) {
    test(`ACSCCD: a deferred raw ERR of ${errValue} gives the held ERR's bits (BIASCORR ${BIASCORR})`, () => {
      const switches: AcsCcdSwitches = { DQICORR: "PERFORM", BIASCORR, BLEVCORR: "PERFORM", SINKCORR: "OMIT" };
      const [a, b] = [held(errValue, switches), deferred(errValue, switches)];
      const [x, y] = [a.imsets[0].set, b.imsets[0].set];
      assert.deepEqual([y.nx, y.ny], [x.nx, x.ny]);
      assert.ok(bytes(y.sci).equals(bytes(x.sci)), "SCI");
      assert.ok(bytes(y.err).equals(bytes(x.err)), "ERR");
      assert.ok(bytes(y.dq).equals(bytes(x.dq)), "DQ");
      assert.deepEqual(b.primary, a.primary);
      assert.deepEqual(b.history, a.history);
    });
  }
}

test("ACSCCD: each image set is finished and handed over before the next one's ERR is made", () => {
  const inputs = [1, 2].map((chip) => ({ set: { ...raw(chip), err: new Float32Array(0) }, errValue: 0 }));
  const rows = [ccdRow(), ccdRow({ CCDCHIP: 2 })];
  const references = {
    ...refs(),
    ccdtab: { ...refs().ccdtab, rows },
    oscntab: { ...refs().oscntab, rows: [oscnRow(), oscnRow({ CCDCHIP: 2 })] },
  };
  references.bias!.imsets.push({ ...biasImage(), chip: 2 });
  references.satufile!.imsets.push(imageOf(10, 8, () => 8000, { ltv: [2, 0], chip: 2 }));
  const seen: { k: number; errLengths: number[]; finishedErr: number }[] = [];
  const handedOver: ImageSet[] = [];
  const switches: AcsCcdSwitches = { DQICORR: "PERFORM", BIASCORR: "PERFORM", BLEVCORR: "PERFORM", SINKCORR: "OMIT" };
  const raws = inputs.map((input) => input.set);
  const result = runAcsCcd(inputs, exposure, switches, references, (r, k) => {
    seen.push({ k, errLengths: raws.map((s) => s.err.length), finishedErr: r.set.err.length });
    const copy = { ...r.set, sci: r.set.sci.slice(), err: r.set.err.slice(), dq: r.set.dq.slice() };
    handedOver.push(copy);
    return copy;
  });
  // set 0 has its ERR (36 trimmed pixels) when it is handed over, set 1 none yet; set 0 gave up its pixels
  assert.deepEqual(seen, [
    { k: 0, errLengths: [80, 0], finishedErr: 36 },
    { k: 1, errLengths: [0, 80], finishedErr: 36 },
  ]);
  assert.deepEqual(
    raws.map((s) => [s.sci.length, s.err.length, s.dq.length]),
    [
      [0, 0, 0],
      [0, 0, 0],
    ],
  );
  assert.deepEqual(
    result.imsets.map((r) => r.set),
    handedOver,
  );
  // the second chip's pixels equal those of the same raw calibrated alone
  const alone = held(0, switches).imsets[0].set;
  assert.ok(bytes(handedOver[1].sci).equals(bytes(alone.sci)));
  assert.ok(bytes(handedOver[1].err).equals(bytes(alone.err)));
});
