"""calcos side of bench/cos-timetag.ts: runs calcos' own main() with its TIME-TAG steps timed.

usage: <calcos venv>/bin/python calcos_stages.py [calcos options] RAWTAG
Each timed step prints `TIMETAG stage NAME: SECONDS s` (the format of caldp calcos --verbose) when it returns;
the steps are wrapped where timetag.py looks them up (module attributes), nothing else of calcos changes.
"""
import sys
import time

import calcos
from calcos import cosutil, timeline, timetag

STAGES = [
    (cosutil, "writeOutputEvents", "read"),
    (timetag, "doBadtcorr", "randcorr"),
    (timetag, "doRandcorr", "randcorr"),
    (timetag, "doTempcorr", "tempcorr"),
    (timetag, "doGeocorr", "geocorr"),
    (timetag, "doDgeocorr", "geocorr"),
    (timetag, "doXWalkcorr", "walkcorr"),
    (timetag, "doYWalkcorr", "walkcorr"),
    (timetag, "doPhacorr", "phacorr"),
    (timetag, "doBurstcorr", "brstcorr"),
    (timetag, "doDeadcorr", "deadcorr"),
    (timetag, "doFlatcorr", "flatcorr"),
    (timetag, "initHelcorr", "doppcorr"),
    (timetag, "doDoppcorr", "doppcorr"),
    (timetag, "noWavecal", "wavecorr"),
    (timetag, "updateFromWavecal", "wavecorr"),
    (timetag, "computeWavelengths", "wavecorr"),
    (timetag, "doDqicorr", "dqicorr"),
    (timetag, "writeImages", "images"),
    (timeline, "createTimeline", "timeline"),
]


def timed(module, name, label):
    step = getattr(module, name)

    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return step(*args, **kwargs)
        finally:
            print(f"TIMETAG stage {label}: {time.perf_counter() - start:.3f} s", flush=True)

    setattr(module, name, wrapper)


for module, name, label in STAGES:
    timed(module, name, label)
sys.exit(calcos.main(sys.argv[1:]))
