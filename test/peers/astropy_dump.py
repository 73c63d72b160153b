"""Independent oracle: what astropy sees in FITS files, as JSON on stdout.

usage: astropy_dump.py [--data] FILE...
For each file: its HDUs (astropy class, EXTNAME, EXTVER, dimensions as fitsinfo prints them,
card count) and every card (keyword, value, comment). With --data also a digest of each image's
pixels and each table's columns.
"""
import hashlib
import json
import sys
import warnings

import numpy as np
from astropy.io import fits

warnings.simplefilter("ignore")


def value_json(value):
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, np.integer)):
        return {"int": str(int(value))}
    if isinstance(value, (float, np.floating)):
        return {"float": repr(float(value))}
    if isinstance(value, complex):
        return {"complex": [repr(value.real), repr(value.imag)]}
    if isinstance(value, str):
        return value
    return {"undefined": True}


def array_digest(arr):
    a = np.ascontiguousarray(arr)
    if a.dtype.kind in "iuf":
        a = a.astype(a.dtype.newbyteorder("<"))
    return {"dtype": a.dtype.str.lstrip("<>|="), "shape": list(a.shape), "sha1": hashlib.sha1(a.tobytes()).hexdigest()}


def hdu_json(hdu, with_data):
    info = hdu._summary()
    out = {
        "name": hdu.name,
        "ver": hdu.ver,
        "class": type(hdu).__name__,
        "dims": list(info[4]) if isinstance(info[4], tuple) else info[4],
        "ncards": len(hdu.header),
        "cards": [[c.keyword, value_json(c.value), c.comment] for c in hdu.header.cards],
    }
    if with_data and hdu.data is not None:
        if isinstance(hdu, (fits.ImageHDU, fits.PrimaryHDU, fits.CompImageHDU)):
            out["data"] = array_digest(hdu.data)
        elif isinstance(hdu, (fits.BinTableHDU, fits.TableHDU)):
            out["columns"] = {}
            for col in hdu.columns:
                values = hdu.data[col.name]
                if values.dtype.kind == "O":
                    out["columns"][col.name] = [np.asarray(v).tolist() for v in values]
                elif values.dtype.kind in "SU":
                    out["columns"][col.name] = np.char.rstrip(values.astype("U")).tolist()
                else:
                    digest = array_digest(values)
                    flat = np.asarray(values).ravel()
                    if flat.size <= 1000:
                        digest["values"] = [str(v) for v in flat.tolist()]
                    out["columns"][col.name] = digest
    return out


def main():
    args = sys.argv[1:]
    with_data = "--data" in args
    files = [a for a in args if a != "--data"]
    result = {}
    for path in files:
        with fits.open(path, uint=True) as hdul:
            result[path] = [hdu_json(h, with_data) for h in hdul]
    json.dump(result, sys.stdout)


main()
