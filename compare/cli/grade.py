"""``python -m compare grade FILES... --out DIR``: grade many backprops at once, one row per file.

A teacher with forty submissions runs ``python -m compare grade submissions/ --out grades`` and gets a table in
the terminal and, in DIR, ``grades.csv`` and ``grades.json`` for a gradebook and a self-contained ``grades.html``
(inline CSS, no script, no external resource) with each file's verdict, diagnosis, reproduce command and the
seed's network diagram of the shrunk failing case, its failing layer and element marked.

The contract:

- FILES are ``.py`` files, ``FILE.py:NAME`` specs, or folders (every regular ``*.py`` directly in one, sorted).
- Each file's form is read from its syntax tree, never by running it: ``grad`` if it defines ``grad``, else
  ``step``, else ``epoch``; ``FILE.py:NAME`` by the name (``step``, ``epoch``/``mini_batch``) or its number of
  parameters (3 grad, 4 step, 5 epoch); ``--form`` declares one form for every file.
- Each file is checked by ``python -m compare --candidate|--step|--epoch FILE --json PATH`` in a subprocess of
  its own, in a session (process group) of its own, from a private empty working folder. Why a subprocess rather
  than ``compare.check_file`` in this process: the oracle already runs the candidate in a sandboxed worker, and
  a subprocess adds a whole oracle per file, so a run that goes wrong for any reason (a crash of the oracle or of
  JAX, memory, a hang at import, a Ctrl-C) is that file's row, its whole process tree can be killed at its
  budget without touching the other files, and what it leaves in global state (JAX, NumPy, signals) dies with it.
- ``--jobs N`` files run at once (default 2); a file still running after ``--budget SECONDS`` (default 120) is
  killed with its process group and is one row ``TIMEOUT``.
- The verdict is the oracle's exit status *and* its JSON report, which must agree: PASS (0, ok), FAIL (1, not ok),
  ERROR (the oracle refused the file, exit 2, e.g. an import that fails or ends its process; or no consistent
  verdict came back), TIMEOUT. Nothing the candidate prints reaches this process (the oracle counts and drops it).
- The pass-through options (``--examples``, ``--seed``, ``--time-limit``, ``--weights``, ``--scale``, ...) are
  the oracle's own and checked by it once before any file: a dry run on a file that does not exist, which the
  oracle refuses only after every option passed. A bad option is a usage error of ``grade``.

Exit status: 0 every file passed; 1 any did not; 2 a usage error (one line on stderr); 130 interrupted.
"""

from __future__ import annotations

import ast
import csv
import dataclasses
import html
import json
import os
import shlex
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from pathlib import Path

from . import args as cli

PROG = "python -m compare grade"
FORMS = ("grad", "step", "epoch")
ORACLE_OPTION = {"grad": "--candidate", "step": "--step", "epoch": "--epoch"}
PASS, FAIL, ERROR, TIMEOUT = "PASS", "FAIL", "ERROR", "TIMEOUT"
DEFAULT_BUDGET, MAX_BUDGET = 120.0, 24 * 3600.0
DEFAULT_JOBS, MAX_JOBS = 2, 64
MAX_SOURCE_BYTES = 4 * 2**20          # a bigger file is not parsed for its form: grad is assumed
VALUE_OPTIONS = ("examples", "seed", "dtype", "profile", "time-limit", "import-time-limit", "memory-limit", "preset",
                 "weights", "biases", "no-bias-in", "data", "grads", "scale", "make", "sizes", "depth", "batch", "eta")
FLAG_OPTIONS = ("one-example", "batches-only", "grads-reversed", "lists", "strict-dtype", "no-shrink", "negated-bias")
STEP_ONLY = ("eta",)                  # ignored by a gradient run, so not passed to one
AGREES = {"grad": "every case agrees with jax.grad", "step": "every step agrees with W - eta grad W",
          "epoch": "every step of every epoch agrees with W - eta grad W"}
