/**
 * The synthetic WFC3/UVIS sink-pixel map (SNKCFILE): per chip, untrimmed raw size, sinks in the science
 * area with turn-on dates (MJD) both before and after the simulator's default WFC3 date (2012-06-05,
 * MJD 56083), a -1 under most of them and a trail of 1..40 DN values away from the readout (rows up for
 * imset 1, down for imset 2), some trails cut by a value below 1 or above 999 with more trail behind.
 */
import { Header } from "../fits/index.js";
import { type ChipLayout, rawColumn, rawOffsets } from "./detectors.js";
import { Random } from "./random.js";
import type { ReferenceContext } from "./reference-context.js";
import {
  type ImsetPart,
  type ReferenceFile,
  referenceName,
  referencePath,
  referencePrimary,
  writeImsetFile,
} from "./reference-files.js";

export const SINKS_PER_CHIP = 40;
export const SINK_DATE_BEFORE = 55500;
export const SINK_DATE_AFTER = 57500;

/** Science pixels of one chip (0-based, trimmed) where all that chip's sinks go. */
export interface SinkArea {
  ccdchip: number;
  x0: number;
  y0: number;
  nx: number;
  ny: number;
}

function sinkPlane(chip: ChipLayout, upward: number, random: Random, area?: SinkArea): Float32Array {
  const { rawNx, rawNy, sciRawY0, sciNy } = chip;
  const plane = new Float32Array(rawNx * rawNy);
  const set = (x: number, y: number, v: number) => {
    if (y >= 0 && y < rawNy) plane[y * rawNx + x] = v;
  };
  for (let k = 0; k < SINKS_PER_CHIP; k++) {
    let x: number;
    let y: number;
    if (area) {
      x = rawColumn(chip, area.x0 + random.int(area.nx));
      y = sciRawY0 + area.y0 + random.int(area.ny);
    } else {
      const amp = chip.amps[random.int(chip.amps.length)];
      x = amp.sciRawX0 + random.int(amp.sciWidth);
      y = sciRawY0 + 20 + random.int(sciNy - 40);
    }
    set(x, y, k % 2 === 0 ? SINK_DATE_BEFORE + k : SINK_DATE_AFTER + k);
    if (k % 3 !== 0) set(x, y - upward, -1);
    const length = 1 + random.int(12);
    for (let t = 1; t <= length; t++) {
      let v = Math.round(1 + random.uniform() * 39);
      if (t === 3 && k % 5 === 0) v = 0.4;
      if (t === 4 && k % 7 === 0) v = 3000;
      set(x, y + upward * t, v);
    }
  }
  return plane;
}

/** One imset per chip of `c.maps` (only their layouts are read), untrimmed raw size. */
export function writeSinkMap(
  c: Pick<ReferenceContext, "model" | "maps" | "seed" | "dir">,
  area?: SinkArea,
): ReferenceFile {
  const m = c.model;
  const name = referenceName(m, c.seed, "snkcfile");
  const r: ReferenceFile = { filekind: "snkcfile", name, path: referencePath(c.dir, name) };
  const random = new Random(c.seed).fork("sinks");
  const parts: ImsetPart[] = c.maps.map(({ chip }, k) => {
    const { ltv1, ltv2 } = rawOffsets(chip);
    const header = new Header()
      .set("CCDCHIP", chip.ccdchip, { comment: "CCD chip" })
      .set("BUNIT", "UNITLESS", { comment: "brightness units" })
      .set("LTV1", ltv1, { float: true })
      .set("LTV2", ltv2, { float: true })
      .set("LTM1_1", 1, { float: true })
      .set("LTM2_2", 1, { float: true });
    const chipArea = area?.ccdchip === chip.ccdchip ? area : undefined;
    const sci = sinkPlane(chip, k === 0 ? 1 : -1, random.fork(`chip ${chip.ccdchip}`), chipArea);
    return { header, sci, axes: [chip.rawNx, chip.rawNy], err: 0, dq: 0 };
  });
  writeImsetFile(r.path, referencePrimary(m, "SINK PIXELS", "Synthetic sink pixels", new Header()), parts);
  return r;
}
