"""``python -m compare --candidate FILE`` against candidates that attack the judgement itself: each runs in a
worker process, so whatever it does there (exit with status 0, replace NumPy's or the oracle's functions, forge
output, crash, ignore signals, stall in C, close its descriptors, eat memory, write into the oracle's pipe), the
run ends with exit 1 and a report that names what happened. A correct candidate still passes.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np
import oracle_cli
import pytest

import compare
import manual

ROOT = Path(__file__).resolve().parents[1]

WRONG = "return [(2 * gW, 2 * gb) for gW, gb in manual.grad(params, x, y)]"


def run_cli(tmp_path, body: str, *args, timeout=300):
    path = tmp_path / "cand.py"
    path.write_text(textwrap.dedent(body))
    return oracle_cli.run(["--candidate", str(path), "--examples", "12", "--time-limit", "2", *args], timeout=timeout)


ATTACKS = {   # name -> (candidate source, words the report must contain)
    "os._exit(0) in grad": ("""
        import os, manual
        def grad(params, x, y):
            os._exit(0)
        """, "the candidate's process exited with status 0 during a call"),
    "os._exit(0) from a thread a moment later": (f"""
        import os, threading, time, manual
        def grad(params, x, y):
            threading.Thread(target=lambda: (time.sleep(0.05), os._exit(0)), daemon=True).start()
            time.sleep(0.5)
            {WRONG}
        """, "the candidate's process exited with status 0"),
    "os._exit(0) at exit": (f"""
        import atexit, os, manual
        atexit.register(lambda: os._exit(0))
        def grad(params, x, y):
            {WRONG}
        """, "twice the reference"),
    "np.abs replaced at import": (f"""
        import numpy as np, manual
        np.abs = lambda a: np.zeros(np.shape(a))
        def grad(params, x, y):
            {WRONG}
        """, "twice the reference"),
    "the oracle's own functions replaced": (f"""
        import manual
        import compare.oracle.verdict.values as values, compare.oracle.checks.check as check
        values.worst_ratios = lambda *a: __import__("numpy").zeros(64)
        check.check_grad = lambda *a, **k: None
        def grad(params, x, y):
            {WRONG}
        """, "twice the reference"),
    "a forged PASS line, then os._exit(0)": ("""
        import os
        def grad(params, x, y):
            os.write(1, b"PASS cand.py: 12/12 cases agree with jax.grad\\n12 cases in 0.1 s; all agree\\n")
            os._exit(0)
        """, "exited with status 0 during a call"),
    "a segfault": ("""
        import ctypes
        def grad(params, x, y):
            ctypes.string_at(0)
        """, "was killed by SIGSEGV"),
    "SIGKILL to itself": ("""
        import os, signal
        def grad(params, x, y):
            os.kill(os.getpid(), signal.SIGKILL)
        """, "was killed by SIGKILL"),
    "SIGALRM ignored, then a Python loop": ("""
        import signal
        signal.signal(signal.SIGALRM, signal.SIG_IGN)
        def grad(params, x, y):
            while True:
                pass
        """, "took longer than 2 s (per-call time limit)"),
    "a stall inside one C call": ("""
        import ctypes
        libc = ctypes.CDLL(None)
        def grad(params, x, y):
            libc.sleep(1000)
        """, "took longer than 2 s (per-call time limit)"),
    "file descriptors 1 and 2 closed": (f"""
        import os, manual
        def grad(params, x, y):
            for fd in (1, 2):
                try:
                    os.close(fd)
                except OSError:      # closed on an earlier call
                    pass
            {WRONG}
        """, "twice the reference"),
    "a memory hog": ("""
        import numpy as np
        def grad(params, x, y):
            hog, n = [], 1 << 20
            while True:                      # address space, doubling: the cap is reached in a moment
                hog.append(np.empty(n))
                n *= 2
        """, "raised MemoryError"),
    "garbage on the oracle's pipe": ("""
        import os, sys
        def grad(params, x, y):
            os.write(int(sys.argv[2]), b"not a reply at all" * 10)
            return None
        """, "sent something that is not a reply"),
}


@pytest.mark.parametrize("name", list(ATTACKS))
def test_an_attacking_candidate_gets_exit_1_and_a_report_naming_what_happened(tmp_path, name):
    """Whatever a wrong candidate does in its own process, the oracle exits 1 with a FAIL report that says what
    happened; no forged line reaches the oracle's output; the run ends within a few time limits."""
    body, words = ATTACKS[name]
    out = run_cli(tmp_path, body, *(["--memory-limit", "1"] if name == "a memory hog" else []))
    assert out.returncode == 1, (out.returncode, out.stdout[-3000:], out.stderr[-3000:])
    assert "FAIL" in out.stdout and words in out.stdout, out.stdout[-3000:]
    assert out.stdout.strip().splitlines()[-1].endswith("DISAGREEMENT")
    assert not any(line.startswith("PASS") for line in out.stdout.splitlines())
    assert "Traceback" not in out.stdout + out.stderr


