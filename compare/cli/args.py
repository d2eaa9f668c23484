"""The command line's shared plumbing: one parser class, one usage error, the argument types every subcommand
uses with their bounds, how a path is shown, and one way to run a subcommand so that a usage error is one line
and exit status 2.

Every value a user types is checked against a stated bound before any work starts, so a mistyped exponent
(``--batch 1000000000``) is a one-line usage error instead of an allocation that fails with a traceback, swaps,
or never ends. The bounds leave room for every legitimate run: a case may hold up to ``MAX_ELEMENTS`` (2^28)
numbers, so widths up to 10^6 and more are accepted as long as the arrays stay within it.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
from collections.abc import Callable

from compare.oracle.cases.limits import MAX_ELEMENTS

MAX_DEPTH = 1000            # layers of an explicit architecture: depth 1000 takes ~95 s and 3.5 GB a case
MAX_ETA = 1e6               # drawn etas are <= 10; near 1e300 W - eta grad W overflows and a right step fails
MAX_MEMORY_GB = 2.0**20     # 1 PiB: above any real address space, and it still fits the OS's limit type
MAX_SEED = 2**64 - 1


class UsageError(Exception):
    """A problem with how the command was called: one line on stderr, exit status 2, no traceback."""


class Parser(argparse.ArgumentParser):
    """argparse, except that a bad command line raises UsageError instead of printing the usage and exiting."""

    def error(self, message):
        raise UsageError(message)


def shown(path: str) -> str:
    """``path`` as the command line prints it: itself when every character is printable, else its ``repr``
    (quoted, ``\\n``, ``\\x1b``, ``\\udc80`` escaped). A file name is data the user does not control in full
    (a candidate handed in for grading): printed raw, an escape sequence in it would clear or rewrite the
    terminal, a newline would forge report lines, and an undecodable byte would stop the print with an error.
    For a name that stands bare (a report's first line, a progress line, a reproduce line); messages quote a
    typed value or path with ``!r``, which escapes the same characters."""
    return path if path.isprintable() else repr(path)


def one_line(text: str) -> str:
    """``text`` with every unprintable character (newlines included) escaped as ``repr`` escapes it, so a
    message that embeds a name from elsewhere (a refusal quoting a file name) stays one line."""
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


def network_numbers(sizes: list[int] | tuple[int, ...]) -> int:
    """How many numbers the weights and biases of a network with layer sizes ``sizes`` hold."""
    return sum(a * b + b for a, b in zip(sizes, sizes[1:]))


def check_layers(sizes: list[int] | tuple[int, ...], text: str) -> None:
    """``argparse.ArgumentTypeError`` unless ``sizes`` has at most ``MAX_DEPTH`` layers and its parameters
    hold at most ``MAX_ELEMENTS`` numbers: a bigger network cannot be allocated or checked in reasonable time."""
    if len(sizes) - 1 > MAX_DEPTH:
        raise argparse.ArgumentTypeError(f"has depth {len(sizes) - 1:,}; at most {MAX_DEPTH} layers are "
                                         f"supported, got {text[:60]!r}")
    if network_numbers(sizes) > MAX_ELEMENTS:
        raise argparse.ArgumentTypeError(f"{text[:60]!r} has {network_numbers(sizes):,} numbers in W and b; at "
                                         f"most {MAX_ELEMENTS:,} (2^28) are supported")


def sizes(text: str) -> list[int]:
    """Layer sizes ``n_0,...,n_L``: at least two positive integers separated by commas, within ``check_layers``."""
    try:
        values = [int(part) for part in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be comma-separated integers like 64,30,10, got {text!r}") from None
    if len(values) < 2 or any(n < 1 for n in values):
        raise argparse.ArgumentTypeError(f"needs at least two positive layer sizes n_0,...,n_L, got {text!r}")
    check_layers(values, text)
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


def float_up_to(high: float) -> Callable[[str], float]:
    """An argument type: a finite number > 0 and <= ``high`` (inf, nan, 0 and negatives refused)."""
    bound = f"{high:,.0f}" if high == int(high) else f"{high:g}"

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not (math.isfinite(value) and 0 < value <= high):
            raise argparse.ArgumentTypeError(f"must be a finite number > 0 and <= {bound}, got {text!r}")
        return value
    parse.__name__ = f"number in (0, {bound}]"
    return parse


def int_between(low: int, high: int) -> Callable[[str], int]:
    """An argument type: an integer with ``low <= value <= high``."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be an integer between {low} and {high}, got {text!r}")
        return value
    parse.__name__ = f"integer in [{low}, {high}]"
    return parse


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
    """UsageError unless ``path`` (when given) names a file this process may write: not a directory, in an
    existing folder, and writable (the file if it exists, else its folder). Checked before the run, so a typo
    costs no run; a write that still fails afterwards (a full disk) is ``write_output``'s. The path is quoted by
    ``repr``, which escapes its control characters as ``shown`` does."""
    if path is None:
        return
    folder = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path):
        raise UsageError(f"{option} {path!r} is a directory; give a file name")
    if not os.path.isdir(folder):
        raise UsageError(f"{option} {path!r}: folder {folder!r} does not exist")
    if not os.access(path if os.path.exists(path) else folder, os.W_OK):
        raise UsageError(f"{option} {path!r}: permission denied")


def write_output(path: str, text: str, option: str, outcome: str) -> None:
    """Write ``text`` to ``path``; UsageError in one line when that fails (a full disk, ``/dev/full``).

    The run has finished by then, so the line also says its ``outcome`` (the verdict and the exit status it
    would have had): the file the user asked for is missing, so the command exits 2 rather than report success
    through its status, but the work is not silently lost."""
    try:
        with open(path, "w") as f:
            f.write(text)
    except OSError as e:
        raise UsageError(f"{option} {path!r}: writing the report failed ({e.strerror or e}); the run itself "
                         f"ended: {outcome}") from None


def parse(parser: Parser, argv: list[str]) -> argparse.Namespace | int:
    """``parser.parse_args(argv)``; the exit status instead when it ends the command (--help: 0)."""
    try:
        return parser.parse_args(argv)
    except SystemExit as e:  # --help
        return int(e.code or 0)


def usage_error(prog: str, error: UsageError | str) -> int:
    """Print a usage error as one line (unprintable characters escaped) and return exit status 2."""
    print(f"{prog}: error: {one_line(str(error))}", file=sys.stderr)
    return 2
