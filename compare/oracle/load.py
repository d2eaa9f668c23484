"""Importing a candidate from a file: its ``grad`` (required) and ``cost`` (optional)."""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable
from types import ModuleType
from typing import NamedTuple


class CandidateError(ValueError):
    """The file cannot be used as a candidate; the message says why in one line."""


class Candidate(NamedTuple):
    """A loaded candidate: ``grad(params, x, y)``, ``cost(params, x, y)`` or None, and its module."""

    grad: Callable
    cost: Callable | None
    module: ModuleType


def load_candidate(path: str) -> Candidate:
    """Import the file at ``path`` (in this process) and return its ``Candidate``; CandidateError when unusable."""
    if not os.path.exists(path):
        raise CandidateError(f"no such file: {path}")
    if os.path.isdir(path) or not path.endswith(".py"):
        raise CandidateError(f"--candidate needs a Python file ending in .py, got {path}")
    name = "_candidate_" + os.path.splitext(os.path.basename(path))[0]
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except SyntaxError as e:
        raise CandidateError(f"{path}:{e.lineno}: syntax error: {e.msg}") from None
    except (Exception, SystemExit) as e:
        raise CandidateError(f"{path} failed to import: {type(e).__name__}: {e}") from None
    grad = getattr(module, "grad", None)
    if not callable(grad):
        raise CandidateError(f"{path} defines no function grad(params, x, y)")
    cost = getattr(module, "cost", None)
    return Candidate(grad, cost if callable(cost) else None, module)
