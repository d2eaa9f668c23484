"""Hypothesis profiles, in one place.

- ``fast`` (the default): few examples per property, for every run of the suite and CI.
- ``thorough``: many examples, for a release or after changing the derivation:
  ``HYPOTHESIS_PROFILE=thorough python -m pytest``.

Both have ``deadline=None``: a JAX compile (~0.35 s per new shape) would trip Hypothesis's 200 ms deadline.
Both are derandomised under CI (``CI`` set), so a CI run is reproducible.
"""

import os

# As ``python -m compare`` does, before NumPy loads: one BLAS thread, in this process (where ``oracle_cli.run``
# runs the command line) and in the workers it starts.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from hypothesis import HealthCheck, settings

_common = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
               derandomize=bool(os.environ.get("CI")), print_blob=True)
settings.register_profile("fast", max_examples=25, **_common)
settings.register_profile("thorough", max_examples=500, **_common)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "fast"))
