"""What the oracle checks a backprop on: a case (architecture, batch, weight scale, dtype, seed) and its arrays.

limits (the drawn sizes and the engine's padded shape), cases (Case, draw_cases, parse_case, materialise),
extremes (values at the ends of the dtype's range), strategies (the Hypothesis strategy). Imports nothing of the
oracle above it.
"""
