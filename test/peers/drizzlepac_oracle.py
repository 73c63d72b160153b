"""The drizzlepac oracle: drizzlepac 3.6.2's own code on raw arrays, to make the fingerprints the TS tests check.

  drizzlepac_oracle.py SPEC.json   run every case SPEC lists on raw files beside it; print their outputs' names

Run with the python of a drizzlepac venv built outside the repository (docs/stack.md §9). Cases:
  tdriz    drizzlepac.cdriz.tdriz (its own cdrizzle, older than python drizzle's) onto one frame; the pixel map is
           given to it as a mapping callback that reads the map bilinearly (its DefaultWCSMapping reads its
           WCS table the same way), in its 1-based pixel convention
  combine  stsci.image numcombine.num_combine with createMedian's weight masks (ImageStats mean above 1e-8)
  qderiv   drizzlepac.quickDeriv.qderiv
  drizcr   drizCR.py's own mask lines (COMPUTATION PART I to III, read from the installed module and run as they are)
  stats    stsci.imagestats ImageStats (mode, median, mean, stddev, npix, min, max)
  static   staticMask.addMember's own lines (ImageStats to the mask update) over each chip image in turn
  sky      stsci.skypac's _minsky per image with its SkyStats (skystat, lower, upper, nclip, lsig, usig, binwidth)
           on chip-like members; localmin keeps each image's, globalmin the least (skymatch's two loops)
  scan     skypac's pixel mask of an overlap polygon: _member_sky's rounding of the vertices, region.Polygon.scan
  deltas   skymatch._find_optimum_sky_deltas on given overlap skies A and weights W (its pinv solution)
Raw files are little-endian C-order: float32 images, float64 pixel maps (h, w, 2), int32 contexts, uint8 masks.
"""
import importlib
import inspect
import json
import os
import sys

import numpy as np
from drizzlepac import cdriz, drizCR, quickDeriv
from scipy import signal
from stsci.image import numcombine
from stsci.imagestats import ImageStats


def load(base, name, dtype, shape):
    return np.fromfile(os.path.join(base, name), dtype=dtype).reshape(shape)


def bilinear_callback(pixmap):
    h, w, _ = pixmap.shape

    def forward(x, y):
        u = np.asarray(x, np.float64) - 1.0
        v = np.asarray(y, np.float64) - 1.0
        i0 = np.clip(np.trunc(u).astype(int), 0, w - 2)
        j0 = np.clip(np.trunc(v).astype(int), 0, h - 2)
        fx = u - i0
        fy = v - j0
        out = (pixmap[j0, i0] * ((1 - fx) * (1 - fy))[:, None] + pixmap[j0, i0 + 1] * (fx * (1 - fy))[:, None]
               + pixmap[j0 + 1, i0] * ((1 - fx) * fy)[:, None] + pixmap[j0 + 1, i0 + 1] * (fx * fy)[:, None])
        return out[:, 0] + 1.0, out[:, 1] + 1.0

    return forward


def run_tdriz(base, case):
    sci = np.zeros((case["height"], case["width"]), np.float32)
    wht = np.zeros_like(sci)
    ctx = np.zeros(sci.shape, np.int32)
    counts = []
    for add in case["adds"]:
        shape = (add["height"], add["width"])
        insci = load(base, add["input"], "<f4", shape)
        inwht = load(base, add["weights"], "<f4", shape) if add.get("weights") else np.ones(shape, np.float32)
        pixmap = load(base, add["pixmap"], "<f8", shape + (2,))
        kw = add["kw"]
        _, nmiss, nskip = cdriz.tdriz(
            insci, inwht, sci, wht, ctx, kw.get("uniqid", 1), 0, 1, 1, shape[0], kw.get("scale", 1.0), 1.0, 1.0,
            "center", kw.get("pixfrac", 1.0), kw.get("kernel", "square"), "cps", 1.0, kw.get("wtscale", 1.0),
            kw.get("fillstr", "INDEF"), 0, 0, 1, bilinear_callback(pixmap))
        counts.append([nmiss, nskip])
    return {"sci": sci, "wht": wht, "ctx": ctx}, {"counts": counts}


def run_combine(base, case):
    shape = (case["n"], case["height"], case["width"])
    data = load(base, case["images"], "<f4", shape)
    masks = None
    if case.get("weights"):
        weights = load(base, case["weights"], "<f4", shape)
        means = [ImageStats(w, lower=1e-8, fields="mean", nclip=0).mean * case["maskpt"] for w in weights]
        masks = np.less(weights, np.asarray(means)[:, None, None]).astype(np.uint8)
    out = numcombine.num_combine(data, masks=masks, combination_type=case["type"], nlow=case.get("nlow", 0),
                                 nhigh=case.get("nhigh", 0), upper=case.get("upper"), lower=case.get("lower"))
    arrays = {"combined": out.astype(np.float32)}
    if masks is not None:
        arrays["masks"] = masks
    return arrays, {}


def run_qderiv(base, case):
    image = load(base, case["image"], "<f4", (case["height"], case["width"]))
    return {"deriv": quickDeriv.qderiv(image)}, {}


def source_lines(function, first, last):
    """The lines of `function` from the one holding `first` up to the one holding `last` (excluded), dedented."""
    lines = inspect.getsource(function).splitlines()
    start = next(n for n, line in enumerate(lines) if first in line)
    end = next(n for n, line in enumerate(lines) if last in line and n > start)
    body = lines[start:end]
    indent = min(len(line) - len(line.lstrip()) for line in body if line.strip())
    return "\n".join(line[indent:] for line in body)


