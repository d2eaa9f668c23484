"""``python -m compare grade FILES... --out DIR``: many submissions, one row each, never one ending the run.

Run as a teacher runs it (a subprocess in the project folder) on the look-alike submissions in
``tests/candidates/grade/`` (a right NumPy backprop, a wrong sign, a missing sigma', one that hangs in every call,
one that hangs at import, one that calls os._exit(0), one that prints a forged PASS, one that calls sys.exit(0) at
import, a step-form one) and on a subset of the project's controls, whose verdicts the kill table fixes.
"""

from __future__ import annotations

import ast
import csv
import html.parser
import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import oracle_cli
import pytest

from compare.cli import grade

ROOT = Path(__file__).resolve().parents[1]
GRADE = ROOT / "tests" / "candidates" / "grade"
CONTROLS = ROOT / "compare" / "controls"
EXAMPLES = "60"

EXPECTED = {   # file -> (form, verdict) on the main run
    "right_numpy.py": ("grad", "PASS"),
    "step_right.py": ("step", "PASS"),
    "wrong_sign.py": ("grad", "FAIL"),
    "missing_sigma_prime.py": ("grad", "FAIL"),
    "hangs.py": ("grad", "FAIL"),
    "exits_zero.py": ("grad", "FAIL"),
    "prints_pass.py": ("grad", "FAIL"),
    "sys_exit_at_import.py": ("grad", "ERROR"),
    "<script>.py": ("grad", "FAIL"),
}


