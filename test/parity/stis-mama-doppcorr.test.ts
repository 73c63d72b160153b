// The FUV-MAMA G140L long slit with DOPPCORR = PERFORM (DOPPON, DOPPZERO, DOPPMAG 5 high-res pixels, ORBITPER;
// a high-res flat) against cs0.e's recorded run: the dark and flat smeared along the dispersion, the BPIXTAB's
// runs widened, "DOPPCORR applied to DQICORR, DARKCORR, FLATCORR" (stis-mama-longslit-parity.ts).
import { mamaLongSlitParity } from "./stis-mama-longslit-parity.js";

mamaLongSlitParity("FUV-MAMA-DOPPCORR");