CSV_COLUMNS = ("file", "form", "verdict", "passed", "cases", "failed", "diagnosis", "failure", "case", "layer",
               "array", "index", "reproduce", "seconds")


@dataclasses.dataclass(frozen=True)
class Submission:
    """One file to grade: ``spec`` as typed (``FILE.py`` or ``FILE.py:NAME``), its absolute ``path``, the
    ``name`` it declares (or None) and its ``form`` (one of ``FORMS``)."""

    spec: str
    path: str
    name: str | None
    form: str

    @property
    def typed_path(self) -> str:
        """The file's path as typed (the oracle's messages name the absolute one)."""
        return self.spec[:len(self.spec) - len(self.name) - 1] if self.name else self.spec

    @property
    def oracle_spec(self) -> str:
        """The spec with an absolute path: the oracle runs from a private folder."""
        return self.path if self.name is None else f"{self.path}:{self.name}"


@dataclasses.dataclass(frozen=True)
class Grade:
    """One file's row. ``verdict`` is PASS, FAIL, ERROR or TIMEOUT; ``cases`` checked and ``failed`` of them
    (0 and 0 for ERROR/TIMEOUT); ``diagnosis`` one line; ``reproduce`` a shell command that reruns the file (on
    the shrunk failing case when there is one). For a failure with a case: ``failure`` (its message), ``case``
    (its spec), ``sizes``, and where it is ``layer`` (1..L), ``array`` (``W``/``b``) and ``index``. ``details``
    holds every diagnosis line."""

    file: str
    form: str
    verdict: str
    cases: int
    failed: int
    diagnosis: str
    reproduce: str
    seconds: float
    failure: str = ""
    case: str = ""
    sizes: tuple[int, ...] = ()
    layer: int | None = None
    array: str | None = None
    index: tuple[int, ...] | None = None
    details: tuple[str, ...] = ()

    @property
    def passed(self) -> bool:
        return self.verdict == PASS


# ---- the command line ------------------------------------------------------------------------------------------

def _parser() -> cli.Parser:
    p = cli.Parser(prog=PROG, description=(
        "Grade many backprops: each file checked against jax.grad in a process of its own, one row each; a table "
        "here and grades.csv, grades.json, grades.html in --out DIR. Exit 0 when every file passed, 1 otherwise."))
    p.add_argument("files", nargs="+", metavar="FILE", help="FILE.py, FILE.py:NAME, or a folder (its *.py files)")
    p.add_argument("--out", required=True, metavar="DIR", help="folder for grades.csv/.json/.html (created)")
    p.add_argument("--form", choices=FORMS, help="the form of every file (default: read from each file)")
    p.add_argument("--jobs", type=cli.int_between(1, MAX_JOBS), default=DEFAULT_JOBS,
                   help=f"files checked at once (default {DEFAULT_JOBS})")
    p.add_argument("--budget", type=cli.float_up_to(MAX_BUDGET), default=DEFAULT_BUDGET, metavar="SECONDS",
                   help=f"wall-clock budget of one file (default {DEFAULT_BUDGET:g}); over it: killed, TIMEOUT")
    for option in VALUE_OPTIONS:
        p.add_argument(f"--{option}", metavar="VALUE", help="passed to python -m compare (see its --help)")
    for option in FLAG_OPTIONS:
        p.add_argument(f"--{option}", action="store_true", help="passed to python -m compare")
    return p


def passthrough(opts, form: str) -> list[str]:
    """The oracle's options as given, as words for ``python -m compare`` checking a file of ``form``."""
    words: list[str] = []
    for option in VALUE_OPTIONS:
        value = getattr(opts, option.replace("-", "_"))
        if value is not None and (form != "grad" or option not in STEP_ONLY):
            words += [f"--{option}", value]
    for option in FLAG_OPTIONS:
        if getattr(opts, option.replace("-", "_")):
            words.append(f"--{option}")
    return words


