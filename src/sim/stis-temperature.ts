/**
 * The STIS CCD housing temperature of a simulated exposure and what it does to the dark current. Since the
 * switch to side 2 (MJD 52091) the CCD runs unregulated: OCCDHTAV is then 21.5 °C here (18 °C before), and
 * the dark current is 1 + 0.07 (T − 18) times the reference dark, the scaling calstis1 applies with the
 * DARKFILE's defaults (REF_TEMP 18, DRK_VS_T 0.07; cs1 dodark.c). The SCI header's exposure keywords carry it.
 */
const BEGIN_SIDE2_MJD = 52091;

export function stisHousingTemperature(startSeconds: number): number {
  return startSeconds / 86400 + 40587 >= BEGIN_SIDE2_MJD ? 21.5 : 18;
}

export function stisDarkFactor(startSeconds: number): number {
  const t = stisHousingTemperature(startSeconds);
  return t === 18 ? 1 : 1 + 0.07 * (t - 18);
}

/** The keywords of a STIS SCI header after BUNIT: the exposure's times and its housing temperature. */
export function stisExposureKeywords(start: number, exptime: number): [string, string | number | boolean, string][] {
  const iso = new Date(Math.round(start) * 1000).toISOString();
  return [
    ["DATE-OBS", iso.slice(0, 10), "UT date of start of observation (yyyy-mm-dd)"],
    ["TIME-OBS", iso.slice(11, 19), "UT time of start of observation (hh:mm:ss)"],
    ["EXPSTART", start / 86400 + 40587, "exposure start time (Modified Julian Date)"],
    ["EXPEND", (start + exptime) / 86400 + 40587, "exposure end time (Modified Julian Date)"],
    ["EXPTIME", exptime, "exposure duration (seconds)--calculated"],
    ["OCCDHTAV", stisHousingTemperature(start), "average CCD housing temperature (degC)"],
  ];
}
