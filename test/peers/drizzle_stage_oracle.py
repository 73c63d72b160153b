"""The drizzle stage's oracle: Debian python3-drizzle (1.13.4, cdrizzle.tdriz and calc_pixmap) drizzles the same
flt/flc chips onto the WCS our _drz/_drc carries, with AstroDrizzle's final-drizzle settings (weights EXP: the
good-pixel mask, wt_scl = exposure time; counts in, cps out).

  drizzle_stage_oracle.py PRODUCT BITS KERNEL PIXFRAC OUTDIR INPUT...   writes sci.f32, wht.f32, ctx.i32 in OUTDIR
"""
import math
import os
import sys

import numpy as np
from astropy import wcs
from astropy.io import fits
from drizzle import calc_pixmap, cdrizzle


def pscale(header, w):
    if "IDCSCALE" in header:
        return header["IDCSCALE"]
    return math.sqrt(abs(np.linalg.det(w.wcs.cd))) * 3600


def main(product, bits, kernel, pixfrac, outdir, inputs):
    with fits.open(product) as p:
        out_wcs = wcs.WCS(p["SCI"].header)
        oh, ow = p["SCI"].data.shape
        out_scale = math.sqrt(abs(np.linalg.det(out_wcs.wcs.cd))) * 3600
    n = sum(1 for f in inputs for h in fits.open(f) if h.name == "SCI")
    sci = np.zeros((oh, ow), np.float32)
    wht = np.zeros((oh, ow), np.float32)
    ctx = np.zeros(((n + 31) // 32, oh, ow), np.int32)
    uniqid = 0
    for f in inputs:
        with fits.open(f) as h:
            t = float(h[0].header["EXPTIME"])
            for ext in [x for x in h if x.name == "SCI"]:
                uniqid += 1
                in_wcs = wcs.WCS(ext.header, h)
                dq = h["DQ", ext.ver].data.astype(np.int64)
                inwht = ((dq & ~bits) == 0).astype(np.float32)
                data = ext.data.astype(np.float32)
                if "/S" not in ext.header.get("BUNIT", "ELECTRONS").upper():
                    # tdriz's in_units="counts" is broken in 1.13.4 (garbage out): divide here, as the kernel would
                    data = data * np.float32(1 / t)
                pixmap = calc_pixmap.calc_pixmap(in_wcs, out_wcs)
                cdrizzle.tdriz(data, inwht, pixmap, sci, wht, ctx[(uniqid - 1) // 32],
                               uniqid=uniqid, scale=out_scale / pscale(ext.header, in_wcs), pixfrac=pixfrac,
                               kernel=kernel, in_units="cps", expscale=t, wtscale=t, fillstr="0")
    sci.tofile(os.path.join(outdir, "sci.f32"))
    wht.tofile(os.path.join(outdir, "wht.f32"))
    ctx.tofile(os.path.join(outdir, "ctx.i32"))


if __name__ == "__main__":
    a = sys.argv[1:]
    main(a[0], int(a[1]), a[2], float(a[3]), a[4], a[5:])
