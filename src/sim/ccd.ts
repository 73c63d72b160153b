/**
 * One CCD chip exposure: scene × flat × exposure time + dark + cosmic rays as Poisson electrons,
 * full-well clipping with charge bleeding along columns, then read noise, gain, bias level and bias
 * structure in DN over the whole raw array (prescan, overscan and virtual rows included).
 */
import { ampAt, type ChipLayout, type DetectorModel } from "./detectors.js";
import { BAD_COLUMN_RATE, type ChipMaps } from "./maps.js";
import type { Random } from "./random.js";

/** Pixels in science coordinates with a value each (deposited e-, …). */
export interface PixelList {
  x: Int32Array;
  y: Int32Array;
  value: Float32Array;
}

export interface ChipExposure {
  raw: Uint16Array;
  /** Electrons deposited by cosmic rays (one entry per hit pixel; tracks may overlap). */
  cosmicRays: PixelList;
  /** Pixels clipped at full well (directly or by bleeding); value = full well. */
  saturated: PixelList;
}

export function exposeCcdChip(
  model: DetectorModel,
  maps: ChipMaps,
  rate: Float32Array,
  exptime: number,
  darktime: number,
  random: Random,
  electronics?: AnalogElectronics,
  trail?: ChargeTrails,
): ChipExposure {
  const { chip } = maps;
  const { sciNx, sciNy } = chip;
  const electrons = new Float32Array(sciNx * sciNy);
  const badColumn = new Uint8Array(sciNx);
  for (const x of maps.badColumns) badColumn[x] = 1;
  const signal = random.fork("signal");
  for (let y = 0, i = 0; y < sciNy; y++) {
    for (let x = 0; x < sciNx; x++, i++) {
      const mean =
        rate[i] * maps.flat[i] * exptime + maps.dark[i] * darktime + (badColumn[x] ? BAD_COLUMN_RATE * darktime : 0);
      electrons[i] = signal.poisson(mean);
    }
  }
  const cosmicRays = addCosmicRays(electrons, sciNx, sciNy, model.crRate * exptime, random.fork("cosmic rays"));
  const saturated = bleed(electrons, sciNx, sciNy, model.fullWell);
  trail?.(electrons);
  const raw = readOut(chip, maps, electrons, random.fork("read noise"), model.atodsat, electronics);
  return { raw, cosmicRays, saturated };
}

/** Cosmic-ray tracks of 1–12 pixels, 300–5000 e- per pixel. */
function addCosmicRays(electrons: Float32Array, nx: number, ny: number, perMpix: number, random: Random): PixelList {
  const events = random.poisson((perMpix * nx * ny) / 1e6);
  const xs: number[] = [];
  const ys: number[] = [];
  const values: number[] = [];
  for (let e = 0; e < events; e++) {
    let x = random.uniform() * nx;
    let y = random.uniform() * ny;
    const angle = 2 * Math.PI * random.uniform();
    const length = Math.min(12, 1 + Math.floor(-2.5 * Math.log(1 - random.uniform())));
    const energy = random.logUniform(300, 5000);
    let lastIndex = -1;
    for (let step = 0; step < length * 2; step++) {
      const ix = Math.floor(x);
      const iy = Math.floor(y);
      if (ix < 0 || iy < 0 || ix >= nx || iy >= ny) break;
      const index = iy * nx + ix;
      if (index !== lastIndex) {
        const deposit = Math.round(energy * (0.7 + 0.6 * random.uniform()));
        electrons[index] += deposit;
        xs.push(ix);
        ys.push(iy);
        values.push(deposit);
        lastIndex = index;
      }
      x += 0.5 * Math.cos(angle);
      y += 0.5 * Math.sin(angle);
    }
  }
  return { x: Int32Array.from(xs), y: Int32Array.from(ys), value: Float32Array.from(values) };
}

/**
 * Clips pixels at full well; half of the excess bleeds up the column and half down, filling the next
 * pixels to full well in turn (charge reaching the chip edge is lost).
 */
