// The NUV-MAMA G230L long-slit case (the dark scaled by the TDCTAB, OM2CAT) against cs0.e's recorded run
// (stis-mama-longslit-parity.ts).
import { mamaLongSlitParity } from "./stis-mama-longslit-parity.js";

mamaLongSlitParity("NUV-MAMA");
