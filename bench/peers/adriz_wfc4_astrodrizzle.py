"""AstroDrizzle itself (drizzlepac 3.6.2, built outside the repository) for bench/adriz-wfc4.ts: the steps the native
stage has, on copies of the simulated flts in DIR/astrodrizzle: stwcs's updatewcs (jref = DIR/jref), then
AstroDrizzle with only the final drizzle (square, pixfrac 1, EXP weights, final_bits 336, one core as its final
drizzle runs). Prints the seconds of each step as JSON.

usage: adriz_wfc4_astrodrizzle.py DIR   (the python of the drizzlepac venv)
"""
import glob
import json
import os
import shutil
import sys
import time

base = sys.argv[1]
work = os.path.join(base, "astrodrizzle")
os.makedirs(work, exist_ok=True)
for f in glob.glob(os.path.join(base, "*_flt.fits")) + glob.glob(os.path.join(base, "*_asn.fits")):
    shutil.copy(f, work)
os.environ["jref"] = os.path.join(base, "jref") + "/"
os.chdir(work)
from drizzlepac import astrodrizzle  # noqa: E402  (stwcs imports after drizzlepac in this venv)
from stwcs import updatewcs  # noqa: E402

asn = glob.glob("*_asn.fits")[0]
t = time.perf_counter()
updatewcs.updatewcs(sorted(glob.glob("*_flt.fits")), use_db=False)
updatewcs_seconds = time.perf_counter() - t
t = time.perf_counter()
astrodrizzle.AstroDrizzle(
    asn, output=asn.replace("_asn.fits", ""), build=True, context=True, clean=True, num_cores=1, in_memory=True,
    static=False, skysub=False, driz_separate=False, median=False, blot=False, driz_cr=False, resetbits=0,
    final_wcs=False, final_kernel="square", final_pixfrac=1.0, final_wht_type="EXP", final_bits=336,
)
drizzle_seconds = time.perf_counter() - t
print(json.dumps({"updatewcs": updatewcs_seconds, "drizzle": drizzle_seconds}))
