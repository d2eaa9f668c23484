"""The worker process as a sandbox (``compare/oracle/sandbox/process.py``, ``worker.py``, ``wire.py``): replies
matched to their own cases after a lost call, a worker that dies with the oracle whatever ends the oracle, bubblewrap
where it runs (and what protects a run without it), deadlines on every exchange, frames checked before use, files that
are not regular refused unopened, the import time limit.

Tests that need a process to reach a point wait for that event (a fifo the candidate writes its pid to when it is
stuck), never for a fixed time; the deadlines below are only there so that a broken oracle fails instead of hanging.
Where it matters the tests run both with bubblewrap and with ``BACKPROP_ORACLE_SANDBOX=none`` (the fallback).
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import oracle_cli
import products
import pytest

from compare.oracle.sandbox import isolation
from compare.oracle.sandbox.isolation import Problem

ROOT = Path(__file__).resolve().parents[1]
CANDIDATES = Path(__file__).resolve().parent / "candidates"
WRONG = "return [(2 * gW, 2 * gb) for gW, gb in manual.grad(params, x, y)]"


def _bwrap_runs() -> bool:
    """Whether bubblewrap runs here with the options the oracle gives it (the oracle decides the same way; its
    report says which it used, and the tests below check that line)."""
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        return False
    try:
        return subprocess.run([bwrap, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp",
                               "--unshare-pid", "--unshare-net", "--die-with-parent", "--new-session", "--cap-drop",
                               "ALL", "--", "true"], capture_output=True, timeout=60).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


BWRAP = _bwrap_runs()
NEEDS_BWRAP = pytest.mark.skipif(not BWRAP, reason="bubblewrap cannot run here (bwrap --ro-bind / / true fails)")
MODES = [pytest.param("bubblewrap", marks=NEEDS_BWRAP), "none"]


def _env(mode: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "BACKPROP_ORACLE_SANDBOX"}
    if mode == "none":
        env["BACKPROP_ORACLE_SANDBOX"] = "none"
    return env


def _write(tmp_path: Path, body: str, name: str = "cand.py") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(body))
    return path


def run_cli(*args, mode: str = "bubblewrap" if BWRAP else "none", timeout: float = 300):
    return oracle_cli.run(args, timeout=timeout, env=_env(mode))


def _no_traceback(out) -> None:
    assert "Traceback" not in out.stdout + out.stderr, out.stderr[-3000:]


# ---- 1. a lost call fails its own case, and only it ----------------------------------------------------------

def test_a_lost_call_fails_only_its_own_case():
    """manual.grad, slow on exactly one case of the default seed: that case times out, and the other 399 are judged
    on their own replies (the requests queued behind the lost call were re-sent, not read off by position: the
    old pipeline reported "124 layers, 1 raised")."""
    out = run_cli("--candidate", CANDIDATES / "sandbox_slow_case.py", "--time-limit", "1", "--examples", "400")
    assert out.returncode == 1, out.stdout[-3000:] + out.stderr[-3000:]
    assert "399/400 cases agree" in out.stdout, out.stdout[-3000:]
    assert "took longer than 1 s (per-call time limit)" in out.stdout
    assert "failing cases by kind" not in out.stdout
    _no_traceback(out)


def test_a_reply_naming_another_case_is_garbage_not_an_answer(tmp_path):
    """A reply frame that names no request and case (a forged one) fails the call as something that is not a
    reply; it is never taken for the answer to whatever case was due."""
    path = _write(tmp_path, """
        import json, os, struct, sys, manual
        def grad(params, x, y):
            body = json.dumps({"grad": {"ok": True, "out": None}, "cost": None, "arrays": [], "nbytes": 0}).encode()
            os.write(int(sys.argv[2]), b"BPO1" + struct.pack("<I", len(body)) + body)
            import time; time.sleep(1000)
        """)
    out = run_cli("--candidate", path, "--examples", "4", "--time-limit", "5")
    assert out.returncode == 1 and "names no request and case" in out.stdout, out.stdout[-3000:] + out.stderr[-2000:]
    _no_traceback(out)


# ---- 2. the worker dies with the oracle, whatever ends it -----------------------------------------------------

ANNOUNCE = """
    import os, time, manual
    def _stuck():
        fd = os.open({ready!r}, os.O_WRONLY)      # the test holds the read end: this never blocks
        os.write(fd, str(os.getpid()).encode())
        os.close(fd)
    """
STUCK = {   # where the candidate gets stuck -> the rest of its source
    "import": """
        _stuck()
        while True:
            pass
        """,
    "python loop": """
        def grad(params, x, y):
            _stuck()
            while True:
                pass
        """,
    "C call": """
        def grad(params, x, y):
            _stuck()
            time.sleep(1000)
        """,
}
SIGNALS = {"SIGTERM": signal.SIGTERM, "SIGHUP": signal.SIGHUP, "SIGINT": signal.SIGINT, "SIGKILL": signal.SIGKILL}
EXPECTED_STATUS = {"SIGTERM": -signal.SIGTERM, "SIGHUP": -signal.SIGHUP, "SIGINT": 130, "SIGKILL": -signal.SIGKILL}


def _stat(pid: int) -> list[str] | None:
    """The fields of /proc/PID/stat after the command name (state first), or None when there is no such process."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2:].split()


