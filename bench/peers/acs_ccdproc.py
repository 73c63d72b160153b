"""ccdproc + astroscrappy side of bench/acs-calibration.ts: the CCD steps and cosmic-ray rejection of an
ACS/WFC CR-SPLIT association, on the same raw files and reference images calacs uses.

usage: acs_ccdproc.py CONFIG.json OUTDIR [--reject astroscrappy|sigmaclip]

CONFIG (written by the bench from the simulator's detector model and the raws' headers):
  {"raws": [...], "bias": path, "dark": path, "flat": path, "product": name,
   "chips": [{"extver", "rows": [y0, y1], "amps": [{"raw": [x0, x1], "science": [x0, x1],
              "overscan": [x0, x1], "gain", "readnoise"}]}]}

Per exposure and chip (what ACSCCD + ACS2D do, in ccdproc's functions):
  subtract_bias (BIASFILE, DN, untrimmed) -> per amp: subtract_overscan (median of the amp's bias
  columns per row, a line fitted along the rows, like BLEVCORR's row medians + line fit) and
  gain_correct -> trim_image to the science area -> create_deviation (Poisson + read noise, like ERR)
  -> subtract_dark (e/s x DARKTIME) -> flat_correct (norm_value=1: the flat is already normalised).
Cosmic rays (what ACSREJ does):
  astroscrappy (default): detect_cosmics per exposure and chip (L.A.Cosmic, niter=4, sigclip=4.5),
  the masks are the flt DQ 8192 (CRMASK), then ccdproc.combine(method="average") of the masked
  count rates times the total exposure time is the crj (unweighted: CR-SPLIT members have equal EXPTIME).
  sigmaclip: ccdproc.combine with sigma clipping (3σ around the median) across the exposures; the
  clipped pixels are the per-exposure masks. Needs 3 or more exposures to reject anything.
Writes <root>_flt.fits (SCI float32, ERR float32, DQ int16 per chip) and <product>_crj.fits.
Prints JSON with the step times.
"""
import json
import sys
import time
import warnings

import astroscrappy
import ccdproc
import numpy as np
from astropy import units as u
from astropy.io import fits
from astropy.modeling import models
from astropy.nddata import CCDData, StdDevUncertainty

warnings.simplefilter("ignore")
CR = 8192


def reference(path, extver):
    with fits.open(path, memmap=False) as hdul:
        return hdul["SCI", extver].data.astype(np.float32)


def calibrate_chip(raw, chip, refs, darktime):
    """One chip of one exposure: bias, overscan, gain, trim, errors, dark, flat (electrons)."""
    ccd = CCDData(raw.astype(np.float32), unit=u.adu)
    ccd = ccdproc.subtract_bias(ccd, CCDData(refs["bias"], unit=u.adu))
    y0, y1 = chip["rows"]
    width = sum(a["science"][1] - a["science"][0] for a in chip["amps"])
    science = np.zeros((y1 - y0, width), np.float32)
    variance = np.zeros_like(science)
    for amp in chip["amps"]:
        x0, x1 = amp["raw"]
        part = CCDData(ccd.data[y0:y1, x0:x1], unit=u.adu)
        o0, o1 = amp["overscan"]
        part = ccdproc.subtract_overscan(
            part, fits_section=f"[{o0 - x0 + 1}:{o1 - x0}, 1:{y1 - y0}]", median=True, model=models.Polynomial1D(1)
        )
        part = ccdproc.gain_correct(part, amp["gain"] * u.electron / u.adu)
        s0, s1 = amp["science"]
        width = s1 - s0
        part = ccdproc.trim_image(part, fits_section=f"[{s0 - x0 + 1}:{s1 - x0}, 1:{y1 - y0}]")
        part = ccdproc.create_deviation(part, readnoise=amp["readnoise"] * u.electron, disregard_nan=True)
        c0 = amp["column"]
        science[:, c0 : c0 + width] = part.data
        variance[:, c0 : c0 + width] = part.uncertainty.array**2
    ccd = CCDData(science, unit=u.electron, uncertainty=StdDevUncertainty(np.sqrt(variance)))
    dark = CCDData(refs["dark"], unit=u.electron)
    ccd = ccdproc.subtract_dark(ccd, dark, dark_exposure=1 * u.s, data_exposure=darktime * u.s, scale=True)
    return ccdproc.flat_correct(ccd, CCDData(refs["flat"], unit=u.dimensionless_unscaled), norm_value=1)


