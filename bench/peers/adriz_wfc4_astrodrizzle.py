"""AstroDrizzle itself (drizzlepac 3.6.2, built outside the repository) for bench/adriz-wfc4.ts, like for like with
the native stage: on copies of the simulated flts in DIR/astrodrizzle, stwcs's updatewcs (jref = DIR/jref), then
AstroDrizzle with every step ours runs and the same parameters (AstroDrizzle's defaults: static mask, localmin
sky, driz_separate turbo, minmed median, poly5 blot, driz_cr 3.5 3.0 / 1.2 0.7; final square, pixfrac 1, EXP
weights; driz_sep_bits = final_bits = 336 as ours takes for ACS), in memory as runastrodriz runs it, num_cores as
its default (its driz_separate and blot on processes). Prints the seconds of each step as JSON, AstroDrizzle's
own timing report (ProcSteps) among them; its log goes to stderr.

usage: adriz_wfc4_astrodrizzle.py DIR   (the python of the drizzlepac venv)
"""
import contextlib
import glob
import io
import json
import os
import re
import shutil
import sys
import time

base = sys.argv[1]
work = os.path.join(base, "astrodrizzle")
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
for f in glob.glob(os.path.join(base, "*_flt.fits")) + glob.glob(os.path.join(base, "*_asn.fits")):
    shutil.copy(f, work)
os.environ["jref"] = os.path.join(base, "jref") + "/"
os.chdir(work)
from drizzlepac import astrodrizzle  # noqa: E402  (stwcs imports after drizzlepac in this venv)
from stwcs import updatewcs  # noqa: E402

asn = glob.glob("*_asn.fits")[0]
t = time.perf_counter()
updatewcs.updatewcs(sorted(glob.glob("*_flt.fits")), use_db=False)
steps = {"updatewcs": time.perf_counter() - t}
log = io.StringIO()
t = time.perf_counter()
with contextlib.redirect_stdout(log):
    astrodrizzle.AstroDrizzle(
        asn, output=asn.replace("_asn.fits", ""), build=True, context=True, clean=True, in_memory=True,
        static=True, skysub=True, skymethod="localmin", driz_separate=True, driz_sep_kernel="turbo",
        driz_sep_pixfrac=1.0, driz_sep_bits=336, median=True, combine_type="minmed", blot=True, driz_cr=True,
        final_wcs=False, final_kernel="square", final_pixfrac=1.0, final_wht_type="EXP", final_bits=336,
    )
steps["drizzle"] = time.perf_counter() - t
sys.stderr.write(log.getvalue())
# ProcSteps.reportTimes: "   <step name>          <seconds> sec."
for name, seconds in re.findall(r"^\s+(\S.*?)\s{4,}([0-9.]+) sec\.$", log.getvalue(), re.M):
    if name != "Total":
        steps[name] = float(seconds)
print(json.dumps(steps))