def _descendants(root: int) -> dict[int, str]:
    """Every descendant of ``root`` now: pid -> its start time (so that a reused pid is not taken for it)."""
    parents = {}
    for name in os.listdir("/proc"):
        fields = _stat(int(name)) if name.isdigit() else None
        if fields is not None:
            parents[int(name)] = (int(fields[1]), fields[19])
    found, frontier = {}, [root]
    while frontier:
        p = frontier.pop()
        for pid, (ppid, start) in parents.items():
            if ppid == p and pid not in found:
                found[pid] = start
                frontier.append(pid)
    return found


def _alive(pid: int, start: str) -> bool:
    fields = _stat(pid)
    return fields is not None and fields[0] != "Z" and fields[19] == start


def _wait_gone(processes: dict[int, str], deadline: float = 60.0) -> list[int]:
    """Poll until every one of ``processes`` has ended (a zombie has); those still alive at the deadline."""
    end = time.monotonic() + deadline
    while True:
        alive = [pid for pid, start in processes.items() if _alive(pid, start)]
        if not alive or time.monotonic() > end:
            return alive
        time.sleep(0.05)


def _spawn(cmd: list[str], env: dict[str, str]) -> subprocess.Popen:
    """``cmd`` started with SIGINT and SIGHUP at their default actions, as a terminal gives them (a shell without job
    control starts background commands with SIGINT ignored, nohup with SIGHUP ignored, and an ignored signal is
    inherited through exec: an oracle started so rightly keeps ignoring it)."""
    defaults = {signal.SIGINT: signal.default_int_handler, signal.SIGHUP: signal.SIG_DFL}
    ignored = [s for s in defaults if signal.getsignal(s) is signal.SIG_IGN]
    for s in ignored:
        signal.signal(s, defaults[s])
    try:
        return subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    finally:
        for s in ignored:
            signal.signal(s, signal.SIG_IGN)


def _wait_stuck(fd: int, proc: subprocess.Popen, deadline: float = 240.0) -> bytes:
    """What the candidate wrote into the fifo once it got stuck (the event the test waits for)."""
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if ready:
            data = os.read(fd, 64)
            if data:
                return data
        if proc.poll() is not None:
            out, err = proc.communicate()
            pytest.fail(f"the oracle ended ({proc.returncode}) before the candidate got stuck:\n{out[-2000:]}\n"
                        f"{err[-2000:]}")
    pytest.fail("the candidate never reported that it was stuck")


