"""The oracle: check any backprop against ``jax.grad``, element by element, with rounding-error tolerances.

``compare`` re-exports the public part. The sub-packages, bottom up (each imports only from its own package and
those before it; ``tests/test_layering.py`` checks it):

    cases -> reference -> sandbox -> verdict -> diagnosis -> report -> checks
"""