def main(argv: list[str]) -> int:
    """Run ``python -m compare grade``; return the exit status (see the module's docstring)."""
    parser = _parser()
    try:
        opts = cli.parse(parser, argv)
        if isinstance(opts, int):
            return opts
        submissions = expand(opts.files, opts.form)
        out = _prepare_out(opts.out)
        preflight({s.form for s in submissions}, opts)
    except cli.UsageError as e:
        return cli.usage_error(PROG, e)
    start = time.perf_counter()
    try:
        grades = grade_all(submissions, opts, _print_progress(len(submissions)))
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    print(format_table(grades))
    try:
        write_outputs(grades, out, time.perf_counter() - start)
    except OSError as e:
        return cli.usage_error(PROG, f"--out {opts.out!r}: writing the grades failed ({e.strerror or e})")
    print(f"{summary(grades)} in {time.perf_counter() - start:.1f} s; wrote grades.csv, grades.json, grades.html "
          f"in {cli.shown(str(out))}")
    return 0 if all(g.passed for g in grades) else 1


def _print_progress(total: int) -> Callable[[Grade], None]:
    """A callback printing ``[k/total] FILE VERDICT`` on stderr as each file finishes."""
    done = [0]

    def report(g: Grade) -> None:
        done[0] += 1
        print(f"[{done[0]}/{total}] {cli.shown(g.file)} {g.verdict} ({g.seconds:.1f} s)", file=sys.stderr,
              flush=True)
    return report


# ---- which files, in which form ------------------------------------------------------------------------------

def expand(items: Iterable[str], form: str | None) -> list[Submission]:
    """The submissions ``items`` name, in order, without repeats; UsageError for a missing path, a file that is
    not a regular ``.py`` file, or a folder without any."""
    from compare import split_spec

    seen: set[str] = set()
    out: list[Submission] = []
    for item in items:
        path, name = split_spec(item)
        if name is None and os.path.isdir(path):
            specs = [os.path.join(path, f) for f in sorted(os.listdir(path))
                     if f.endswith(".py") and os.path.isfile(os.path.join(path, f))]
            if not specs:
                raise cli.UsageError(f"folder {path!r} holds no .py file")
        elif not os.path.exists(path):
            raise cli.UsageError(f"no such file or folder: {path!r}")
        elif not path.endswith(".py") or not os.path.isfile(path):
            raise cli.UsageError(f"{path!r} is not a regular .py file (give .py files or folders)")
        else:
            specs = [item]
        for spec in specs:
            sub = _submission(spec, form)
            if sub.oracle_spec not in seen:
                seen.add(sub.oracle_spec)
                out.append(sub)
    return out


def _submission(spec: str, form: str | None) -> Submission:
    from compare import split_spec

    path, name = split_spec(spec)
    return Submission(spec, os.path.abspath(path), name, form or detect_form(path, name))


def detect_form(path: str, name: str | None = None) -> str:
    """The form of the file at ``path`` (``name`` the function or ``Class.method`` declared, if any), read from its
    syntax tree without running it: see the module's docstring. ``grad`` when nothing says otherwise (the oracle
    then refuses a file without one, in its own words)."""
    tree = _syntax_tree(path)
    if name is not None:
        return _form_of_name(tree, name)
    defined = {node.name for node in tree.body if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))}
    return next((form for form in FORMS if form in defined), "grad")


def _syntax_tree(path: str) -> ast.Module:
    """The file's module syntax tree; an empty one when it cannot be read or parsed (the oracle says why)."""
    try:
        if os.path.getsize(path) > MAX_SOURCE_BYTES:
            return ast.Module(body=[], type_ignores=[])
        return ast.parse(Path(path).read_bytes(), filename=path)
    except (OSError, SyntaxError, ValueError):
        return ast.Module(body=[], type_ignores=[])


ARITY_FORMS = {3: "grad", 4: "step", 5: "epoch"}   # positional parameters of a function -> its form


def _form_of_name(tree: ast.Module, name: str) -> str:
    """The form of ``FILE.py:NAME``: by the name's words, else by the function's number of parameters."""
    last = name.rsplit(".", 1)[-1].lower()
    if "epoch" in last or "mini_batch" in last:
        return "epoch"
    if "step" in last:
        return "step"
    if "." not in name:
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == name:
                return ARITY_FORMS.get(len(node.args.posonlyargs) + len(node.args.args), "grad")
    return "grad"


