"""Reports as a person reads them, and as JSON for tools."""

from __future__ import annotations

import dataclasses
import json
import math

from ..verdict.results import NONFINITE, VALUE, Failure, Report


def _failure_lines(f: Failure, title: str) -> list[str]:
    lines = [f"  {title}: {f.case.describe()}", f"    case: {f.case.spec()}", f"    {f.message}"]
    if f.kind in (VALUE, NONFINITE):
        lines.append(f"    {f.bad_elements} of {f.total_elements} elements fail, in layer(s) "
                     f"{', '.join(map(str, f.bad_layers))} of {f.case.depth} (the element shown is the worst in the "
                     "highest failing layer, where the error enters the backward pass)")
    return lines


def format_report(r: Report) -> str:
    """The human-readable report: one summary line, and for a failure the where, what, why and how to rerun."""
    worst = ", ".join(f"{dt} {v:.3g}" for dt, v in sorted(r.worst_ratio.items())) or "n/a"
    status = "PASS" if r.ok else ("INTERRUPTED" if r.interrupted and not r.failed else "FAIL")
    head = (f"{status} {r.name}: {r.cases - r.failed}/{r.cases} cases agree with jax.grad in {r.seconds:.2f} s "
            f"(worst |candidate - reference| / tolerance on agreeing cases: {worst})")
    lines = [head]
    if r.layout_fix is not None:
        fix = r.layout_fix
        lines.append(f"  layout: the failing cases tried all agree when the candidate is given {fix.words()}: rerun "
                     f"with that option (in the library: layout=Layout({fix.keywords()}))")
    if r.constant is not None:
        k = r.constant
        lines.append(f"  right up to the constant {k.expr()}: every case agrees once divided by it; the candidate "
                     f"computes {k.meaning()} (declare that convention with --scale {k.expr()}, or "
                     f"scale={k.expr()!r} in the library)")
    for what, n in sorted(r.wider.items()):
        lines.append(f"  note: {n} cases returned {what.split(' -> ')[1]} gradients for a {what.split(' -> ')[0]} "
                     "network: accepted, values checked against that dtype's reference (--strict-dtype refuses)")
    if r.interrupted:
        lines.append(f"  interrupted after {r.cases} cases: the summary covers only those")
    if r.first is None:
        return "\n".join(lines)
    if len(r.failures_by_kind) > 1:
        lines.append("  failing cases by kind: " + ", ".join(f"{n} {k}" for k, (n, _) in r.failures_by_kind.items())
                     + " (the report leads with the first: the most frequent, or the one whose catalogued mistake "
                       "explains the others' crashes or shapes)")
    lines += _failure_lines(r.first, "first failing case")
    if r.shrunk is not None and r.shrunk.case != r.first.case:
        lines += _failure_lines(r.shrunk, "shrunk to")
    lines += ["  diagnosis:", *(f"    - {d}" for d in r.diagnosis)] if r.diagnosis else []    # none: --no-diagnosis
    if r.reproduce:
        lines.append(f"  reproduce: {r.reproduce}")
    return "\n".join(lines)


def _jsonable(obj):
    if dataclasses.is_dataclass(obj):
        return {f.name: _jsonable(getattr(obj, f.name)) for f in dataclasses.fields(obj) if f.name != "arrays"}
    if isinstance(obj, dict):
        return {k: _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, float) and not math.isfinite(obj):
        return str(obj)  # "inf" / "nan": JSON has no such numbers
    return obj


def report_dict(r: Report) -> dict:
    """The report as plain JSON-able data (``--json``); a case also appears as its ``spec`` string."""
    d = _jsonable(r)
    d["ok"] = r.ok
    for key in ("first", "shrunk"):
        f = getattr(r, key)
        if f is not None:
            d[key]["case_spec"] = f.case.spec()
    n = r.normwise
    d["normwise"] = None if n is None else {"level": n.level, "in_u": n.in_u, "case_spec": n.case.spec(),
                                            "low_u": n.low_u, "high_u": n.high_u, "cases": n.cases, "tried": n.tried}
    return d


def to_json(reports: list[Report], others: list[dict] = (), **extra) -> str:
    """The run as JSON: gradient ``reports``, then ``others``, reports already made plain data (the input forms'
    ``probe_report_dict``, a backend's train as ``stepreport.step_report_dict``)."""
    ok = bool(reports or others) and all(r.ok for r in reports) and all(o["ok"] for o in others)
    return json.dumps({"ok": ok, "reports": [report_dict(r) for r in reports] + list(others), **extra},
                      indent=2, allow_nan=False, default=str)
