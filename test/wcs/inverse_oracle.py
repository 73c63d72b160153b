"""astropy's all_world2pix on a header given as JSON cards, for sky points; reads {cards, sky, tolerance,
maxiter} on stdin and prints, per point, its pixel or 'divergent' / 'slow' from astropy's NoConvergence."""
import json
import sys
import warnings

import numpy as np
from astropy.io import fits
from astropy.wcs import WCS, NoConvergence

warnings.simplefilter("ignore")
job = json.load(sys.stdin)
w = WCS(fits.Header([tuple(card) for card in job["cards"]]))
sky = np.array(job["sky"], dtype=np.float64)
status = ["ok"] * len(sky)
try:
    pix = w.all_world2pix(sky, 1, tolerance=job["tolerance"], maxiter=job["maxiter"])
except NoConvergence as e:
    pix = e.best_solution
    for i in e.divergent if e.divergent is not None else []:
        status[i] = "divergent"
    for i in e.slow_conv if e.slow_conv is not None else []:
        status[i] = "slow" if status[i] == "ok" else status[i]
json.dump({"pix": pix.tolist(), "status": status}, sys.stdout)
