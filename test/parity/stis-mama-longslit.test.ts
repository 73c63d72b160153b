// The FUV-MAMA G140L long-slit case against cs0.e's recorded run (stis-mama-longslit-parity.ts).
import { mamaLongSlitParity } from "./stis-mama-longslit-parity.js";

mamaLongSlitParity("FUV-MAMA");
