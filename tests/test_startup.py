"""The command line answers before JAX is imported, and the reference's compilations are kept between runs (the
command line's and a library user's alike) in the persistent cache ``compare.oracle.reference.jaxcache`` sets up."""

import os
import subprocess
import sys

import pytest

PROBE = """
import runpy, sys
sys.argv = ['compare'] + sys.argv[1:]
try:
    runpy.run_module('compare', run_name='__main__')
except SystemExit as e:
    print('exit', e.code, 'jax', 'jax' in sys.modules, file=sys.stderr)
"""


@pytest.mark.parametrize("argv", [["--help"], ["--examples", "-1"], ["--time-limit", "0"], ["train", "--help"],
                                  ["--candidate", "no/such/file.py"], ["diagram", "--sizes", "0"]])
def test_help_and_usage_errors_never_import_jax(argv):
    """``--help`` and every usage error are answered by the argument check alone: JAX (seconds to import on a
    loaded machine) is not imported on the way."""
    out = subprocess.run([sys.executable, "-c", PROBE, *argv], capture_output=True, text=True, timeout=300)
    last = out.stderr.strip().splitlines()[-1]
    assert last.startswith("exit") and last.endswith("jax False"), out.stderr[-2000:]
    assert last.split()[1] in ("0", "2"), last


LIBRARY_RUN = """
import os, sys
from compare import check_grad
from manual import grad
report = check_grad(grad, examples=1, seed=0)
import jax
print(jax.config.jax_compilation_cache_dir)
"""


def _library_run(env: dict) -> str:
    full = {k: v for k, v in os.environ.items() if not k.startswith(("JAX_", "BACKPROP_ORACLE_JAX"))}
    out = subprocess.run([sys.executable, "-c", LIBRARY_RUN], capture_output=True, text=True, timeout=600,
                         env={**full, **env})
    assert out.returncode == 0, out.stderr[-3000:]
    return out.stdout.strip().splitlines()[-1]


def test_a_library_run_keeps_its_compilations_in_the_cache_folder(tmp_path):
    """check_grad from the library (no command line) compiles into BACKPROP_ORACLE_JAX_CACHE, so the next
    process finds them there."""
    folder = tmp_path / "cache"
    assert _library_run({"BACKPROP_ORACLE_JAX_CACHE": str(folder)}) == str(folder)
    assert any(folder.iterdir()), "no compilation was written to the cache"


def test_the_cache_can_be_turned_off_and_a_callers_own_cache_is_kept(tmp_path):
    """BACKPROP_ORACLE_JAX_CACHE=off leaves JAX without a cache; a JAX_COMPILATION_CACHE_DIR the caller set wins."""
    assert _library_run({"BACKPROP_ORACLE_JAX_CACHE": "off"}) in ("None", "")
    own = tmp_path / "mine"
    assert _library_run({"JAX_COMPILATION_CACHE_DIR": str(own), "BACKPROP_ORACLE_JAX_CACHE": str(tmp_path / "x")}
                        ) == str(own)


@pytest.mark.parametrize("chosen", [None, "2"])
def test_the_command_line_runs_blas_on_one_thread_unless_the_user_chose(chosen):
    """``python -m compare`` sets OPENBLAS_NUM_THREADS=1 before NumPy loads (its products run beside the worker
    and XLA, where BLAS threads wait on each other), and its worker inherits it; a user's own setting is kept.
    The probe candidate is right and raises unless it sees one thread."""
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    if chosen is not None:
        env["OPENBLAS_NUM_THREADS"] = chosen
    probe = os.path.join(os.path.dirname(__file__), "candidates", "blas_threads_probe.py")
    out = subprocess.run([sys.executable, "-m", "compare", "--candidate", probe,
                          "--examples", "20", "--no-shrink", "--progress", "off"],
                         capture_output=True, text=True, timeout=300, env=env)
    assert out.returncode == (0 if chosen is None else 1), out.stdout[-2000:] + out.stderr[-2000:]
    if chosen is not None:
        assert f"OPENBLAS_NUM_THREADS={chosen}" in out.stdout