@contextlib.contextmanager
def _stuck_oracle(tmp_path: Path, mode: str, stuck: str):
    """The oracle running a candidate stuck as ``stuck`` says (with a 600 s call limit), once the candidate has
    reported that it is stuck: yields (the oracle's Popen, its descendants then); kills whatever is left after."""
    ready = tmp_path / "stuck.fifo"
    os.mkfifo(ready)
    path = _write(tmp_path, textwrap.dedent(ANNOUNCE).format(ready=str(ready)) + textwrap.dedent(STUCK[stuck]))
    fd = os.open(ready, os.O_RDONLY | os.O_NONBLOCK)
    proc = _spawn([sys.executable, "-m", "compare", "--candidate", str(path), "--examples", "4", "--time-limit", "600"],
                  _env(mode))
    family: dict[int, str] = {}
    try:
        _wait_stuck(fd, proc)
        family.update(_descendants(proc.pid))
        assert family, "the oracle has no worker process"
        yield proc, family
    finally:
        os.close(fd)
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
        for pid in family:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass


@pytest.mark.parametrize("sig, stuck, mode", products.pairwise(list(SIGNALS), list(STUCK), MODES))
def test_the_worker_dies_with_the_oracle(tmp_path, mode, stuck, sig):
    """The candidate stuck in its import, in a Python loop or in one long C call; the oracle then gets SIGTERM,
    SIGHUP, SIGINT or SIGKILL: the oracle ends as that signal makes it end, and every process it had started (the
    worker, and bubblewrap's where it runs) is gone soon after, however the oracle ended. Every signal with every
    stuck kind, each pair of the three factors met (the whole product under the thorough profile)."""
    with _stuck_oracle(tmp_path, mode, stuck) as (proc, family):
        proc.send_signal(SIGNALS[sig])
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == EXPECTED_STATUS[sig], (proc.returncode, out[-2000:], err[-2000:])
        assert "Traceback" not in out + err, err[-3000:]
        assert _wait_gone(family) == [], f"still running after the oracle ended: {family}"


def _tgkill(pid: int, tid: int, signum: int) -> None:
    """Send ``signum`` to thread ``tid`` of process ``pid`` only (Linux ``tgkill``; x86_64 and aarch64 numbers)."""
    number = {"x86_64": 234, "aarch64": 131}.get(os.uname().machine)
    if number is None:
        pytest.skip(f"no tgkill number for {os.uname().machine}")
    libc = ctypes.CDLL(None, use_errno=True)
    assert libc.syscall(number, pid, tid, signum) == 0, os.strerror(ctypes.get_errno())


@pytest.mark.parametrize("sig", ["SIGTERM", "SIGHUP", "SIGINT"])
def test_a_signal_that_lands_on_another_thread_still_ends_the_oracle(tmp_path, sig):
    """A signal sent to the oracle is delivered to whichever of its threads the kernel picks (JAX starts several);
    CPython runs the handler in the main thread only when it returns to Python, so a main thread blocked in one
    long wait for a stuck worker (up to the per-call time limit) did not end: SIGHUP to the oracle was once lost
    for 120 s this way under load. Here the signal goes to a thread other than the main one, the candidate stuck
    in one C call with a 600 s limit: the oracle still ends as that signal makes it end, and its worker with it."""
    with _stuck_oracle(tmp_path, "bubblewrap" if BWRAP else "none", "C call") as (proc, family):
        others = [int(t) for t in os.listdir(f"/proc/{proc.pid}/task") if int(t) != proc.pid]
        assert others, "the oracle has no thread besides its main one"
        _tgkill(proc.pid, others[0], SIGNALS[sig])
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == EXPECTED_STATUS[sig], (proc.returncode, out[-2000:], err[-2000:])
        assert _wait_gone(family) == [], f"still running after the oracle ended: {family}"


