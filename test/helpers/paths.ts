import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Repository root (this file is test/helpers/paths.ts). */
export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
/** The read-only shared data and docs, beside the checkout (override with CALDP_SHARED). */
export const SHARED = process.env.CALDP_SHARED ?? resolve(REPO, "..", "shared");
export const HST_DATA = resolve(SHARED, "data", "hst");
export const CRDS_DATA = resolve(SHARED, "data", "crds");
/** The Debian python with astropy and numpy (the pyenv python3 first on PATH has neither). */
export const PYTHON = "/usr/bin/python3";