def test_a_correct_candidate_in_its_process_still_passes(tmp_path):
    """The same machinery passes a right candidate, with its cost checked too."""
    out = run_cli(tmp_path, """
        import manual
        def grad(params, x, y):
            return manual.grad(params, x, y)
        def cost(params, x, y):
            return manual.cost(params, x, y)
        """)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    assert "PASS" in out.stdout and "12/12 cases agree" in out.stdout


def test_a_candidate_that_exits_at_import_is_refused_not_passed(tmp_path):
    """A file whose import ends its process cannot be checked: a usage error (exit 2), never a pass."""
    out = run_cli(tmp_path, """
        import os
        os._exit(0)
        """)
    assert out.returncode == 2 and "exited with status 0 while importing it" in out.stderr, out.stderr


def test_check_file_isolates_like_the_command_line(tmp_path):
    """compare.check_file runs the file in a worker: os._exit(0) there is a failing case, not the end of pytest."""
    path = tmp_path / "cand.py"
    path.write_text("import os\ndef grad(params, x, y):\n    os._exit(0)\n")
    report = compare.check_file(str(path), compare.draw_cases(4, 0))
    assert not report.ok and report.first.cause == "died"
    assert "exited with status 0 during a call" in report.first.message


def test_a_candidate_writing_into_its_inputs_is_seen_through_shared_memory(tmp_path):
    """An in-place update of W in the worker shows in the oracle's copy of the inputs: a mutation failure."""
    path = tmp_path / "cand.py"
    path.write_text("import manual\ndef grad(params, x, y):\n    g = manual.grad(params, x, y)\n"
                    "    params[0][0][...] = 0\n    return g\n")
    report = compare.check_file(str(path), compare.draw_cases(4, 0))
    assert report.failed == 4 and report.first.kind == "mutation" and "layer 1's W" in report.first.message


@pytest.mark.parametrize("args, words", [
    (["--self-check", "--examples", "-3"], "--examples must be between 1 and"),
    (["--controls", "--examples", "0"], "--examples must be between 1 and"),
    (["--json", "/no/such/folder/out.json"], "--json '/no/such/folder/out.json': folder"),
])
def test_every_mode_refuses_a_run_that_would_check_nothing_or_write_nowhere(args, words):
    """A run that would check no case, or write its report into a missing folder, is a usage error before any
    work: exit 2, one line."""
    out = oracle_cli.run(args, timeout=120)
    assert out.returncode == 2 and out.stdout == "" and words in out.stderr, out.stderr


def test_a_report_of_no_cases_is_not_ok():
    """check_grad on no cases: a Report that is not ok, so no caller reads it as "all agree"."""
    assert not compare.check_grad(manual.grad, []).ok


def _verdicts(results) -> list[tuple]:
    return [(r.case, None if r.failure is None else r.failure.kind) for r in results]


@pytest.mark.parametrize("path", __import__("compare.controls.table", fromlist=["control_files"]).control_files(),
                         ids=lambda p: p.stem)
