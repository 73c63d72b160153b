/** Small builders shared by the ACS CCD step tests. */

import type { Acs2dInput } from "../../src/calib/acs/acs2d.js";
import type { CcdtabRow } from "../../src/calib/acs/ccdtab.js";
import type { OscnRow } from "../../src/calib/acs/oscntab.js";
import { createImageSet, type ImageSet } from "../../src/calib/common/imset.js";
import type { ReferenceImage } from "../../src/calib/common/reference-image.js";

/** An image set whose SCI is value(i, j). */
export function imageOf(
  nx: number,
  ny: number,
  value: (i: number, j: number) => number,
  options: { ltv?: [number, number]; ltm?: [number, number]; chip?: number; err?: number } = {},
): ImageSet {
  const set = createImageSet(nx, ny, {
    geometry: { ltv: options.ltv ?? [0, 0], ltm: options.ltm ?? [1, 1] },
    chip: options.chip ?? 1,
  });
  for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) set.sci[j * nx + i] = value(i, j);
  if (options.err !== undefined) set.err.fill(options.err);
  return set;
}

export function pixel(set: ImageSet, i: number, j: number): number {
  return set.sci[j * set.nx + i];
}

export function dqAt(set: ImageSet, i: number, j: number): number {
  return set.dq[j * set.nx + i];
}

export function errAt(set: ImageSet, i: number, j: number): number {
  return set.err[j * set.nx + i];
}

/** A CCDTAB row: single amp B, gain 2, offsets 3, bias 10 DN, ATODGN 2 e/DN and read noise 4 e on every amp. */
export function ccdRow(over: Partial<CcdtabRow> = {}): CcdtabRow {
  const row: CcdtabRow = {
    CCDAMP: "B",
    CCDCHIP: 1,
    CCDGAIN: 2,
    AMPX: 0,
    AMPY: 0,
    ATODSAT: 4095,
    OVRHFLS: 3.5,
    OVRHUFLS: 2.5,
    CCDOFSTA: 3,
    CCDOFSTB: 3,
    CCDOFSTC: 3,
    CCDOFSTD: 3,
    CCDBIASA: 10,
    CCDBIASB: 10,
    CCDBIASC: 10,
    CCDBIASD: 10,
    ATODGNA: 2,
    ATODGNB: 2,
    ATODGNC: 2,
    ATODGND: 2,
    READNSEA: 4,
    READNSEB: 4,
    READNSEC: 4,
    READNSED: 4,
  };
  return { ...row, ...over };
}

/** An OSCNTAB row for a 10 × 8 raw image: 2 bias columns each side, 2 rows trimmed at the top, no virtual box. */
export function oscnRow(over: Partial<OscnRow> = {}): OscnRow {
  return {
    CCDAMP: "B",
    CCDCHIP: 1,
    BINX: 1,
    BINY: 1,
    NX: 10,
    NY: 8,
    TRIMX1: 2,
    TRIMX2: 2,
    TRIMY1: 0,
    TRIMY2: 2,
    VX1: 0,
    VX2: 0,
    VY1: 0,
    VY2: 0,
    BIASSECTA1: 1,
    BIASSECTA2: 2,
    BIASSECTB1: 9,
    BIASSECTB2: 10,
    ...over,
  };
}

/** A reference image named jref$test.fits. */
export const testReference = (imsets: ImageSet[], pedigree = "INFLIGHT 01/01/2020"): ReferenceImage => ({
  name: "jref$test.fits",
  pedigree,
  descrip: "test reference",
  imsets,
});

/** An image set of constant SCI and ERR. */
export const constantImage = (nx: number, ny: number, sci: number, err = 0, chip = 1) =>
  createImageSet(nx, ny, { sci: new Float32Array(nx * ny).fill(sci), err: new Float32Array(nx * ny).fill(err), chip });

/** An ACS2D input for a WFC image set: DARKCORR and FLATCORR with 1 e-/s and 2 flats, EXPSCORR. */
export function acs2dInput(science: ImageSet, overrides: Partial<Acs2dInput> = {}): Acs2dInput {
  return {
    science,
    firstImset: true,
    switches: {
      DQICORR: "OMIT",
      DARKCORR: "PERFORM",
      FLSHCORR: "OMIT",
      FLATCORR: "PERFORM",
      SHADCORR: "OMIT",
      PHOTCORR: "OMIT",
      EXPSCORR: "PERFORM",
    },
    keywords: {
      detector: "WFC",
      bunit: "ELECTRONS",
      sdqflags: 31743,
      blevcorr: "COMPLETE",
      darktime: 10,
      flashdur: 0,
      flashsta: "",
      exptime: 10,
      ncombine: 1,
      expstart: 55000.123456,
      filter1: "F606W",
      filter2: "CLEAR2L",
      obstype: "IMAGING",
    },
    references: {
      dark: testReference([constantImage(2, 2, 1, 0)]),
      flats: { pflt: testReference([constantImage(2, 2, 2)]) },
    },
    ...overrides,
  };
}
