"""numpy side of bench/wfc3-calibration.ts (IR): WF3IR on one WFC3/IR MultiAccum exposure, vectorised,
on the same raw file and reference files calwf3 uses.

usage: wfc3_ir_ramp.py RAW REFDIR OUTDIR
       wfc3_ir_ramp.py --compare FLT_A FLT_B   (the fraction of SCI pixels that agree within 0.1 %)

The reference files are the raw's BPIXTAB, CCDTAB, OSCNTAB, NLINFILE, DARKFILE, PFLTFILE and CRREJTAB,
found in REFDIR (the iref$ folder). Every step works on whole (reads, rows, columns) cubes; the
up-the-ramp fit works on blocks of rows (all pixels of a block at once, samples along the first axis):

  DQICORR (BPIXTAB) -> ZSIGCORR (super-zero read, significance, saturation in reads 0/1) -> BLEVCORR
  (resistant mean of the reference pixels per read) -> ZOFFCORR -> noise model -> NLINCORR (polynomial,
  saturation carried to later reads) -> DARKCORR (dark imset of the same SAMPTIME) -> UNITCORR ->
  CRCORR: per pass, an equal-weight line fit of every interval between cosmic rays, residuals in sigma,
  a one-sample spike (> 6 sigma above both neighbours) or else the largest jump between neighbours
  (> CRSIGMAS) flagged, repeated on the pixels that changed until none do (the fourth jump marks the pixel
  unstable: last-good-sample slope); then the final fit of each interval with the SNR-dependent
  "optimum" weights (exponent 0 ... 10 of |k - mid| / mid), slope errors from read noise, dark and
  Poisson terms, intervals combined by inverse variance -> FLATCORR of every read and the result.
Writes <root>_ima.fits (all reads, SCI/ERR/DQ/SAMP/TIME) and <root>_flt.fits (border trimmed).
Prints JSON with the step times and the number of pixels with a jump.
"""
import json
import os
import sys
import time
import warnings

import numpy as np
from astropy.io import fits
from astropy.table import Table

warnings.simplefilter("ignore")
DETECTORPROB, UNSTABLE, SATPIXEL, SPIKE, ZEROSIG, DATAREJECT = 4, 32, 256, 1024, 2048, 8192
BLOCK_ROWS = 64
SPIKE_SIGMA = 6.0
MAX_CRS = 4
POWERS = np.array([0, 0.4, 1, 3, 6, 10], np.float32)
SNR_EDGES = np.array([5, 10, 20, 50, 100], np.float32)


def data_of(hdu, shape, dtype):
    """Pixels of an extension; a constant-value extension (NPIX1/PIXVALUE) is expanded."""
    if hdu.data is not None:
        return np.asarray(hdu.data, dtype=dtype)
    return np.full(shape, hdu.header.get("PIXVALUE", 0), dtype=dtype)


def read_multiaccum(path, with_samp=True, with_headers=True):
    """SCI/ERR/DQ/TIME cubes with the zeroth read first, SAMPTIME per read and the headers."""
    with fits.open(path, memmap=False) as hdul:
        versions = sorted((h.ver for h in hdul if h.name == "SCI"), reverse=True)
        shape = hdul["SCI", versions[0]].data.shape
        n = len(versions)
        cube = {k: np.empty((n,) + shape, t) for k, t in (("sci", np.float32), ("err", np.float32), ("time", np.float32))}
        cube["dq"] = np.empty((n,) + shape, np.uint16)
        samp = np.empty((n,) + shape, np.int16) if with_samp else None
        samptime = np.empty(n)
        headers = []
        for k, v in enumerate(versions):
            cube["sci"][k] = data_of(hdul["SCI", v], shape, np.float32)
            cube["err"][k] = data_of(hdul["ERR", v], shape, np.float32)
            cube["dq"][k] = data_of(hdul["DQ", v], shape, np.int16).view(np.uint16)
            cube["time"][k] = data_of(hdul["TIME", v], shape, np.float32)
            if with_samp:
                samp[k] = data_of(hdul["SAMP", v], shape, np.int16)
            samptime[k] = hdul["SCI", v].header.get("SAMPTIME", 0.0)
            if with_headers:
                headers.append({e: hdul[e, v].header.copy() for e in ("SCI", "ERR", "DQ", "SAMP", "TIME")})
        return hdul[0].header.copy(), cube, samp, samptime, headers


