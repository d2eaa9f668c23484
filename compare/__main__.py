"""``python -m compare``: see ``compare.cli`` and ``python -m compare --help``."""

import os
import sys

if __name__ == "__main__":
    # One BLAS thread (unless the user chose): the oracle's products run beside a worker process or XLA on a
    # machine with few cores, where OpenBLAS's threads wait on each other (README, "Mutation benchmark and
    # performance"). Set before NumPy loads; the worker, started with this environment, inherits it.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    try:
        from compare.cli import main

        status = main()
        sys.stdout.flush()              # a closed pipe shows here rather than at exit
        sys.exit(status)
    except KeyboardInterrupt:  # Ctrl-C before the oracle's own handling starts (e.g. while JAX imports)
        print("python -m compare: interrupted", file=sys.stderr)
        sys.exit(130)
    except BrokenPipeError:    # `python -m compare | head`: the reader left; say so in one line, not a traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        print("python -m compare: standard output was closed before the report was written", file=sys.stderr)
        sys.exit(2)
    except ModuleNotFoundError as e:
        if e.name not in ("jax", "jaxlib", "numpy"):
            raise
        print(f"python -m compare: {e.name} is not installed here; run the README's Quick start (pip install -e .)",
              file=sys.stderr)
        sys.exit(2)
