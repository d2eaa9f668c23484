"""``python -m compare``: see ``compare.cli`` and ``python -m compare --help``."""

import sys

if __name__ == "__main__":
    try:
        from compare.cli import main

        sys.exit(main())
    except KeyboardInterrupt:  # Ctrl-C before the oracle's own handling starts (e.g. while JAX imports)
        print("python -m compare: interrupted", file=sys.stderr)
        sys.exit(130)
