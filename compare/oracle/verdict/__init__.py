"""One case judged: the candidate called, read back and compared element by element with the reference.

results (Failure, Report, Result), convention (layout, form, scale, dtype strictness as one value), candidate
(one call checked structurally; read_layers, the one reader), update (an updating call read back), values (the
element-wise comparer), ranges (the rule beyond the dtype's range), parts (forward and sigmoid), constants (cost
conventions), run (many cases, chunks pipelined with the reference: ``pipeline``, for steps too).
"""