def run_grade(*args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    return oracle_cli.run(["grade", *args], timeout=timeout)


def read_csv(out: Path) -> dict[str, dict[str, str]]:
    with open(out / "grades.csv", newline="", encoding="utf-8") as f:
        return {Path(row["file"]).name: row for row in csv.DictReader(f)}


class Rows(html.parser.HTMLParser):
    """Counts the page's grade rows and every element by tag, as a browser's parser reads them."""

    def __init__(self) -> None:
        super().__init__()
        self.rows, self.tags = 0, {}

    def handle_starttag(self, tag, attrs):
        self.tags[tag] = self.tags.get(tag, 0) + 1
        self.rows += tag == "tr" and ("class", "grade-row") in attrs


def parsed(text: str) -> Rows:
    p = Rows()
    p.feed(text)
    return p


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """One grade run on every look-alike but the one hanging at import (``test_a_file_over_budget...``), and a
    copy of the wrong sign named ``<script>.py``: (the finished process, the output folder)."""
    folder = tmp_path_factory.mktemp("subs")
    shutil.copy(GRADE / "wrong_sign.py", folder / "<script>.py")
    files = [str(GRADE / name) for name in EXPECTED if name != "<script>.py"] + [str(folder / "<script>.py")]
    out = tmp_path_factory.mktemp("grades")
    done = run_grade(*files, "--out", str(out), "--examples", EXAMPLES, "--time-limit", "2", "--budget", "300")
    return done, out


def test_each_submission_is_one_row_with_its_verdict_and_the_run_exits_1(graded):
    """Every file has its row in grades.csv and grades.json with the expected form and verdict: a crash
    (os._exit(0) in every call), a hang, a forged PASS and a sys.exit(0) at import are each one FAIL or ERROR row,
    never the end of the run nor a pass; one file failing makes the exit status 1."""
    done, out = graded
    assert done.returncode == 1, done.stdout + done.stderr
    rows = read_csv(out)
    assert {name: (r["form"], r["verdict"]) for name, r in rows.items()} == EXPECTED
    document = json.loads((out / "grades.json").read_text())
    assert document["ok"] is False
    assert {Path(g["file"]).name: g["verdict"] for g in document["grades"]} == {k: v for k, (_, v) in EXPECTED.items()}
    for row in rows.values():
        assert set(grade.CSV_COLUMNS) <= set(row)
        assert row["passed"] == str(row["verdict"] == "PASS")
        assert row["reproduce"].startswith("python -m compare --")


def test_diagnoses_say_why_each_failed(graded):
    """The diagnosis column names the catalogued mistake where one reproduces, and what happened otherwise; the
    shrunk failing case is located (layer, array, index)."""
    rows = read_csv(graded[1])
    assert "[sign]" in rows["wrong_sign.py"]["diagnosis"]
    assert "[hidden_missing_sigma_prime]" in rows["missing_sigma_prime.py"]["diagnosis"]
    assert "per-call time limit" in rows["hangs.py"]["failure"]
    assert "exited with status 0" in rows["exits_zero.py"]["failure"]
    assert "SystemExit" in rows["sys_exit_at_import.py"]["diagnosis"]
    assert rows["sys_exit_at_import.py"]["cases"] == "0"
    shrunk = rows["missing_sigma_prime.py"]
    assert shrunk["case"].startswith("sizes=") and shrunk["layer"] and shrunk["array"] in ("W", "b")
    assert rows["right_numpy.py"]["cases"] == EXAMPLES and rows["right_numpy.py"]["failed"] == "0"


def test_nothing_a_submission_prints_reaches_the_table(graded):
    """The terminal table has one line per file, and the forged verdict ``prints_pass.py`` writes to its file
    descriptor 1 appears nowhere in grade's output."""
    done, _ = graded
    assert "PASS everything" not in done.stdout + done.stderr
    lines = [line for line in done.stdout.splitlines() if line.endswith(".py") or ".py " in line]
    assert len(lines) == len(EXPECTED), done.stdout
    assert "Traceback" not in done.stdout + done.stderr


def test_the_reproduce_command_reruns_the_shrunk_failure(graded):
    """A FAIL row's reproduce command, run as printed, fails again on its case (exit 1)."""
    command = shlex.split(read_csv(graded[1])["wrong_sign.py"]["reproduce"])
    assert command[:3] == ["python", "-m", "compare"] and "--case" in command
    done = subprocess.run([sys.executable, *command[1:]], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1 and "FAIL" in done.stdout, done.stdout + done.stderr


def test_the_html_has_one_row_per_file_and_escapes_names(graded):
    """grades.html: self-contained (no script, no external resource), one row per file, a diagram with the failing
    element marked for the failures with a shrunk case, and the file ``<script>.py`` shown as text."""
    page = (graded[1] / "grades.html").read_text()
    p = parsed(page)
    assert p.rows == len(EXPECTED)
    assert "script" not in p.tags and "<script>" not in page
    assert "&lt;script&gt;.py" in page
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "") and "https://" not in page
    assert page.count("<svg") >= 3 and 'class="element"' in page


def test_a_file_over_budget_is_a_timeout_row_and_its_processes_are_killed(tmp_path):
    """A file whose import never ends is killed at --budget with its process group: one TIMEOUT row, exit 1, and
    no process of it left running."""
    path = GRADE / "hangs_at_import.py"
    done = run_grade(str(path), "--out", str(tmp_path), "--examples", "5", "--budget", "4")
    assert done.returncode == 1, done.stdout + done.stderr
    assert read_csv(tmp_path)["hangs_at_import.py"]["verdict"] == "TIMEOUT"
    assert not _processes_naming(str(path))


def _processes_naming(text: str) -> list[int]:
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if text.encode() in Path(f"/proc/{pid}/cmdline").read_bytes():
                found.append(int(pid))
        except OSError:
            pass
    return found


def test_every_file_passing_exits_0(tmp_path):
    """Exit status 0 only when every file passed (here a folder of the right gradient and the right step)."""
    folder = tmp_path / "subs"
    folder.mkdir()
    for name in ("right_numpy.py", "step_right.py"):
        shutil.copy(GRADE / name, folder / name)
    done = run_grade(str(folder), "--out", str(tmp_path / "out"), "--examples", "30", "--jobs", "2")
    assert done.returncode == 0, done.stdout + done.stderr
    assert [r["verdict"] for r in read_csv(tmp_path / "out").values()] == ["PASS", "PASS"]


def test_the_new_form_options_reach_every_file(tmp_path):
    """grade passes the round-two form options on to each file's run: a backprop that returns its gradients
    output layer first and as nested lists passes with --grads-reversed and --lists only when they are given."""
    candidates = ROOT / "tests" / "candidates"
    folder = tmp_path / "subs"
    folder.mkdir()
    for name in ("reversed_grads.py", "lists_in_out.py"):
        shutil.copy(candidates / name, folder / name)
    with_options = run_grade(str(folder / "reversed_grads.py"), "--out", str(tmp_path / "a"), "--examples", "30",
                             "--grads-reversed")
    assert with_options.returncode == 0, with_options.stdout + with_options.stderr
    lists = run_grade(str(folder / "lists_in_out.py"), "--out", str(tmp_path / "b"), "--examples", "30",
                      "--weights", "in-out", "--lists")
    assert lists.returncode == 0, lists.stdout + lists.stderr
    without = run_grade(str(folder / "reversed_grads.py"), "--out", str(tmp_path / "c"), "--examples", "30")
    assert without.returncode == 1 and [r["verdict"] for r in read_csv(tmp_path / "c").values()] == ["FAIL"]


CONTROL_SUBSET = [CONTROLS / f"{name}.py" for name in (
    "right_einsum", "right_per_example_loop", "wrong_sign", "wrong_missing_half", "wrong_transpose_gradW",
    "wrong_hidden_missing_sigma_prime")] + [CONTROLS / "steps" / f"{name}.py" for name in (
        "right_in_place", "wrong_plus_eta")]


def _expect(path: Path) -> str:
    """A control's declared ``EXPECT`` (``right`` or ``wrong``), read from its source without importing it."""
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Assign):
            names = [t.id for t in node.targets if isinstance(t, ast.Name)] or [
                e.id for t in node.targets if isinstance(t, ast.Tuple) for e in t.elts if isinstance(e, ast.Name)]
            if "EXPECT" in names:
                value = ast.literal_eval(node.value)
                return value if isinstance(value, str) else value[names.index("EXPECT")]
    raise AssertionError(f"{path} declares no EXPECT")


