"""Backprops as people write them: layouts both ways, function and method forms, cost conventions, wider
dtypes, sizes beyond the padded engine, and the README's Python snippets run as written."""

import pathlib
import re

import numpy as np
import oracle_cli
import pytest

import manual
from compare import check_grad
from compare.oracle.cases.cases import Case, draw_cases
from compare.oracle.sandbox.layouts import Layout
from compare.oracle.sandbox.load import CandidateError, load_target
from compare.oracle.verdict.constants import Constant, fit, parse_scale

ROOT = pathlib.Path(__file__).resolve().parent.parent
NIELSEN = ROOT / "tests" / "candidates" / "nielsen_style.py"


def _as_layout(layout: Layout):
    """manual.grad written by a student who uses ``layout``: converts in, computes, converts out."""
    def grad(params, x, y):
        if layout.grads in ("lists", "lists_bW"):
            Ws, bs = params if layout.grads == "lists" else params[::-1]
        else:
            Ws, bs = zip(*params) if layout.grads == "pairs" else zip(*[(W, b) for b, W in params])
        Ws = [W.T if layout.weights == "in_out" else W for W in Ws]
        bs = [b.reshape(-1) for b in bs]
        if layout.examples == "columns":
            x, y = (x.T, y.T) if x.shape[1] > 1 else (x[:, 0], y[:, 0])
        out = manual.grad(list(zip(Ws, bs)), x, y)
        gWs = [gW.T if layout.weights == "in_out" else gW for gW, _ in out]
        gbs = [{"flat": gb, "column": gb[:, None], "row": gb[None, :]}[layout.biases] for _, gb in out]
        return {"pairs": list(zip(gWs, gbs)), "pairs_bW": list(zip(gbs, gWs)), "lists": (gWs, gbs),
                "lists_bW": (gbs, gWs)}[layout.grads]
    return grad


@pytest.mark.parametrize("field, value", [("biases", "column"), ("biases", "row")])
def test_each_layout_passes_with_its_option_and_is_named_without_it(field, value):
    """A correct student candidate in a layout passes with that layout, and without it fails with a report
    whose failure names exactly the option that fixes it (the ``fix`` field and the message)."""
    layout = Layout(**{field: value})
    grad = _as_layout(layout)
    cases = [c for c in draw_cases(60, seed=1) if all(n > 1 for n in c.sizes) and len(set(c.sizes)) == len(c.sizes)]
    assert check_grad(grad, cases, layout=layout).ok
    report = check_grad(grad, cases, shrink_failure=False)
    assert not report.ok and report.first.fix == (field,), report.first
    assert layout.option(field) in report.first.message


@pytest.mark.parametrize("field, value", [("examples", "columns"), ("weights", "in_out"), ("grads", "pairs_bW"),
                                          ("grads", "lists"), ("grads", "lists_bW")])
def test_input_layouts_pass_with_their_option_and_fail_without(field, value):
    """X (n_0, m) columns, W transposed, (b, W) pairs, two lists: pass with the layout; without it the student's
    code raises on our arrays (no output to read a layout from), and the report names the option found by
    trying the layouts on the failing cases (``Report.layout_fix``) and no other."""
    from compare import format_report

    layout = Layout(**{field: value})
    grad = _as_layout(layout)
    cases = [c for c in draw_cases(60, seed=2) if c.batch > 1 and len(set(c.sizes)) == len(c.sizes)]
    assert check_grad(grad, cases, layout=layout).ok
    report = check_grad(grad, cases, shrink_failure=False)
    assert not report.ok and report.layout_fix is not None and report.layout_fix.fields == (field,)
    assert report.layout_fix.layout == layout and layout.option(field) in format_report(report)


def test_a_nielsen_style_network_is_right_up_to_n_L_and_passes_with_scale_n_L():
    """Network(sizes).backprop(x, y) with column vectors and (nabla_b, nabla_w): the command line reports
    "right up to the constant n_L" with the missing 1/n_L named (exit 1); --scale n_L passes (exit 0)."""
    def run(*args):
        return oracle_cli.run(["--candidate", str(NIELSEN), "--preset", "nielsen", "--examples", "300", *args])
    out = run()
    assert out.returncode == 1, out.stdout + out.stderr
    assert "right up to the constant n_L" in out.stdout and "without the seed's 1/n_L" in out.stdout
    out = run("--scale", "n_L")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "PASS" in out.stdout


