/**
 * calstis4 on a 2-D rectified first-order CCD wavecal (calstis7's `_w2d`): for each imset, cosmic rays flagged,
 * the shift along the dispersion from the LAMPTAB spectrum and the shift along the slit from the APDESTAB bars
 * (WCPTAB sections and ranges), scaled to reference pixels and written as SHIFTA1/SHIFTA2 into its SCI header
 * (-9999 when not found), WAVECORR = COMPLETE in the primary header. Echelle and prism wavecals are refused.
 * The wavecal is rewritten under a temporary name and renamed, as calstis4 updates it in place.
 */
import { basename } from "node:path";
import { CalibrationError } from "../../calib/common/errors.js";
import { spatialShift } from "../../calib/stis/wavecal-bars.js";
import { flagWavecalCosmicRays } from "../../calib/stis/wavecal-flagcr.js";
import { asHstioWrites } from "../../calib/stis/wavecal-shifts.js";
import { dispersionShift, type LampSpectrum } from "../../calib/stis/wavecal-xcorr.js";
import { FitsFile, type Header, rewriteHeaders } from "../../fits/index.js";
import type { ReferenceName } from "../program-files.js";
import { echelleImsetShifts, echelleWavecalTables } from "./calstis4-echelle.js";
import { type Row, rowFor, section, text } from "./calstis4-tables.js";

const UNDEFINED_SHIFT = -9999;
/** cs4 GetGrpInfo4: these flags do not make a wavecal pixel bad. */
const NOT_SERIOUS = 8 | 16 | 1024;
const DEFAULT_WCP = { WL_TRIM1: 0, WL_TRIM2: 300, SP_TRIM1: 200, SP_TRIM2: 0, WL_RANGE: 63, SP_RANGE: 61 };
const DEFAULT_CR = { NSIG_CR: 3, NSIG_ILL: 2, MAD_REJ: 3, MIN_MAD: 1 };

export interface Calstis4References {
  WCPTAB: ReferenceName;
  LAMPTAB: ReferenceName;
  APDESTAB: ReferenceName;
  /** An echelle's dispersion, incidence-angle and trace tables (calstis4-echelle.ts). */
  DISPTAB?: ReferenceName;
  INANGTAB?: ReferenceName;
  SPTRCTAB?: ReferenceName;
}

const num = (h: Header, k: string, fallback: number) => {
  const v = h.get(k);
  return typeof v === "number" ? v : fallback;
};

export interface WavecalShift {
  ver: number;
  shifta1: number;
  shifta2: number;
}

