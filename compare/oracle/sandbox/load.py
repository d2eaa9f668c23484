"""Importing a candidate from a file, and naming what in it computes the gradient: ``FILE.py`` (its ``grad``),
``FILE.py:NAME`` (a function) or ``FILE.py:Class.method`` (a method of an object built as ``Class(sizes)``, or
by a constructor expression the oracle passes in ``Form.build``: a class whose ``Class(sizes)`` cannot work is
loaded with ``build`` ``forms.UNBUILT``, and refused by whoever calls it without an expression).

A refusal is a ``CandidateError`` whose one line says what the file must define instead.
"""

from __future__ import annotations

import importlib.util
import inspect
import os
import stat
import sys
from collections.abc import Callable
from types import ModuleType
from typing import NamedTuple

from .forms import FUNCTION, METHOD, UNBUILT, Form


class CandidateError(ValueError):
    """The file cannot be used as a candidate; the message says why in one line. ``missing``: the module its
    import could not find (ModuleNotFoundError) or the file it could not open (FileNotFoundError), else None."""

    def __init__(self, message: str, missing: str | None = None):
        super().__init__(message)
        self.missing = missing


class Candidate(NamedTuple):
    """A loaded candidate: ``grad(params, x, y)``, ``cost(params, x, y)`` or None, and its module."""

    grad: Callable
    cost: Callable | None
    module: ModuleType


class Target(NamedTuple):
    """What ``FILE.py[:NAME]`` names: ``target`` (the function, or the class for a method), its ``Form``, the
    module's ``cost`` (function form only; None when absent), the module and the file's path."""

    target: Callable
    form: Form
    cost: Callable | None
    module: ModuleType
    path: str


def split_spec(spec: str) -> tuple[str, str | None]:
    """``"dir/net.py:Network.backprop"`` -> ``("dir/net.py", "Network.backprop")``; no name -> ``(spec, None)``."""
    path, sep, name = spec.rpartition(":")
    if sep and path.endswith(".py") and name and "/" not in name and os.sep not in name:
        return path, name
    return spec, None


def _python2_print(line: str | None) -> bool:
    """Is this source line a Python 2 print statement (``print "..."``, ``print x``)?"""
    words = (line or "").split(None, 1)
    return len(words) == 2 and words[0] == "print" and not words[1].startswith(("(", "=", "."))


_KINDS = ((stat.S_ISFIFO, "a fifo"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISSOCK, "a socket"))


def require_candidate_file(path: str) -> None:
    """CandidateError unless ``path`` is (or links to) a regular file ending in ``.py``. Decided from ``os.stat``
    alone, before anything opens it: opening a fifo blocks, reading ``/dev/zero`` never ends."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise CandidateError(f"no such file: {path}") from None
    except OSError as e:
        raise CandidateError(f"{path}: cannot be read ({e.strerror})") from None
    if stat.S_ISDIR(mode) or not path.endswith(".py"):
        raise CandidateError(f"--candidate needs a Python file ending in .py, got {path}")
    if not stat.S_ISREG(mode):
        kind = next((words for test, words in _KINDS if test(mode)), "not a regular file")
        raise CandidateError(f"{path} is {kind}, not a regular file: the oracle does not open it")


def _import(path: str) -> ModuleType:
    require_candidate_file(path)
    name = "_candidate_" + os.path.splitext(os.path.basename(path))[0]
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    folder = os.path.dirname(os.path.abspath(path))
    sys.path.insert(0, folder)                      # a candidate may import the modules beside it
    try:
        spec.loader.exec_module(module)
    except SyntaxError as e:
        if _python2_print(e.text):
            raise CandidateError(f"{path}:{e.lineno}: this is Python 2 code (a print statement); the oracle runs "
                                 f"Python 3: use a Python 3 port, or convert it with 2to3 -w {path}") from None
        raise CandidateError(f"{path}:{e.lineno}: syntax error: {e.msg}") from None
    except (Exception, SystemExit) as e:
        missing = (e.name or "?") if isinstance(e, ModuleNotFoundError) else None
        if isinstance(e, FileNotFoundError):      # a file it reads or loads by path: hidden by a sandbox too
            missing = str(e.filename or "?")
        raise CandidateError(f"{path} failed to import: {type(e).__name__}: {e}", missing) from None
    finally:
        if sys.path and sys.path[0] == folder:
            del sys.path[0]
    return module


def _defined(module: ModuleType) -> str:
    """What the module defines that could compute a gradient: its functions and its classes with their methods."""
    parts = []
    for key, value in vars(module).items():
        if key.startswith("_") or getattr(value, "__module__", None) != module.__name__:
            continue
        if inspect.isclass(value):
            methods = [m for m, f in vars(value).items() if inspect.isfunction(f) and not m.startswith("_")]
            parts.append(f"class {key} ({', '.join(methods) or 'no methods'})")
        elif inspect.isfunction(value):
            parts.append(f"{key}()")
    return "; it defines " + ", ".join(parts) if parts else "; it defines no function or class"


CONTRACT = ("select what returns the gradients: FILE.py:NAME for a function NAME(params, x, y), or "
            "FILE.py:Class.method for obj.method(x, y) on an object built as Class(sizes) or by --make EXPR (see "
            "README, 'Checking your own backprop')")


def _takes_params_x_y(f) -> bool:
    """Whether ``f`` can be called as cost(params, x, y): a module's cost(x) helper of another signature (a
    squared error of one number, say) is not the cost the gradient descends, and is not checked."""
    try:
        inspect.signature(f).bind(None, None, None)
    except TypeError:
        return False
    except ValueError:                    # no signature to read (a builtin): called, as before
        return True
    return True


def load_target(spec: str) -> Target:
    """Import the file of ``spec`` (``FILE.py``, ``FILE.py:NAME`` or ``FILE.py:Class.method``, in this process) and
    return its ``Target``; CandidateError when it is unusable, saying what is missing and what it defines."""
    path, name = split_spec(spec)
    module = _import(path)
    cost = getattr(module, "cost", None)
    cost = cost if callable(cost) and _takes_params_x_y(cost) else None
    if name is None or "." not in name:
        fn_name = name or "grad"
        fn = getattr(module, fn_name, None)
        if inspect.isclass(fn):
            raise CandidateError(f"{path}:{fn_name} is a class: name one of its methods, {path}:{fn_name}.METHOD")
        if not callable(fn):
            raise CandidateError(f"{path} defines no function {fn_name}(params, x, y){_defined(module)}: {CONTRACT}")
        return Target(fn, Form(FUNCTION, fn_name), cost, module, path)
    cls_name, _, method = name.partition(".")
    cls = getattr(module, cls_name, None)
    if not inspect.isclass(cls):
        raise CandidateError(f"{path} defines no class {cls_name}{_defined(module)}: {CONTRACT}")
    if not callable(getattr(cls, method, None)) or "." in method:
        raise CandidateError(f"{path}: class {cls_name} has no method {method}{_defined(module)}: {CONTRACT}")
    form = Form(METHOD, method, cls_name)
    try:
        inspect.signature(cls).bind([1, 1])
    except TypeError:
        form = form._replace(build=UNBUILT)          # the worker learns the expression with each request
    except ValueError:
        pass                                          # no signature to read (a builtin): try it when called
    return Target(cls, form, None, module, path)


def load_candidate(path: str) -> Candidate:
    """Import the file at ``path`` (in this process) and return its ``Candidate``; CandidateError when unusable."""
    t = load_target(path)
    if t.form.kind != FUNCTION:
        raise CandidateError(f"{path} names a method; load it with load_target")
    return Candidate(t.target, t.cost, t.module)
