"""The oracle itself: its reference, its tolerance, its reports, its diagnoses and its command line."""

import json
import pathlib

import numpy as np
import oracle_cli
import pytest
from hypothesis import given

import autodiff
import manual
from compare import assert_grad_matches, check_grad, draw_cases, materialise
from compare.controls.table import control_files, format_table, run_controls
from compare.oracle.diagnosis.shrink import shrink
from compare.oracle.reference import engine
from compare.strategies import cases

ROOT = pathlib.Path(__file__).resolve().parent.parent
CONTROLS = ROOT / "compare" / "controls"


def _run(*args, timeout=300):
    return oracle_cli.run(args, timeout=timeout)


def test_padded_engine_matches_unpadded_autodiff_on_real_entries():
    """The engine's padded, vmapped jax.grad gives the same gradient as autodiff.grad on every real entry.

    Not bit for bit: XLA sums a 64-wide padded product in another order than a 5-wide one (the padded zeros
    add nothing, but the blocking changes). So the check is the tolerance, and the measured gap is printed.
    """
    cs = draw_cases(40, seed=1)
    worst = 0.0
    for dtype in ("float64", "float32"):
        group = [c for c in cs if c.dtype == dtype]
        mats = [materialise(c) for c in group]
        ref = engine.chunk_reference(mats, dtype)
        for k, (params, x, y) in enumerate(mats):
            for l, (aW, ab) in enumerate(autodiff.grad(params, x, y)):
                r = ref.layer(k, l)
                assert r.W.dtype == aW.dtype and r.W.shape == aW.shape
                worst = max(worst, np.max(np.abs(r.W - aW) / r.tol_W), np.max(np.abs(r.b - ab) / r.tol_b))
    assert worst <= 1
    print(f"worst padded-vs-unpadded gap: {worst:.3g} of the tolerance")


def test_padding_adds_nothing_to_the_cost():
    """The padded cost equals the seed's cost of the unpadded case (manual.cost) to rounding."""
    cs = draw_cases(64, seed=2, dtypes=("float64",))
    mats = [materialise(c) for c in cs]
    ref = engine.chunk_reference(mats, "float64")
    for k, (params, x, y) in enumerate(mats):
        C, tol = ref.cost(k)
        assert abs(manual.cost(params, x, y) - C) <= tol


def test_correct_backprops_stay_below_the_bound_on_default_cases():
    """manual.grad and manual.backprop pass the oracle's default distribution: the bound never cries wolf."""
    for grad in (manual.grad, manual.backprop):
        cs = draw_cases(600, seed=3)
        if grad is manual.backprop:
            cs = [c.__class__(c.sizes, 0, c.scale, c.dtype, c.seed) for c in cs]
        report = check_grad(grad, cs, cost=manual.cost if grad is manual.grad else None)
        assert report.ok, report.first
        assert report.cases == 600
        assert max(report.worst_ratio.values()) < 0.5


@given(cases())
def test_manual_grad_passes_the_oracle_on_hypothesis_cases(case):
    """The Hypothesis strategy users compose with: manual.grad agrees with jax.grad on every drawn case."""
    assert_grad_matches(manual.grad, [case])


def test_the_kill_table_reads_each_controls_verdict_and_name():
    """``run_controls`` (the --controls table) gives each control its row: a wrong one caught with its own key
    named, a right one passed. Every shipped control's verdict and diagnosis on the default draw is
    ``test_diagnosis.test_the_diagnosis_names_exactly_the_controls_own_mistake``."""
    only = ("wrong_sign", "wrong_W_not_transposed", "right_einsum")
    rows = {r.name: r for r in run_controls(300, seed=0, only=only)}
    assert set(rows) == set(only)
    assert rows["wrong_sign"].caught and rows["wrong_sign"].named and rows["wrong_sign"].ok
    assert rows["wrong_W_not_transposed"].caught and rows["wrong_W_not_transposed"].named   # on square cases
    assert not rows["right_einsum"].caught and rows["right_einsum"].ok and rows["right_einsum"].failed == 0
    assert "wrong_W_not_transposed" in format_table(list(rows.values()))


