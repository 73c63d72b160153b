/**
 * The heliocentric radial velocity calstis writes as V_HELIO and divides wavelengths by in x2d and x1d (cs7
 * HelioFactor, cs6 HelioFactor6): minus the Earth's orbital velocity towards the target, with the Sun's
 * low-precision coordinates of the Astronomical Almanac (p. C24) and the target precessed from J2000 to the
 * date with the IAU 1976 angles (Lieske et al. 1977). Heliocentric λ = (1 − V_HELIO / c) × observed λ.
 */
const DEG = Math.PI / 180;
const ARCSEC = DEG / 3600;
/** MJD of J2000.0 (2000 Jan 1, 12h). */
const J2000_MJD = 51544.5;
const KM_PER_AU = 1.4959787e8;
const SECONDS_PER_DAY = 86400;
export const SPEED_OF_LIGHT_KM_S = 299792.458;

/** x reduced to [0, 2π) the way calstis does it (truncation towards zero, one turn less below zero). */
function turn(x: number): number {
  const q = x / (2 * Math.PI);
  let whole = Math.trunc(q);
  if (q < 0) whole -= 1;
  return x - whole * 2 * Math.PI;
}

/** The Earth's velocity around the Sun at an MJD, km/s, in equatorial rectangular coordinates of the date. */
export function earthVelocity(mjd: number): [number, number, number] {
  const days = mjd - J2000_MJD;
  const gRate = 0.9856003 * DEG;
  const lRate = 0.9856474 * DEG;
  const obliquity = (23.439 - 0.0000004 * days) * DEG;
  const g = turn((357.528 + 0.9856003 * days) * DEG);
  const l = turn((280.461 + 0.9856474 * days) * DEG);
  const longitude = l + 0.033423 * Math.sin(g) + 0.000349 * Math.sin(2 * g);
  const longitudeRate = lRate + 0.033423 * Math.cos(g) * gRate + 0.000349 * Math.cos(2 * g) * 2 * gRate;
  const radius = 1.00014 - 0.01671 * Math.cos(g) - 0.00014 * Math.cos(2 * g);
  const radiusRate = 0.01671 * Math.sin(g) * gRate + 0.00014 * Math.sin(2 * g) * 2 * gRate;
  // the Sun's velocity seen from the Earth, in the ecliptic, then tilted by the obliquity
  const along = radiusRate * Math.sin(longitude) + radius * Math.cos(longitude) * longitudeRate;
  const sun = [
    radiusRate * Math.cos(longitude) - radius * Math.sin(longitude) * longitudeRate,
    along * Math.cos(obliquity),
    along * Math.sin(obliquity),
  ];
  const scale = -KM_PER_AU / SECONDS_PER_DAY;
  return [sun[0] * scale, sun[1] * scale, sun[2] * scale];
}

/** A J2000 unit vector precessed to the date (IAU 1976: ζ, z, θ). */
export function precess(mjd: number, v: readonly [number, number, number]): [number, number, number] {
  const t = (mjd - J2000_MJD) / 36525;
  const zeta = (2306.2181 * t + 0.30188 * t * t + 0.017998 * t * t * t) * ARCSEC;
  const z = (2306.2181 * t + 1.09468 * t * t + 0.018203 * t * t * t) * ARCSEC;
  const theta = (2004.3109 * t - 0.42665 * t * t - 0.041833 * t * t * t) * ARCSEC;
  const [cz, sz, ct, st, cZ, sZ] = [Math.cos(z), Math.sin(z), Math.cos(theta), Math.sin(theta)].concat([
    Math.cos(zeta),
    Math.sin(zeta),
  ]);
  const m = [
    [cz * ct * cZ - sz * sZ, -cz * ct * sZ - sz * cZ, -cz * st],
    [sz * ct * cZ + cz * sZ, -sz * ct * sZ + cz * cZ, -sz * st],
    [st * cZ, -st * sZ, ct],
  ];
  return m.map((row) => row[0] * v[0] + row[1] * v[1] + row[2] * v[2]) as [number, number, number];
}

/** V_HELIO (km/s) of a target (J2000 RA/Dec, degrees) at an MJD. */
export function heliocentricVelocity(raDeg: number, decDeg: number, mjd: number): number {
  const ra = raDeg * DEG;
  const dec = decDeg * DEG;
  const target = precess(mjd, [Math.cos(dec) * Math.cos(ra), Math.cos(dec) * Math.sin(ra), Math.sin(dec)]);
  const v = earthVelocity(mjd);
  return -(v[0] * target[0] + v[1] * target[1] + v[2] * target[2]);
}

/** The factor calstis multiplies observed wavelengths by, at the middle of the exposure. */
export function heliocentricFactor(raDeg: number, decDeg: number, expstart: number, expend: number) {
  const vHelio = heliocentricVelocity(raDeg, decDeg, (expstart + expend) / 2);
  return { vHelio, factor: 1 - vHelio / SPEED_OF_LIGHT_KM_S };
}
