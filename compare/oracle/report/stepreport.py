"""A step run's report (``stepcheck.StepReport``) as a person reads it."""

from __future__ import annotations

from ..verdict.results import NONFINITE, VALUE


def format_step_report(r) -> str:
    """One summary line, what moved, how the result was handed over, and for a failure where, what and why."""
    worst = ", ".join(f"{dt} {v:.3g}" for dt, v in sorted(r.worst_ratio.items())) or "n/a"
    status = "PASS" if r.ok else ("INTERRUPTED" if r.interrupted and not r.failed else "FAIL")
    blind = " (and none moved W or b beyond its tolerance: nothing was checked)" if r.cases and not r.moved_cases \
        else ""
    lines = [f"{status} {r.name}: {r.cases - r.failed}/{r.cases} {r.form}s agree with W - eta * grad W from jax.grad "
             f"in {r.seconds:.2f} s{blind} (worst |candidate - reference| / tolerance on agreeing cases: {worst})",
             f"  the reference moved W or b beyond the tolerance in {r.moved_cases} of {r.cases} cases ({r.moved:,} "
             f"of {r.elements:,} elements; elsewhere eta * grad is below the rounding of W and W' = W is right)",
             "  handed over: " + (", ".join(f"{mode} in {n} cases" for mode, n in sorted(r.modes.items())) or "-")]
    if r.layout_fix is not None:
        fix = r.layout_fix
        lines.append(f"  layout: the failing {r.form}s tried all agree when the candidate is given {fix.words()}: "
                     f"rerun with that option (in the library: layout=Layout({fix.keywords()}))")
    if r.constant is not None:
        k = r.constant
        head = (f"  right up to the constant {k.expr()}: every {r.form} agrees once its move W - W' is divided by it "
                f"(W' = W - eta {k.expr()} grad W)")
        lines.append(f"{head}: the candidate's step climbs the cost the seed's descends, which no cost convention "
                     "makes right (a gradient function may return -grad on purpose; an update that climbs is wrong)"
                     if k.sign < 0 else            # a step that climbs is no cost convention
                     f"{head}; the candidate descends {k.meaning()} (declare that convention with --scale "
                     f"{k.expr()}, or scale={k.expr()!r} in the library)")
    for what, n in sorted(r.wider.items()):
        lines.append(f"  note: {n} cases returned {what.split(' -> ')[1]} parameters for a {what.split(' -> ')[0]} "
                     "network: accepted, values checked (--strict-dtype refuses)")
    if r.cases and not r.moved_cases:
        lines.append("  no case moved any element beyond its tolerance: the check saw nothing (use larger --eta)")
    if r.interrupted:
        lines.append(f"  interrupted after {r.cases} cases: the summary covers only those")
    if r.smallest is None:
        return "\n".join(lines)
    if len(r.by_kind) > 1:
        lines.append("  failing cases by kind: " + ", ".join(f"{n} {k}" for k, n in sorted(
            r.by_kind.items(), key=lambda kn: -kn[1])))
    if r.leading is not None:
        g = r.leading.failure
        lines += [f"  most failing cases are of kind {g.kind}; the first: {g.case.describe()}, eta {r.leading.eta:.6g}",
                  f"    case: {g.case.spec()}", f"    {g.message}"]
    for a in r.also:                          # every other kind, its first case (a crash a value failure hid)
        lines.append(f"  also {r.by_kind[a.failure.kind]} cases of kind {a.failure.kind}; the first: "
                     f"{a.failure.case.describe()}: {a.failure.message}")
    s = r.smallest
    f = s.failure
    lines += [f"  smallest failing case: {f.case.describe()}, eta {s.eta:.6g}", f"    case: {f.case.spec()}",
              f"    {f.message}"]
    if f.kind in (VALUE, NONFINITE):
        lines.append(f"    {f.bad_elements} of {f.total_elements} elements fail, in layer(s) "
                     f"{', '.join(map(str, f.bad_layers))} of {f.case.depth}")
    lines += ["  diagnosis:", *(f"    - {d}" for d in r.diagnosis)] if r.diagnosis else []    # none: --no-diagnosis
    if r.reproduce:
        lines.append(f"  reproduce: {r.reproduce}")
    return "\n".join(lines)


def step_report_dict(r) -> dict:
    """A ``StepReport`` as plain JSON-able data (``--step/--epoch --json``): each step result without its
    arrays, a case also as its ``spec`` string, a found constant also as ``--scale`` reads it."""
    from .report import _jsonable

    d = {f: _jsonable(getattr(r, f)) for f in r.__dataclass_fields__
         if f not in ("first", "smallest", "leading", "also")}
    d["ok"] = r.ok
    d["constant_scale"] = None if r.constant is None else r.constant.expr()     # as --scale reads it
    def result(s) -> dict | None:
        return None if s is None else {
            "case": _jsonable(s.case), "case_spec": s.case.spec(), "eta": s.eta, "failure": _jsonable(s.failure),
            "worst": _jsonable(s.worst), "mode": s.mode, "wider": s.wider}
    for key in ("first", "smallest", "leading"):
        d[key] = result(getattr(r, key))
    d["also"] = [result(s) for s in r.also]
    return d
