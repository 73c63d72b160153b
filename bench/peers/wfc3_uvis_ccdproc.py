"""ccdproc + astroscrappy side of bench/wfc3-calibration.ts (UVIS): the CCD steps and cosmic-ray rejection
of a WFC3/UVIS CR-SPLIT association, on the same raw files and reference images calwf3 uses.

usage: wfc3_uvis_ccdproc.py CONFIG.json OUTDIR

CONFIG: {"raws": [...], "bias": path, "dark": path, "flat": path, "product": name, "oscntab": path,
         "ccdtab": path}

The chips' layout comes from the reference tables as calwf3 reads it: OSCNTAB (TRIMX1/2 prescan,
TRIMX3/4 serial virtual overscan between the amplifiers, TRIMY1/2 virtual rows, BIASSECTC/D the
overscan columns of the left and right amplifier) and CCDTAB (gain and read noise of amps A/B for
CCDCHIP 1, C/D for CCDCHIP 2). The steps are the ACS peer's (acs_ccdproc.py, WFC3's WF3CCD + WF32D +
WF3REJ are the same chain): subtract_bias, per amp subtract_overscan (row medians, a line along the rows)
and gain_correct, trim_image, create_deviation, subtract_dark (e/s x DARKTIME), flat_correct; then
astroscrappy per exposure and chip and an average combine of the masked count rates (the crj).
Writes <root>_flt.fits per exposure and <product>_crj.fits; prints JSON with the step times.
"""
import json
import os
import sys
import time

import numpy as np
from astropy.io import fits
from astropy.table import Table

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from acs_ccdproc import calibrate_chip, reference, reject, write_imsets  # noqa: E402

AMPS = {1: ("A", "B"), 2: ("C", "D")}


def table_row(path, **match):
    for row in Table.read(path, hdu=1):
        if all(str(row[k]).strip() == str(v) for k, v in match.items()):
            return row
    raise SystemExit(f"{path}: no row for {match}")


def chip_layouts(config, raw):
    """The acs_ccdproc chip description of each SCI extension, from OSCNTAB and CCDTAB."""
    chips = []
    with fits.open(raw, memmap=False) as hdul:
        ccdamp = hdul[0].header["CCDAMP"].strip()
        for hdu in (h for h in hdul if h.name == "SCI"):
            ccdchip = int(hdu.header["CCDCHIP"])
            ny, nx = hdu.shape
            osc = table_row(config["oscntab"], CCDAMP=ccdamp, CCDCHIP=ccdchip)
            ccd = table_row(config["ccdtab"], CCDAMP=ccdamp, CCDCHIP=ccdchip)
            half = nx // 2
            left, right = AMPS[ccdchip]
            width = half - osc["TRIMX1"] - osc["TRIMX3"]
            amps = [
                (left, [0, half], [osc["BIASSECTC1"] - 1, osc["BIASSECTC2"]], [osc["TRIMX1"], half - osc["TRIMX3"]], 0),
                (right, [half, nx], [osc["BIASSECTD1"] - 1, osc["BIASSECTD2"]], [half + osc["TRIMX4"], nx - osc["TRIMX2"]], width),
            ]
            chips.append(
                {
                    "extver": hdu.ver,
                    "rows": [int(osc["TRIMY1"]), int(ny - osc["TRIMY2"])],
                    "amps": [
                        {
                            "raw": raw_cols,
                            "overscan": [int(c) for c in over],
                            "science": [int(c) for c in sci],
                            "column": int(column),
                            "gain": float(ccd[f"ATODGN{name}"]),
                            "readnoise": float(ccd[f"READNSE{name}"]),
                        }
                        for name, raw_cols, over, sci, column in amps
                    ],
                }
            )
    return chips


def main():
    config = json.load(open(sys.argv[1]))
    out = sys.argv[2]
    times = {"read": 0.0, "calibrate": 0.0, "reject": 0.0, "write": 0.0}
    chips = chip_layouts(config, config["raws"][0])
    refs = {c["extver"]: {k: reference(config[k], c["extver"]) for k in ("bias", "dark", "flat")} for c in chips}
    exposures = []
    for raw in config["raws"]:
        t0 = time.perf_counter()
        with fits.open(raw, memmap=False) as hdul:
            header = hdul[0].header
            data = {c["extver"]: hdul["SCI", c["extver"]].data for c in chips}
        t1 = time.perf_counter()
        calibrated = {c["extver"]: calibrate_chip(data[c["extver"]], c, refs[c["extver"]], header["DARKTIME"]) for c in chips}
        times["read"] += t1 - t0
        times["calibrate"] += time.perf_counter() - t1
        exposures.append((header, calibrated))

    exptimes = [h["EXPTIME"] for h, _ in exposures]
    t0 = time.perf_counter()
    products = []
    for c in chips:
        readnoise = float(np.mean([a["readnoise"] for a in c["amps"]]))
        products.append(reject([e[c["extver"]] for _, e in exposures], exptimes, "astroscrappy", readnoise))
    times["reject"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    for header, calibrated in exposures:
        imsets = [(ccd.data, ccd.uncertainty.array, np.where(ccd.mask, 8192, 0)) for ccd in (calibrated[c["extver"]] for c in chips)]
        write_imsets(f"{out}/{header['ROOTNAME'].lower()}_flt.fits", header, imsets)
    crj = [(p.data, p.uncertainty.array, np.where(p.mask, 8192, 0)) for p in products]
    write_imsets(f"{out}/{config['product']}_crj.fits", exposures[0][0], crj)
    times["write"] = time.perf_counter() - t0
    flagged = [int(np.count_nonzero(ccd.mask)) for _, e in exposures for ccd in e.values()]
    print(json.dumps({"times": times, "flagged": flagged}))


if __name__ == "__main__":
    main()
