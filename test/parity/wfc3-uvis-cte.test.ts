/**
 * Our calwf3 with PCTECORR = PERFORM against calwf3.e's recorded fingerprints of the same simulated full-frame
 * UVIS CR-SPLIT ×2 with CTE trails (fingerprints/wfc3-uvis-cte-crsplit2.json: sampled pixels of _flt, _crj,
 * _flc, _crc; not the headers, where the UVIS products differ from calwf3.e's in keywords that are not CTE's:
 * SIZAXISn, PHOT* and PHTRATIO, EXPSCORR, the sink-pixel HISTORY line, the _crj's EXPNAME and DARKTIME).
 * Two full-frame WF3CTE runs take minutes on 2 cores (calwf3.e's too), so it runs in CI (CI=true) or with
 * CALDP_PARITY_SLOW=1, as the other full-frame UVIS case.
 */
import { slowTestSkip } from "../helpers/slow.js";
import { parityTest } from "./parity-test.js";

parityTest("wfc3-uvis-cte-crsplit2", { skip: slowTestSkip() });
