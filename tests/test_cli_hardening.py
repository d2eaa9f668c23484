"""``python -m compare --candidate FILE`` against candidates that misbehave, run as a user runs it (a subprocess
in the project folder): one that hangs, floods the terminal, calls sys.exit(0), changes NumPy's error state or
raises KeyboardInterrupt; options out of range; Ctrl-C in the middle of a long run. Each must end with the
right exit status (0 agree, 1 disagreement, 2 usage, 130 interrupted), a short output, and no traceback.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import numpy as np
import oracle_cli
import pytest

import compare
import manual
from compare.oracle.sandbox import isolation as sandbox

ROOT = Path(__file__).resolve().parents[1]


def run_cli(*args, timeout=120):
    return oracle_cli.run(args, timeout=timeout)


def candidate(tmp_path, body: str, name="cand.py") -> str:
    path = tmp_path / name
    path.write_text(textwrap.dedent(body))
    return str(path)


def assert_no_traceback(out):
    assert "Traceback" not in out.stdout and "Traceback" not in out.stderr, out.stderr[-2000:]


def test_a_hanging_candidate_is_cut_off_at_the_time_limit(tmp_path):
    """time.sleep(100) in every call: each call is stopped after --time-limit 0.5 s and reported as such; after
    3 timeouts in a row the candidate is no longer waited for, so of 20 cases at most 4 are called (3, then a
    probe on the 16th skipped one), not 20 x 100 s. Counted in calls (one byte the candidate writes before it
    sleeps, counted by the oracle's note), not seconds: the wall time depends on the machine's load."""
    path = candidate(tmp_path, """
        import sys, time
        def grad(params, x, y):
            sys.stdout.write("c")
            sys.stdout.flush()
            time.sleep(100)
    """)
    out = run_cli("--candidate", path, "--examples", "20", "--time-limit", "0.5")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "took longer than 0.5 s (per-call time limit)" in out.stdout
    assert "FAIL" in out.stdout and "0/20 cases agree" in out.stdout
    written = re.search(r"wrote ([0-9]+) bytes", out.stdout)
    assert (int(written.group(1)) if written else 0) <= sandbox.MAX_TIMEOUTS + 1, out.stdout
    assert_no_traceback(out)


def test_a_candidate_that_prints_a_flood_stays_quiet_and_is_judged_on_its_gradient(tmp_path):
    """print('x' * 10**6) in every call: the terminal gets a short report (< 20 kB) with a one-line note of
    what was written to the worker's file descriptors (every byte counted), the verdict is the gradient's (PASS,
    exit 0)."""
    path = candidate(tmp_path, """
        import sys
        import manual
        def grad(params, x, y):
            print('x' * 10**6)
            sys.stderr.write('y' * 1000)
            return manual.grad(params, x, y)
    """)
    out = run_cli("--candidate", path, "--examples", "20")
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]
    assert len(out.stdout) + len(out.stderr) < 20_000
    assert "PASS" in out.stdout and "20/20 cases agree" in out.stdout
    assert "note: the candidate's process wrote 20,020,020 bytes to its stdout and stderr (not shown" in out.stdout
    assert_no_traceback(out)


def test_a_flood_with_a_wrong_gradient_still_fails(tmp_path):
    """Printing hides nothing: a flooding candidate with a wrong gradient gets FAIL and exit 1, in a short
    report."""
    path = candidate(tmp_path, """
        import manual
        def grad(params, x, y):
            print('x' * 10**6)
            return [(2 * gW, 2 * gb) for gW, gb in manual.grad(params, x, y)]
    """)
    out = run_cli("--candidate", path, "--examples", "20")
    assert out.returncode == 1 and "FAIL" in out.stdout and "twice the reference" in out.stdout
    assert len(out.stdout) + len(out.stderr) < 20_000


@pytest.mark.parametrize("code, shown", [("sys.exit(0)", "called sys.exit(0)"), ("sys.exit()", "called sys.exit()"),
                                         ("exit(3)", "called sys.exit(3)")])
def test_a_candidate_calling_sys_exit_is_a_wrong_derivation(tmp_path, code, shown):
    """sys.exit(0) inside grad does not end the oracle's run, let alone with status 0: the case fails with
    "called sys.exit(0)", and the run exits 1."""
    path = candidate(tmp_path, f"""
        import sys
        def grad(params, x, y):
            {code}
    """)
    out = run_cli("--candidate", path, "--examples", "20")
    assert out.returncode == 1, out.stdout + out.stderr
    assert shown in out.stdout and "FAIL" in out.stdout
    assert_no_traceback(out)


@pytest.mark.parametrize("setting", ["raise", "ignore"])
def test_a_candidate_changing_numpys_error_state_is_reported_and_undone(tmp_path, setting):
    """np.seterr(all=...) on the first call only, a right gradient otherwise: that one case fails ("changed
    NumPy's global error state"), exit 1, and the 19 others agree, so the oracle's own computations after it
    ran in the state they expect (with all='raise' left in place they would stop on the first underflow)."""
    path = candidate(tmp_path, f"""
        import numpy as np
        import manual
        calls = []
        def grad(params, x, y):
            if not calls:
                np.seterr(all={setting!r})
            calls.append(1)
            return manual.grad(params, x, y)
    """)
    out = run_cli("--candidate", path, "--examples", "20")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "changed NumPy's global error state" in out.stdout and f"-> {setting}" in out.stdout
    assert "19/20 cases agree" in out.stdout
    assert_no_traceback(out)


def test_a_candidate_raising_keyboardinterrupt_fails_its_case_and_the_run_goes_on(tmp_path):
    """KeyboardInterrupt raised by the candidate's own code (in its worker, where no Ctrl-C reaches it) is not an
    interrupt of the oracle: that case fails in its own words, every other case is checked, exit 1, no traceback."""
    path = candidate(tmp_path, """
        import manual
        calls = []
        def grad(params, x, y):
            calls.append(1)
            if len(calls) == 5:
                raise KeyboardInterrupt
            return manual.grad(params, x, y)
    """)
    out = run_cli("--candidate", path, "--examples", "20")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "raised KeyboardInterrupt" in out.stdout and "interrupted" not in out.stdout
    assert "19/20 cases agree" in out.stdout
    assert_no_traceback(out)


@pytest.mark.parametrize("args, words", [
    (["--examples", "-1"], "--examples must be between 1 and"),
    (["--examples", "0"], "--examples must be between 1 and"),
    (["--examples", "abc"], "invalid int value: 'abc'"),
    (["--time-limit", "0"], "--time-limit must be > 0 and <= 3600 seconds"),
    (["--time-limit", "-2"], "--time-limit must be > 0 and <= 3600 seconds"),
    (["--time-limit", "nan"], "--time-limit must be > 0 and <= 3600 seconds"),
    (["--time-limit", "inf"], "--time-limit must be > 0 and <= 3600 seconds"),
    (["--time-limit", "3601"], "--time-limit must be > 0 and <= 3600 seconds"),
    (["--time-limit", "soon"], "invalid float value: 'soon'"),
    (["--seed", "-5"], "--seed must be >= 0"),
    (["--seed", "1.5"], "invalid int value: '1.5'"),
    (["--candidate", "/nonexistent/cand.py"], "no such file"),
])
def test_options_out_of_range_exit_2_with_one_line(args, words):
    """A usage error: exit 2, exactly one line on stderr naming the option, nothing on stdout, no traceback."""
    out = run_cli(*args)
    assert out.returncode == 2, out.stdout + out.stderr
    assert out.stdout == ""
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("python -m compare: error:") and words in lines[0], out.stderr


def _spawn_with_sigint(cmd: list[str], stdout) -> subprocess.Popen:
    """``cmd`` started with SIGINT as a terminal gives it, its stdout into ``stdout`` and its stderr a pipe. A shell
    without job control starts a background command (``pytest ... &``) with SIGINT ignored; a child inherits an
    ignored signal through exec, and Python then installs no handler, so the run would ignore the signal and time
    out (seen on 2026-12-02). A handled signal is reset to its default by exec, so SIGINT is handled here while the
    child starts (no preexec_fn: fork and JAX's threads)."""
    ignored = signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    if ignored:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        return subprocess.Popen(cmd, cwd=ROOT, stdout=stdout, stderr=subprocess.PIPE, text=True)
    finally:
        if ignored:
            signal.signal(signal.SIGINT, signal.SIG_IGN)


CHECKED = re.compile(r"^progress: manual\.grad ([0-9]+)/")
HANG_DEADLINE = 900     # seconds: only a run that hangs gets near it (JAX's import and first compile under load)


def _read_until_checked(stream, lines: list[str], checked: threading.Event) -> None:
    """Read ``stream`` to its end into ``lines``; set ``checked`` at the first ``--progress lines`` line with
    cases checked, or at the end of the stream (the run ended without one: the caller sees no such line)."""
    for line in stream:
        lines.append(line)
        match = CHECKED.match(line)
        if match and int(match.group(1)) > 0:
            checked.set()
    checked.set()


@pytest.mark.skipif(not hasattr(signal, "SIGINT") or os.name != "posix", reason="POSIX signals")
def test_ctrl_c_during_a_long_run_prints_a_partial_summary(tmp_path):
    """SIGINT once the run has checked cases (a 200000-case run, ``--progress lines`` read until a line shows some
    checked): exit 130, the report of the cases checked so far ("interrupted after N cases" with N at least the
    count seen, the INTERRUPTED/PASS line and the closing summary line), no traceback. The signal waits for the
    event, not for a fixed time: after a fixed 60 s it once arrived, under load, before any case was checked."""
    lines: list[str] = []
    checked = threading.Event()
    with open(tmp_path / "stdout", "w") as stdout:
        proc = _spawn_with_sigint([sys.executable, "-m", "compare", "--examples", "200000", "--progress", "lines"],
                                  stdout)
    reader = threading.Thread(target=_read_until_checked, args=(proc.stderr, lines, checked), daemon=True)
    reader.start()
    try:
        assert checked.wait(HANG_DEADLINE), "no progress line before the deadline: " + "".join(lines)[-2000:]
        seen = [int(m.group(1)) for m in map(CHECKED.match, lines) if m]
        assert seen and proc.poll() is None, "the run ended before it could be interrupted: " + "".join(lines)[-2000:]
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=HANG_DEADLINE)
        reader.join(timeout=HANG_DEADLINE)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    out, err = (tmp_path / "stdout").read_text(), "".join(lines)
    assert proc.returncode == 130, out + err
    interrupted = re.search(r"interrupted after ([0-9]+) cases", out)
    assert interrupted and int(interrupted.group(1)) >= seen[0], out
    assert out.splitlines()[0].startswith(("INTERRUPTED manual.grad", "PASS manual.grad", "FAIL manual.grad"))
    assert "cases in" in out.splitlines()[-1]
    assert "Traceback" not in out + err and "KeyboardInterrupt" not in out + err


def test_a_ctrl_c_dropped_inside_a_gc_callback_still_interrupts_the_run(monkeypatch):
    """CPython runs the SIGINT handler wherever the main thread is; inside a gc callback or a ``__del__`` (JAX
    registers a gc callback) the KeyboardInterrupt is "ignored" and the run went on to its end (reproduced with
    a SIGINT sent during the first chunk's compile). The noting handler's interrupt is raised again at the next
    chunk: the report is interrupted after the chunk it arrived in, and the interrupt counts as handled afterwards."""
    from compare.oracle.cases.cases import draw_cases
    from compare.oracle.cases.limits import CHUNK
    from compare.oracle.checks.check import check_grad
    from compare.oracle.sandbox import interrupts

    monkeypatch.setattr(sys, "unraisablehook", lambda unraisable: None)   # what CPython does with it: drop it

    class Dropped:
        def __del__(self):
            interrupts._handler(signal.SIGINT, None)

    calls = []

    def grad(params, x, y):
        calls.append(1)
        if len(calls) == 1:
            Dropped()                 # the interrupt arrives here and is swallowed
        return manual.grad(params, x, y)

    cases = draw_cases(3 * CHUNK, 0)
    report = check_grad(grad, cases, shrink_failure=False)
    assert report.interrupted and report.cases == len(calls) <= CHUNK      # the first chunk, no more
    assert not interrupts._pending
    assert check_grad(manual.grad, cases[:4]).ok                             # the next run is not interrupted



def test_a_ctrl_c_dropped_while_a_worker_is_stuck_ends_the_wait(tmp_path, monkeypatch):
    """A Ctrl-C noted but dropped (its KeyboardInterrupt swallowed in a gc callback) while the oracle waits for a
    worker stuck in one long call interrupts that wait within a slice instead of waiting out the per-call time
    limit: a SIGINT test once ran past its 120 s this way (stderr: "Exception ignored in: _xla_gc_callback")."""
    import threading

    from compare.oracle.cases.cases import draw_cases
    from compare.oracle.checks.check import check_file
    from compare.oracle.sandbox import interrupts, isolation

    monkeypatch.setattr(isolation, "CALL_TIME_LIMIT", 120.0)
    path = tmp_path / "stuck.py"
    path.write_text("import time\n\ndef grad(params, x, y):\n    time.sleep(1000)\n")
    started = threading.Event()
    timer = threading.Timer(3.0, lambda: (setattr(interrupts, "_pending", True), started.set()))
    timer.start()
    try:
        report = check_file(str(path), draw_cases(2, 0), shrink_failure=False)
    finally:
        timer.cancel()
        interrupts.handled()
    assert started.is_set()
    assert report.interrupted and report.failed == 0      # interrupted in the wait, not a time-out 120 s later

# ---- the sandbox itself, in process ------------------------------------------------------------------------

def test_call_guarded_restores_everything_and_reports_each_problem(capfd):
    """call_guarded: a result, or one problem per kind of misbehaviour; sys.stdout/stderr, NumPy's error
    state, the SIGALRM handler and any running timer of the caller are as they were afterwards."""
    before = (sys.stdout, sys.stderr, np.geterr(), signal.getsignal(signal.SIGALRM))

    def flood():
        print("x" * 50_000)
        return 7

    assert sandbox.call_guarded(flood, (), time_limit=1.0) == (7, None)
    assert sandbox.call_guarded(lambda: sys.exit(0), (), time_limit=1.0) == (
        None, sandbox.Problem("exit", "called sys.exit(0)"))
    message = sandbox.call_guarded(lambda: 1 / 0, (), time_limit=1.0)[1].message
    assert message.startswith("raised ZeroDivisionError at ") and "test_cli_hardening.py:" in message \
        and message.endswith(": division by zero"), message
    res, problem = sandbox.call_guarded(lambda: np.seterr(over="raise"), (), time_limit=1.0)
    assert problem.message.startswith("changed NumPy's global error state (np.seterr: over: warn -> raise)")
    res, problem = sandbox.call_guarded(time.sleep, (5,), time_limit=0.2)
    assert problem == sandbox.Problem("timeout", "took longer than 0.2 s (per-call time limit)")
    with pytest.raises(KeyboardInterrupt):
        sandbox.call_guarded(lambda: (_ for _ in ()).throw(KeyboardInterrupt), (), time_limit=1.0)
    assert (sys.stdout, sys.stderr, np.geterr(), signal.getsignal(signal.SIGALRM)) == before
    out, err = capfd.readouterr()
    assert out == "" and err == ""


def test_call_guarded_keeps_the_callers_own_alarm():
    """A timer the caller had running (pytest-timeout uses SIGALRM too) still fires: once, not before its 0.5 s,
    and by the end of a 1 s sleep after the guarded call (a timer lost, or re-armed to the guard's 5 s, would not
    have fired by then). No upper bound in seconds: under load the handler may run late, but before the sleep
    returns."""
    fired = []
    old = signal.signal(signal.SIGALRM, lambda *a: fired.append(time.monotonic()))
    try:
        start = time.monotonic()
        signal.setitimer(signal.ITIMER_REAL, 0.5)
        assert sandbox.call_guarded(time.sleep, (0.1,), time_limit=5.0) == (None, None)
        time.sleep(1.0)         # past the timer's 0.5 s: a timer left armed fires before this returns
        assert len(fired) == 1 and fired[0] - start > 0.4
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def test_check_grad_survives_a_hanging_candidate_without_waiting_for_each_case():
    """check_grad with a candidate that always hangs is called only a few times (3 timeouts in a row, then no
    longer waited for, except a probe on the 16th skipped call), so a FAIL report comes within a few time
    limits however many cases there are; and a hang is not shrunk. Counted in calls, not seconds: the wall time
    depends on the machine's load (the first call may wait for JAX to compile)."""
    limit = sandbox.CALL_TIME_LIMIT
    sandbox.CALL_TIME_LIMIT = 0.2
    calls = []
    try:
        def hang(params, x, y):
            calls.append(1)
            time.sleep(30)

        report = compare.check_grad(hang, compare.draw_cases(40, 0), shrink_failure=True)
        assert report.failed == 40 and "took longer than 0.2 s" in report.first.message
        assert len(calls) == sandbox.MAX_TIMEOUTS + 1          # 3 in a row, then the probe at the 16th skip
        assert report.shrunk is report.first
    finally:
        sandbox.CALL_TIME_LIMIT = limit
        sandbox.reset()


def test_a_candidate_that_recovers_is_called_again():
    """Timeouts only count in a row: a candidate slow on a few cases is called, and judged, on the others."""
    limit = sandbox.CALL_TIME_LIMIT
    sandbox.CALL_TIME_LIMIT = 0.2
    calls = []
    try:
        def sometimes_slow(params, x, y):
            calls.append(1)
            if len(calls) % 4 == 1:
                time.sleep(5)
            return manual.grad(params, x, y)

        report = compare.check_grad(sometimes_slow, compare.draw_cases(12, 0), shrink_failure=False)
        assert report.failed == 3 and report.cases == 12
    finally:
        sandbox.CALL_TIME_LIMIT = limit
        sandbox.reset()


def test_a_shipped_controls_path_works_from_any_folder(tmp_path):
    """``compare/controls/...`` paths (the README's, the kill table's reproduce lines) name the installed package's
    file when they are not there relative to the working directory, as after ``pip install``: from an empty
    folder a wrong control is checked (exit 1, a report), a right step control passes (exit 0), and a path that
    is no shipped control is still 'no such file' (exit 2)."""
    def run_in(*args):
        return oracle_cli.run([*args, "--examples", "20", "--progress", "off"], cwd=tmp_path)

    wrong = run_in("--candidate", "compare/controls/wrong_sign.py")
    assert wrong.returncode == 1 and "FAIL compare/controls/wrong_sign.py" in wrong.stdout, wrong.stderr[-2000:]
    step = run_in("--step", "compare/controls/steps/right_in_place.py")
    assert step.returncode == 0, step.stdout[-2000:] + step.stderr[-2000:]
    missing = run_in("--candidate", "compare/controls/no_such_control.py")
    assert missing.returncode == 2 and "no such file" in missing.stderr


def test_the_command_line_in_a_callers_process_gives_back_its_time_limit():
    """``compare.cli.main([... "--time-limit", T])`` sets the per-call limit for its run only: a caller's later
    library checks keep theirs (a 0.5 s limit left behind timed out a JAX compile in a later check)."""
    from compare.cli import main
    from compare.oracle.sandbox import isolation

    before = isolation.CALL_TIME_LIMIT
    status = main(["--candidate", str(ROOT / "compare" / "controls" / "right_einsum.py"), "--examples", "3",
                   "--time-limit", "0.75", "--progress", "off", "--no-shrink"])
    assert status == 0 and isolation.CALL_TIME_LIMIT == before


GC_CTRL_C = """
import gc, os, signal
from compare.oracle.sandbox import interrupts

signal.signal(signal.SIGINT, signal.default_int_handler)   # as a terminal starts it: a background shell ignores it
interrupts.install()
fired = []

def callback(phase, info):
    if phase == "start" and not fired:
        fired.append(1)
        os.kill(os.getpid(), signal.SIGINT)     # lands here, inside the gc callback, as JAX's can be hit
        for _ in range(1000):
            pass

gc.callbacks.append(callback)
gc.collect()
gc.callbacks.remove(callback)
try:
    interrupts.check()
    print("lost")
except KeyboardInterrupt:
    print("noted")
"""


def test_a_ctrl_c_that_lands_in_a_gc_callback_is_kept_and_prints_no_traceback():
    """A SIGINT while a gc callback runs (JAX's ``_xla_gc_callback``): CPython drops the KeyboardInterrupt the handler
    raises there and printed "Exception ignored ... Traceback" on stderr under the oracle's report; the handler
    notes it (``check()`` raises it again) and the dropped one prints nothing."""
    out = subprocess.run([sys.executable, "-c", GC_CTRL_C], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == "noted", out.stdout + out.stderr
    assert "Traceback" not in out.stderr and "Exception ignored" not in out.stderr, out.stderr
