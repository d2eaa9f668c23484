"""Every value on the command line is checked against a stated bound before any work starts (issue 24): a
mistyped exponent, an infinite learning rate or an unwritable report file is one usage line on stderr and exit
status 2, never a traceback, a swap storm or a run that never ends; a file name's control characters are shown
escaped wherever the command line prints it; ``--help`` names every subcommand; ``--progress lines`` prints
plain progress lines a script can wait for.

Each run is a subprocess under a deadline (a hang fails the test instead of stalling the suite) and an
address-space cap (a bound that regresses fails with MemoryError instead of taking the machine's memory).
No assertion is about wall time: the tests must hold on a loaded 2-core machine.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from compare.cli import SUBCOMMANDS, options
from compare.cli import args as cli_args
from compare.cli import oracle as cli_oracle
from compare.cli.progress import Progress

ROOT = Path(__file__).resolve().parents[1]
DEADLINE = 300                 # seconds: only a hang reaches it; a usage error takes a few seconds under load
ADDRESS_SPACE = 6 * 2**30      # soft RLIMIT_AS of the oracle's process: JAX and a small run fit, 10^9 floats do not
STEP = "compare/controls/steps/right_in_place.py"
EPOCH = "compare/controls/steps/right_epoch_loop.py"
RIGHT = "compare/controls/right_einsum.py"
EPOCH_CASE = "sizes=2-2 batch=4 scale=1.0 dtype=float64 seed=7"

# ``python -m compare ARGS`` with the address-space cap set first (soft only: the candidate's worker may still
# set its own limit, which needs the hard one unchanged).
LAUNCH = textwrap.dedent("""
    import resource, runpy, sys
    cap = int(sys.argv.pop(1))
    if hasattr(resource, "RLIMIT_AS"):
        hard = resource.getrlimit(resource.RLIMIT_AS)[1]
        if hard == resource.RLIM_INFINITY or hard > cap:
            resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    runpy.run_module("compare", run_name="__main__", alter_sys=True)