def test_a_file_without_grad_is_refused_with_what_it_defines():
    """The refusal names what the file does define (the class and its methods) and the FILE.py:NAME forms."""
    with pytest.raises(CandidateError, match=r"defines no function grad.*class Network \(.*backprop.*Class\.method"):
        load_target(str(NIELSEN))
    assert load_target(f"{NIELSEN}:Network.backprop").form.kind == "method"


@pytest.mark.parametrize("expr", ["__import__('os')", "n_L.real", "x", "2 + n_L", "n_L ** 1000", "1/0", "[1]"])
def test_scale_accepts_only_arithmetic_in_n_L_and_m(expr):
    """--scale parses with ast and refuses names, calls, attributes, + and absurd values."""
    with pytest.raises(ValueError):
        parse_scale(expr)


def test_scale_expressions_evaluate_as_written():
    """2*n_L, n_L*m/2, -(2**3)*m and 1/n_L give the constant they say."""
    case = Case((3, 4, 5), 6, 1.0, "float64", 0)
    assert [parse_scale(e)(case) for e in ("2*n_L", "n_L*m/2", "-(2**3)*m", "1/n_L")] == [10, 15, -48, 0.2]


def test_the_constant_is_decomposed_into_2_n_L_m_and_sign_from_varied_cases():
    """Ratios from cases with different n_L and m pin K = -2 n_L m exactly; one case alone cannot."""
    k = Constant(-1, 1, 1, 1)
    points = [(k.value(n, m), n, m) for n, m in ((3, 2), (5, 3), (2, 7))]
    assert fit(points)[0] == k and len(fit(points)) == 1
    assert len(fit(points[:1])) > 1


def test_a_sum_convention_is_right_up_to_2_n_L_m_with_its_words():
    """A correct backprop of sum_x sum_j (a - y)^2: "right up to the constant 2*n_L*m", named in the seed's terms."""
    def grad(params, x, y):
        m = x.shape[0] if x.ndim == 2 else 1
        return [(2 * y.shape[-1] * m * gW, 2 * y.shape[-1] * m * gb) for gW, gb in manual.grad(params, x, y)]
    report = check_grad(grad, examples=200)
    assert report.constant == Constant(1, 1, 1, 1)
    assert "without the seed's 1/2 and 1/n_L and mean over the batch" in report.constant.meaning()
    assert check_grad(grad, examples=200, scale="2*n_L*m").ok


def test_wider_dtype_passes_with_a_note_and_fails_when_strict_and_narrower_fails():
    """float64 gradients of a float32 net: values checked, PASS with a note; --strict-dtype fails it; float32
    gradients of a float64 net fail with a message that says narrower."""
    cases = draw_cases(60, seed=3)

    def wide(params, x, y):
        return manual.grad([(W.astype(np.float64), b.astype(np.float64)) for W, b in params], x.astype(float),
                           y.astype(float))
    report = check_grad(wide, [c for c in cases if c.dtype == "float32"])
    assert report.ok and report.wider == {"float32 -> float64": 30}
    assert not check_grad(wide, [c for c in cases if c.dtype == "float32"], strict_dtype=True).ok

    def narrow(params, x, y):
        return [(gW.astype(np.float32), gb.astype(np.float32)) for gW, gb in manual.grad(params, x, y)]
    report = check_grad(narrow, [c for c in cases if c.dtype == "float64"], shrink_failure=False)
    assert not report.ok and "narrower" in report.first.message


def test_sizes_beyond_the_padded_engine_are_checked_unpadded():
    """A 3-70-2 net with a batch of 40 and a 7-layer net: manual.grad passes, a one-element slip fails."""
    cases = [Case((3, 70, 2), 40, 1.0, "float64", 5), Case((2,) * 8, 0, 1.0, "float32", 6)]

    def slip(params, x, y):
        out = [(gW.copy(), gb.copy()) for gW, gb in manual.grad(params, x, y)]
        out[0][0][0, 0] += 1e-3
        return out
    assert check_grad(manual.grad, cases, cost=manual.cost).ok
    report = check_grad(slip, cases, shrink_failure=False)
    assert report.failed == 2 and report.first.bad_elements == 1


