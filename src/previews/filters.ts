/**
 * Filter wavelengths for the colour composites and the HAP (SVM/MVM) product names they are read from.
 *
 * CALDP reads ACS_WFC3_filters.txt (not distributed); only the order of the wavelengths matters (red =
 * longest, blue = shortest, green = the lower median). These are the pivot wavelengths in ångström of
 * the ACS/WFC and WFC3 (UVIS, IR) imaging filters, from the instrument handbooks' filter tables (ACS
 * Instrument Handbook ch. 5, WFC3 Instrument Handbook ch. 6 and 7), rounded to 1 Å. ACS/HRC and SBC
 * names map to the WFC value where the filter is shared; the difference does not change any order.
 */
export const PIVOT_WAVELENGTH: Readonly<Record<string, number>> = {
  ACS_F435W: 4330,
  ACS_F475W: 4747,
  ACS_F502N: 5023,
  ACS_F550M: 5581,
  ACS_F555W: 5361,
  ACS_F606W: 5922,
  ACS_F625W: 6311,
  ACS_F658N: 6584,
  ACS_F660N: 6599,
  ACS_F775W: 7693,
  ACS_F814W: 8045,
  ACS_F850LP: 9033,
  ACS_F892N: 8915,
  ACS_F220W: 2255,
  ACS_F250W: 2716,
  ACS_F330W: 3362,
  ACS_F344N: 3434,
  ACS_F115LP: 1406,
  ACS_F122M: 1274,
  ACS_F125LP: 1438,
  ACS_F140LP: 1528,
  ACS_F150LP: 1611,
  ACS_F165LP: 1758,
  WFC3_F200LP: 4972,
  WFC3_F218W: 2228,
  WFC3_F225W: 2372,
  WFC3_F275W: 2710,
  WFC3_F280N: 2833,
  WFC3_F300X: 2821,
  WFC3_F336W: 3355,
  WFC3_F343N: 3435,
  WFC3_F350LP: 5874,
  WFC3_F373N: 3730,
  WFC3_F390M: 3897,
  WFC3_F390W: 3923,
  WFC3_F395N: 3955,
  WFC3_F410M: 4109,
  WFC3_F438W: 4326,
  WFC3_F467M: 4683,
  WFC3_F469N: 4688,
  WFC3_F475W: 4773,
  WFC3_F475X: 4941,
  WFC3_F487N: 4871,
  WFC3_F502N: 5010,
  WFC3_F547M: 5447,
  WFC3_F555W: 5308,
  WFC3_F600LP: 7468,
  WFC3_F606W: 5889,
  WFC3_F621M: 6219,
  WFC3_F625W: 6243,
  WFC3_F631N: 6304,
  WFC3_F645N: 6454,
  WFC3_F656N: 6562,
  WFC3_F657N: 6567,
  WFC3_F658N: 6586,
  WFC3_F665N: 6656,
  WFC3_F673N: 6766,
  WFC3_F680N: 6878,
  WFC3_F689M: 6877,
  WFC3_F763M: 7613,
  WFC3_F775W: 7648,
  WFC3_F814W: 8039,
  WFC3_F845M: 8439,
  WFC3_F850LP: 9176,
  WFC3_F953N: 9530,
  WFC3_F098M: 9864,
  WFC3_F105W: 10552,
  WFC3_F110W: 11534,
  WFC3_F125W: 12486,
  WFC3_F126N: 12585,
  WFC3_F127M: 12740,
  WFC3_F128N: 12832,
  WFC3_F130N: 13006,
  WFC3_F132N: 13188,
  WFC3_F139M: 13838,
  WFC3_F140W: 13923,
  WFC3_F153M: 15322,
  WFC3_F160W: 15369,
  WFC3_F164N: 16403,
  WFC3_F167N: 16642,
};

export function filterWavelength(instrument: string, filter: string): number | undefined {
  return PIVOT_WAVELENGTH[`${instrument.toUpperCase()}_${filter.toUpperCase()}`];
}

export interface HapFilterProduct {
  file: string;
  instrument: string;
  filter: string;
  /** The colour preview's base name without `[_thumb].jpg`. */
  colourBase: string;
}

/** Parses a filter-level SVM or MVM drizzled product name (CALDP's regexes); undefined for others. */
export function parseHapFilterProduct(file: string, ipppss?: string): HapFilterProduct | undefined {
  const name = file.split("/").pop() ?? file;
  if (ipppss) {
    const svm = new RegExp(
      `^hst_(\\d{4,5})_(\\d{2})_([^\\s_]+)_([^\\s_]+)_([a-z]\\d{3}[a-z])_${ipppss}_([a-z]{3})\\.fits$`,
    );
    const m = svm.exec(name);
    if (m) {
      const [, propid, visit, inst, det, filter, sufx] = m;
      return {
        file,
        instrument: inst,
        filter,
        colourBase: `hst_${propid}_${visit}_${inst}_${det}_total_${ipppss}_${sufx}_color`,
      };
    }
  }
  const mvm =
    /^hst_(skycell-p\d{4}x\d{2}y\d{2})_([a-z]{3}[0-9]?)_([a-z]{3,4})_([a-z]\d{3}[a-z])_([^\s]+)_([a-z]{3})\.fits$/.exec(
      name,
    );
  if (mvm) {
    const [, skycell, inst, det, filter, label, sufx] = mvm;
    return { file, instrument: inst, filter, colourBase: `hst_${skycell}_${inst}_${det}_total_${label}_${sufx}_color` };
  }
  return undefined;
}

/** Python's statistics.median_low. */
export function medianLow(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}