""")


def run_cli(*args: str) -> subprocess.CompletedProcess:
    """``python -m compare ARGS`` in the project folder, capped (module docstring); TimeoutExpired on a hang."""
    return subprocess.run([sys.executable, "-c", LAUNCH, str(ADDRESS_SPACE), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=DEADLINE)


def assert_usage_line(out: subprocess.CompletedProcess, words: str, prog: str = "python -m compare") -> str:
    """Exit 2, nothing on stdout, exactly one line on stderr from ``prog`` containing ``words``; that line."""
    assert out.returncode == 2, (out.returncode, out.stdout[-2000:], out.stderr[-2000:])
    assert out.stdout == ""
    lines = out.stderr.splitlines()
    assert len(lines) == 1, out.stderr[-3000:]
    assert lines[0].startswith(f"{prog}: error: ") and words in lines[0], lines[0]
    return lines[0]


# ---- 1. bounds -----------------------------------------------------------------------------------------------

DEEP_CASE = "sizes=" + "-".join(["1"] * 1002) + " batch=0 scale=1.0 dtype=float64 seed=1"


@pytest.mark.parametrize("argv, words", [
    # sizes, depth and batch of the gradient suite: at most 2^28 numbers in a case, at most 1000 layers
    (["--sizes", "1000000000-1", "--examples", "1"], "at most 268,435,456 (2^28)"),
    (["--sizes", "2000-1000000", "--examples", "1"], "at most 268,435,456 (2^28)"),
    (["--batch", "1000000000", "--examples", "1"], "argument --batch: must be an integer between 0 and 268435456"),
    (["--sizes", "64-64", "--batch", "10000000", "--examples", "1"], "at most 268,435,456 (2^28)"),
    (["--batch", "10000000", "--examples", "1"], "widths up to 64 (drawn)"),
    (["--depth", "1000000000", "--examples", "1"], "argument --depth: must be an integer between 1 and 1000"),
    (["--sizes", "-".join(["2"] * 1002), "--examples", "1"], "at most 1000 layers"),
    (["--case", DEEP_CASE], "at most 1000 layers"),
    (["--sizes", "*-1000000000-1", "--examples", "1"], "at most 268,435,456 (2^28)"),   # * counts as 64 wide
    (["--sizes", "3,5-4-3-1", "--examples", "1"], "separated by - or by , alone"),     # not read as 5 layers
    (["--sizes", "*-0-1", "--examples", "1"], "--sizes must be two or more layer sizes"),
    (["--seed", str(2**64), "--examples", "1"], "--seed must be >= 0 and < 2^64"),
    # the candidate's memory limit
    (["--candidate", RIGHT, "--examples", "1", "--memory-limit", "1e30"],
     "argument --memory-limit: must be a finite number > 0 and <= 1,048,576"),
    # --step and --epoch share the sizes; eta and the mini-batch are theirs
    (["--step", STEP, "--batch", "1000000000", "--examples", "1"], "argument --batch"),
    (["--step", STEP, "--sizes", "1000000000-1", "--examples", "1"], "at most 268,435,456 (2^28)"),
    (["--step", STEP, "--mini-batch", "3", "--examples", "1"], "--mini-batch is the mini-batch size of --epoch"),
    (["--step", STEP, "--eta", "inf", "--examples", "1"],
     "argument --eta: must be a finite number > 0 and <= 1,000,000"),
    (["--step", STEP, "--eta", "nan", "--examples", "1"], "argument --eta: must be a finite number > 0"),
    (["--step", STEP, "--eta", "0", "--examples", "1"], "argument --eta: must be a finite number > 0"),
    (["--step", STEP, "--eta", "-0.5", "--examples", "1"], "argument --eta: must be a finite number > 0"),
    (["--step", STEP, "--eta", "1e300", "--examples", "1"], "argument --eta: must be a finite number > 0"),
    (["--epoch", EPOCH, "--case", EPOCH_CASE, "--eta", "0.1", "--mini-batch", "1000000000"],
     "argument --mini-batch: must be an integer between 1 and 268435456"),
    (["--epoch", EPOCH, "--case", EPOCH_CASE.replace("batch=4", "batch=0"), "--eta", "0.1", "--mini-batch", "1"],
     "--epoch --case needs a batch of m >= 1 examples"),
])
def test_a_value_beyond_its_bound_is_one_usage_line(argv, words):
    """Each value past its bound (10^9 where a size is asked, inf/nan/0/negative/1e300 for eta, 1e30 GiB of
    memory, 1002 layers) is refused before any work: exit 2, one line on stderr that states the bound, nothing on
    stdout, no traceback. Before issue 24 these ended in a MemoryError or ValueError traceback (sizes, batch,
    memory, eta inf), ran for ever (depth 10^9: a loop of 10^9 widths per case), or ran with a meaningless value
    (mini-batch 10^9, eta 1e300, seed 2^64, an epoch of one 1-D example)."""
    assert_usage_line(run_cli(*argv), words)


@pytest.mark.parametrize("argv, words", [
    (["train", "--sizes", "64,1000000000,10"], "at most 268,435,456 (2^28)"),
    (["diagram", "64,1000000000,10"], "at most 268,435,456 (2^28)"),
    (["diagram", ",".join(["3"] * 1002)], "at most 1000 layers"),
])
def test_the_subcommands_sizes_are_bounded_too(argv, words):
    """``train`` and ``diagram`` read their sizes with the same bounded type (``args.sizes``): a 10^9-wide layer
    is one usage line (train used to raise ValueError with a traceback, diagram to print it)."""
    assert_usage_line(run_cli(*argv), words, prog=f"python -m compare {argv[0]}")


def _namespace(*argv: str) -> argparse.Namespace:
    return cli_oracle._parser().parse_args(list(argv))


@pytest.mark.parametrize("argv", [
    ["--depth", "1000"],
    ["--batch", "2000000"],                                     # widths up to 64, depth 6: 256,024,960 numbers
    ["--sizes", "1000000-100"],                                 # a million-wide input layer
    ["--sizes", "16000-16000"],                                 # 256,528,000 numbers with a drawn batch of 16
    ["--sizes", "-".join(["1"] * 1001)],                        # 1000 layers
    ["--case", DEEP_CASE.replace("-".join(["1"] * 1002), "-".join(["1"] * 1001))],
])
def test_legitimate_large_runs_stay_accepted(argv):
    """The bounds refuse only what cannot run: a million-wide layer, a case of about 2^28 numbers, 1000 layers
    and a batch of two million pass the checks (checked without running them, which would take minutes)."""
    options.check_bounds(_namespace(*argv))


def test_a_large_case_within_the_bound_runs():
    """A million-wide input layer (2,000,004 numbers with a batch of 2) is checked, not refused: PASS, exit 0."""
    out = run_cli("--sizes", "1000000-1", "--batch", "2", "--examples", "1", "--only", "manual.grad",
                  "--no-shrink")
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]
    assert "1/1 cases agree" in out.stdout
    assert "Traceback" not in out.stderr


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("argv, outcome", [
    (["--examples", "2", "--only", "manual.grad"], "the run itself ended: all agree (exit status 0)"),
    (["--step", STEP, "--examples", "2"], "the run itself ended: all agree (exit status 0)"),
])
def test_json_to_a_full_disk_is_one_line_that_keeps_the_verdict(argv, outcome):
    """``--json /dev/full``: the run completes, then writing the report fails (ENOSPC). Decided: exit 2 (the
    file asked for does not exist, so the status must not say success) with one line naming the file, the
    system's reason and the run's verdict. Before issue 24: an OSError traceback and exit 1."""
    line = assert_usage_line(run_cli(*argv, "--json", "/dev/full"), "--json '/dev/full': writing the report failed")
    assert "No space left on device" in line and outcome in line


@pytest.mark.parametrize("argv", [["--examples", "2"], ["--step", STEP, "--examples", "2"]])
def test_json_into_a_missing_folder_is_refused_before_the_run(tmp_path, argv):
    """``--json`` into a folder that does not exist: one line, exit 2, before any case is run."""
    target = tmp_path / "no" / "such" / "report.json"
    assert_usage_line(run_cli(*argv, "--json", str(target)), "does not exist")
    assert not target.parent.exists()


# ---- 2. control characters in file names ---------------------------------------------------------------------

EVIL = "right\x1b[2J\nPASS forged.py"          # clears the screen, then starts a line of its own


def _evil_file(tmp_path: Path, body: str) -> str:
    path = tmp_path / EVIL
    path.write_text(textwrap.dedent(body))
    return str(path)


def assert_escaped(text: str, path: str) -> None:
    """No raw control character of ``path`` in ``text``, and the escaped form of the path in it."""
    assert "\x1b" not in text and "\nPASS forged" not in text, text[-2000:]
    assert cli_args.shown(path) in text, text[-2000:]


def test_shown_escapes_only_unprintable_names():
    """``shown``: a printable path unchanged (reports look as before); any other as its repr, so ESC, newline,
    tab and an undecodable byte (a surrogate escape) are visible and cannot act on the terminal."""
    assert cli_args.shown("compare/controls/wrong sign.py") == "compare/controls/wrong sign.py"
    assert cli_args.shown("a\x1b[2Jb.py") == "'a\\x1b[2Jb.py'"
    assert cli_args.shown("a\nb\tc.py") == "'a\\nb\\tc.py'"
    assert cli_args.shown("caf\udce9.py") == "'caf\\udce9.py'"
    assert cli_args.one_line("no such file: a\nb\x1b.py") == "no such file: a\\nb\\x1b.py"


def test_a_usage_error_naming_a_control_character_path_stays_one_line():
    """A missing candidate whose name holds a newline and ESC: the refusal is still one line, escaped (before:
    the newline split it into two lines and ESC reached the terminal)."""
    line = assert_usage_line(run_cli("--candidate", "/nonexistent/" + EVIL), "no such file")
    assert "\x1b" not in line and "\\x1b[2J\\nPASS forged.py" in line


def test_a_report_shows_a_control_character_path_escaped(tmp_path):
    """A right candidate saved under a name with ESC[2J and a newline: the report's lines (FAIL/PASS, the
    reproduce line) show the name escaped; no forged "PASS" line appears. ``--json`` keeps the real name
    (JSON escapes it itself)."""
    path = _evil_file(tmp_path, "from manual import grad\n")
    out = run_cli("--candidate", path, "--examples", "2")
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]
    assert_escaped(out.stdout + out.stderr, path)
    assert out.stdout.startswith(f"PASS {cli_args.shown(path)}: 2/2 cases agree")
    data = run_cli("--candidate", path, "--examples", "2", "--json")
    assert data.returncode == 0 and "\x1b" not in data.stdout
    assert json.loads(data.stdout)["reports"][0]["name"] == path


def test_a_step_report_shows_a_control_character_path_escaped(tmp_path):
    """The same for ``--step``: the step report names the file escaped."""
    path = _evil_file(tmp_path, """
        import manual
        def step(params, x, y, eta):
            grads = manual.grad(params, x, y)
            return [(W - eta * gW, b - eta * gb) for (W, b), (gW, gb) in zip(params, grads)]
    """)
    out = run_cli("--step", path, "--examples", "2")
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]
    assert_escaped(out.stdout + out.stderr, path)


def test_progress_lines_show_a_control_character_path_escaped(tmp_path):
    """``--progress lines`` labels each line with the checked file's name, escaped."""
    path = _evil_file(tmp_path, "from manual import grad\n")
    out = run_cli("--candidate", path, "--examples", "2", "--progress", "lines")
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]
    assert f"progress: {cli_args.shown(path)} 2/2" in out.stderr
    assert_escaped(out.stdout + out.stderr, path)


