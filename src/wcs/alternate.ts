import { Header } from "../fits/index.js";

const LINEAR_KEYWORDS = [
  "CTYPE1",
  "CTYPE2",
  "CRPIX1",
  "CRPIX2",
  "CRVAL1",
  "CRVAL2",
  "CD1_1",
  "CD1_2",
  "CD2_1",
  "CD2_2",
];

/** The alternate WCS `key` (A–Z, e.g. 'O' for the pipeline's OPUS WCS) as a header of primary keywords. */
export function alternateWcsHeader(header: Header, key: string): Header | undefined {
  if (!header.has(`CRVAL1${key}`)) return undefined;
  const out = new Header([], header.location);
  for (const k of LINEAR_KEYWORDS) {
    const value = header.get(`${k}${key}`);
    if (value !== undefined) out.set(k, value);
  }
  return out;
}

/** Copies the primary linear WCS under key `key` (stwcs's archive of the OPUS WCS before it updates). */
export function archiveWcs(header: Header, key: string, name: string): void {
  header.set(`WCSNAME${key}`, name, { comment: "Coordinate system title" });
  for (const k of LINEAR_KEYWORDS) {
    const value = header.get(k);
    if (value !== undefined && value !== null) header.set(`${k}${key}`, value);
  }
}

const ALTERNATE =
  /^(WCSNAME|WCSAXES|RADESYS|WCSTYPE|HDRNAME|EQUINOX|MJDREF|LONPOLE|LATPOLE|RMS_RA|RMS_DEC|(CRPIX|CRVAL|CTYPE|CUNIT|CDELT|CRDER|CSYER)[12]|(CD|PC)[12]_[12])([A-NP-Z])$/;

/** Removes every alternate WCS but the OPUS one (key O): stwcs's cleanWCS when the IDCTAB changes. */
export function removeAlternateWcs(header: Header): number {
  return header.removeWhere((card) => ALTERNATE.test(card.keyword));
}
