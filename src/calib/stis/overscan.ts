/**
 * Where the STIS CCD overscan lies (calstis1 findover.c): the columns and rows trimmed off each side, the
 * serial overscan columns whose median is each line's bias, and the virtual (parallel) overscan used for
 * the drift along the lines. The layout is fixed by the readout (full frame, subarray, binned) and the amp.
 * Algorithms follow hstcal (BSD-3-Clause, AURA).
 */

const CCD_NPIX = 1024;
const OVERSCAN_LEFT = 19;
const OVERSCAN_RIGHT = 19;
const OVERSCAN_TOP = 20;
const SUBARRAY_BORDER = 1;
const BIASSECT: Record<string, [number, number]> = {
  full: [1046, 1060],
  bin1: [1046, 1052],
  bin2: [524, 530],
  bin4: [263, 269],
};

export interface OverscanLayout {
  /** Columns / rows trimmed: left, right, bottom, top. */
  trim: { x1: number; x2: number; y1: number; y2: number };
  /** First and last serial overscan column (0-based, inclusive). */
  biassect: [number, number];
  /** Virtual overscan: columns and rows (0-based, inclusive). */
  vx: [number, number];
  vy: [number, number];
}

/** The layout for an nx × ny raw image, or undefined when it is too small to hold the overscan. */
export function findOverscan(
  ccdamp: string,
  nx: number,
  ny: number,
  bin: [number, number],
): OverscanLayout | undefined {
  const readout = bin[0] === 1 && bin[1] === 1 ? (ny <= CCD_NPIX ? "subarray" : "full") : "binned";
  let a: { left: number; right: number; top: number; bottom: number; bsect: [number, number] };
  if (readout === "full") {
    a = { left: OVERSCAN_LEFT, right: OVERSCAN_RIGHT, top: OVERSCAN_TOP, bottom: 0, bsect: BIASSECT.full! };
  } else if (readout === "subarray") {
    const [l, r] = BIASSECT.full!;
    a = {
      left: OVERSCAN_LEFT - SUBARRAY_BORDER,
      right: OVERSCAN_RIGHT - SUBARRAY_BORDER,
      top: 0,
      bottom: 0,
      bsect: [l, r - SUBARRAY_BORDER],
    };
  } else {
    const left = bin[0] === 1 ? OVERSCAN_LEFT : Math.trunc((OVERSCAN_LEFT + 1) / bin[0]);
    const right = bin[0] === 1 ? nx - CCD_NPIX - left : nx - (Math.trunc(CCD_NPIX / bin[0]) - 1) - left;
    const bsect =
      bin[0] === 1 ? BIASSECT.bin1! : bin[0] === 2 ? BIASSECT.bin2! : bin[0] === 4 ? BIASSECT.bin4! : [0, -1];
    a = { left, right, top: ny - Math.trunc(CCD_NPIX / bin[1]), bottom: 0, bsect: bsect as [number, number] };
  }
  const amp = ccdamp.trim()[0];
  const flipX = amp === "B" || amp === "D";
  const flipY = amp === "C" || amp === "D";
  const left = flipX ? a.right : a.left;
  const right = flipX ? a.left : a.right;
  const bottom = flipY ? a.top : a.bottom;
  const top = flipY ? a.bottom : a.top;
  const biassect: [number, number] = flipX ? [nx - a.bsect[1] - 1, nx - a.bsect[0] - 1] : a.bsect;
  if (readout === "full" && (nx - left - right < CCD_NPIX || ny - top - bottom < CCD_NPIX)) return undefined;
  if (readout === "subarray" && nx - left - right < CCD_NPIX) return undefined;
  if (left < 0 || right < 0 || bottom < 0 || top < 0) return undefined;
  const vy: [number, number] = flipY ? [0, bottom - 1] : [ny - top, ny - 1];
  return { trim: { x1: left, x2: right, y1: bottom, y2: top }, biassect, vx: [left, nx - 1 - right], vy };
}
