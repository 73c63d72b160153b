"""An independent reading of an IDCTAB for the updatewcs test: for each job {idctab, filter1, filter2, chip,
date_obs, points} picks the forward row as the IDCTAB documents it (CLEAR* filters as CLEAR, DETCHIP, DIRECTION),
applies ACS/WFC's 2015 time-dependent skew to the linear terms (TDD_CXB/CTB/CYB<chip> x years since TDD_DATE,
year = day of year / 365.25 + year) and prints the V2/V3 offsets (arcsec) of the points (pixel offsets from
XREF/YREF) with the linear terms and the reference values, as JSON."""
import datetime
import json
import sys

from astropy.io import fits

out = []
for job in json.load(sys.stdin):
    with fits.open(job["idctab"]) as f:
        ph, t = f[0].header, f[1].data
        clear = lambda s: "CLEAR" if s.strip().startswith("CLEAR") else s.strip()
        rows = [r for r in t if r["DIRECTION"].strip().lower() == "forward" and int(r["DETCHIP"]) == job["chip"]
                and clear(r["FILTER1"]) == clear(job["filter1"]) and clear(r["FILTER2"]) == clear(job["filter2"])]
        row = rows[0]
        norder = ph["NORDER"]
        cx = {(n, m): float(row[f"CX{n}{m}"]) for n in range(1, norder + 1) for m in range(n + 1)}
        cy = {(n, m): float(row[f"CY{n}{m}"]) for n in range(1, norder + 1) for m in range(n + 1)}
        d = datetime.date.fromisoformat(job["date_obs"])
        year = d.timetuple().tm_yday / 365.25 + d.year
        dt = year - ph["TDD_DATE"]
        chip = job["chip"]
        cx[1, 1] += ph.get(f"TDD_CXB{chip}", 0) * dt
        cy[1, 1] += ph.get(f"TDD_CTB{chip}", 0) * dt
        cy[1, 0] += ph.get(f"TDD_CYB{chip}", 0) * dt
        poly = lambda c, x, y: sum(v * x ** m * y ** (n - m) for (n, m), v in c.items())
        out.append({
            "v2v3": [[poly(cx, x, y), poly(cy, x, y)] for x, y in job["points"]],
            "linear": [cx[1, 0], cx[1, 1], cy[1, 0], cy[1, 1]],
            "ref": [float(row["XREF"]), float(row["YREF"]), float(row["V2REF"]), float(row["V3REF"]), float(row["SCALE"])],
        })
json.dump(out, sys.stdout)
