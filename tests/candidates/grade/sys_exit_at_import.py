"""A file that calls sys.exit(0) while it is imported: the oracle refuses it (an ERROR row, never a pass)."""

import sys

sys.exit(0)


def grad(params, x, y):
    return []
