"""stwcs's output_wcs (the frame AstroDrizzle drizzles onto by default), rebuilt on astropy.wcs for the tests:
the union of every chip's calc_footprint, CRVAL at its geographic midpoint, the size from its extent on a TAN grid of the
given scale and orientation, CRPIX at the centre, then CRVAL moved as stwcs moves it.

  output_frame_oracle.py SCALE ORIENTAT FILE...   prints {"crval": [..], "crpix": [..], "naxis": [..]}
"""
import json
import math
import sys

import numpy as np
from astropy import wcs
from astropy.io import fits


def main(scale, orient, files):
    corners = []
    for f in files:
        with fits.open(f) as h:
            for ext in [x for x in h if x.name == "SCI"]:
                w = wcs.WCS(ext.header, h)
                w.pixel_shape = (ext.header["NAXIS1"], ext.header["NAXIS2"])
                corners.append(w.calc_footprint())
    fra_dec = np.vstack(corners)
    # stwcs >= 1.5 (drizzlepac 3.6.2's): computeFootprintCenter, the geographic midpoint of the corners
    alpha, dec = np.deg2rad(fra_dec[:, 0]), np.deg2rad(fra_dec[:, 1])
    xm, ym, zm = np.mean(np.cos(dec) * np.cos(alpha)), np.mean(np.cos(dec) * np.sin(alpha)), np.mean(np.sin(dec))
    crval = [np.rad2deg(np.arctan2(ym, xm)) % 360.0, np.rad2deg(np.arctan2(zm, np.sqrt(xm * xm + ym * ym)))]
    out = wcs.WCS(naxis=2)
    out.wcs.ctype = ["RA---TAN", "DEC--TAN"]
    s, t = scale / 3600, math.radians(orient)
    out.wcs.cd = [[-s * math.cos(t), s * math.sin(t)], [s * math.sin(t), s * math.cos(t)]]
    out.wcs.crval = crval
    out.wcs.crpix = [0, 0]
    out.wcs.set()
    tanpix = out.wcs.s2p(fra_dec, 0)["pixcrd"]
    naxis = [int(math.ceil(np.ptp(tanpix[:, 0]))), int(math.ceil(np.ptp(tanpix[:, 1])))]
    crpix = [naxis[0] / 2.0, naxis[1] / 2.0]
    out.wcs.crpix = crpix
    out.wcs.set()
    tanpix = out.wcs.s2p(fra_dec, 0)["pixcrd"]
    newcrpix = np.array([crpix[0] + tanpix[:, 0].min(), crpix[1] + tanpix[:, 1].min()])
    crval = out.wcs.p2s([newcrpix], 1)["world"][0]
    print(json.dumps({"crval": list(map(float, crval)), "crpix": crpix, "naxis": naxis}))


if __name__ == "__main__":
    main(float(sys.argv[1]), float(sys.argv[2]), sys.argv[3:])