def test_grade_on_controls_gives_the_kill_tables_verdicts(tmp_path):
    """A subset of the project's controls (gradient and step form): every right one PASS, every wrong one FAIL,
    as each control's EXPECT says (compare/controls/table.py)."""
    done = run_grade(*map(str, CONTROL_SUBSET), "--out", str(tmp_path), "--examples", EXAMPLES)
    assert done.returncode == 1, done.stdout + done.stderr
    rows = read_csv(tmp_path)
    for path in CONTROL_SUBSET:
        expected = "PASS" if _expect(path) == "right" else "FAIL"
        assert rows[path.name]["verdict"] == expected, (path.name, rows[path.name])
    assert rows["right_in_place.py"]["form"] == rows["wrong_plus_eta.py"]["form"] == "step"


@pytest.mark.parametrize("argv, words", [
    ([], "the following arguments are required"),
    (["tests/candidates/grade/no_such.py", "--out", "{out}"], "no such file or folder"),
    (["README.md", "--out", "{out}"], "not a regular .py file"),
    (["tests/candidates/grade/right_numpy.py", "--out", "{out}", "--budget", "0"], "--budget"),
    (["tests/candidates/grade/right_numpy.py", "--out", "{out}", "--examples", "abc"], "--examples"),
    (["tests/candidates/grade/right_numpy.py", "--out", "{out}", "--scale", "foo"], "--scale"),
    (["tests/candidates/grade/right_numpy.py", "--out", "README.md/x"], "--out"),
])
def test_a_usage_error_is_one_line_and_exit_2(tmp_path, argv, words):
    """A bad command line, a missing file, or an option the oracle refuses (checked once, before any file runs):
    exit 2, one line on stderr, no file graded."""
    done = run_grade(*[a.replace("{out}", str(tmp_path / "out")) for a in argv], timeout=120)
    assert done.returncode == 2, done.stdout + done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("python -m compare grade: error:") and words in lines[0], lines
    assert not (tmp_path / "out" / "grades.csv").exists()


# ---- the pieces, without running the oracle -------------------------------------------------------------------