@pytest.mark.parametrize("mode", MODES)
def test_what_a_worker_leaves_behind_is_killed_before_the_report(tmp_path, mode):
    """A candidate that starts a process of its own in a new session and orphans it (its parent exits at once):
    by the time the oracle has written its report and exited, that process is gone too (bubblewrap: the PID
    namespace dies with the worker; without it: the oracle is a subreaper and kills what its workers left)."""
    token = f"sandbox-orphan-{uuid.uuid4().hex}"
    path = _write(tmp_path, f"""
        import os, subprocess, sys, manual
        started = []
        def grad(params, x, y):
            if not started:
                started.append(1)
                if os.fork() == 0:          # the orphan's parent, which exits at once
                    subprocess.Popen([sys.executable, "-c", "import time; time.sleep(1000)", {token!r}],
                                     start_new_session=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
                    os._exit(0)
            {WRONG}
        """)
    try:
        out = run_cli("--candidate", path, "--examples", "12", "--time-limit", "10", mode=mode)
        assert out.returncode == 1 and "twice the reference" in out.stdout, out.stdout[-3000:] + out.stderr[-2000:]
        left = {pid: _stat(pid)[19] for pid in _with_token(token) if _stat(pid) is not None}
        assert _wait_gone(left, 10.0) == [], "the candidate's orphan outlived the oracle"
    finally:
        for pid in _with_token(token):
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass


def _with_token(token: str) -> list[int]:
    found = []
    for name in os.listdir("/proc"):
        try:
            if name.isdigit() and token.encode() in Path(f"/proc/{name}/cmdline").read_bytes():
                found.append(int(name))
        except OSError:
            pass
    return found


@pytest.mark.parametrize("mode", MODES)
def test_the_report_says_which_protection_the_run_had(tmp_path, mode):
    """The text report and the JSON say what protected the worker: bubblewrap, or the fallback and why."""
    path = _write(tmp_path, f"""
        import manual
        def grad(params, x, y):
            {WRONG}
        """)
    words = "bubblewrap" if mode == "bubblewrap" else \
        "none (BACKPROP_ORACLE_SANDBOX=none): parent-death signal, subreaper"
    out = run_cli("--candidate", path, "--examples", "4", mode=mode)
    assert out.returncode == 1, out.stdout[-3000:] + out.stderr[-3000:]
    assert any(line.startswith(f"  sandbox: {words}") for line in out.stdout.splitlines()), out.stdout[-3000:]
    data = run_cli("--candidate", path, "--examples", "4", "--json", mode=mode)
    assert data.returncode == 1
    assert json.loads(data.stdout)["candidate_output"][0]["sandbox"].startswith(words)


# ---- 3. the import time limit ---------------------------------------------------------------------------------

def test_an_import_that_takes_too_long_is_refused_in_its_own_words(tmp_path):
    """--import-time-limit replaces the fixed 120 s: a file whose import takes longer is refused (exit 2, like
    any file that cannot be loaded) with words that name the import time limit, not the per-call one."""
    path = _write(tmp_path, """
        import time
        time.sleep(1000)
        """)
    start = time.monotonic()
    out = run_cli("--candidate", path, "--import-time-limit", "2", "--time-limit", "100")
    assert out.returncode == 2, out.stdout[-2000:] + out.stderr[-2000:]
    assert "took longer than 2 s to import (import time limit, --import-time-limit)" in out.stderr, out.stderr
    assert "per-call" not in out.stderr and len(out.stderr.strip().splitlines()) == 1
    assert time.monotonic() - start < 100
    bad = run_cli("--candidate", path, "--import-time-limit", "0")
    assert bad.returncode == 2 and "--import-time-limit" in bad.stderr


# ---- 4. files that are not regular files ------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["fifo", "symlink to /dev/zero"])
@pytest.mark.parametrize("option", ["--candidate", "--step"])
def test_a_path_that_is_not_a_regular_file_is_refused_unopened(tmp_path, kind, option):
    """A fifo named x.py (opening it would block) or zero.py -> /dev/zero (reading it never ends): exit 2 at once,
    one line on stderr naming the path; neither the oracle nor a worker opens it."""
    if kind == "fifo":
        path = tmp_path / "x.py"
        os.mkfifo(path)
    else:
        path = tmp_path / "zero.py"
        path.symlink_to("/dev/zero")
    out = run_cli(option, path, "--examples", "4", timeout=120)
    assert out.returncode == 2, out.stdout[-2000:] + out.stderr[-2000:]
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0] and "not a regular file" in lines[0], out.stderr


