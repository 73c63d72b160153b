"""python drizzle's calc_pixmap, the oracle of the pixel map: argv = input file, its HDU, output file, its HDU,
the raw float64 little-endian file to write the (height, width, 2) map to."""
import sys
import warnings

from astropy.io import fits
from astropy.wcs import WCS
from drizzle.calc_pixmap import calc_pixmap

warnings.simplefilter("ignore")
src, src_hdu, dst, dst_hdu, out = sys.argv[1:]
with fits.open(src) as a, fits.open(dst) as b:
    first = WCS(a[int(src_hdu)].header, a, naxis=2)
    first.pixel_shape = (a[int(src_hdu)].header["NAXIS1"], a[int(src_hdu)].header["NAXIS2"])
    second = WCS(b[int(dst_hdu)].header, b, naxis=2)
    calc_pixmap(first, second).astype("<f8").tofile(out)