def reference_path(refdir, value):
    return os.path.join(refdir, value.split("$")[-1])


def first_row(path):
    return Table.read(path, hdu=1)[0]


def resistant_mean(values, sigrej=3.0):
    """IDL's resistant_mean: clip by the MAD, then once more by the compensated sigma of the survivors."""

    def compensate(s):
        return s / (-0.15405 + 0.90723 * sigrej - 0.23584 * sigrej**2 + 0.020142 * sigrej**3)

    med = np.median(values)
    dev = np.abs(values - med)
    mad = np.median(dev) / 0.6745
    if mad < 1e-24:
        mad = dev.mean() / 0.8
    first = values[dev <= sigrej * mad]
    sigma = compensate(first.std(ddof=1))
    second = first[np.abs(first - np.median(first)) <= sigrej * sigma]
    return float(second.mean())


def quadrant_maps(ccd, ny, nx, border, ltv):
    """Per-pixel gain and read noise (amps A upper left, B lower left, C lower right, D upper right)."""
    sx = int(ccd["AMPX"] + ltv[0] - border[0])
    sy = int(ccd["AMPY"] + ltv[1] - border[2])
    gains = [float(ccd[f"ATODGN{a}"]) for a in "ABCD"]
    noise = [float(ccd[f"READNSE{a}"]) for a in "ABCD"]
    gain = np.empty((ny, nx), np.float32)
    rn = np.empty((ny, nx), np.float32)
    for q, (rows, cols) in enumerate(
        [(np.s_[sy:], np.s_[:sx]), (np.s_[:sy], np.s_[:sx]), (np.s_[:sy], np.s_[sx:]), (np.s_[sy:], np.s_[sx:])]
    ):
        gain[rows, cols] = gains[q]
        rn[rows, cols] = noise[q]
    return gain, rn


def noise(sci, gain, rn):
    return np.sqrt(rn * rn + np.abs(sci * gain)) / gain


def zsig_threshold(err, zerr, zsthresh=4.0):
    return np.float32(zsthresh) * np.sqrt(err * err + zerr * zerr)


def fit_intervals(t, y, e, use, seg, nseg, weights):
    """Weighted line fits of every interval (samples with use & seg == s) of every pixel: a, b, fit sigma."""
    a = np.zeros((nseg,) + y.shape[1:], np.float32)
    b = np.zeros_like(a)
    sig = np.zeros_like(a)
    for s in range(nseg):
        w = np.where(use & (seg == s), weights, 0).astype(np.float32)
        S = w.sum(0)
        Sx = (w * t).sum(0)
        Sy = (w * y).sum(0)
        Sxx = (w * t * t).sum(0)
        Sxy = (w * t * y).sum(0)
        denom = np.maximum(S * Sxx - Sx * Sx, 1e-6)
        ok = S > 0
        b[s] = np.where(ok, (S * Sxy - Sx * Sy) / denom, 0)
        a[s] = np.where(ok, (Sxx * Sy - Sx * Sxy) / denom, 0)
        sig[s] = np.where(ok, np.sqrt(S / denom), 0)
    return a, b, sig


def segment_ends(use, seg, nseg):
    """First and last used sample of each interval: their times, counts, errors, and the sample count."""
    n = use.shape[0]
    k = np.arange(n)[:, None]
    first = np.empty((nseg,) + use.shape[1:], np.int64)
    last = np.empty_like(first)
    count = np.empty_like(first)
    for s in range(nseg):
        m = use & (seg == s)
        count[s] = m.sum(0)
        first[s] = np.where(m, k, n).min(0)
        last[s] = np.where(m, k, -1).max(0)
    take = lambda arr, idx: np.take_along_axis(arr, np.clip(idx, 0, n - 1), 0)  # noqa: E731
    return first, last, count, take


