/**
 * The heliocentric radial velocity of the target (calcos' heliocentricVelocity, a low-precision solar
 * ephemeris): V_HELIO of the events header, and with HELCORR the PSA wavelengths' correction λ(1 − V/c).
 */
const DEG = Math.PI / 180;
const REFDATE = 51544.5;
const KM_AU = 1.4959787e8;
const SEC_DAY = 86400;

/** calcos' mod2pi (math.modf: the fraction keeps the sign of x, then moved into [0, 1)). */
function mod2pi(x: number): number {
  const q = x / (2 * Math.PI);
  let f = q - Math.trunc(q);
  if (f < 0) f += 1;
  return f * 2 * Math.PI;
}

/** km/s, positive when the target recedes from the Sun-centred observer; t in MJD, RA/Dec in degrees. */
export function heliocentricVelocity(t: number, raTarg: number, decTarg: number): number {
  const ra = raTarg * DEG;
  const dec = decTarg * DEG;
  const target = [Math.cos(dec) * Math.cos(ra), Math.cos(dec) * Math.sin(ra), Math.sin(dec)];
  const dt = t - REFDATE;
  const gDot = 0.9856003 * DEG;
  const lDot = 0.9856474 * DEG;
  const eps = (23.439 - 0.0000004 * dt) * DEG;
  const g = mod2pi((357.528 + 0.9856003 * dt) * DEG);
  const l = mod2pi((280.461 + 0.9856474 * dt) * DEG);
  const elong = l + 0.033423 * Math.sin(g) + 0.000349 * Math.sin(2 * g);
  const elongDot = lDot + 0.033423 * Math.cos(g) * gDot + 0.000349 * Math.cos(2 * g) * 2 * gDot;
  const radius = 1.00014 - 0.01671 * Math.cos(g) - 0.00014 * Math.cos(2 * g);
  const radiusDot = 0.01671 * Math.sin(g) * gDot + 0.00014 * Math.sin(2 * g) * 2 * gDot;
  const xDot = radiusDot * Math.cos(elong) - radius * Math.sin(elong) * elongDot;
  const yDot = radiusDot * Math.cos(eps) * Math.sin(elong) + radius * Math.cos(eps) * Math.cos(elong) * elongDot;
  const zDot = radiusDot * Math.sin(eps) * Math.sin(elong) + radius * Math.sin(eps) * Math.cos(elong) * elongDot;
  const velocity = [(-xDot * KM_AU) / SEC_DAY, (-yDot * KM_AU) / SEC_DAY, (-zDot * KM_AU) / SEC_DAY];
  const dot = velocity[0] * target[0] + velocity[1] * target[1] + velocity[2] * target[2];
  return -dot;
}

/** calcos' initHelcorr: the velocity at the middle of the events (their times summed in single precision). */
export function exposureHelioVelocity(expstart: number, first: number, last: number, ra: number, dec: number) {
  const tMid = expstart + Math.fround(first + last) / 2 / SEC_DAY;
  return heliocentricVelocity(tMid, ra, dec);
}
