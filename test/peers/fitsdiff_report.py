"""What astropy's FITSDiff finds between two files, as JSON, for comparison with `caldp fits diff --json`.

usage: fitsdiff_report.py '<options as JSON: FITSDiff keyword arguments>' a.fits b.fits
"""

import json
import sys

from astropy.io import fits


def header_report(h):
    return {
        "onlyInA": list(h.diff_keywords[0]) if h.diff_keywords else [],
        "onlyInB": list(h.diff_keywords[1]) if h.diff_keywords else [],
        "repeats": sorted(h.diff_duplicate_keywords),
        "values": sorted(
            [k, i] for k, vals in h.diff_keyword_values.items() for i, v in enumerate(vals) if v is not None
        ),
        "comments": sorted(
            [k, i] for k, vals in h.diff_keyword_comments.items() for i, v in enumerate(vals) if v is not None
        ),
    }


def data_report(d):
    if d is None or d.identical:
        return None
    if isinstance(d, fits.diff.TableDataDiff):
        return {
            "kind": "table",
            "rows": list(d.diff_rows) if d.diff_rows else None,
            "onlyInA": list(d.diff_column_names[0]) if d.diff_column_names else [],
            "onlyInB": list(d.diff_column_names[1]) if d.diff_column_names else [],
            "total": int(d.diff_total),
            "first": [[name, int(row)] for (name, row), _ in d.diff_values],
        }
    if isinstance(d, fits.diff.RawDataDiff):
        return {
            "kind": "raw",
            "dimensions": [[x] for x in d.diff_dimensions] if d.diff_dimensions else None,
            "total": int(d.diff_total),
            "first": [[int(i)] for i, _ in d.diff_bytes],
        }
    return {
        "kind": "image",
        "dimensions": [list(reversed(x)) for x in d.diff_dimensions] if d.diff_dimensions else None,
        "total": int(d.diff_total),
        "first": [[int(x) + 1 for x in reversed(idx)] for idx, _ in d.diff_pixels],
    }


def main():
    options = json.loads(sys.argv[1])
    diff = fits.FITSDiff(sys.argv[2], sys.argv[3], **options)
    hdus = []
    for idx, hdu_diff, _name, _ver in diff.diff_hdus:
        hdus.append(
            {
                "index": idx,
                "header": header_report(hdu_diff.diff_headers),
                "data": data_report(hdu_diff.diff_data),
            }
        )
    print(json.dumps({"identical": diff.identical, "hduCount": diff.diff_hdu_count or None, "hdus": hdus}))


main()
