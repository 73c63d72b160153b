"""The astropy.wcs oracle: reads [{file, hdu, pixels, tolerance}] as JSON on stdin and prints, for each, the
sky positions of the (1-based) pixels by all_pix2world, their focal-plane coordinates by pix2foc, and
all_world2pix of those sky positions, as JSON on stdout."""
import json
import sys
import warnings

import numpy as np
from astropy.io import fits
from astropy.wcs import WCS

warnings.simplefilter("ignore")
out = []
for job in json.load(sys.stdin):
    with fits.open(job["file"]) as hdul:
        try:
            w = WCS(hdul[job["hdu"]].header, hdul, naxis=2)
        except Exception as e:  # the test expects ours to refuse the header as well
            out.append({"error": str(e).strip().splitlines()[-1]})
            continue
        pix = np.array(job["pixels"], dtype=np.float64)
        world = w.all_pix2world(pix, 1)
        back = w.all_world2pix(world, 1, tolerance=job["tolerance"], maxiter=50)
        foc = w.pix2foc(pix, 1)
        out.append({"world": world.tolist(), "foc": foc.tolist(), "back": back.tolist(),
                    "sip": w.sip is not None, "det2im": w.det2im1 is not None or w.det2im2 is not None,
                    "cpdis": w.cpdis1 is not None or w.cpdis2 is not None})
json.dump(out, sys.stdout)