function bleed(electrons: Float32Array, nx: number, ny: number, fullWell: number): PixelList {
  const columns = new Set<number>();
  for (let i = 0; i < electrons.length; i++) if (electrons[i] > fullWell) columns.add(i % nx);
  const up = new Float64Array(ny);
  const down = new Float64Array(ny);
  for (const x of [...columns].sort((a, b) => a - b)) {
    for (let y = 0; y < ny; y++) {
      const i = y * nx + x;
      const excess = Math.max(0, electrons[i] - fullWell);
      up[y] = excess / 2;
      down[y] = excess / 2;
      if (excess > 0) electrons[i] = fullWell;
    }
    let carry = 0;
    for (let y = 0; y < ny; y++) carry = fill(electrons, y * nx + x, carry, fullWell) + up[y];
    carry = 0;
    for (let y = ny - 1; y >= 0; y--) carry = fill(electrons, y * nx + x, carry, fullWell) + down[y];
  }
  const xs: number[] = [];
  const ys: number[] = [];
  for (const x of [...columns].sort((a, b) => a - b)) {
    for (let y = 0; y < ny; y++) {
      if (electrons[y * nx + x] >= fullWell) {
        xs.push(x);
        ys.push(y);
      }
    }
  }
  return { x: Int32Array.from(xs), y: Int32Array.from(ys), value: new Float32Array(xs.length).fill(fullWell) };
}

function fill(electrons: Float32Array, i: number, carry: number, fullWell: number): number {
  if (carry <= 0) return 0;
  const take = Math.min(carry, fullWell - electrons[i]);
  electrons[i] += take;
  return carry - take;
}

/** Moves charge during readout (CTE trails) in the chip's electrons, science coordinates, before read noise. */
export type ChargeTrails = (electrons: Float32Array) => void;

/** Changes the analog signal of a chip (e, raw-sized, bias level not included) before digitisation. */
export type AnalogElectronics = (signal: Float64Array) => void;

/** DN over the raw array: (electrons + read noise) / gain + bias level + bias structure, rounded and clipped. */
function readOut(
  chip: ChipLayout,
  maps: ChipMaps,
  electrons: Float32Array,
  random: Random,
  atodsat: number,
  electronics?: AnalogElectronics,
) {
  const { rawNx, rawNy, sciRawY0, sciNy, sciNx } = chip;
  const raw = new Uint16Array(rawNx * rawNy);
  const level = new Float64Array(rawNx);
  const inverseGain = new Float64Array(rawNx);
  const readNoise = new Float64Array(rawNx);
  for (let x = 0; x < rawNx; x++) {
    const a = ampAt(chip, x);
    level[x] = a.bias;
    inverseGain[x] = 1 / a.gain;
    readNoise[x] = a.readNoise;
  }
  const scienceColumn = new Int32Array(rawNx).fill(-1);
  for (const a of chip.amps) for (let k = 0; k < a.sciWidth; k++) scienceColumn[a.sciRawX0 + k] = a.sciX0 + k;
  const signal = new Float64Array(rawNx * rawNy);
  for (let y = 0; y < rawNy; y++) {
    const sy = y - sciRawY0;
    const row = sy >= 0 && sy < sciNy ? sy * sciNx : -1;
    for (let x = 0, i = y * rawNx; x < rawNx; x++, i++) {
      const sx = scienceColumn[x];
      const e = row >= 0 && sx >= 0 ? electrons[row + sx] : 0;
      signal[i] = e + readNoise[x] * random.normal();
    }
  }
  electronics?.(signal);
  for (let i = 0; i < raw.length; i++) {
    const x = i % rawNx;
    const dn = level[x] + maps.bias[i] + signal[i] * inverseGain[x];
    raw[i] = dn <= 0 ? 0 : dn >= atodsat ? atodsat : Math.round(dn);
  }
  return raw;
}
