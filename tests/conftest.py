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


# The longest files first (seconds each in a two-worker run, 2026-12-05): pytest-xdist's --dist loadfile hands
# out whole files in collection order, and a long file started last leaves the other worker idle at the end.
# Files not named keep their order after these; the order of tests within a file is unchanged.
LONGEST_FIRST = ("test_diagnosis", "test_grade", "test_isolation", "test_sandbox", "test_oracle", "test_cli_bounds",
                 "test_cli_hardening", "test_mutation", "test_step", "test_careful_zero", "test_forms_round_two",
                 "test_fuzz", "test_startup", "test_training", "test_properties", "test_arithmetic")


def pytest_collection_modifyitems(items):
    """Collect the files of LONGEST_FIRST first, in that order (a stable sort: nothing else moves)."""
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.stem, len(rank)))