def _prepare_out(out: str) -> Path:
    """The output folder, created when missing; UsageError when it cannot be, or cannot be written."""
    path = Path(out)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise cli.UsageError(f"--out {out!r}: cannot create the folder ({e.strerror or e})") from None
    if not os.access(path, os.W_OK):
        raise cli.UsageError(f"--out {out!r}: permission denied")
    return path


# ---- running the oracle ----------------------------------------------------------------------------------------

def _oracle_env() -> dict[str, str]:
    """The environment of an oracle subprocess: ours, with this project first on the path (it runs from a private
    folder, so that a submission's folder, which may hold a ``numpy.py``, is never on the oracle's own path)."""
    root = str(Path(__file__).resolve().parents[2])
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([root, *filter(None, [env.get("PYTHONPATH")])])
    return env


def oracle_command(form: str, spec: str, words: list[str]) -> list[str]:
    """``python -m compare --candidate|--step|--epoch SPEC WORDS`` as an argument list (this interpreter)."""
    return [sys.executable, "-m", "compare", ORACLE_OPTION[form], spec, *words, "--progress", "off"]


def preflight(forms: set[str], opts) -> None:
    """UsageError, in the oracle's words, unless it accepts the pass-through options for every form in ``forms``.
    Checked by a dry run on a file that does not exist: the oracle refuses it only after every option passed."""
    with tempfile.TemporaryDirectory(prefix="grade-check-") as folder:
        missing = os.path.join(folder, "no-such-submission.py")
        for form in sorted(forms):
            done = subprocess.run(oracle_command(form, missing, passthrough(opts, form)), cwd=folder,
                                  env=_oracle_env(), stdin=subprocess.DEVNULL, capture_output=True, text=True,
                                  errors="replace", timeout=300, check=False)
            line = _last_line(done.stderr)
            if done.returncode == 2 and f"no such file: {missing}" in line:
                continue
            raise cli.UsageError(_without_prog(line) or f"the oracle could not start (exit status {done.returncode})")


def _last_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[-1].strip() if lines else ""


def _without_prog(line: str) -> str:
    """An oracle error line without its ``python -m compare: error:`` prefix."""
    prefix = "python -m compare: error: "
    return line[len(prefix):] if line.startswith(prefix) else line


class Runner:
    """Runs oracle subprocesses, each in a session of its own, and kills a process group that outlives its budget
    or is running when the run is interrupted (``kill_all``)."""

    def __init__(self, budget: float) -> None:
        self.budget = budget
        self._running: set[int] = set()
        self._lock = threading.Lock()

    def run(self, command: list[str], folder: str) -> tuple[int | None, str]:
        """Run ``command`` in ``folder``; (its exit status, or None when it ran past the budget and was killed;
        the last line it wrote on stderr)."""
        err_path = os.path.join(folder, "stderr.txt")
        with open(err_path, "wb") as err:
            proc = subprocess.Popen(command, cwd=folder, env=_oracle_env(), stdin=subprocess.DEVNULL,
                                    stdout=subprocess.DEVNULL, stderr=err, start_new_session=True)
            with self._lock:
                self._running.add(proc.pid)
            try:
                status: int | None = proc.wait(timeout=self.budget)
            except subprocess.TimeoutExpired:
                status = None
            finally:
                _kill_group(proc.pid)      # over budget, or strays the oracle left behind
                proc.wait()
                with self._lock:
                    self._running.discard(proc.pid)
        return status, _last_line(_read_tail(err_path))

    def kill_all(self) -> None:
        with self._lock:
            for pid in list(self._running):
                _kill_group(pid)


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except OSError:
        pass


def _read_tail(path: str, size: int = 8192) -> str:
    with open(path, "rb") as f:
        f.seek(max(0, os.path.getsize(path) - size))
        return f.read().decode("utf-8", "replace")