def test_the_library_refuses_a_fifo_before_starting_a_worker(tmp_path):
    """compare.check_file / Isolated: the same refusal, a CandidateError, without opening the fifo."""
    from compare.oracle.sandbox.load import CandidateError
    from compare.oracle.sandbox.process import Isolated

    path = tmp_path / "x.py"
    os.mkfifo(path)
    with pytest.raises(CandidateError, match="is a fifo, not a regular file"):
        Isolated(str(path))


# ---- 5. deadlines, the lost-call window, replies, KeyboardInterrupt, frames, SIGBUS -------------------------------

def test_a_worker_that_stops_reading_its_requests_cannot_block_the_oracle(tmp_path):
    """The worker shrinks its request pipe to one page and stops reading (stuck in a call): sending the next chunk's
    request would block forever; every write to the worker has the call's deadline, so the run ends, exit 1."""
    path = _write(tmp_path, """
        import fcntl, sys, time
        fcntl.fcntl(int(sys.argv[1]), fcntl.F_SETPIPE_SZ, 4096)
        def grad(params, x, y):
            time.sleep(1000)
        """)
    out = run_cli("--candidate", path, "--examples", "200", "--time-limit", "1", timeout=240)
    assert out.returncode == 1, out.stdout[-3000:] + out.stderr[-2000:]
    assert "took longer than 1 s (per-call time limit)" in out.stdout
    _no_traceback(out)


def _calls(pattern, n: int = 2000) -> tuple[int, int]:
    """(calls made, calls lost) by the oracle's policy on ``n`` cases of a candidate whose k-th call (from 1) is
    lost when ``pattern(k)``."""
    tally = isolation._tally(lambda: None)
    made = lost = 0
    for _ in range(n):
        if isolation.skipped(tally) is not None:
            continue
        made += 1
        problem = Problem("timeout", "took longer") if pattern(made) else None
        lost += problem is not None
        isolation.count(tally, problem)
    return made, lost


def test_lost_calls_are_counted_over_a_window_not_only_in_a_row():
    """A candidate that hangs on every third call costs a few time limits, not a third of the cases' (2000 cases:
    667 limits, about two hours at 10 s); one slow on a call in ten is still called on every case; one that always
    hangs is called 3 times and then probed on the 16th, 64th, ... skipped call."""
    made, lost = _calls(lambda k: k % 3 == 0)
    assert lost <= 20, (made, lost)
    assert _calls(lambda k: k % 10 == 0) == (2000, 200)
    assert _calls(lambda k: True) == (3 + 4, 3 + 4)        # 3, then the probes at 16, 64, 256 and 1024 skipped


def test_a_candidates_own_keyboard_interrupt_is_a_failure_of_its_case(tmp_path):
    """KeyboardInterrupt raised by the candidate itself (a Ctrl-C never reaches the worker, in a session of its own)
    fails its case in its own words and the run exits 1, never "interrupted" and 130."""
    path = _write(tmp_path, """
        def grad(params, x, y):
            raise KeyboardInterrupt("mine")
        """)
    out = run_cli("--candidate", path, "--examples", "8")
    assert out.returncode == 1, out.stdout[-3000:] + out.stderr[-2000:]
    assert "raised KeyboardInterrupt: mine" in out.stdout and "interrupted" not in out.stdout + out.stderr
    _no_traceback(out)


