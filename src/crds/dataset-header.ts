/** Dataset parameter dictionaries as the lookup code sees them: upper-case keywords, string values. */

export type DatasetHeader = Record<string, string>;

/** Mapping.minimize_header: each key from the lower-case key, else the upper-case key, else UNDEFINED. */
export function minimizeHeader(header: Readonly<DatasetHeader>, keys: readonly string[]): DatasetHeader {
  const minimized: DatasetHeader = {};
  for (const key of keys) {
    const lower = key.toLowerCase();
    const upper = key.toUpperCase();
    if (Object.hasOwn(header, lower)) minimized[key] = header[lower];
    else minimized[key] = Object.hasOwn(header, upper) ? header[upper] : "UNDEFINED";
  }
  return minimized;
}
