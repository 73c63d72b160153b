"""astropy side of bench/fits-io.ts: time one read or write of a FITS file, print JSON.

usage: fits_io.py read FILE [--native] | fits_io.py write FILE TARGET [--checksum] [--native]
read: open with memmap off and load every HDU's data in physical units (uint16 for BZERO=32768).
write: load FILE into memory first (untimed), then time HDUList.writeto(TARGET).
--native: arrays in the machine's byte order, as after any computation (astropy otherwise keeps
the file's big-endian arrays, so its plain read and write skip the byte swap that caldp always does).
"""
import json
import resource
import sys
import time
import warnings

from astropy.io import fits

warnings.simplefilter("ignore")


def load(path, native):
    hdul = fits.open(path, memmap=False, uint=True)
    for hdu in hdul:
        if hdu.data is not None and native:
            hdu.data = hdu.data.astype(hdu.data.dtype.newbyteorder("="))
    return hdul


def main():
    op, path = sys.argv[1], sys.argv[2]
    native = "--native" in sys.argv
    if op == "read":
        t0 = time.perf_counter()
        hdul = load(path, native)
        seconds = time.perf_counter() - t0
        hdul.close()
    else:
        hdul = load(path, native)
        target = sys.argv[3]
        t0 = time.perf_counter()
        hdul.writeto(target, overwrite=True, checksum="--checksum" in sys.argv)
        seconds = time.perf_counter() - t0
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": seconds, "maxRssKb": peak_kb}))


main()
