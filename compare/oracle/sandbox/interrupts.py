"""Ctrl-C that is not lost.

CPython runs a signal handler wherever the main thread happens to be, including inside a gc callback (JAX
registers one, ``_xla_gc_callback``) or a ``__del__``, where the KeyboardInterrupt it raises is printed as
"Exception ignored" and dropped: a long run then went on to its end, or waited out a stuck worker's time
limit. The command line's handler (``install``) notes the interrupt as well as raising it (and keeps the dropped
one's "Exception ignored ... Traceback" off stderr: ``sys.unraisablehook``), and each long loop calls ``check()``
between chunks, as does every wait for the worker (``channel``) at least every
``channel.SIGNAL_SLICE`` seconds, which raises it again when it was dropped; whoever turns it into an interrupted
report calls ``handled()``. It lives with the sandbox, the lowest package, because the waits are there.
"""

from __future__ import annotations

import signal
import sys
import threading

_pending = False


def _handler(signum, frame):
    global _pending
    _pending = True
    raise KeyboardInterrupt


def _unraisable(hook):
    """``sys.unraisablehook`` that drops a KeyboardInterrupt our handler raised where it could not propagate (it is
    noted, and ``check()`` raises it again) and passes anything else to ``hook``."""
    def quiet(unraisable) -> None:
        if not (_pending and isinstance(unraisable.exc_value, KeyboardInterrupt)):
            hook(unraisable)
    quiet.dropping_interrupts = True
    return quiet


def install() -> None:
    """Use the noting handler for SIGINT: in the main thread only, and only in place of Python's default one."""
    if (threading.current_thread() is threading.main_thread()
            and signal.getsignal(signal.SIGINT) is signal.default_int_handler):
        signal.signal(signal.SIGINT, _handler)
        if not getattr(sys.unraisablehook, "dropping_interrupts", False):
            sys.unraisablehook = _unraisable(sys.unraisablehook)


def check() -> None:
    """KeyboardInterrupt if a Ctrl-C was noted and has not been handled yet."""
    if _pending:
        raise KeyboardInterrupt


def handled() -> None:
    """The interrupt noted so far has been dealt with (a report says it was interrupted)."""
    global _pending
    _pending = False
