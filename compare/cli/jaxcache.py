"""JAX's persistent compilation cache for the command line, so a second run skips the ~1 s compilations.

Enabled by ``python -m compare`` (not on library import: it changes JAX's global configuration).
The cache lives in ``$BACKPROP_ORACLE_JAX_CACHE``, else ``$XDG_CACHE_HOME/backprop-oracle/jax``, else
``~/.cache/backprop-oracle/jax``; ``BACKPROP_ORACLE_JAX_CACHE=off`` disables it. JAX keys each entry by
the program, the JAX version, the backend and its flags, so a stale entry is never used.
"""

from __future__ import annotations

import os


def enable() -> str | None:
    """Point JAX at the cache directory; return it, or None when disabled or unusable."""
    setting = os.environ.get("BACKPROP_ORACLE_JAX_CACHE", "")
    if setting.lower() in ("0", "off", "no", "false"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = setting or os.path.join(base, "backprop-oracle", "jax")
    try:
        os.makedirs(path, exist_ok=True)
    except OSError:
        return None
    import jax

    jax.config.update("jax_compilation_cache_dir", path)
    jax.config.update("jax_persistent_cache_min_compile_time_secs", 0.0)
    jax.config.update("jax_persistent_cache_min_entry_size_bytes", 0)
    return path