def grade_all(submissions: list[Submission], opts, on_done: Callable[[Grade], None] | None = None) -> list[Grade]:
    """Grade every submission, ``opts.jobs`` at once, each within ``opts.budget`` seconds; the rows in the order
    given. On KeyboardInterrupt every running oracle is killed before it is raised again."""
    runner = Runner(opts.budget)
    with tempfile.TemporaryDirectory(prefix="grade-") as scratch, ThreadPoolExecutor(opts.jobs) as pool:
        futures: dict[Future, int] = {}
        for i, sub in enumerate(submissions):
            folder = os.path.join(scratch, str(i))
            os.mkdir(folder)
            futures[pool.submit(grade_one, sub, passthrough(opts, sub.form), runner, folder)] = i
        rows: dict[int, Grade] = {}
        try:
            pending = set(futures)
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    rows[futures[future]] = future.result()
                    if on_done:
                        on_done(rows[futures[future]])
        except BaseException:
            for future in futures:
                future.cancel()
            runner.kill_all()
            raise
    return [rows[i] for i in range(len(submissions))]


def grade_one(sub: Submission, words: list[str], runner: Runner, folder: str) -> Grade:
    """One file's row: the oracle run on it in ``folder`` (which holds its JSON report), read by ``read_grade``."""
    json_path = os.path.join(folder, "report.json")
    start = time.perf_counter()
    status, last = runner.run(oracle_command(sub.form, sub.oracle_spec, [*words, "--json", json_path]), folder)
    seconds = time.perf_counter() - start
    try:
        data = json.loads(Path(json_path).read_text())
    except (OSError, ValueError):
        data = None
    return read_grade(sub, words, status, last, data, seconds, runner.budget)


# ---- one run into one row --------------------------------------------------------------------------------------

def read_grade(sub: Submission, words: list[str], status: int | None, last: str, data: dict | None,
               seconds: float, budget: float) -> Grade:
    """The row for a run that ended with exit ``status`` (None: killed at the budget), the last line of its
    stderr and its JSON report ``data`` (None when there is none). PASS and FAIL need the status and the report
    to agree; anything else is an ERROR that says what came back."""
    command = reproduce_command(sub, words)
    row = dict(file=sub.spec, form=sub.form, cases=0, failed=0, reproduce=command, seconds=seconds)
    if status is None:
        return Grade(verdict=TIMEOUT, diagnosis=f"still running after the budget of {budget:g} s: killed", **row)
    report = _the_report(data)
    last = last.replace(sub.path, sub.typed_path)
    if status == 2:
        return Grade(verdict=ERROR, diagnosis=f"refused by the oracle: {_without_prog(last) or 'no reason given'}",
                     **row)
    if report is None or status not in (0, 1) or (status == 0) != _says_ok(data, report):
        return Grade(verdict=ERROR, diagnosis=_no_verdict(status, report is None, last), **row)
    row.update(cases=_int(report.get("cases")), failed=_int(report.get("failed")))
    if status == 0:
        return Grade(verdict=PASS, diagnosis=AGREES[sub.form], **row)
    return _failed_grade(report, row, command)


def _the_report(data) -> dict | None:
    """The one report of an oracle JSON document, or None when it is not one."""
    if isinstance(data, dict) and isinstance(data.get("reports"), list) and len(data["reports"]) == 1 \
            and isinstance(data["reports"][0], dict):
        return data["reports"][0]
    return None


def _no_verdict(status: int, no_report: bool, last: str) -> str:
    """The diagnosis of a run whose exit status and report do not make a verdict."""
    what = f"exit status {status}" if status >= 0 else f"killed by signal {-status}"
    text = f"no consistent verdict came back from the oracle ({what}{', no report' if no_report else ''})"
    return f"{text}: {_without_prog(last)}" if last else text


def _says_ok(data: dict, report: dict) -> bool:
    """Whether the JSON document and its report both say every case agreed."""
    return data.get("ok") is True and report.get("ok") is True


