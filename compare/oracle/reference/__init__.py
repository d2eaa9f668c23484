"""The truth a candidate is held to: ``jax.grad`` of the seed's cost and a bound on its rounding error.

bound (the running error bound and ``tolerance()``: the one tolerance policy), engine (the one JAX cost and its
jax.grad: padded and vmapped for many cases, or on a case's own shapes for any size), longdouble (extreme cases),
source (the one place the reference is chosen, started, kept and read),
step (the reference step W - eta grad W), single (``compare.reference``), selfcheck (jax.grad against complex
steps), sigmatable (the measured error of sigma behind the bound's floor), jaxcache (the compile cache).
"""
