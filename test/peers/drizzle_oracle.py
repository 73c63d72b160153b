"""The drizzle oracle: python drizzle 1.13's C kernels (Debian python3-drizzle) on raw arrays, for the TS tests.

  drizzle_oracle.py spec SPEC.json     run the tdriz/tblot calls SPEC lists on raw files; write the outputs beside
  drizzle_oracle.py testdata CASE DIR  run the package's own test CASE (its real flt, WCS and reference file) with
                                       tdriz/tblot recorded: the arguments the C kernel got, its outputs, and the
                                       shipped reference image, as raw files in DIR

Raw files are little-endian C-order arrays: float32 images, float64 pixel maps (h, w, 2), int32 contexts.
"""
import json
import os
import sys

import numpy as np
from astropy import wcs
from astropy.io import fits
from drizzle import cdrizzle
from drizzle import drizzle as dz

DATA = os.environ.get("DRIZZLE_TEST_DIR", "/usr/share/python-drizzle/test_data")


def load(path, dtype, shape):
    return np.fromfile(path, dtype=dtype).reshape(shape)


def drizzle_frame(base, frame, n):
    w, h, planes = frame["width"], frame["height"], frame["planes"]
    sci = np.zeros((h, w), np.float32)
    wht = np.zeros((h, w), np.float32)
    ctx = np.zeros((planes, h, w), np.int32)
    counts = []
    for add in frame["adds"]:
        iw, ih = add["width"], add["height"]
        insci = load(os.path.join(base, add["input"]), "<f4", (ih, iw))
        inwht = (load(os.path.join(base, add["weights"]), "<f4", (ih, iw)) if add.get("weights")
                 else np.ones((ih, iw), np.float32))
        pixmap = load(os.path.join(base, add["pixmap"]), "<f8", (ih, iw, 2))
        plane = (add["kw"].get("uniqid", 1) - 1) // 32
        _, nmiss, nskip = cdrizzle.tdriz(insci, inwht, pixmap, sci, wht, ctx[plane], **add["kw"])
        counts.append([nmiss, nskip])
    sci.tofile(os.path.join(base, f"sci{n}.f32"))
    wht.tofile(os.path.join(base, f"wht{n}.f32"))
    ctx.tofile(os.path.join(base, f"ctx{n}.i32"))
    return counts


def run_spec(spec_path):
    spec = json.load(open(spec_path))
    base = os.path.dirname(spec_path)
    results = []
    if spec["op"] == "drizzle":
        for n, frame in enumerate(spec["frames"]):
            results.append(drizzle_frame(base, frame, n))
    else:
        iw, ih, ow, oh = spec["width"], spec["height"], spec["outWidth"], spec["outHeight"]
        source = load(os.path.join(base, spec["input"]), "<f4", (ih, iw))
        pixmap = load(os.path.join(base, spec["pixmap"]), "<f8", (oh, ow, 2))
        out = np.zeros((oh, ow), np.float32)
        cdrizzle.tblot(source, pixmap, out, **spec["kw"])
        out.tofile(os.path.join(base, "blot.f32"))
    print(json.dumps({"counts": results}))


def grid_image(shape, spacing, value):
    image = np.zeros(shape, np.float32)
    half = spacing // 2
    image[half::spacing, half::spacing] = value
    return image


def point_image(shape, point, value):
    image = np.zeros(shape, np.float32)
    image[point] = value
    return image


def read(name):
    with fits.open(os.path.join(DATA, name)) as hdul:
        return hdul[1].data.astype(np.float32), wcs.WCS(hdul[1].header)


def run_testdata(case, out_dir):
    """The flows of drizzle/tests/test_drizzle.py, e.g. square_grid, square_point, blot_default, blot_lan3."""
    kind, _, what = case.partition("_")
    flt, flt_wcs = read("j8bt06nyq_flt.fits")
    reference, ref_wcs = read(f"reference_{case}.fits")
    calls = []
    real_tdriz, real_tblot = cdrizzle.tdriz, cdrizzle.tblot

    def tdriz(insci, inwht, pixmap, outsci, outwht, outcon, **kw):
        args = [np.array(a, copy=True) for a in (insci, inwht, pixmap)]
        result = real_tdriz(insci, inwht, pixmap, outsci, outwht, outcon, **kw)
        calls.append(("drizzle", args, kw, [outsci.copy(), outwht.copy(), outcon.copy()]))
        return result

    def tblot(source, pixmap, out, **kw):
        args = [np.array(source, np.float32, copy=True), np.array(pixmap, copy=True)]
        result = real_tblot(source, pixmap, out, **kw)
        calls.append(("blot", args, kw, [out.copy()]))
        return result

    cdrizzle.tdriz, cdrizzle.tblot = tdriz, tblot
    if kind == "blot":
        driz = dz.Drizzle(outwcs=flt_wcs)
        driz.outsci = (point_image(flt.shape, (500, 200), 40.0) if what == "point"
                       else grid_image(flt.shape, 64, 100.0))
        interp = {"default": "poly5", "point": "poly5"}.get(what, what)
        driz.blot_image(ref_wcs, interp=interp)
    else:
        insci = {"point": point_image(flt.shape, (500, 200), 100.0), "grid": grid_image(flt.shape, 64, 100.0),
                 "image": flt}[what]
        kernel = {"lanczos": "lanczos3"}.get(kind, kind)
        driz = dz.Drizzle(outwcs=ref_wcs, wt_scl="", kernel=kernel)
        driz.add_image(insci, flt_wcs, inwht=np.ones(insci.shape, np.float32))
    cdrizzle.tdriz, cdrizzle.tblot = real_tdriz, real_tblot
    (op, args, kw, outputs), = calls
    names = ["input", "weights", "pixmap"] if op == "drizzle" else ["input", "pixmap"]
    for name, array in zip(names, args):
        array.tofile(os.path.join(out_dir, name + (".f8" if array.dtype == np.float64 else ".f4")))
    for name, array in zip(["sci", "wht", "ctx"] if op == "drizzle" else ["blot"], outputs):
        array.tofile(os.path.join(out_dir, name + ".c"))
    reference.tofile(os.path.join(out_dir, "reference.f4"))
    meta = {"op": op, "kw": {k: (v.decode() if isinstance(v, bytes) else v) for k, v in kw.items()},
            "input": list(args[0].shape), "output": list(outputs[0].shape)}
    print(json.dumps(meta))


if __name__ == "__main__":
    if sys.argv[1] == "spec":
        run_spec(sys.argv[2])
    else:
        run_testdata(sys.argv[2], sys.argv[3])
