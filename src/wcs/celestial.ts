/**
 * The gnomonic (TAN) projection and the spherical rotation between native and celestial coordinates, as
 * wcslib computes them (Calabretta & Greisen 2002). Angles in degrees; intermediate coordinates in degrees.
 */
const D2R = Math.PI / 180;
const R2D = 180 / Math.PI;

/** The reference point (CRVAL) and the native longitude of the celestial pole (LONPOLE). */
export interface Celestial {
  crval: [number, number];
  lonpole: number;
}

/** wcslib's default LONPOLE for a zenithal projection: 180°, or 0° when the reference point is the pole. */
export function defaultLonpole(crval2: number): number {
  return crval2 >= 90 ? 0 : 180;
}

/** Intermediate world coordinates (x, y) to right ascension and declination. */
export function tanToSky(cel: Celestial, x: number, y: number): [number, number] {
  const r = Math.hypot(x, y);
  const phi = r === 0 ? 0 : Math.atan2(x, -y);
  const theta = Math.atan2(R2D, r);
  return nativeToCelestial(cel, phi, theta);
}

/** Right ascension and declination to intermediate world coordinates; NaN for the far hemisphere. */
export function skyToTan(cel: Celestial, ra: number, dec: number): [number, number] {
  const [phi, theta] = celestialToNative(cel, ra * D2R, dec * D2R);
  const s = Math.sin(theta);
  if (s <= 0) return [Number.NaN, Number.NaN];
  const r = (R2D * Math.cos(theta)) / s;
  return [r * Math.sin(phi), -r * Math.cos(phi)];
}

function nativeToCelestial(cel: Celestial, phi: number, theta: number): [number, number] {
  const [ra0, dec0] = cel.crval;
  const sinP = Math.sin(dec0 * D2R);
  const cosP = Math.cos(dec0 * D2R);
  const dphi = phi - cel.lonpole * D2R;
  const sinT = Math.sin(theta);
  const cosT = Math.cos(theta);
  const x = sinT * cosP - cosT * sinP * Math.cos(dphi);
  const y = -cosT * Math.sin(dphi);
  let ra = ra0 + Math.atan2(y, x) * R2D;
  if (ra0 >= 0 ? ra < 0 : ra > 0) ra += ra0 >= 0 ? 360 : -360;
  if (ra > 360) ra -= 360;
  else if (ra < -360) ra += 360;
  const z = sinT * sinP + cosT * cosP * Math.cos(dphi);
  // Near the poles acos of the equatorial distance keeps the precision asin loses.
  const dec = Math.abs(z) > 0.99 ? Math.sign(z) * Math.acos(Math.hypot(x, y)) : Math.asin(z);
  return [ra, dec * R2D];
}

function celestialToNative(cel: Celestial, ra: number, dec: number): [number, number] {
  const [ra0, dec0] = cel.crval;
  const sinP = Math.sin(dec0 * D2R);
  const cosP = Math.cos(dec0 * D2R);
  const dra = ra - ra0 * D2R;
  const sinD = Math.sin(dec);
  const cosD = Math.cos(dec);
  const x = sinD * cosP - cosD * sinP * Math.cos(dra);
  const y = -cosD * Math.sin(dra);
  const phi = cel.lonpole * D2R + Math.atan2(y, x);
  const z = sinD * sinP + cosD * cosP * Math.cos(dra);
  const theta = Math.abs(z) > 0.99 ? Math.sign(z) * Math.acos(Math.hypot(x, y)) : Math.asin(z);
  return [phi, theta];
}

/**
 * The rotation from a TAN's native frame (z toward the reference point, x toward native (φ, θ) = (0°, 0°)) to
 * equatorial unit vectors, columns computed with the same spherical rotation as tanToSky: R · n = c.
 */
export function nativeRotation(cel: Celestial): number[][] {
  const column = (phi: number, theta: number) => {
    const [ra, dec] = nativeToCelestial(cel, phi * D2R, theta * D2R);
    const [a, d] = [ra * D2R, dec * D2R];
    return [Math.cos(d) * Math.cos(a), Math.cos(d) * Math.sin(a), Math.sin(d)];
  };
  const [x, y, z] = [column(0, 0), column(90, 0), column(0, 90)];
  return [0, 1, 2].map((i) => [x[i], y[i], z[i]]);
}
