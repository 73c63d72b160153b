/**
 * The STIS CCD housing temperature of a simulated exposure and what it does to the dark current. Since the
 * switch to side 2 (MJD 52091) the CCD runs unregulated: OCCDHTAV is then 21.5 °C here (18 °C before), and
 * the dark current is 1 + 0.07 (T − 18) times the reference dark, the scaling calstis1 applies with the
 * DARKFILE's defaults (REF_TEMP 18, DRK_VS_T 0.07; cs1 dodark.c).
 */
const BEGIN_SIDE2_MJD = 52091;

export function stisHousingTemperature(startSeconds: number): number {
  return startSeconds / 86400 + 40587 >= BEGIN_SIDE2_MJD ? 21.5 : 18;
}

export function stisDarkFactor(startSeconds: number): number {
  const t = stisHousingTemperature(startSeconds);
  return t === 18 ? 1 : 1 + 0.07 * (t - 18);
}