def reject_pass(t, y, e, dq, use, seg, active, thresh, invrdns2):
    """One rejection pass on the active pixels: flags at most one spike or jump per pixel; returns the changed ones."""
    nseg = int(seg[:, active].max()) + 1 if active.any() else 1
    ta, ya, ea, ua, sa = t[:, active], y[:, active], e[:, active], use[:, active], seg[:, active]
    a, b, _ = fit_intervals(ta, ya, ea, ua, sa, nseg, invrdns2)
    counts = np.stack([(ua & (sa == s)).sum(0) for s in range(nseg)])
    fitted = np.take_along_axis(counts, sa.astype(np.int64), 0) >= 2
    ok = ua & fitted & (ea != 0)
    ai = np.take_along_axis(a, sa.astype(np.int64), 0)
    bi = np.take_along_axis(b, sa.astype(np.int64), 0)
    diff = np.where(ok, (ya - (ai + bi * ta)) / np.where(ea != 0, ea, 1), 0).astype(np.float32)
    # Neighbours among the used samples of the same interval: compress each pixel's used samples to the front.
    order = np.argsort(~ok, axis=0, kind="stable")
    d = np.take_along_axis(diff, order, 0)
    s_ord = np.take_along_axis(sa, order, 0)
    valid = np.take_along_axis(ok, order, 0)
    same_prev = valid[1:] & valid[:-1] & (s_ord[1:] == s_ord[:-1])
    # Spikes: d[k] above both neighbours by SPIKE_SIGMA, the neighbours negative.
    mid = same_prev[:-1] & same_prev[1:]
    spike = mid & (d[1:-1] - d[:-2] > SPIKE_SIGMA) & (d[1:-1] - d[2:] > SPIKE_SIGMA) & (d[:-2] < 0) & (d[2:] < 0)
    spike_score = np.where(spike, d[1:-1], -np.inf)
    spike_at = spike_score.argmax(0) + 1
    has_spike = spike.any(0)
    # Jumps: the largest |d[k] - d[k-1]| over the threshold.
    jump = np.where(same_prev, np.abs(d[1:] - d[:-1]), 0)
    jump_at = jump.argmax(0) + 1
    has_jump = ~has_spike & (jump.max(0) > thresh)
    cols = np.arange(d.shape[1])
    hit_spike = order[spike_at, cols]
    hit_jump = order[jump_at, cols]
    idx = np.flatnonzero(active)
    changed = np.zeros_like(active)
    sel = has_spike
    dq[hit_spike[sel], idx[sel]] |= SPIKE
    use[hit_spike[sel], idx[sel]] = False
    sel = has_jump
    dq[hit_jump[sel], idx[sel]] |= DATAREJECT
    changed[idx[has_spike | has_jump]] = True
    return changed, idx[has_jump], hit_jump[has_jump]


