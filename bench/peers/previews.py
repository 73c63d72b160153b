"""numpy + Pillow side of bench/previews.ts: the same fitscut stretch, timed in one process.

usage: previews.py FILE OUTDIR  -> prints {"seconds": s, "cpuSeconds": s, "maxRssKb": kb}
Reads every SCI chip (stacked bottom-up by descending CCDCHIP) with its DQ mask, then for the thumbnail
(128) and the full size: block average ignoring blanks, nearest resample, 50000-bin histogram cuts at
0.5/99.5 %, noise guard, asinh, truncation to bytes, rows flipped, Pillow JPEG at quality 75.
"""
import json
import resource
import sys
import time
import warnings

import numpy as np
from astropy.io import fits
from PIL import Image

warnings.simplefilter("ignore")
NBINS = 50000


def read(path):
    with fits.open(path, memmap=False) as hdul:
        chips = [h for h in hdul if h.name == "SCI" and h.data is not None]
        chips.sort(key=lambda h: -h.header.get("CCDCHIP", 0))
        planes, masks = [], []
        for h in chips:
            data = h.data.astype(np.float32)
            data[(data == 0) | ~np.isfinite(data)] = np.nan
            planes.append(data)
            dq = [d for d in hdul if d.name == "DQ" and d.ver == h.ver and d.data is not None]
            masks.append(dq[0].data != 0 if dq else np.zeros(data.shape, bool))
    return np.vstack(planes), np.vstack(masks)


def resize(data, mask, size):
    h, w = data.shape
    pixfac = max(w, h) // size
    if pixfac > 1:
        ph, pw = -(-h // pixfac) * pixfac, -(-w // pixfac) * pixfac
        padded = np.full((ph, pw), np.nan, np.float32)
        padded[:h, :w] = np.where(mask, np.nan, data)
        blocks = padded.reshape(ph // pixfac, pixfac, pw // pixfac, pixfac)
        data = np.nanmean(blocks, axis=(1, 3)).astype(np.float32)
        mask = np.zeros(data.shape, bool)
        h, w = data.shape
    if max(w, h) != size:
        zoom = size / w if w > h else size / h
        ow, oh = (size, max(1, round(zoom * h))) if w > h else (max(1, round(zoom * w)), size)
        cols = np.clip(np.floor((np.arange(ow) + 0.5) / zoom - 0.5 + 0.5).astype(int), 0, w - 1)
        rows = np.clip(np.floor((np.arange(oh) + 0.5) / zoom - 0.5 + 0.5).astype(int), 0, h - 1)
        data, mask = data[np.ix_(rows, cols)], mask[np.ix_(rows, cols)]
    return data, mask


def limits(values):
    low, high = float(values.min()), float(values.max())
    for _ in range(64):
        step = (high - low) / (NBINS - 1)
        idx = np.where(values < low, 0, np.where(values > high, NBINS - 1, np.ceil((values - low) / step) if step > 0 else 0))
        hist = np.bincount(idx.astype(np.int64), minlength=NBINS + 1)
        n = values.size
        cut = int(n * 0.5 / 100)
        cum = np.cumsum(hist)
        ll = int(np.argmax(cum > cut))
        hh = int(NBINS - np.argmax(np.cumsum(hist[::-1]) > cut))
        mm = int(np.argmax(cum > int(n * 0.5))) if hh != ll else ll
        vmin = low + step * (ll - 1)
        vmax = high if hh == NBINS - 1 else low + step * hh
        if ll + 10 >= hh:
            inside = values[(values >= low) & (values <= high)]
            if inside.min() != inside.max():
                low, high = max(float(inside.min()), vmin), min(float(inside.max()), vmax)
                continue
        median = low + step * (mm - 0.5)
        return vmin, max(vmax, median + 5 * (median - vmin))
    return vmin, vmax


def grey(data, mask):
    values = data[np.isfinite(data) & ~mask]
    vmin, vmax = limits(values)
    t = ((data - vmin) / (vmax - vmin)).astype(np.float32)
    y = np.minimum(np.arcsinh(3 * t) / 3, 1).astype(np.float32)
    g = np.clip(np.float32(255 / 0.7) * y, 0, 255)
    g[~np.isfinite(g)] = 255
    return g.astype(np.uint8)[::-1]


def main():
    path, out = sys.argv[1], sys.argv[2]
    t0, c0 = time.perf_counter(), time.process_time()
    data, mask = read(path)
    for suffix, size in (("_thumb", 128), ("", -1)):
        d, m = resize(data, mask, size) if size > 0 else (data, mask)
        Image.fromarray(grey(d, m), "L").save(f"{out}/peer{suffix}.jpg", quality=75)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": seconds, "cpuSeconds": cpu, "maxRssKb": rss}))


main()