def _check_control(name, n=400):
    from compare.oracle.sandbox.load import load_candidate

    grad, cost, _ = load_candidate(str(CONTROLS / f"{name}.py"))
    return check_grad(grad, draw_cases(n, seed=0), cost=cost)


@pytest.mark.parametrize("name, words", [
    ("wrong_missing_inv_nL", "1/n_L"),
    ("wrong_missing_half", "the 1/2"),
    ("wrong_sign", "wrong sign"),
    ("wrong_sum_not_mean", "summed, not averaged"),
    ("wrong_mean_twice", "divides by m twice"),
    ("wrong_transpose_gradW", "transposed"),
    ("wrong_bias_column", "column"),
    ("wrong_hidden_missing_sigma_prime", "hidden layer"),
    ("wrong_gradW_uses_z", "grad W^l = delta^l (a^(l-1))^T"),
    ("wrong_one_element", "exactly one element"),
    ("wrong_mutates_input", "writes into its inputs"),
    ("wrong_drops_first_layer", "number of layers"),
    ("wrong_batch_last_example_only", "only cases with a batch of m > 1"),
])
def test_diagnosis_names_the_mistake(name, words):
    """The report's diagnosis names the seed's term a real mistake got wrong."""
    report = _check_control(name)
    assert not report.ok
    assert any(words in d for d in report.diagnosis), report.diagnosis


def test_report_points_to_the_exact_element_of_a_one_element_error():
    """A single wrong element is found, shrunk to the smallest net, and located by layer, array and index."""
    report = _check_control("wrong_one_element")
    f = report.shrunk
    assert (f.layer, f.array, f.index, f.bad_elements) == (1, "W", (0, 0), 1)
    assert f.case.sizes == (1, 1) and f.case.batch == 0
    assert f.ratio > 1 and abs(f.candidate - f.reference) > f.tolerance


def test_shrinking_reaches_a_minimal_architecture():
    """A missing 1/n_L needs n_L >= 2 to show: the shrunk case is one layer, n_0 = 1, n_L = 2, one example."""
    report = _check_control("wrong_missing_inv_nL")
    assert report.shrunk.case.sizes == (1, 2) and report.shrunk.case.batch == 0
    assert shrink(_load("wrong_missing_inv_nL"), report.shrunk).case == report.shrunk.case


def _load(name):
    from compare.oracle.sandbox.load import load_candidate

    return load_candidate(str(CONTROLS / f"{name}.py"))[0]


def test_cli_default_suite_passes_and_prints_worst_ratio():
    out = _run("--examples", "300")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "PASS manual.grad: 300/300" in out.stdout and "PASS manual.backprop: 300/300" in out.stdout
    assert "worst |candidate - reference| / tolerance" in out.stdout


def test_cli_reports_a_wrong_candidate_with_exit_1_and_a_command_that_reproduces_it():
    path = CONTROLS / "wrong_hidden_missing_sigma_prime.py"
    out = _run("--candidate", str(path), "--examples", "200")
    assert out.returncode == 1
    assert "layer" in out.stdout and "diagnosis:" in out.stdout
    line = next(s for s in out.stdout.splitlines() if s.strip().startswith("reproduce:"))
    spec = line.split("--case ", 1)[1].strip().strip("'")
    again = _run("--candidate", str(path), "--case", spec)
    assert again.returncode == 1 and "1/1 cases" not in again.stdout


def test_cli_json_report_is_parseable():
    out = _run("--candidate", str(CONTROLS / "wrong_sign.py"), "--examples", "50", "--json")
    assert out.returncode == 1
    data = json.loads(out.stdout)
    assert data["ok"] is False and data["reports"][0]["shrunk"]["layer"] >= 1