def fit_block(t, y, e, dq, thresh, badinpdq, gain):
    """CRCORR of a block of pixels: samples along axis 0 (zeroth read first). Returns rate, err, samp, time, curved."""
    n, p = y.shape
    rdns = np.float32(21.0 / gain)
    invrdns2 = np.float32(1.0 / (rdns * rdns))
    use = dq == 0
    use[0] = False
    none = ~use.any(0)
    if none.any():
        relaxed = (dq[:, none] & (badinpdq | DATAREJECT)) == 0
        relaxed[0] = False
        use[:, none] = relaxed
    seg = np.zeros((n, p), np.int8)
    crs = np.zeros(p, np.int8)
    curved = np.zeros(p, bool)
    active = use.sum(0) >= 2
    while active.any():
        changed, jumped, at = reject_pass(t, y, e, dq, use, seg, active, thresh, invrdns2)
        crs[jumped] += 1
        worn = jumped[crs[jumped] >= MAX_CRS]
        curved[worn] = True
        hit = crs[jumped] < MAX_CRS
        seg[:, jumped[hit]] += np.arange(n)[:, None] >= at[hit][None, :]
        active = changed & ~curved

    # Final fit: optimum weights per interval.
    nseg = int(seg.max()) + 1
    first, last, count, take = segment_ends(use, seg, nseg)
    y0, y1 = take(y, first), take(y, last)
    t0, t1 = take(t, first), take(t, last)
    e1 = take(e, last)
    snr = np.where(e1 > 0, (y1 - y0) / np.where(e1 > 0, e1, 1), 0)
    power = POWERS[np.searchsorted(SNR_EDGES, snr, side="right")]
    rank = np.zeros((n, p), np.float32)
    for s in range(nseg):
        m = use & (seg == s)
        rank = np.where(m, np.cumsum(m, 0) - 1, rank)
    seg64 = seg.astype(np.int64)
    half = np.take_along_axis((count - 1) / 2, seg64, 0).astype(np.float32)
    pw = np.take_along_axis(power, seg64, 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        weights = np.where(half > 0, np.abs(rank - half) / half, 1) ** pw * invrdns2
    _, b, fit_sigma = fit_intervals(t, y, e, use, seg, nseg, weights.astype(np.float32))
    dx = t1 - t0
    dy = y1 - y0
    ddg = dx * np.float32(0.036 / gain)
    with np.errstate(divide="ignore", invalid="ignore"):
        two = count == 2
        b = np.where(two, dy / dx, b)
        e0f = take(e, first) / t0
        e1f = e1 / t1
        sigb = np.where(two, np.sqrt(e0f * e0f + e1f * e1f), fit_sigma)
        terms = (gain * np.where(two, 0, fit_sigma) * dx) ** 2 + gain * ddg + gain * dy
        sigb = np.where(terms > 0, np.sqrt(terms) / dx / gain, sigb)
        single = count == 1
        b = np.where(single, y0 / t0, b)
        sigb = np.where(single, e0f, sigb)
        var = np.where(count > 0, sigb * sigb, 0)
        w = np.where(var > 0, 1 / var, 0)
        total = w.sum(0)
        rate = np.where(total > 0, (w * b).sum(0) / total, 0).astype(np.float32)
        err = np.where(total > 0, np.sqrt(1 / total), 1e5).astype(np.float32)
    samp = (count[0] + 1 + np.where(count[1:] > 0, count[1:] - 1, 0).sum(0)).astype(np.int16)
    tprev = np.take_along_axis(t, np.clip(first[0] - 1, 0, n - 1)[None], 0)[0]
    exptime = np.where(count > 1, dx, 0).sum(0) + np.where(count[0] > 0, t0[0] - tprev, 0)
    # Unstable pixels: the slope between the first and last good samples.
    if curved.any():
        k = np.arange(n)[:, None]
        good = (dq[:, curved] & (badinpdq | DATAREJECT | SPIKE)) == 0
        good[0] = False
        f = np.where(good, k, n).min(0).clip(0, n - 1)
        la = np.where(good, k, 0).max(0)
        cols = np.flatnonzero(curved)
        dt = t[la, cols] - t[f, cols]
        with np.errstate(divide="ignore", invalid="ignore"):
            rate[cols] = np.where(dt > 0, (y[la, cols] - y[f, cols]) / dt, 0)
            err[cols] = np.where(dt > 0, (e[la, cols] - e[f, cols]) / dt, 0)
        exptime[cols] = dt
    return rate, err, samp, exptime.astype(np.float32), curved


def divide_flat(sci, err, dq, flat, ferr, fdq, gain):
    with np.errstate(divide="ignore", invalid="ignore"):
        ok = flat != 0
        f = np.where(ok, flat, 1)
        ratio_err = err / f
        ref_err = ferr * sci / f / f
        sci[...] = np.where(ok, sci / f, sci) * gain
        err[...] = np.where(ok, np.sqrt(ratio_err**2 + ref_err**2), err) * gain
    dq |= fdq | np.where(ok, 0, 4).astype(np.uint16)


def write_groups(path, primary, groups):
    hdus = [fits.PrimaryHDU(header=primary)]
    for ver, (headers, sci, err, dq, samp, tim) in enumerate(groups, start=1):
        for name, data in (("SCI", sci), ("ERR", err), ("DQ", dq.view(np.int16)), ("SAMP", samp), ("TIME", tim)):
            h = headers[name].copy()
            for k in ("BSCALE", "BZERO", "NPIX1", "NPIX2", "PIXVALUE"):
                h.remove(k, ignore_missing=True)
            h["EXTVER"] = ver
            hdus.append(fits.ImageHDU(data, header=h, name=name, ver=ver))
    fits.HDUList(hdus).writeto(path, overwrite=True)


def main():
    raw, refdir, out = sys.argv[1:4]
    times = {}
    t = time.perf_counter()
    primary, cube, samp, samptime, headers = read_multiaccum(raw)
    sci, err, dq, tim = cube["sci"], cube["err"], cube["dq"], cube["time"]
    ref = {k: reference_path(refdir, primary[k]) for k in ("BPIXTAB", "CCDTAB", "OSCNTAB", "NLINFILE", "DARKFILE", "PFLTFILE", "CRREJTAB")}
    ccd = first_row(ref["CCDTAB"])
    osc = first_row(ref["OSCNTAB"])
    crr = [r for r in Table.read(ref["CRREJTAB"], hdu=1) if r["IRRAMP"]][0]
    thresh = float(str(crr["CRSIGMAS"]).split(",")[0])
    badinpdq = int(crr["BADINPDQ"])
    with fits.open(ref["NLINFILE"], memmap=False) as h:
        nlin = {
            "coef": np.stack([h["COEF", c + 1].data.astype(np.float32) for c in range(h[0].header.get("NCOEF", 4))]),
            "dq": data_of(h["DQ"], h["NODE"].data.shape, np.int16).view(np.uint16),
            "node": h["NODE"].data.astype(np.float32),
            "zsci": h["ZSCI"].data.astype(np.float32),
            "zerr": data_of(h["ZERR"], h["NODE"].data.shape, np.float32),
        }
    _, dark, _, dark_times, _ = read_multiaccum(ref["DARKFILE"], with_samp=False, with_headers=False)
    with fits.open(ref["PFLTFILE"], memmap=False) as h:
        shape = h["SCI"].data.shape
        flat = (h["SCI"].data.astype(np.float32), data_of(h["ERR"], shape, np.float32), data_of(h["DQ"], shape, np.int16).view(np.uint16))
    times["read"] = time.perf_counter() - t

    t = time.perf_counter()
    n, ny, nx = sci.shape
    bx0, bx1, by0, by1 = int(osc["TRIMX1"]), int(osc["TRIMX2"]), int(osc["TRIMY1"]), int(osc["TRIMY2"])
    inner = np.s_[by0 : ny - by1, bx0 : nx - bx1]
    ltv = (headers[-1]["SCI"].get("LTV1", 0), headers[-1]["SCI"].get("LTV2", 0))
    gain_map, rn_map = quadrant_maps(ccd, ny, nx, (bx0, bx1, by0, by1), ltv)
    mean_gain = float(np.mean([ccd[f"ATODGN{a}"] for a in "ABCD"]))
    # DQICORR
    mask = np.zeros((ny, nx), np.uint16)
    for row in Table.read(ref["BPIXTAB"], hdu=1):
        x0, y0 = int(row["PIX1"]) - 1 + int(ltv[0]), int(row["PIX2"]) - 1 + int(ltv[1])
        length = int(row["LENGTH"])
        if row["AXIS"] == 1:
            mask[y0, max(x0, 0) : x0 + length] |= np.uint16(row["VALUE"])
        else:
            mask[max(y0, 0) : y0 + length, x0] |= np.uint16(row["VALUE"])
    dq |= mask
    zero_original = sci[0].copy()
    zero_time = tim[0].copy()
    # ZSIGCORR
    zsig = np.zeros((ny, nx), np.float32)
    zsig[inner] = sci[0][inner] - nlin["zsci"][inner]
    zerr = noise(zsig, gain_map, rn_map)
    significant = zsig >= zsig_threshold(zerr, nlin["zerr"])
    zsig = np.where(significant, zsig, 0).astype(np.float32)
    inside = np.zeros((ny, nx), bool)
    inside[inner] = True
    dq[0] |= np.where(significant & inside, ZEROSIG, 0).astype(np.uint16)
    sat0 = inside & (zsig > nlin["node"])
    sat1 = inside & ~sat0 & (sci[1] - nlin["zsci"] > nlin["node"])
    dq[0] |= np.where(sat0, SATPIXEL | ZEROSIG, 0).astype(np.uint16)
    dq[1] |= np.where(sat0 | sat1, SATPIXEL, 0).astype(np.uint16)
    sci[0] += np.where(inside, zsig, 0)
    # BLEVCORR: reference pixels of bias sections A and B.
    cols = [c for a, b in ((osc["BIASSECTA1"], osc["BIASSECTA2"]), (osc["BIASSECTB1"], osc["BIASSECTB2"])) for c in range(a - 1, b) if a > 0]
    meanblev = []
    for k in range(n):
        level = resistant_mean(sci[k][by0 : ny - by1][:, cols].ravel())
        sci[k] -= np.float32(level)
        meanblev.append(level)
    zero_original -= np.float32(resistant_mean(zero_original[by0 : ny - by1][:, cols].ravel()))
    # ZOFFCORR
    sci -= zero_original
    tim -= zero_time
    samptime = samptime - samptime[0]
    # noise model
    err[:, inner[0], inner[1]] = noise(sci[:, inner[0], inner[1]], gain_map[inner], rn_map[inner])
    # NLINCORR: saturation carries to every later read.
    dq[:, inner[0], inner[1]] |= nlin["dq"][inner]
    z = np.where(np.arange(n)[:, None, None] > 0, zsig, 0).astype(np.float32)
    s = sci + z
    saturated = np.logical_or.accumulate(((dq & SATPIXEL) != 0) | (s > nlin["node"]), axis=0)
    saturated[:, ~inside] = False
    c = nlin["coef"]
    correction = 1 + c[0] + s * (c[1] + s * (c[2] + s * c[3]))
    np.copyto(sci, s * correction - z, where=~saturated & inside)
    dq |= np.where(saturated, SATPIXEL, 0).astype(np.uint16)
    del s, z, correction, saturated
    # DARKCORR
    for k in range(n):
        d = int(np.argmin(np.abs(dark_times - samptime[k])))
        sci[k][inner] -= dark["sci"][d][inner]
        err[k][inner] = np.sqrt(err[k][inner] ** 2 + dark["err"][d][inner] ** 2)
        dq[k][inner] |= dark["dq"][d][inner]
    del dark
    # UNITCORR
    sampzero = samptime[1] - 0.020535
    with np.errstate(divide="ignore", invalid="ignore"):
        sci[0][inner] /= np.float32(sampzero)
        err[0][inner] /= np.float32(sampzero)
        t_in = tim[1:, inner[0], inner[1]]
        sci[1:, inner[0], inner[1]] = np.where(t_in != 0, sci[1:, inner[0], inner[1]] / t_in, 0)
        err[1:, inner[0], inner[1]] = np.where(t_in != 0, err[1:, inner[0], inner[1]] / t_in, 0)
    times["steps"] = time.perf_counter() - t

    # CRCORR in blocks of rows
    t = time.perf_counter()
    out_sci, out_err, out_dq = sci[-1].copy(), err[-1].copy(), dq[-1].copy()
    out_samp, out_time = samp[-1].copy(), tim[-1].copy()
    jumps = 0
    unstable = 0
    for j in range(by0, ny - by1, BLOCK_ROWS):
        rows = np.s_[j : min(j + BLOCK_ROWS, ny - by1), bx0 : nx - bx1]
        shape = sci[:, rows[0], rows[1]].shape
        tt = tim[:, rows[0], rows[1]].reshape(n, -1)
        yy = (sci[:, rows[0], rows[1]].reshape(n, -1) * tt).astype(np.float32)
        ee = (err[:, rows[0], rows[1]].reshape(n, -1) * tt).astype(np.float32)
        qq = (dq[:, rows[0], rows[1]].reshape(n, -1) & ~np.uint16(ZEROSIG)).astype(np.uint16)
        dq_or = np.bitwise_or.reduce(qq, axis=0) & ~np.uint16(SATPIXEL)
        rate, rerr, rsamp, rtime, curved = fit_block(tt, yy, ee, qq, thresh, badinpdq, mean_gain)
        zsat = (dq[1][rows].reshape(-1) & SATPIXEL) != 0
        rate = np.where(zsat, sci[0][rows].reshape(-1), rate)
        rerr = np.where(zsat, err[0][rows].reshape(-1), rerr)
        rsamp = np.where(zsat, 1, rsamp)
        rtime = np.where(zsat, sampzero, rtime)
        dq_or = np.where(zsat, dq[0][rows].reshape(-1) & ~np.uint16(ZEROSIG), np.where(curved, dq_or | UNSTABLE, dq_or))
        # DATAREJECT on every read after a hit, DETECTORPROB for spikes, back into the reads.
        rej = np.logical_or.accumulate((qq & DATAREJECT) != 0, axis=0)
        add = np.where(rej, DATAREJECT, 0) | np.where((qq & SPIKE) != 0, DETECTORPROB, 0)
        add = np.where(curved, UNSTABLE, add).astype(np.uint16)
        add[:, zsat] = 0
        dq[:, rows[0], rows[1]] |= add.reshape(shape)
        out_sci[rows], out_err[rows] = rate.reshape(shape[1:]), rerr.reshape(shape[1:])
        out_dq[rows], out_samp[rows], out_time[rows] = dq_or.reshape(shape[1:]), rsamp.reshape(shape[1:]), rtime.reshape(shape[1:])
        jumps += int(rej[-1].sum())
        unstable += int(curved.sum())
    times["crcorr"] = time.perf_counter() - t

    t = time.perf_counter()
    for k in range(n):
        divide_flat(sci[k], err[k], dq[k], *flat, mean_gain)
    divide_flat(out_sci, out_err, out_dq, *flat, mean_gain)
    times["flatcorr"] = time.perf_counter() - t

    t = time.perf_counter()
    root = primary["ROOTNAME"].strip().lower()
    groups = [(headers[k], sci[k], err[k], dq[k], samp[k], tim[k]) for k in range(n - 1, -1, -1)]
    write_groups(os.path.join(out, f"{root}_ima.fits"), primary, groups)
    flt = (headers[-1], out_sci[inner], out_err[inner], out_dq[inner], out_samp[inner], out_time[inner])
    write_groups(os.path.join(out, f"{root}_flt.fits"), primary, [flt])
    times["write"] = time.perf_counter() - t
    print(json.dumps({"times": times, "jumps": jumps, "unstable": unstable}))


def compare(a, b):
    with fits.open(a) as x, fits.open(b) as y:
        ours, theirs = x["SCI"].data.astype(np.float64), y["SCI"].data.astype(np.float64)
    within = np.abs(ours - theirs) <= 1e-3 * np.maximum(np.abs(ours), 1e-6)
    print(json.dumps({"within": float(within.mean())}))


if __name__ == "__main__":
    if sys.argv[1] == "--compare":
        compare(sys.argv[2], sys.argv[3])
    else:
        main()
