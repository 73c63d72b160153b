"""One drizzle kernel run of python drizzle 1.13's C tdriz on the raw files bench/drizzle-kernels.ts wrote.

usage: drizzle_kernels.py DIR KERNEL   prints the kernel's seconds; writes DIR/sci-c.f32
"""
import json
import sys
import time

import numpy as np
from drizzle import cdrizzle

d, kernel = sys.argv[1], sys.argv[2]
meta = json.load(open(f"{d}/meta.json"))
iw, ih, ow, oh = meta["width"], meta["height"], meta["outWidth"], meta["outHeight"]
insci = np.fromfile(f"{d}/input.f32", "<f4").reshape(ih, iw)
inwht = np.fromfile(f"{d}/weights.f32", "<f4").reshape(ih, iw)
pixmap = np.fromfile(f"{d}/pixmap.f64", "<f8").reshape(ih, iw, 2)
sci = np.zeros((oh, ow), np.float32)
wht = np.zeros((oh, ow), np.float32)
ctx = np.zeros((oh, ow), np.int32)
start = time.perf_counter()
cdrizzle.tdriz(insci, inwht, pixmap, sci, wht, ctx, kernel=kernel, scale=meta["scale"], pixfrac=meta["pixfrac"])
seconds = time.perf_counter() - start
sci.tofile(f"{d}/sci-c.f32")
print(json.dumps({"seconds": seconds}))
