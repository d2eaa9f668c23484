"""The sizes the oracle draws and the padded shape its reference engine compiles for, in one place.

A case has depth 1..MAX_DEPTH, widths 1..MAX_WIDTH, a single example or a batch of 1..MAX_BATCH, and weights
scale * N(0, 1) with scale in [MIN_SCALE, MAX_SCALE]. The engine pads every case to MAX_DEPTH layers of
P x P (P the narrowest of WIDTHS that fits) and MAX_BATCH rows, and runs CHUNK cases per compiled call.
"""

MAX_DEPTH, MAX_WIDTH, MAX_BATCH = 6, 64, 16
MIN_SCALE, MAX_SCALE = 0.25, 4.0
# Saturating cases (cases.draw_saturated_cases), one in SATURATED_SHARE of a default run: weight scales that put
# some z beyond -log(max) in the dtype (-88.7 in float32, -709.8 in float64), where exp(-z) overflows.
SATURATED_SCALES = {"float32": (30.0, 300.0), "float64": (250.0, 999.0)}
SATURATED_SHARE = 20
DTYPES = ("float64", "float32")

WIDTHS = (16, MAX_WIDTH)     # padded widths: a chunk is padded to the narrowest that fits all its cases
MAX_ELEMENTS = 1 << 28       # numbers in one explicit case's arrays (2 GiB in float64): no other size limit
CHUNK = 64                   # cases per call of the compiled reference