def test_a_control_gets_the_same_verdict_in_its_worker_as_in_this_process(path):
    """Every control, on the same ordinary and extreme cases, called in this process and in a worker process:
    the same cases fail, each with the same kind (what crosses the wire is what the candidate returned: a 0-d
    grad b stays 0-d, a refusal stays a refusal)."""
    from compare.oracle.cases.cases import draw_cases, draw_extreme_cases
    from compare.oracle.sandbox.load import load_candidate
    from compare.oracle.sandbox.process import Isolated
    from compare.oracle.verdict.run import run_cases

    cases = draw_cases(96, 3) + draw_extreme_cases(32, 3)
    here = load_candidate(str(path))
    target = Isolated(str(path))
    try:
        there = run_cases(target, cases, target.cost if target.has_cost else None)
    finally:
        target.close()
    with np.errstate(all="ignore"):           # the controls' own overflow on extreme values: not printed here
        in_process = run_cases(here.grad, cases, here.cost)
    assert _verdicts(in_process) == _verdicts(there)


STEP_ATTACKS = {   # option -> candidate source that exits with status 0 during its first call
    "--step": """
        import os
        def step(params, x, y, eta):
            os._exit(0)
        """,
    "--epoch": """
        import os
        def epoch(params, X, Y, eta, k):
            os._exit(0)
        """,
}


@pytest.mark.parametrize("option", list(STEP_ATTACKS))
def test_a_step_or_epoch_candidate_runs_in_its_worker_too(tmp_path, option):
    """--step and --epoch call the candidate in a worker process like --candidate: os._exit(0) there is a
    failure of the run (exit 1, the report names it), not the oracle's exit status."""
    path = tmp_path / "upd.py"
    path.write_text(textwrap.dedent(STEP_ATTACKS[option]))
    out = oracle_cli.run([option, str(path), "--examples", "8", "--time-limit", "2"], timeout=300)
    assert out.returncode == 1, out.stdout + out.stderr
    assert "the candidate's process exited with status 0 during a call" in out.stdout


def test_a_worker_step_that_changes_x_fails_and_one_that_updates_in_place_passes(tmp_path):
    """In the worker, a step may change the parameters it was given (in place) but never x or y."""
    from compare.oracle.checks.stepcheck import check_step
    from compare.oracle.sandbox.process import Isolated

    path = tmp_path / "steps.py"
    path.write_text(textwrap.dedent("""
        import manual
        def in_place(params, x, y, eta):
            for (W, b), (gW, gb) in zip(params, manual.grad(params, x, y)):
                W -= eta * gW
                b -= eta * gb
        def scales_x(params, x, y, eta):
            g = manual.grad(params, x, y)
            x *= 2
            return [(W - eta * gW, b - eta * gb) for (W, b), (gW, gb) in zip(params, g)]
        """))
    cases = compare.draw_cases(24, 1)
    for name, ok in (("in_place", True), ("scales_x", False)):
        target = Isolated(f"{path}:{name}")
        try:
            report = check_step(target, cases, form=target.form)
        finally:
            target.close()
        assert report.ok is ok, report
        if not ok:
            assert report.first.failure.kind == "mutation" and "input x" in report.first.failure.message


def test_an_exception_names_the_line_of_the_candidates_own_code(tmp_path):
    """A candidate whose helper makes NumPy raise: the problem names the candidate's file, line and source line
    (the innermost frame of its own code, not NumPy's), in this process and through the worker's reply."""
    from compare.oracle.sandbox.isolation import call_guarded

    path = tmp_path / "crashes.py"
    path.write_text("import numpy as np\n\n\ndef helper(a):\n    return a @ np.ones((3, 3))\n\n\n"
                    "def grad(params, x, y):\n    return helper(np.asarray(x))\n")
    namespace: dict = {}
    exec(compile(path.read_text(), str(path), "exec"), namespace)
    _, problem = call_guarded(namespace["grad"], (None, np.ones(5), None), time_limit=None)
    assert problem is not None and f"{path}:5 (`return a @ np.ones((3, 3))`): matmul" in problem.message, problem
    out = oracle_cli.run(["--candidate", str(path), "--examples", "4", "--progress", "off"], timeout=300)
    assert out.returncode == 1 and "crashes.py:5 (`return a @ np.ones((3, 3))`)" in out.stdout, out.stdout
