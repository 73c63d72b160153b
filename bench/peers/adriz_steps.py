"""AstroDrizzle's median and driz_cr steps with drizzlepac's own code on the raw files bench/adriz-steps.ts wrote.

usage: adriz_steps.py DIR   (python of a drizzlepac venv); prints the seconds of each step as JSON
"""
import importlib.util
import json
import os
import sys
import time

import numpy as np
from stsci.image import numcombine
from stsci.imagestats import ImageStats

base = sys.argv[1]
meta = json.load(open(os.path.join(base, "meta.json")))
shape = (meta["n"], meta["height"], meta["width"])
images = np.fromfile(os.path.join(base, "images.f32"), "<f4").reshape(shape)
weights = np.fromfile(os.path.join(base, "weights.f32"), "<f4").reshape(shape)
spec = importlib.util.spec_from_file_location("oracle", os.path.join(meta["repo"], "test", "peers", "drizzlepac_oracle.py"))
oracle = importlib.util.module_from_spec(spec)
spec.loader.exec_module(oracle)

start = time.perf_counter()
means = [ImageStats(w, lower=1e-8, fields="mean", nclip=0).mean * meta["maskpt"] for w in weights]
masks = np.less(weights, np.asarray(means)[:, None, None]).astype(np.uint8)
median = numcombine.num_combine(images, masks=masks, combination_type="median", nhigh=meta["nhigh"])
median_seconds = time.perf_counter() - start

lines = oracle.source_lines(oracle.drizCR._driz_cr, "COMPUTATION PART I ", "Apply CR mask")
start = time.perf_counter()
flagged = 0
for image in images:
    scope = {"np": np, "signal": oracle.signal, "input_image": image, "blot_data": median, "gain": meta["gain"],
             "rn": meta["readNoise"], "backg": 0.0, "snr1": 3.5, "snr2": 3.0, "mult1": 1.2, "mult2": 0.7,
             "grow": 1, "ctegrow": 0, "sci_chip": type("Chip", (), {"cte_dir": 0}),
             "blot_deriv": oracle.quickDeriv.qderiv(median)}
    exec(lines, scope)
    flagged += int((scope["cr_mask"] == 0).sum())
drizcr_seconds = time.perf_counter() - start
median.astype(np.float32).tofile(os.path.join(base, "median-py.f32"))
print(json.dumps({"median": median_seconds, "drizcr": drizcr_seconds, "flagged": flagged}))