# ---- 3. plain progress lines -----------------------------------------------------------------------------------

def test_progress_lines_print_the_first_count_at_once_then_throttle_then_the_last():
    """Mode "lines": one plain line (no carriage return, no escape) at the first update, none again within the
    interval, and always the final count, so a script can wait for "N checked" without a terminal."""
    stream = io.StringIO()
    bar = Progress(100, "a\x1bb.py", mode="lines", interval=3600, stream=stream)
    bar.update(10)
    bar.update(20)
    bar.update(100)
    bar.close()
    assert stream.getvalue().splitlines() == ["progress: 'a\\x1bb.py' 10/100", "progress: 'a\\x1bb.py' 100/100"]


def test_progress_off_and_auto_without_a_terminal_print_nothing():
    """Mode "off" never draws; "auto" (the default) draws only on a terminal, as before."""
    for mode in ("off", "auto"):
        stream = io.StringIO()
        bar = Progress(10, "x", mode=mode, delay=0, stream=stream)
        bar.update(5)
        bar.close()
        assert stream.getvalue() == ""


# ---- 4. --help -------------------------------------------------------------------------------------------------

def test_help_names_every_subcommand():
    """``python -m compare --help`` lists every subcommand ``compare.cli`` dispatches (mutate was missing)."""
    out = run_cli("--help")
    assert out.returncode == 0, out.stderr
    for name in SUBCOMMANDS:
        assert re.search(rf"\b{name}\b", out.stdout), (name, out.stdout)
