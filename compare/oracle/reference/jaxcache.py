"""JAX's persistent compilation cache for the oracle's reference, so a second run (of the command line or of a
library user's ``check_grad``) skips the compilations.

The cache lives in ``$BACKPROP_ORACLE_JAX_CACHE``, else ``$XDG_CACHE_HOME/backprop-oracle/jax``, else
``~/.cache/backprop-oracle/jax``; ``BACKPROP_ORACLE_JAX_CACHE=off`` turns it off. JAX keys each entry by the
program, the JAX version, the backend and its flags, so a stale entry is never used. A cache the caller chose
(``JAX_COMPILATION_CACHE_DIR``, or ``jax.config`` set before) is left alone.

``enable`` imports nothing: before JAX is imported it sets JAX's own environment variables, which JAX reads when
it is imported (so ``python -m compare --help`` and usage errors never wait for JAX).
"""

from __future__ import annotations

import os
import sys

_SETTINGS = {                                   # JAX's configuration name -> value
    "jax_persistent_cache_min_compile_time_secs": 0.0,
    "jax_persistent_cache_min_entry_size_bytes": 0,
}


def cache_dir() -> str | None:
    """The folder the cache goes in (created), or None when turned off or it cannot be made."""
    setting = os.environ.get("BACKPROP_ORACLE_JAX_CACHE", "")
    if setting.lower() in ("0", "off", "no", "false"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = setting or os.path.join(base, "backprop-oracle", "jax")
    try:
        os.makedirs(path, exist_ok=True)
    except OSError:
        return None
    return path


def enable() -> str | None:
    """Point JAX at the cache folder unless the caller chose one; return the folder in use, or None."""
    jax = sys.modules.get("jax")
    if jax is None and os.environ.get("JAX_COMPILATION_CACHE_DIR"):
        return os.environ["JAX_COMPILATION_CACHE_DIR"]
    if jax is not None and jax.config.jax_compilation_cache_dir:
        return jax.config.jax_compilation_cache_dir
    path = cache_dir()
    if path is None:
        return None
    if jax is None:
        os.environ["JAX_COMPILATION_CACHE_DIR"] = path
        for name, value in _SETTINGS.items():
            os.environ.setdefault(name.upper(), str(value))
    else:
        jax.config.update("jax_compilation_cache_dir", path)
        for name, value in _SETTINGS.items():
            jax.config.update(name, value)
    return path


def import_jax():
    """JAX, imported with the cache enabled (``enable``) first: the reference modules import it this way."""
    enable()
    import jax
    import jax.numpy  # noqa: F401  (jax.numpy as an attribute of jax)

    return jax