def _int(value) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _failed_grade(report: dict, row: dict, command: str) -> Grade:
    """A FAIL row: the shrunk failure's where and what, the diagnosis, the reproduce command on its case."""
    failure, spec = _shown_failure(report)
    lines = tuple(str(line) for line in report.get("diagnosis") or ())
    diagnosis = lines[0] if lines else failure.get("message", "") or "the cases disagree with jax.grad"
    constant = report.get("constant")
    if isinstance(constant, dict):
        expr = constant_expr(constant)
        diagnosis = f"{diagnosis}; right up to the constant {expr} (--scale '{expr}' declares that convention)"
    if report.get("interrupted"):
        diagnosis = f"interrupted; {diagnosis}"
    tail = str(report.get("reproduce") or "")
    if " --case " in tail:
        row["reproduce"] = command + tail[tail.index(" --case "):]
    case = failure.get("case") if isinstance(failure.get("case"), dict) else {}
    index = failure.get("index")
    return Grade(verdict=FAIL, diagnosis=cli.one_line(diagnosis), failure=cli.one_line(str(failure.get("message", ""))),
                 case=spec, sizes=tuple(_int(n) for n in case.get("sizes") or ()),
                 layer=failure.get("layer") if isinstance(failure.get("layer"), int) else None,
                 array=failure.get("array") if failure.get("array") in ("W", "b") else None,
                 index=tuple(_int(i) for i in index) if isinstance(index, list) else None,
                 details=tuple(cli.one_line(line) for line in lines), **row)


def _shown_failure(report: dict) -> tuple[dict, str]:
    """The failure a report shows (the shrunk one, else the first; a step report's smallest step) and its case
    spec."""
    if report.get("form") in ("step", "epoch"):
        step = report.get("smallest") or report.get("first") or {}
        failure = step.get("failure") or {}
        return failure, str(step.get("case_spec") or "")
    failure = report.get("shrunk") or report.get("first") or {}
    return failure, str(failure.get("case_spec") or "")


def constant_expr(c: dict) -> str:
    """A ``constants.Constant`` as JSON (sign, twos, n_L_power, m_power) as ``--scale`` reads it, e.g. ``2*n_L``."""
    factors = []
    for base, key in (("2", "twos"), ("n_L", "n_L_power"), ("m", "m_power")):
        p = _int(c.get(key))
        factors += [base] if p == 1 else [f"{base}**{p}"] if p else []
    text = "*".join(factors) or "1"
    return f"-{text}" if _int(c.get("sign")) < 0 else text


def reproduce_command(sub: Submission, words: list[str]) -> str:
    """The shell command that reruns the oracle on ``sub`` with the same options, as a user types it."""
    return " ".join(["python -m compare", ORACLE_OPTION[sub.form], shlex.quote(sub.spec),
                     *(shlex.quote(w) for w in words)])


# ---- the outputs ------------------------------------------------------------------------------------------------

def summary(grades: list[Grade]) -> str:
    counts = {v: sum(g.verdict == v for g in grades) for v in (PASS, FAIL, ERROR, TIMEOUT)}
    return f"{len(grades)} files: " + ", ".join(f"{n} {v}" for v, n in counts.items() if n or v in (PASS, FAIL))


def _cases_text(g: Grade) -> str:
    return f"{g.cases - g.failed}/{g.cases}" if g.verdict in (PASS, FAIL) else "-"


def format_table(grades: list[Grade], width: int = 100) -> str:
    """The terminal table: file (escaped by ``args.shown``), form, verdict, agreeing/checked cases and the
    diagnosis cut to ``width`` characters."""
    names = [cli.shown(g.file) for g in grades]
    w = max([4, *map(len, names)])
    lines = [f"{'file':<{w}}  form   verdict  cases      diagnosis", "-" * (w + 34 + min(width, 40))]
    for name, g in zip(names, grades):
        text = g.diagnosis if len(g.diagnosis) <= width else g.diagnosis[:width - 3] + "..."
        lines.append(f"{name:<{w}}  {g.form:<5}  {g.verdict:<7}  {_cases_text(g):<9}  {text}")
    return "\n".join(lines)


