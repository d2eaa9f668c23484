"""``python -m compare``: the oracle's command line. See ``python -m compare --help``.

Exit codes: 0 every case agrees; 1 a disagreement (the report says where and why); 2 a usage error.
"""

from __future__ import annotations

import sys

SUBCOMMANDS = {
    "train": "compare.training",
    "diagram": "compare.diagram",
    "bench": "compare.bench",
}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    from .jaxcache import enable

    enable()
    if argv and argv[0] in SUBCOMMANDS:
        import importlib

        return importlib.import_module(SUBCOMMANDS[argv[0]]).main(argv[1:])
    from .cli import main as oracle_main

    return oracle_main(argv)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:  # Ctrl-C before the oracle's own handling starts (e.g. while JAX imports)
        print("python -m compare: interrupted", file=sys.stderr)
        sys.exit(130)