/** Finds and writes the shifts of every imset of `wavecal`; returns them as written. */
export function calstis4(wavecal: string, refs: Calstis4References): WavecalShift[] {
  const fits = FitsFile.open(wavecal);
  const shifts: WavecalShift[] = [];
  try {
    const primary = fits.hdus[0].header;
    const optElem = text(primary.get("OPT_ELEM"));
    if (optElem.startsWith("PRISM")) {
      throw new CalibrationError(
        "CAL_STEP_NOT_DONE",
        `${basename(wavecal)}: WAVECORR for the PRISM is not native yet`,
        {
          step: "WAVECORR",
        },
      );
    }
    if (optElem.startsWith("E")) {
      const tables = echelleWavecalTables(primary, refs);
      for (const hdu of fits.hdus.filter((h) => h.name === "SCI")) {
        const [nx, ny] = [num(hdu.header, "NAXIS1", 0), num(hdu.header, "NAXIS2", 0)];
        const scale = [1 / num(hdu.header, "LTM1_1", 1), 1 / num(hdu.header, "LTM2_2", 1)];
        const ok = hdu.header.get("IMSET_OK") !== false && nx > 0 && ny > 0;
        const data = ok ? (fits.readImage(hdu).data as ArrayLike<number>) : [];
        const s = ok ? echelleImsetShifts(primary, { header: hdu.header, data, nx, ny }, tables) : undefined;
        shifts.push({
          ver: hdu.ver,
          shifta1: s ? asHstioWrites(s.shifta1 * scale[0]) : UNDEFINED_SHIFT,
          shifta2: s ? asHstioWrites(s.shifta2 * scale[1]) : UNDEFINED_SHIFT,
        });
      }
    } else {
      const detector = text(primary.get("DETECTOR"));
      const wcp = {
        ...DEFAULT_WCP,
        ...DEFAULT_CR,
        ...rowFor("WCPTAB", refs.WCPTAB, { DETECTOR: detector, OPT_ELEM: optElem }),
      } as Row;
      const lampRow = rowFor("LAMPTAB", refs.LAMPTAB, {
        OPT_ELEM: optElem,
        SCLAMP: String(primary.get("SCLAMP") ?? ""),
        LAMPSET: String(primary.get("LAMPSET") ?? ""),
      });
      const nelem = Number(lampRow.NELEM);
      const lamp: LampSpectrum = {
        wavelength: (lampRow.WAVELENGTH as number[]).slice(0, nelem),
        flux: (lampRow.FLUX as number[]).slice(0, nelem),
      };
      const aperture = rowFor("APDESTAB", refs.APDESTAB, { APERTURE: String(primary.get("APERTURE") ?? "") });
      const bars = [1, 2, 3]
        .slice(0, Number(aperture.NBARS ?? 0))
        .map((k) => ({ location: Number(aperture[`BAR${k}LOCN`]), width: Number(aperture[`BAR${k}WIDTH`]) }));
      for (const hdu of fits.hdus.filter((h) => h.name === "SCI")) {
        const h = hdu.header;
        if (num(h, "DISPAXIS", 1) !== 1) {
          const message = `${basename(wavecal)}[SCI,${hdu.ver}]: WAVECORR with DISPAXIS ${h.get("DISPAXIS")} is not native yet`;
          throw new CalibrationError("CAL_STEP_NOT_DONE", message, { step: "WAVECORR" });
        }
        const [nx, ny] = [num(h, "NAXIS1", 0), num(h, "NAXIS2", 0)];
        const scale = [1 / num(h, "LTM1_1", 1), 1 / num(h, "LTM2_2", 1)];
        let a1: number | undefined;
        let a2: number | undefined;
        if (h.get("IMSET_OK") !== false && nx > 0 && ny > 0) {
          const sci = fits.readImage(hdu).data as ArrayLike<number>;
          const dq = Int32Array.from(fits.readImage("DQ", { ver: hdu.ver }).data as ArrayLike<number>);
          const sdqflags = num(h, "SDQFLAGS", 32767) & ~NOT_SERIOUS;
          const image = { nx, ny, sci, dq: dq.length === nx * ny ? dq : new Int32Array(nx * ny) };
          const n = (k: string) => Number(wcp[k]);
          if (detector === "CCD") {
            const p = {
              nsigmaCr: n("NSIG_CR"),
              nsigmaIllum: n("NSIG_ILL"),
              madReject: n("MAD_REJ"),
              minMad: n("MIN_MAD"),
            };
            flagWavecalCosmicRays(image, { ...p, sdqflags });
          }
          const wlRows = section(n("WL_TRIM2"), scale[1], ny);
          a1 = dispersionShift(image, lamp, {
            columns: section(n("WL_TRIM1"), scale[0], nx),
            rows: wlRows,
            crpix: num(h, "CRPIX1", 0) - 1,
            crval: num(h, "CRVAL1", 0),
            cdelt: num(h, "CD1_1", 1),
            slitWidth: Number(aperture.WIDTH1) / (num(h, "CD2_2", 1) * (scale[0] / scale[1]) * 3600),
            wlRange: n("WL_RANGE"),
            sdqflags,
          });
          a2 = spatialShift(image, {
            columns: section(n("SP_TRIM1"), scale[0], nx),
            rows: section(n("SP_TRIM2"), scale[1], ny),
            weightRows: wlRows,
            crpix: num(h, "CRPIX2", 0) - 1,
            cdelt: num(h, "CD2_2", 1),
            bars,
            spRange: n("SP_RANGE"),
            sdqflags,
          }).shift;
        }
        shifts.push({
          ver: hdu.ver,
          shifta1: a1 === undefined ? UNDEFINED_SHIFT : asHstioWrites(a1 * scale[0]),
          shifta2: a2 === undefined ? UNDEFINED_SHIFT : asHstioWrites(a2 * scale[1]),
        });
      }
    }
  } finally {
    fits.close();
  }
  rewriteHeaders(wavecal, (header, hdu) => {
    if (hdu.index === 0) header.set("WAVECORR", "COMPLETE");
    const s = hdu.name === "SCI" ? shifts.find((x) => x.ver === hdu.ver) : undefined;
    if (s) {
      header.set("SHIFTA1", s.shifta1, { comment: "MSM shift in dispersion direction" });
      header.set("SHIFTA2", s.shifta2, { comment: "MSM shift in spatial direction" });
    }
  });
  return shifts;
}
