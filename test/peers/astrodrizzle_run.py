"""AstroDrizzle itself (drizzlepac 3.6.2) on a folder of flt files, for the end-to-end fingerprints.

  astrodrizzle_run.py FOLDER ASN PARAMETERS_JSON   runs AstroDrizzle(ASN) in FOLDER with those parameters, the
                                                   intermediates kept (clean=False): <asn>_drz.fits, the _crmask

Run with the python of a drizzlepac venv built outside the repository (docs/stack.md §9). updatewcs is off (the
flt already carry the distortion WCS caldp updatewcs wrote), one core, files on disk, the flt DQ updated in place
as AstroDrizzle does (the caller gives it copies).
"""
import json
import os
import sys
import warnings

warnings.filterwarnings("ignore")
from drizzlepac import astrodrizzle  # noqa: E402


def value(text):
    """A parameter as AstroDrizzle takes it: numbers as numbers, yes/no as booleans, pairs ("3.5 3.0") and names
    as text."""
    if text.lower() in ("yes", "no"):
        return text.lower() == "yes"
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def main(folder, asn, parameters):
    os.chdir(folder)
    pars = dict(updatewcs=False, build=True, clean=False, context=True, in_memory=False, num_cores=1,
                preserve=False, restore=False, resetbits=0, runfile="astrodrizzle.log")
    pars.update({k: value(v) for k, v in json.loads(parameters).items()})
    astrodrizzle.AstroDrizzle(asn, output=asn.replace("_asn.fits", ""), **pars)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3])
