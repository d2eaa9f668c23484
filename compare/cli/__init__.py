"""The command line, ``python -m compare [SUBCOMMAND] ...``: the oracle (``oracle``) and the subcommands that use
the backends (``train``, ``diagram``, ``bench``), over one argument module (``args``).

Exit codes: 0 every case agrees; 1 a disagreement (the report says where and why); 2 a usage error;
130 interrupted.
"""

from __future__ import annotations

import importlib
import sys

SUBCOMMANDS = {
    "train": "compare.cli.train",
    "diagram": "compare.cli.diagram",
    "bench": "compare.cli.bench",
    "mutate": "compare.cli.mutate",
    "grade": "compare.cli.grade",
}


def main(argv: list[str] | None = None) -> int:
    """Run the command line on ``argv`` (default ``sys.argv[1:]``); return the exit status."""
    argv = sys.argv[1:] if argv is None else argv
    from compare.oracle.reference import jaxcache
    from compare.oracle.sandbox import interrupts

    interrupts.install()
    jaxcache.enable()                 # sets JAX's environment only: nothing here waits for JAX
    if argv and argv[0] in SUBCOMMANDS:
        return importlib.import_module(SUBCOMMANDS[argv[0]]).main(argv[1:])
    from .oracle import main as oracle_main

    return oracle_main(argv)
