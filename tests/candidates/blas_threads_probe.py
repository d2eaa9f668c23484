"""A right backprop that raises unless its process runs OpenBLAS on one thread, for
``test_the_command_line_runs_blas_on_one_thread_unless_the_user_chose``."""

import os

import manual


def grad(params, x, y):
    if os.environ.get("OPENBLAS_NUM_THREADS") != "1":
        raise RuntimeError(f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS')}")
    return manual.grad(params, x, y)
