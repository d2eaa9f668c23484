"""The command line's shared plumbing: one parser class, one usage error, the argument types every subcommand
uses, and one way to run a subcommand so that a usage error is one line and exit status 2."""

from __future__ import annotations

import argparse
import math
import os
import sys
from collections.abc import Callable


class UsageError(Exception):
    """A problem with how the command was called: one line on stderr, exit status 2, no traceback."""


class Parser(argparse.ArgumentParser):
    """argparse, except that a bad command line raises UsageError instead of printing the usage and exiting."""

    def error(self, message):
        raise UsageError(message)


def sizes(text: str) -> list[int]:
    """Layer sizes ``n_0,...,n_L``: at least two positive integers separated by commas."""
    try:
        values = [int(part) for part in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be comma-separated integers like 64,30,10, got {text!r}") from None
    if len(values) < 2 or any(n < 1 for n in values):
        raise argparse.ArgumentTypeError(f"needs at least two positive layer sizes n_0,...,n_L, got {text!r}")
    return values


def positive_float(text: str) -> float:
    """A finite number > 0."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"must be a finite number > 0, got {text!r}")
    return value


def int_at_least(low: int) -> Callable[[str], int]:
    """An argument type: an integer >= ``low``."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be an integer >= {low}, got {text!r}") from None
        if value < low:
            raise argparse.ArgumentTypeError(f"must be an integer >= {low}, got {text!r}")
        return value
    parse.__name__ = f"integer >= {low}"
    return parse


def check_writable(path: str | None, option: str) -> None:
    """UsageError unless ``path`` (when given) names a file in an existing folder."""
    if path is None:
        return
    folder = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path):
        raise UsageError(f"{option} {path!r} is a directory; give a file name")
    if not os.path.isdir(folder):
        raise UsageError(f"{option} {path!r}: folder {folder!r} does not exist")


def parse(parser: Parser, argv: list[str]) -> argparse.Namespace | int:
    """``parser.parse_args(argv)``; the exit status instead when it ends the command (--help: 0)."""
    try:
        return parser.parse_args(argv)
    except SystemExit as e:  # --help
        return int(e.code or 0)


def usage_error(prog: str, error: UsageError) -> int:
    """Print a usage error as one line and return exit status 2."""
    print(f"{prog}: error: {error}", file=sys.stderr)
    return 2
