import { rewriteHeaders } from "../fits/index.js";

export const VERSION_KEYWORDS = ["CSYS_VER", "AWSDPVER", "AWSYSVER"] as const;

/** CALDP's track_versions: the three version keywords from the environment ("UNDEFINED" if unset). */
export function versionValues(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  return Object.fromEntries(VERSION_KEYWORDS.map((k) => [k, env[k] || "UNDEFINED"]));
}

/** Sets the version keywords in the primary header of each file (rewritten atomically, data untouched). */
export function trackVersions(files: readonly string[], env: Readonly<Record<string, string | undefined>>): void {
  const values = versionValues(env);
  for (const file of files) {
    rewriteHeaders(file, (header, hdu) => {
      if (hdu.index !== 0) return;
      for (const [keyword, value] of Object.entries(values)) header.set(keyword, value);
    });
  }
}