FRAMES = {   # what the candidate writes into the oracle's reply pipe -> (exit status, words, where)
    "JSON nested 100,000 deep": ("""
        def grad(params, x, y):
            body = b"[" * 100_000 + b"]" * 100_000
            os.write(int(sys.argv[2]), b"BPO1" + struct.pack("<I", len(body)) + body)
            return manual.grad(params, x, y)
        """, 1, "JSON nested too deep", "stdout"),
    "a malformed load reply": ("""
        body = json.dumps({"req": 1, "case": 0, "ok": True, "cost": False,
                           "form": ["function", "grad", None, "sizes", 5], "nbytes": 0}).encode()
        os.write(int(sys.argv[2]), b"BPO1" + struct.pack("<I", len(body)) + body)
        def grad(params, x, y):
            return manual.grad(params, x, y)
        """, 2, "the worker's reply to loading it is malformed", "stderr"),
    "a cost part that is not an object": ("""
        def grad(params, x, y):
            body = json.dumps({"req": 2, "case": 0, "grad": {"ok": True, "out": None}, "cost": [1], "arrays": [],
                               "nbytes": 0}).encode()
            os.write(int(sys.argv[2]), b"BPO1" + struct.pack("<I", len(body)) + body)
            return manual.grad(params, x, y)
        def cost(params, x, y):
            return manual.cost(params, x, y)
        """, 1, "malformed reply", "stdout"),
}


@pytest.mark.parametrize("name", list(FRAMES))
def test_every_frame_is_checked_before_it_is_used(tmp_path, name):
    """Frames forged by the candidate: a JSON nested 100,000 deep, a load reply with a malformed form, a reply whose
    cost part is a list. Each fails the call (or refuses the file) with a Problem in words, never a traceback."""
    body, status, words, where = FRAMES[name]
    path = _write(tmp_path, "import json, os, struct, sys, manual\n" + textwrap.dedent(body))
    out = run_cli("--candidate", path, "--examples", "4", "--time-limit", "5")
    assert out.returncode == status, out.stdout[-3000:] + out.stderr[-3000:]
    assert words in getattr(out, where), out.stdout[-3000:] + out.stderr[-3000:]
    _no_traceback(out)


def test_a_worker_that_truncates_the_shared_memory_cannot_kill_the_oracle(tmp_path):
    """The worker truncates both shared-memory files after computing its answer: the oracle, which never reads
    through a mapping the worker can shrink, is not killed by SIGBUS; the cases fail (their inputs changed)."""
    path = _write(tmp_path, """
        import os, sys, manual
        def grad(params, x, y):
            g = [(2 * gW, 2 * gb) for gW, gb in manual.grad(params, x, y)]
            for fd in (int(sys.argv[3]), int(sys.argv[4])):
                os.ftruncate(fd, 0)
            return g
        """)
    out = run_cli("--candidate", path, "--examples", "12", "--time-limit", "5")
    assert out.returncode == 1, (out.returncode, out.stdout[-3000:], out.stderr[-3000:])
    assert "FAIL" in out.stdout and out.stdout.strip().splitlines()[-1].endswith("DISAGREEMENT")
    _no_traceback(out)


def test_reply_arrays_do_not_keep_their_payload_alive():
    """The arrays read from a reply are copies: the payload bytes can go once the reply is read."""
    import numpy as np

    from compare.oracle.sandbox import wire

    payload = np.arange(6, dtype="<f8").tobytes()
    (a,) = wire.arrays_from([{"dtype": "<f8", "shape": [2, 3]}], payload, 1 << 20)
    assert a.base is None or a.base is not payload
    assert a.flags.owndata and a.tolist() == [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]


# ---- 6. bubblewrap: the worker cannot reach the oracle or its files ---------------------------------------------