def grade_dict(g: Grade) -> dict:
    """A row as JSON data: its fields, and ``passed``."""
    d = dataclasses.asdict(g)
    d["passed"] = g.passed
    return d


def write_outputs(grades: list[Grade], out: Path, seconds: float) -> None:
    """``grades.csv``, ``grades.json`` and ``grades.html`` in ``out``."""
    with open(out / "grades.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(CSV_COLUMNS)
        for g in grades:
            writer.writerow(_csv_row(g))
    document = {"ok": all(g.passed for g in grades), "summary": summary(grades), "seconds": seconds,
                "grades": [grade_dict(g) for g in grades]}
    (out / "grades.json").write_text(json.dumps(document, indent=2, allow_nan=False) + "\n", encoding="utf-8")
    (out / "grades.html").write_text(render_html(grades), encoding="utf-8")


def _csv_row(g: Grade) -> list:
    d = grade_dict(g)
    d["index"] = "" if g.index is None else ",".join(map(str, g.index))
    d["layer"] = "" if g.layer is None else g.layer
    d["array"] = g.array or ""
    d["seconds"] = f"{g.seconds:.2f}"
    return [d[c] for c in CSV_COLUMNS]


# ---- the HTML page -------------------------------------------------------------------------------------------

_CSS = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #222; }
h1 { font-size: 20px; margin: 0 0 4px; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid #ddd; padding: 6px 8px; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
.verdict { font-weight: bold; padding: 2px 6px; border-radius: 4px; color: #fff; }
.PASS { background: #2e7d32; } .FAIL { background: #c62828; } .ERROR { background: #6a1b9a; }
.TIMEOUT { background: #ef6c00; }
code { font: 12px/1.3 ui-monospace, monospace; word-break: break-all; background: #f7f7f7; padding: 1px 3px; }
ul.details { margin: 4px 0 0; padding-left: 18px; color: #555; font-size: 12px; }
.file { font-family: ui-monospace, monospace; overflow-wrap: anywhere; min-width: 12em; }
svg text { font: 11px sans-serif; }
"""


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def render_html(grades: list[Grade]) -> str:
    """A self-contained page (inline CSS, no script, a policy that forbids loading anything): one row per file
    with its verdict, diagnosis, reproduce command and, for a failure, the network diagram of its case. Every
    text is escaped."""
    rows = "\n".join(_html_row(i, g) for i, g in enumerate(grades, 1))
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
            f"<title>Grades</title><style>{_CSS}</style></head><body>\n<h1>Grades</h1>\n"
            f"<p class=\"summary\">{_e(summary(grades))}</p>\n<table><thead><tr><th>#</th><th>file</th><th>form</th>"
            "<th>verdict</th><th>cases</th><th>diagnosis</th><th>reproduce</th><th>shrunk failing case</th></tr>"
            f"</thead><tbody>\n{rows}\n</tbody></table>\n</body></html>\n")


def _html_row(i: int, g: Grade) -> str:
    details = "".join(f"<li>{_e(line)}</li>" for line in g.details[1:])
    failure = f"<div><code>{_e(g.failure)}</code></div>" if g.failure else ""
    diagram = ""
    if g.sizes:
        diagram = network_svg(g.sizes, g.layer, g.array, g.index) + f"<div><code>{_e(g.case)}</code></div>"
    return (f"<tr class=\"grade-row\" id=\"row-{i}\"><td>{i}</td><td class=\"file\">{_e(g.file)}</td>"
            f"<td>{_e(g.form)}</td><td><span class=\"verdict {_e(g.verdict)}\">{_e(g.verdict)}</span></td>"
            f"<td>{_e(_cases_text(g))}</td><td>{_e(g.diagnosis)}{failure}"
            f"{f'<ul class=details>{details}</ul>' if details else ''}</td>"
            f"<td><code>{_e(g.reproduce)}</code></td><td>{diagram}</td></tr>")


PX_PER_INCH = 100


def _side(d: int) -> float:
    """Drawn length in pixels of a side of ``d`` rows or columns: the diagram's own growth (``diagram.side``)."""
    from .diagram import side

    return PX_PER_INCH * side(d)


def network_svg(sizes: tuple[int, ...], layer: int | None, array: str | None,
                index: tuple[int, ...] | None) -> str:
    """The seed's diagram of the network ``sizes`` as inline SVG: a^0 = x, then per layer W^l (n_l x n_{l-1}) and
    b^l beside the column a^l, each box sized to its rows and columns (``diagram.diagram_shapes``). The failing
    ``layer``'s W and b are drawn in red and the failing element (``array`` ``W`` at (j, k), ``b`` at (j,)) filled
    dark red, with its name under the drawing."""
    from .diagram import diagram_shapes

    shapes = diagram_shapes(list(sizes))
    boxes: list[tuple[str, tuple[int, int], str, int]] = [("a", shapes[0]["x"], "x", 0)]
    for l in range(1, len(shapes)):
        boxes += [("W", shapes[l]["W"], f"W{l}", l), ("b", shapes[l]["b"], f"b{l}", l),
                  ("a", shapes[l]["a"], f"a{l}", l)]
    height = max(_side(shape[0]) for _, shape, _, _ in boxes)
    x, parts = 10.0, []
    for kind, shape, label, l in boxes:
        w, h = _side(shape[1]), _side(shape[0])
        top = 22 + (height - h) / 2
        bad = layer == l and kind in ("W", "b")
        fill, edge = ("#f8d7da", "#c62828") if bad else (("#cfe2f3", "#1f4e79") if kind != "a" else
                                                         ("#d9ead3", "#38761d"))
        parts.append(f"<rect x=\"{x:.1f}\" y=\"{top:.1f}\" width=\"{w:.1f}\" height=\"{h:.1f}\" fill=\"{fill}\" "
                     f"stroke=\"{edge}\" stroke-width=\"{2.5 if bad else 1}\"/>")
        if bad and array == kind and index:
            parts.append(_element(x, top, w, h, shape, index))
        parts.append(f"<text x=\"{x + w / 2:.1f}\" y=\"16\" text-anchor=\"middle\">{_e(label)}</text>")
        parts.append(f"<text x=\"{x + w / 2:.1f}\" y=\"{34 + height:.1f}\" text-anchor=\"middle\" fill=\"#555\">"
                     f"{shape[0]}\u00d7{shape[1]}</text>")
        x += w + (10 if kind == "W" else 18)
    where = (f"failing: layer {layer}" + (f", grad {array}[{', '.join(map(str, index))}]" if array and index
                                           else f", grad {array}" if array else "")) if layer else \
        "the call failed as a whole: no element to mark"
    parts.append(f"<text x=\"10\" y=\"{52 + height:.1f}\" fill=\"#c62828\">{_e(where)}</text>")
    width = max(x, 20 + 6.5 * len(where))
    return (f"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width:.0f}\" height=\"{60 + height:.0f}\" "
            f"role=\"img\" aria-label=\"{_e(where)}\">{''.join(parts)}</svg>")


def _element(x: float, top: float, w: float, h: float, shape: tuple[int, int], index: tuple[int, ...]) -> str:
    """The marked element (row j, column k) of a box of ``shape`` drawn at (x, top) of size w x h."""
    j, k = index[0], (index[1] if len(index) > 1 else 0)
    cw, ch = w / shape[1], h / shape[0]
    ew, eh = max(cw, 3.0), max(ch, 3.0)
    ex = min(x + k * cw + (cw - ew) / 2, x + w - ew)
    ey = min(top + j * ch + (ch - eh) / 2, top + h - eh)
    return (f"<rect class=\"element\" x=\"{max(ex, x):.1f}\" y=\"{max(ey, top):.1f}\" width=\"{ew:.1f}\" "
            f"height=\"{eh:.1f}\" fill=\"#8b0000\"/>")