def test_the_form_is_read_from_the_file_or_declared(tmp_path):
    """grad, step or epoch by the function a file defines; ``FILE.py:NAME`` by the name or its parameter count;
    ``--form`` for every file; a folder expands to its .py files, sorted."""
    def write(name: str, body: str) -> str:
        (tmp_path / name).write_text(body)
        return str(tmp_path / name)

    assert grade.detect_form(write("g.py", "def grad(p, x, y): pass\ndef step(p, x, y, eta): pass\n")) == "grad"
    assert grade.detect_form(write("s.py", "def step(p, x, y, eta): pass\n")) == "step"
    assert grade.detect_form(write("e.py", "def epoch(p, X, Y, eta, k): pass\n")) == "epoch"
    assert grade.detect_form(write("bad.py", "def (:\n")) == "grad"
    mine = write("mine.py", "def update(p, x, y, eta): pass\ndef train_all(p, X, Y, eta, k): pass\n")
    assert grade.detect_form(mine, "update") == "step" and grade.detect_form(mine, "train_all") == "epoch"
    assert grade.detect_form(mine, "Network.update_mini_batch") == "epoch"
    subs = grade.expand([str(tmp_path), f"{mine}:update"], None)
    assert [Path(s.spec).name for s in subs] == ["bad.py", "e.py", "g.py", "mine.py", "s.py", "mine.py:update"]
    assert subs[-1].form == "step" and subs[-1].typed_path == mine
    assert {s.form for s in grade.expand([str(tmp_path)], "epoch")} == {"epoch"}


SUB = grade.Submission("a.py", "/abs/a.py", None, "grad")


@pytest.mark.parametrize("status, data, verdict", [
    (0, {"ok": True, "reports": [{"ok": True, "cases": 5, "failed": 0}]}, "PASS"),
    (0, {"ok": False, "reports": [{"ok": False, "cases": 5, "failed": 5}]}, "ERROR"),   # status and report disagree
    (0, None, "ERROR"),                                                                # exit 0 and no report
    (1, {"ok": True, "reports": [{"ok": True, "cases": 5, "failed": 0}]}, "ERROR"),
    (1, {"ok": False, "reports": [{"ok": False, "cases": 5, "failed": 2, "diagnosis": ["d"]}]}, "FAIL"),
    (2, None, "ERROR"),
    (-9, None, "ERROR"),
    (None, None, "TIMEOUT"),
])
def test_a_verdict_needs_the_exit_status_and_the_report_to_agree(status, data, verdict):
    """PASS only from exit 0 with a report saying ok, FAIL only from exit 1 with one saying not ok; anything else
    (an oracle killed, a report missing or contradicting its status) is an ERROR row, never a pass."""
    g = grade.read_grade(SUB, [], status, "python -m compare: error: /abs/a.py failed to import", data, 1.0, 9)
    assert g.verdict == verdict
    if status == 2:
        assert "a.py failed to import" in g.diagnosis and "/abs/" not in g.diagnosis


def test_html_escapes_every_text_and_marks_the_failing_element():
    """A name and a diagnosis holding markup are text on the page; the diagram marks W^2[1, 0] in layer 2."""
    g = grade.Grade(file='<img src=x onerror="alert(1)">.py', form="grad", verdict="FAIL", cases=3, failed=1,
                    diagnosis="</td><script>alert(2)</script>", reproduce="python -m compare --candidate 'x&y.py'",
                    seconds=1.0, failure="layer 2: grad W[1, 0] differs", case="sizes=2-3-2 batch=0", sizes=(2, 3, 2),
                    layer=2, array="W", index=(1, 0), details=("</ul><b>x</b>", "<i>more</i>"))
    page = grade.render_html([g])
    p = parsed(page)
    assert p.rows == 1 and "script" not in p.tags and "img" not in p.tags and "i" not in p.tags
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;.py" in page and "x&amp;y.py" in page
    assert page.count('class="element"') == 1 and "failing: layer 2, grad W[1, 0]" in page


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="headless chromium is tried on Linux only")
def test_the_page_renders_in_a_headless_browser(graded, tmp_path):
    """grades.html in Debian's chromium, headless: the DOM holds one row per file and no script element, and a
    screenshot of the page is a real image (not a blank or tiny one)."""
    browser = shutil.which("chromium")
    if browser is None:
        pytest.skip("no headless browser (Debian's chromium) installed")
    url = (graded[1] / "grades.html").as_uri()
    flags = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run([*flags, "--dump-dom", url], capture_output=True, text=True, timeout=120)
    p = parsed(dom.stdout)
    assert p.rows == len(EXPECTED), dom.stderr[-2000:]
    assert "script" not in p.tags
    png = tmp_path / "grades.png"
    shot = subprocess.run([*flags, f"--screenshot={png}", "--window-size=1200,900", url], capture_output=True,
                          text=True, timeout=120)
    assert png.exists(), shot.stderr[-2000:]
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