def reject(chips, exptimes, mode, readnoise):
    """Per-exposure CR masks and the combined image (total electrons) of one chip."""
    if mode == "astroscrappy":
        for ccd in chips:
            mask, _ = astroscrappy.detect_cosmics(
                ccd.data, gain=1.0, readnoise=readnoise, sigclip=4.5, niter=4, satlevel=84700.0
            )
            ccd.mask = mask
        rates = [CCDData(c.data / t, unit=u.electron / u.s, mask=c.mask) for c, t in zip(chips, exptimes)]
        combined = ccdproc.combine(rates, method="average")
    else:
        rates = [CCDData(c.data / t, unit=u.electron / u.s) for c, t in zip(chips, exptimes)]
        combiner = ccdproc.Combiner(rates)
        combiner.sigma_clipping(low_thresh=3, high_thresh=3, func=np.ma.median)
        for ccd, clipped in zip(chips, combiner.data_arr.mask):
            ccd.mask = clipped
        combined = combiner.average_combine()
    total = float(sum(exptimes))
    err = combined.uncertainty.array * total if combined.uncertainty is not None else np.zeros_like(combined.data)
    return CCDData(combined.data * total, unit=u.electron, mask=combined.mask, uncertainty=StdDevUncertainty(err))


def write_imsets(path, header, imsets):
    hdus = [fits.PrimaryHDU(header=header)]
    for extver, (sci, err, dq) in enumerate(imsets, start=1):
        hdus.append(fits.ImageHDU(sci.astype(np.float32), name="SCI", ver=extver))
        hdus.append(fits.ImageHDU(err.astype(np.float32), name="ERR", ver=extver))
        hdus.append(fits.ImageHDU(dq.astype(np.int16), name="DQ", ver=extver))
    fits.HDUList(hdus).writeto(path, overwrite=True)


def main():
    config = json.load(open(sys.argv[1]))
    out = sys.argv[2]
    mode = sys.argv[sys.argv.index("--reject") + 1] if "--reject" in sys.argv else "astroscrappy"
    times = {"read": 0.0, "calibrate": 0.0, "reject": 0.0, "write": 0.0}
    refs = {
        c["extver"]: {k: reference(config[k], c["extver"]) for k in ("bias", "dark", "flat")} for c in config["chips"]
    }
    exposures = []
    for raw in config["raws"]:
        t0 = time.perf_counter()
        with fits.open(raw, memmap=False) as hdul:
            header = hdul[0].header
            data = {c["extver"]: hdul["SCI", c["extver"]].data for c in config["chips"]}
        t1 = time.perf_counter()
        chips = {
            c["extver"]: calibrate_chip(data[c["extver"]], c, refs[c["extver"]], header["DARKTIME"])
            for c in config["chips"]
        }
        t2 = time.perf_counter()
        times["read"] += t1 - t0
        times["calibrate"] += t2 - t1
        exposures.append((header, chips))

    exptimes = [h["EXPTIME"] for h, _ in exposures]
    products = []
    t0 = time.perf_counter()
    for c in config["chips"]:
        readnoise = float(np.mean([a["readnoise"] for a in c["amps"]]))
        products.append(reject([chips[c["extver"]] for _, chips in exposures], exptimes, mode, readnoise))
    times["reject"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    for header, chips in exposures:
        imsets = [
            (ccd.data, ccd.uncertainty.array, np.where(ccd.mask, CR, 0)) for ccd in (chips[c["extver"]] for c in config["chips"])
        ]
        write_imsets(f"{out}/{header['ROOTNAME'].lower()}_flt.fits", header, imsets)
    crj = [(p.data, p.uncertainty.array, np.where(p.mask, CR, 0)) for p in products]
    write_imsets(f"{out}/{config['product']}_crj.fits", exposures[0][0], crj)
    times["write"] = time.perf_counter() - t0
    flagged = [int(np.count_nonzero(ccd.mask)) for _, chips in exposures for ccd in chips.values()]
    print(json.dumps({"times": times, "flagged": flagged}))


if __name__ == "__main__":
    main()