@pytest.mark.parametrize("args, words", [
    (["--candidate", "no/such/file.py"], "no such file"),
    (["--candidate", "pyproject.toml"], ".py"),
    (["--examples", "0"], "--examples"),
    (["--dtype", "float16"], "invalid choice"),
    (["--case", "sizes=1-2 batch=x"], "--case"),
    (["--bogus"], "unrecognized"),
])
def test_cli_usage_errors_exit_2_with_one_line(args, words):
    out = _run(*args)
    assert out.returncode == 2
    assert words in out.stderr and len(out.stderr.strip().splitlines()) == 1 and "Traceback" not in out.stderr


def test_cli_candidate_syntax_error_and_missing_grad_are_usage_errors(tmp_path):
    broken = tmp_path / "broken.py"
    broken.write_text("def grad(params, x, y)\n    return params\n")
    nograd = tmp_path / "nograd.py"
    nograd.write_text("def cost(params, x, y):\n    return 0.0\n")
    for path, words in ((broken, "syntax error"), (nograd, "defines no function grad")):
        out = _run("--candidate", str(path))
        assert out.returncode == 2 and words in out.stderr and "Traceback" not in out.stderr


def test_candidate_that_raises_or_returns_garbage_is_a_wrong_derivation(tmp_path):
    for body, words in (("raise RuntimeError('boom')", "cand.py:2 (`raise RuntimeError('boom')`): boom"),
                        ("return None", "returned None"),
                        ("return [('a', 'b')] * len(params)", "not an array of real numbers"),
                        ("return params[:-1]", "layers of gradients")):
        path = tmp_path / "cand.py"
        path.write_text(f"def grad(params, x, y):\n    {body}\n")
        out = _run("--candidate", str(path), "--examples", "20")
        assert out.returncode == 1 and words in out.stdout, out.stdout + out.stderr


def test_self_check_against_complex_step():
    """The engine's jax.grad (both dtypes, the drawn range) agrees with complex-step derivatives."""
    out = _run("--self-check", "--examples", "60")
    assert out.returncode == 0 and "all agree" in out.stdout, out.stdout
    assert "float64" in out.stdout and "float32" in out.stdout


def test_complex_step_matches_the_hand_derivative_of_a_one_unit_net():
    """The self-check's third way of differentiating is right where the answer is known by hand: for a 1-1 net,
    dC/db = (a - y) a (1 - a) and dC/dw = that times x (n_L = 1, one example); batched elements agree with the
    one-at-a-time form."""
    from compare.oracle.reference.selfcheck import complex_step_elements, complex_step_grad

    W, b, x, y = np.array([[0.7]]), np.array([-0.3]), np.array([1.5]), np.array([0.2])
    a = 1 / (1 + np.exp(-(0.7 * 1.5 - 0.3)))
    delta = (a - 0.2) * a * (1 - a)
    (gW, gb), = complex_step_grad([(W, b)], x, y)
    assert abs(gb[0] - delta) <= 1e-15 and abs(gW[0, 0] - delta * 1.5) <= 1e-15
    params, xs, ys = materialise(draw_cases(5, seed=3)[4])
    whole = complex_step_grad(params, xs, ys)
    idxs = list(np.ndindex(params[0][0].shape))[:5]
    assert np.array_equal(complex_step_elements(params, xs, ys, 0, "W", idxs), [whole[0][0][i] for i in idxs])


def test_every_control_file_declares_what_it_is():
    for path in control_files():
        text = path.read_text()
        assert 'EXPECT = "wrong"' in text or 'EXPECT = "right"' in text, path.name
        assert "MISTAKE = " in text, path.name


def test_parse_case_refuses_unknown_or_missing_fields():
    """A case line with an extra, missing or misspelled field is refused, not half-read."""
    from compare import parse_case

    good = "sizes=3-1-2 batch=4 scale=1.5 dtype=float64 seed=7"
    assert parse_case(good).sizes == (3, 1, 2)
    for bad in (good + " extra=1", good.replace(" seed=7", ""), good.replace("batch", "btch")):
        with pytest.raises(ValueError, match="--case must look like"):
            parse_case(bad)