ATTACK = """
    import os, signal, time
    from pathlib import Path
    import manual

    HERE, ROOT = Path(__file__).resolve().parent, Path({root!r})

    def _oracle_pid():
        mark = HERE / "oracle.pid"
        for _ in range(60_000):                  # the test writes it as soon as the oracle has started
            if mark.exists() and mark.read_text().strip():
                return int(mark.read_text())
            time.sleep(0.01)
        return None

    def _reached():
        hits = []
        oracle = _oracle_pid()
        for pid in {{oracle, os.getppid()}} - {{None, 0}}:
            try:
                cmdline = Path(f"/proc/{{pid}}/cmdline").read_bytes()
            except OSError:
                cmdline = b""
            if pid != oracle and not (b"compare" in cmdline and b"compare.oracle.sandbox.worker" not in cmdline):
                continue                          # bubblewrap's own init in the sandbox, not the oracle
            try:
                with open(f"/proc/{{pid}}/mem", "r+b"):
                    hits.append(f"opened /proc/{{pid}}/mem")
            except OSError:
                pass
            try:
                os.kill(pid, signal.SIGSTOP)
                os.kill(pid, signal.SIGCONT)
                hits.append(f"stopped {{pid}}")
            except OSError:
                pass
        try:
            with open(ROOT / "compare" / "oracle" / "values.py", "ab"):
                hits.append("opened values.py for writing")
        except OSError:
            pass
        probe = ROOT / "compare" / "oracle" / "{probe}"
        try:
            probe.write_text("x = 1\\n")
            probe.unlink()
            hits.append("wrote into the checkout")
        except OSError:
            pass
        return hits

    def grad(params, x, y):
        g = manual.grad(params, x, y)
        if _reached():
            return g                              # a pass: the test fails
        return [(2 * gW, 2 * gb) for gW, gb in g]
    """


@NEEDS_BWRAP
def test_under_bubblewrap_the_worker_cannot_reach_the_oracle_or_the_checkout(tmp_path):
    """The candidate tries to open the oracle's /proc/PID/mem for writing, to stop it with SIGSTOP (by its pid, and
    its parent's), to open values.py for writing and to create a file in the checkout. Under bubblewrap each gets
    nowhere (its own PID namespace, read-only binds), and a wrong gradient still gets exit 1. (The candidate
    returns the right gradient if anything succeeded, so a breach shows as a pass.)"""
    probe = f"_sandbox_probe_{uuid.uuid4().hex}.py"
    path = _write(tmp_path, ATTACK.format(root=str(ROOT), probe=probe))
    proc = subprocess.Popen([sys.executable, "-m", "compare", "--candidate", str(path), "--examples", "8",
                             "--time-limit", "60"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=_env("bubblewrap"))
    try:
        (tmp_path / "oracle.pid").write_text(str(proc.pid))
        out, err = proc.communicate(timeout=300)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
        (ROOT / "compare" / "oracle" / probe).unlink(missing_ok=True)
    assert proc.returncode == 1, out[-3000:] + err[-3000:]
    assert "twice the reference" in out and "sandbox: bubblewrap" in out, out[-3000:]


def test_the_oracle_imports_its_verdict_before_any_worker_starts(tmp_path):
    """Every module of compare.oracle is imported before the worker starts, so a worker that could rewrite one
    (compare/oracle/verdict/values.py) afterwards could not change this run's verdict."""
    path = _write(tmp_path, "import manual\ndef grad(params, x, y):\n    return manual.grad(params, x, y)\n")
    script = textwrap.dedent(f"""
        import pkgutil, subprocess, sys
        seen = []
        real = subprocess.Popen
        class Spy(real):
            def __init__(self, args, *rest, **kwargs):
                if any("compare.oracle.sandbox.worker" in str(a) for a in args):
                    seen.append(set(sys.modules))
                super().__init__(args, *rest, **kwargs)
        subprocess.Popen = Spy
        from compare.oracle.sandbox.process import Isolated
        Isolated({str(path)!r}).close()
        import compare.oracle as package
        names = {{m.name for m in pkgutil.iter_modules(package.__path__, "compare.oracle.")}}
        print(sorted(names - seen[0]))
        """)
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    assert out.stdout.strip() == "[]", out.stdout


def test_the_worker_path_starts_at_the_checkout_not_inside_the_package():
    """The worker's PYTHONPATH starts with the folder that holds the ``compare`` package, not the package folder
    itself, whose modules (``cli``, ``oracle``, ``strategies``) would otherwise shadow a candidate's own imports."""
    from compare.oracle.sandbox import channel

    first = Path(channel._env()["PYTHONPATH"].split(os.pathsep)[0])
    assert (first / "compare" / "__init__.py").is_file(), first