def run_drizcr(base, case):
    shape = (case["height"], case["width"])
    scope = {
        "np": np, "signal": signal,
        "input_image": load(base, case["input"], "<f4", shape), "blot_data": load(base, case["blot"], "<f4", shape),
        "gain": case["gain"], "rn": case["readNoise"], "backg": case["sky"],
        "snr1": case["snr"][0], "snr2": case["snr"][1], "mult1": case["scale"][0], "mult2": case["scale"][1],
        "grow": case["grow"], "ctegrow": case["ctegrow"],
        "sci_chip": type("Chip", (), {"cte_dir": case["cteDirection"]}),
    }
    scope["blot_deriv"] = quickDeriv.qderiv(scope["blot_data"])
    exec(source_lines(drizCR._driz_cr, "COMPUTATION PART I ", "Apply CR mask"), scope)
    return {"mask": scope["cr_mask"].astype(np.uint8)}, {}


def run_stats(base, case):
    image = load(base, case["image"], "<f4", (case["height"], case["width"]))
    kw = {k: case[k] for k in ("lower", "upper", "nclip", "lsig", "usig", "binwidth") if k in case}
    s = ImageStats(image, fields="npix,min,max,mean,stddev,mode,median,midpt", **kw)
    values = {k: float(getattr(s, k)) for k in ("npix", "min", "max", "mean", "stddev", "mode", "median", "midpt")}
    return {}, {"stats": {**values, "nbins": int(len(s.histogram))}}


def run_static(base, case):
    chips = load(base, case["images"], "<f4", (case["n"], case["height"], case["width"]))
    module = importlib.import_module("drizzlepac.staticMask")  # the package exports a function of that name
    lines = source_lines(module.staticMask.addMember, "stats = ImageStats", "del chipimage")
    signature = "chip"
    scope = {"np": np, "ImageStats": ImageStats, "log": type("Log", (), {"info": staticmethod(lambda *a: None)}),
             "signature": signature, "self": type("Self", (), {"static_sig": case["staticSig"],
                                                              "masklist": {signature: np.ones(chips.shape[1:], np.int16)}})}
    for chip in chips:
        exec(lines, {**scope, "chipimage": chip})
    return {"mask": scope["self"].masklist[signature]}, {}


class SkyMember:
    """What skypac's _minsky reads of a SkyLineMember."""

    def __init__(self, data, good, conv, name):
        self.image_data, self.mask_data, self.conv, self.id = data, good, conv, name
        self.skyuser_delta = 0.0

    def free_mask_data(self):
        pass

    def data2brightness(self, value):
        return self.conv * value

    def brightness2data(self, value):
        return value / self.conv


def run_sky(base, case):
    from stsci.skypac import skymatch
    from stsci.skypac.skystatistics import SkyStats

    n, chips, h, w = case["n"], case["chips"], case["height"], case["width"]
    data = load(base, case["images"], "<f4", (n, chips, h, w))
    good = load(base, case["good"], "u1", (n, chips, h, w))
    stat = SkyStats(skystat=case["skystat"], lower=case.get("skylower"), upper=case.get("skyupper"),
                    nclip=case["skyclip"], lsig=case["skylsigma"], usig=case["skyusigma"], binwidth=case["skywidth"])
    log = type("Log", (), {"warning": staticmethod(lambda *a: None)})
    lines = []
    for i in range(n):
        members = [SkyMember(data[i, c], good[i, c], case["conv"][i][c], f"{i}.{c}") for c in range(chips)]
        lines.append((members, skymatch._minsky(type("SkyLine", (), {"members": members}), stat, log)))
    found = [b for _, b in lines if b is not None]
    least = min(found) if found else 0.0
    values = [[m.brightness2data((least if case["method"] == "globalmin" else (b or 0.0))) for m in members]
              for members, b in lines]
    return {}, {"sky": values}


def run_scan(base, case):
    from stsci.skypac import region

    mask = np.zeros((case["height"], case["width"]), dtype=bool)
    for xs, ys in case["polygons"]:
        sparse_x, sparse_y = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
        ivert = list(zip(*[list(map(round, sparse_x)), list(map(round, sparse_y))]))
        mask = region.Polygon(True, ivert).scan(mask)
    return {"mask": mask.astype(np.uint8)}, {}


def run_deltas(base, case):
    from stsci.skypac import skymatch

    a, w = np.asarray(case["A"], dtype=float), np.asarray(case["W"], dtype=float)
    skymatch._overlap_matrix = lambda skylines, skystat: (a, w)
    log = type("Log", (), {"warning": staticmethod(lambda *args: None)})
    deltas = skymatch._find_optimum_sky_deltas(list(range(len(a))), None, log)
    return {"deltas": np.where(np.isfinite(deltas), deltas, -999.0)}, {}


RUNNERS = {"tdriz": run_tdriz, "combine": run_combine, "qderiv": run_qderiv, "drizcr": run_drizcr,
           "stats": run_stats, "static": run_static, "sky": run_sky,
           "scan": run_scan, "deltas": run_deltas}

if __name__ == "__main__":
    spec_path = sys.argv[1]
    base = os.path.dirname(spec_path)
    results = []
    for n, case in enumerate(json.load(open(spec_path))["cases"]):
        arrays, meta = RUNNERS[case["op"]](base, case)
        for name, array in arrays.items():
            array.tofile(os.path.join(base, f"{n}.{name}"))
        results.append({"arrays": {k: str(v.dtype) for k, v in arrays.items()}, **meta})
    print(json.dumps(results))
