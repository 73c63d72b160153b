"""An equivalent numpy pipeline on python drizzle 1.13's C kernels (Debian python3-drizzle) for bench/adriz-wfc4.ts.

usage: adriz_wfc4_numpy.py DIR   reads the flts caldp's updatewcs wrote into DIR/ours (Debian has no stwcs: the
distortion WCS is ours, read by astropy.wcs) and the frame of DIR/ours/<asn>_drz.fits; per chip: weights from DQ
(bits 336 good) times EXPTIME, the pixel map (astropy all_pix2world, then the frame's all_world2pix, as python
drizzle's calc_pixmap), cdrizzle.tdriz square; writes DIR/numpy/<asn>_drz.fits (SCI, WHT, CTX). Prints seconds.
"""
import glob
import json
import os
import sys
import time

import numpy as np
from astropy.io import fits
from astropy.wcs import WCS
from drizzle import cdrizzle

base = sys.argv[1]
ours = os.path.join(base, "ours")
out = os.path.join(base, "numpy")
os.makedirs(out, exist_ok=True)
product = glob.glob(os.path.join(ours, "*_drz.fits"))[0]
flts = sorted(glob.glob(os.path.join(ours, "*_flt.fits")))
times = {"read": 0.0, "pixmap": 0.0, "kernel": 0.0, "write": 0.0}

t = time.perf_counter()
with fits.open(product) as f:
    outwcs = WCS(f["SCI"].header)
    oh, ow = f["SCI"].data.shape
    frame_scale = abs(f["SCI"].header["CD2_2"] ** 2 + f["SCI"].header["CD2_1"] ** 2) ** 0.5 * 3600
sci = np.zeros((oh, ow), np.float32)
wht = np.zeros((oh, ow), np.float32)
ctx = np.zeros((oh, ow), np.int32)
times["read"] += time.perf_counter() - t
uniqid = 0
kernel_first = None
for path in flts:
    t = time.perf_counter()
    f = fits.open(path)
    exptime = f[0].header["EXPTIME"]
    chips = [(f["SCI", v].data.astype(np.float32), f["DQ", v].data, WCS(f["SCI", v].header, f), f["SCI", v].header)
             for v in (1, 2)]
    times["read"] += time.perf_counter() - t
    for data, dq, wcs, header in chips:
        uniqid += 1
        t = time.perf_counter()
        ny, nx = data.shape
        if dq is None:  # a constant DQ extension (NPIX1/2, no data): all good
            dq = np.zeros((ny, nx), np.uint16)
        weights = ((dq & ~np.uint16(336)) == 0).astype(np.float32)
        y, x = np.indices((ny, nx), dtype=np.float64)
        ra, dec = wcs.all_pix2world(x, y, 0)
        ox, oy = outwcs.all_world2pix(ra, dec, 0)
        pixmap = np.dstack([ox, oy])
        del y, x, ra, dec, ox, oy
        times["pixmap"] += time.perf_counter() - t
        t = time.perf_counter()
        cdrizzle.tdriz(data, weights, pixmap, sci, wht, ctx, uniqid=uniqid, kernel="square", pixfrac=1.0,
                       scale=frame_scale / header["IDCSCALE"], in_units="counts", expscale=exptime, wtscale=exptime)
        dt = time.perf_counter() - t
        times["kernel"] += dt
        if kernel_first is None:
            kernel_first = dt
            single = np.zeros((oh, ow), np.float32)
            cdrizzle.tdriz(data, np.ones_like(data), pixmap, np.zeros((oh, ow), np.float32), single, np.zeros((oh, ow), np.int32),
                           kernel="square", scale=frame_scale / header["IDCSCALE"])
            covered = int(np.count_nonzero(single))
            t = time.perf_counter()
            cdrizzle.tdriz(data, np.ones_like(data), pixmap, np.zeros((oh, ow), np.float32), np.zeros((oh, ow), np.float32),
                           np.zeros((oh, ow), np.int32), kernel="square", scale=frame_scale / header["IDCSCALE"])
            kernel_first = time.perf_counter() - t
            del single
    f.close()
t = time.perf_counter()
hdus = [fits.PrimaryHDU(), fits.ImageHDU(sci, outwcs.to_header(), name="SCI"),
        fits.ImageHDU(wht, outwcs.to_header(), name="WHT"), fits.ImageHDU(ctx, outwcs.to_header(), name="CTX")]
fits.HDUList(hdus).writeto(os.path.join(out, os.path.basename(product)), overwrite=True)
times["write"] += time.perf_counter() - t
print(json.dumps({**times, "kernel_alone": kernel_first, "covered": covered}))