def test_a_big_run_reproduce_line_reruns_as_printed():
    """A --sizes/--batch run beyond the padded engine prints a --case line; that line is accepted and
    fails the same way (it used to be refused as out of range)."""
    path = ROOT / "compare" / "controls" / "wrong_sign.py"
    out = oracle_cli.run(["--candidate", str(path), "--sizes", "5-70-3", "--batch", "20", "--examples", "4"],
                          timeout=300)
    assert out.returncode == 1, out.stdout + out.stderr
    line = next(s for s in out.stdout.splitlines() if s.strip().startswith("reproduce:"))
    spec = line.split("--case ", 1)[1].strip().strip("'")
    again = oracle_cli.run(["--candidate", str(path), "--case", spec], timeout=300)
    assert again.returncode == 1 and "0/1 cases" in again.stdout, again.stdout + again.stderr
    right = oracle_cli.run(["--candidate",
                            str(ROOT / "compare" / "controls" /
                            "right_einsum.py"), "--case", spec],
                            timeout=300)
    assert right.returncode == 0, right.stdout + right.stderr


def test_reference_of_any_size_bounds_a_correct_backprop():
    """compare.reference on a net beyond the padded engine (width 70, batch 20; depth 7): manual.grad lies within
    its tolerance, and that tolerance is tight where the gradient is large (the top layer's largest element:
    measured 1.4e-12 relative in float64, 1.6e-5 in float32; asserted 1e-10 and 1e-3)."""
    from compare import reference
    from compare.oracle.cases.cases import materialise

    for case, tight in ((Case((4, 70, 3), 20, 1.0, "float64", 3), 1e-10), (Case((2,) * 8, 0, 1.0, "float32", 4), 1e-3)):
        params, x, y = materialise(case)
        ref, tol = reference(params, x, y)
        got = manual.grad(params, x, y)
        for (gW, gb), (rW, rb), (tW, tb) in zip(got, ref, tol):
            assert np.all(np.abs(gW - rW) <= tW) and np.all(np.abs(gb - rb) <= tb)
        rW, tW = ref[-1][0].ravel(), tol[-1][0].ravel()
        i = np.argmax(np.abs(rW))
        assert tW[i] <= tight * abs(rW[i])


def _python_snippets() -> list[str]:
    return re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(), flags=re.S)


@pytest.mark.parametrize("index", range(len(_python_snippets())))
def test_readme_python_snippets_run_as_written(index):
    """Every ```python block of README.md runs in a fresh namespace; a test_* function it defines is called."""
    namespace: dict = {}
    exec(compile(_python_snippets()[index], f"README.md snippet {index}", "exec"), namespace)
    for name, fn in list(namespace.items()):
        if name.startswith("test_") and callable(fn):
            fn()


def test_readme_has_python_snippets():
    assert len(_python_snippets()) >= 5


def test_a_candidate_that_crashes_on_our_layout_is_told_which_option_fixes_it():
    """A right backprop written for W (n_{l-1}, n_l) and row biases crashes on ours; the report names the layout
    under which the failing cases agree (found by trying it), and with that layout it passes: in its worker too."""
    from compare import check_file, format_report

    path = str(pathlib.Path(__file__).parent / "candidates" / "transposed_rows.py")
    cases = draw_cases(60, 0)
    report = check_file(path, cases, shrink_failure=False)
    assert not report.ok and report.layout_fix is not None
    assert report.layout_fix.fields == ("weights", "biases")
    assert report.layout_fix.layout == Layout(weights="in_out", biases="row")
    assert "--weights in-out --biases row" in format_report(report)
    assert check_file(path, cases, layout=Layout(weights="in_out", biases="row")).ok
    wrong = check_grad(lambda p, x, y: [(2 * gW, gb) for gW, gb in manual.grad(p, x, y)], cases[:20])
    assert wrong.layout_fix is None          # a value mistake in our own layout gets no layout hint
