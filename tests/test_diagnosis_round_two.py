"""Issue 21's diagnosis, round two: steps diagnosed as well as gradients (a constant K, ``--scale`` in every
recomputation, per-layer patterns), constant detection on few cases, and the catalogue's new mistakes, each
named only where recomputing with it reproduces the candidate."""

import dataclasses
import pathlib
import sys

import numpy as np
import oracle_cli
import pytest

import manual
from compare import check_grad, check_step, materialise
from compare.controls.table import cases_for, declared
from compare.oracle.cases.cases import Case, draw_cases, draw_default, parse_case
from compare.oracle.checks.stepcheck import StepResult, references
from compare.oracle.diagnosis import stepmistakes
from compare.oracle.diagnosis.mistakes import CATALOGUE, recompute
from compare.oracle.reference.step import draw_etas
from compare.oracle.report.stepreport import format_step_report
from compare.oracle.sandbox.load import load_candidate, load_target
from compare.oracle.verdict import constants
from compare.oracle.verdict.constants import Constant, parse_scale

ROOT = pathlib.Path(__file__).resolve().parent.parent
STEPS = ROOT / "compare" / "controls" / "steps"
sys.path.insert(0, str(STEPS))

from stepnet import forward, mean_grad  # noqa: E402


def _times(k_of):
    """A step that moves k_of(n_L, m) times as far as the seed's: a cost convention, no mistake."""
    def step(params, x, y, eta):
        Y = np.atleast_2d(y)
        k = k_of(Y.shape[1], Y.shape[0])
        return [(W - eta * k * gW, b - eta * k * gb) for (W, b), (gW, gb) in zip(params, mean_grad(params, x, y))]
    return step


def test_a_step_k_times_the_right_one_is_right_up_to_the_constant_k():
    """A step of Nielsen's cost (no 1/n_L) is "right up to the constant n_L" with the --scale n_L hint, confirmed
    by a rerun; the constant is a field of the report, and the run passes once it is declared."""
    cases = draw_cases(40, seed=1)
    report = check_step(_times(lambda n_L, m: n_L), cases, seed=1)
    assert not report.ok and report.constant == Constant(1, 0, 1, 0), report.diagnosis
    text = format_step_report(report)
    assert "right up to the constant n_L" in text and "--scale n_L" in text
    assert check_step(_times(lambda n_L, m: n_L), cases, seed=1, scale=parse_scale("n_L")).ok


def test_a_compound_step_constant_is_found_and_a_wrong_step_has_none():
    """2 n_L is told from 2 and n_L (probes of other n_L and m); a step off by an uncatalogued, varying factor
    has no constant."""
    report = check_step(_times(lambda n_L, m: 2 * n_L), draw_cases(30, seed=4), seed=4)
    assert report.constant == Constant(1, 1, 1, 0), report.diagnosis
    rng = np.random.default_rng(0)
    report = check_step(_times(lambda n_L, m: rng.uniform(2, 3)), draw_cases(30, seed=4), seed=4)
    assert not report.ok and report.constant is None


def _inplace_nielsen(params, x, y, eta):
    """Nielsen's cost (no 1/n_L) and each layer updated inside the backward loop, in place."""
    X, Y = np.atleast_2d(x), np.atleast_2d(y)
    a = forward(params, X)
    delta = (a[-1] - Y) * a[-1] * (1 - a[-1])
    for l in range(len(params) - 1, -1, -1):
        W, b = params[l]
        W -= eta * (delta.T @ a[l]) / X.shape[0]
        b -= eta * delta.sum(axis=0) / X.shape[0]
        if l:
            delta = (delta @ W) * a[l] * (1 - a[l])


def test_scale_is_honoured_when_the_updated_weights_mistake_is_recomputed():
    """With --scale n_L declared, W^{l+1} updated before delta^l is named on cases with n_L > 1 too."""
    cases = [c for c in draw_cases(120, seed=2) if c.sizes[-1] > 1 and c.depth >= 2][:40]
    report = check_step(_inplace_nielsen, cases, seed=2, scale=parse_scale("n_L"))
    assert report.mistakes == ("updated_next_first",), report.diagnosis


def test_a_step_report_gives_the_per_layer_pattern():
    """Hidden layers moved 3 times as far, the output layer right: no catalogued mistake, and the line says
    which layer is right and which moves by what factor."""
    def step(params, x, y, eta):
        L = len(params)
        return [(W - eta * (1 if l == L - 1 else 3) * gW, b - eta * (1 if l == L - 1 else 3) * gb)
                for l, ((W, b), (gW, gb)) in enumerate(zip(params, mean_grad(params, x, y)))]

    cases = [c for c in draw_cases(120, seed=3) if c.depth >= 2][:30]
    report = check_step(step, cases, seed=3)
    assert report.mistakes == () and report.constant is None
    line = next(d for d in report.diagnosis if d.startswith("pattern seen"))
    L = report.smallest.case.depth
    assert f"the output layer {L} is right" in line and "hidden layer 1 moves 3 times" in line, line


def test_a_step_pattern_tells_w_from_b_and_an_array_that_does_not_move():
    """The output layer's W left where it was (its b updated), as a return inside the layer loop does: named
    ``output_layer_W_still``; with hidden layer 1's b stepped 3 times as far as well (no catalogued pair), the
    pattern line says that the output W does not move and its b is right, not a ratio of the two lumped together."""
    def step(params, x, y, eta, b1=1):
        L = len(params)
        return [(W.copy() if l == L - 1 else W - eta * gW, b - (b1 if l == 0 else 1) * eta * gb)
                for l, ((W, b), (gW, gb)) in enumerate(zip(params, mean_grad(params, x, y)))]

    cases = [c for c in draw_cases(120, seed=3) if c.depth >= 2][:30]
    assert check_step(step, cases, seed=3).mistakes == ("output_layer_W_still",)
    report = check_step(lambda *a: step(*a, b1=3), cases, seed=3)
    line = next(d for d in report.diagnosis if d.startswith("pattern seen"))
    L = report.smallest.case.depth
    assert f"the output layer {L}: W does not move, b is right" in line, line
    assert "hidden layer 1: W is right, b moves 3 times as far" in line, line


def test_a_step_pattern_alike_in_every_layer_says_which_array_is_wrong():
    """Every layer's b stepped 3 times as far, every W right (no catalogued mistake): one line for every layer,
    W right and b's factor."""
    def step(params, x, y, eta):
        return [(W - eta * gW, b - 3 * eta * gb) for (W, b), (gW, gb) in zip(params, mean_grad(params, x, y))]

    report = check_step(step, draw_cases(30, seed=5), seed=5)
    line = next(d for d in report.diagnosis if d.startswith("pattern seen"))
    assert "in every layer, W is right and b moves 3 times as far" in line, report.diagnosis


def test_a_bias_gradient_from_the_last_example_is_named_in_a_step():
    """A bias buffer overwritten per example (its step the last example's delta / m), every W right: named
    ``bias_last_example_only`` by recomputing the step, as the gradient report names it."""
    def step(params, x, y, eta):
        X, Y = np.atleast_2d(x), np.atleast_2d(y)
        last = mean_grad(params, X[-1:], Y[-1:])
        return [(W - eta * gW, b - eta * gb_last / X.shape[0])
                for (W, b), (gW, _), (_, gb_last) in zip(params, mean_grad(params, x, y), last)]

    cases = [dataclasses.replace(c, batch=max(c.batch, 3)) for c in draw_cases(30, seed=5)]
    report = check_step(step, cases, seed=5)
    assert report.mistakes == ("bias_last_example_only",), report.diagnosis


def test_a_step_report_counts_failures_by_kind_and_shows_the_most_frequent():
    """A step with W^(l+1) where its transpose belongs raises on most cases and is wrong in value on square ones:
    the report counts both kinds and shows the first of the most frequent (its exception and line) beside the
    smallest failing case."""
    def step(params, x, y, eta):
        X, Y = np.atleast_2d(x), np.atleast_2d(y)
        a = forward(params, X)
        delta = (a[-1] - Y) / Y.shape[1] * a[-1] * (1 - a[-1])
        out = [None] * len(params)
        for l in range(len(params) - 1, -1, -1):
            W, b = params[l]
            out[l] = (W - eta * delta.T @ a[l] / X.shape[0], b - eta * delta.sum(axis=0) / X.shape[0])
            if l:
                delta = (delta @ W.T) * a[l] * (1 - a[l])       # W^(l+1) where (W^(l+1))^T belongs
        return out

    report = check_step(step, [c for c in draw_cases(200, seed=8) if c.depth >= 2][:60], seed=8)
    text = format_step_report(report)
    assert report.by_kind.get("raised", 0) > report.by_kind.get("value", 0) > 0, report.by_kind
    assert "failing cases by kind: " in text and "most failing cases are of kind raised" in text, text
    assert "raised ValueError" in text.split("most failing cases")[1], text


def test_a_gradient_left_at_zero_is_said_to_be_exactly_zero():
    """grad W^l of every layer above the first left at its zeros (a return inside the layer loop): the report
    names those arrays as exactly 0, on the drawn and the shrunk case alike."""
    def grad(params, x, y):
        return [(gW if l == 0 else np.zeros_like(gW), gb) for l, (gW, gb) in enumerate(manual.grad(params, x, y))]

    report = check_grad(grad, [c for c in draw_cases(60, seed=6) if c.depth == 3][:10])
    line = next(d for d in report.diagnosis if "exactly 0" in d)
    assert line.startswith("grad W^2, grad W^3 are exactly 0") or line.startswith("grad W^2 is exactly 0"), line


def test_constant_probes_of_a_saturated_case_have_a_ratio():
    """A first failing case with no element large enough for a ratio (saturated) no longer ends the fit: the
    probes are drawn unsaturated, and the constant 2 n_L is found from the other cases."""
    def grad(params, x, y):
        k = 2 * np.atleast_2d(y).shape[1]
        return [((k * gW).astype(gW.dtype), (k * gb).astype(gb.dtype)) for gW, gb in manual.grad(params, x, y)]

    saturated = parse_case("sizes=2-30-56 batch=0 scale=254.5155454186057 dtype=float32 seed=4244334962527119469")
    report = check_grad(grad, [saturated, Case((4, 3, 1), 0, 1.0, "float64", 11)], shrink_failure=False)
    assert constants.ratio(report.first) is None
    assert report.constant == Constant(1, 1, 1, 0)
    assert all(p.scale <= constants.PROBE_SCALE[1] and not p.extreme for p in constants.probes(saturated, False))


def test_cli_step_reports_the_constant_and_its_scale_hint():
    """python -m compare --step on a summed mini-batch (a step m times the right one): the mistake is named, and
    the report says right up to the constant m, with the --scale m hint."""
    out = oracle_cli.run(["--step", str(STEPS / "wrong_summed.py"), "--examples", "40"])
    assert out.returncode == 1, out.stderr
    assert "right up to the constant m" in out.stdout and "--scale m" in out.stdout, out.stdout


# The catalogue's new mistakes: gradients.

CONTROLS = ROOT / "compare" / "controls"


@pytest.mark.parametrize("name", ["wrong_hidden_from_output_error", "wrong_W_not_transposed", "wrong_bias_summed",
                                  "wrong_output_sigma_and_bias_summed", "wrong_sigma_prime_of_z",
                                  "wrong_bias_mean_twice", "wrong_weights_mean_twice"])
def test_a_new_gradient_mistake_is_named_by_its_reproduction(name):
    """Each new control's report names exactly its own mistake(s), reproduced on the drawn and the shrunk case;
    two mistakes that reproduce only together are named together."""
    grad, cost, module = load_candidate(str(CONTROLS / f"{name}.py"))
    report = check_grad(grad, cases_for(module, draw_default(150, 0)), cost=cost)
    keys = declared(module.MISTAKE_KEY)
    assert report.mistakes == keys, report.diagnosis
    assert report.diagnosis[0].startswith(f"[{' + '.join(keys)}] reproduced"), report.diagnosis
    if len(keys) > 1:
        assert "reproduced together, 2 mistakes" in report.diagnosis[0]


def test_W_not_transposed_changes_nothing_where_the_shapes_differ():
    """W used for W^T exists only on square layers: on a net with none the recomputation is the seed's gradient
    (never claimed there), on a square one it differs."""
    params, x, y = materialise(Case((3, 4, 2), 5, 1.0, "float64", 1))
    right, mistaken = recompute(params, x, y), recompute(params, x, y, ("W_not_transposed",))
    assert all(np.array_equal(a, b) for p, q in zip(right, mistaken) for a, b in zip(p, q))
    params, x, y = materialise(Case((3, 4, 4), 5, 1.0, "float64", 1))
    right, mistaken = recompute(params, x, y), recompute(params, x, y, ("W_not_transposed",))
    assert not np.allclose(right[0][0], mistaken[0][0])
    assert CATALOGUE["W_not_transposed"].slot != CATALOGUE["hidden_missing_sigma_prime"].slot


def test_the_bias_summed_mistake_scales_grad_b_alone_by_m():
    params, x, y = materialise(Case((3, 4, 2), 5, 1.0, "float64", 1))
    right, mistaken = recompute(params, x, y), recompute(params, x, y, ("bias_summed",))
    for (gW, gb), (mW, mb) in zip(right, mistaken):
        assert np.array_equal(gW, mW) and np.allclose(mb, 5 * gb)


# The catalogue's new mistakes: steps.

def _step_control(name: str):
    return load_target(f"{STEPS / name}.py:step")


def test_a_gradient_mistake_in_a_right_update_is_named():
    """A step that descends the gradient with delta^(L-1) taken from the bare output error: named by the
    gradient mistake (no update mistake reproduces it)."""
    report = check_step(_step_control("wrong_hidden_from_output_error").target, draw_cases(60, seed=0), seed=0)
    assert report.mistakes == ("hidden_from_output_error",), report.diagnosis
    assert report.diagnosis[0].startswith("[hidden_from_output_error] the step descends a gradient")


def test_two_step_mistakes_that_reproduce_only_together_are_named_together():
    """sigma'(z^L) left out and W^{l+1} updated before delta^l: neither alone reproduces every failing case, the
    pair does, and the report names the pair as one hypothesis."""
    report = check_step(_step_control("wrong_output_sigma_updated_first").target, draw_cases(60, seed=0), seed=0)
    assert report.mistakes == ("output_missing_sigma_prime", "updated_next_first"), report.diagnosis
    assert report.diagnosis[0].startswith("[output_missing_sigma_prime + updated_next_first] reproduced together")
    deep = report.smallest if report.smallest.case.depth > 1 else None
    if deep is not None:
        assert not stepmistakes.diagnose_step(deep)
        assert not any(f.visible for f in stepmistakes.gradient_step(deep))


def test_a_right_step_is_never_reproduced_by_a_gradient_or_combined_mistake():
    """No cry wolf: the seed's own step, handed to the gradient and the combined hypotheses as if it failed,
    is reproduced by none of them (each must change the step beyond the tolerances)."""
    cases = [c for c in draw_cases(40, seed=6) if c.dtype == "float64"][:12]
    etas = draw_etas(len(cases), 6)
    for case, eta in zip(cases, etas):
        params, x, y = materialise(case)
        layers = references([(params, x, y)], case.dtype)[0]
        got = [(W - eta * r.W, b - eta * r.b) for (W, b), r in zip(params, layers)]
        result = StepResult(case, eta, None, 0.0, 0, 0, None, None, (params, x, y, layers), got)
        assert not any(f.visible for f in stepmistakes.gradient_step(result)), case.spec()
        assert not any(f.visible for f in stepmistakes.combined_step(result)), case.spec()


def test_scale_is_honoured_when_a_padded_last_mini_batch_is_recomputed():
    """The padded last mini-batch is recomputed with its own backward pass: with --scale n_L declared, an epoch
    of Nielsen's cost that pads it is still named (its recomputed gradient times n_L)."""
    from compare import check_epoch
    from compare.oracle.checks.epoch import draw_epochs

    def epoch(params, X, Y, eta, batch_size):
        n_L = Y.shape[1]
        for s in range(0, X.shape[0], batch_size):
            rows = np.arange(s, s + batch_size)
            g = mean_grad(params, np.take(X, rows, axis=0, mode="wrap"), np.take(Y, rows, axis=0, mode="wrap"))
            params = [(W - eta * n_L * gW, b - eta * n_L * gb) for (W, b), (gW, gb) in zip(params, g)]
        return params

    epochs = [e for e in draw_epochs(80, seed=7) if e.case.sizes[-1] > 1][:20]
    report = check_epoch(epoch, epochs, scale=parse_scale("n_L"))
    assert report.mistakes == ("last_padded_wrap",), report.diagnosis


# Each control is caught and named on the kill table's draw in
# test_diagnosis.test_the_diagnosis_names_exactly_the_controls_own_mistake.


def test_W_not_transposed_leads_the_report_though_most_cases_crash():
    """On default (mostly non-square) draws the W-for-W^T control crashes on most cases and fails in value on the
    square ones: the report leads with the value cases and names the mistake (it is shape-bound: the crashes are
    its shapes), and lists the crashes after it."""
    grad, cost, module = load_candidate(str(CONTROLS / "wrong_W_not_transposed.py"))
    report = check_grad(grad, draw_default(400, 0), cost=cost)
    kinds = list(report.failures_by_kind)
    assert kinds[0] == "value" and "raised" in kinds, kinds
    assert report.failures_by_kind["raised"][0] > report.failures_by_kind["value"][0]
    assert report.mistakes == ("W_not_transposed",) and report.diagnosis[0].startswith("[W_not_transposed]")
    assert any(line.startswith("also ") and "kind 'raised'" in line for line in report.diagnosis)


def test_a_summed_step_with_a_gradient_mistake_is_named_together_with_one_example_steps_among_them():
    """The mini-batch summed and the hidden sigma' left out (a published epoch's two slips): on a one-example
    step the sum is the mean, which must not refute the pair (a mistake that changes nothing on a case is within
    it); the pair is named together, and the one-example cases are among those diagnosed."""
    cases = [c for c in draw_cases(80, seed=2) if c.depth >= 2][:30]
    report = check_step(_step_control("wrong_summed_hidden_missing_sigma_prime").target, cases, seed=0)
    assert any(c.batch <= 1 for c in cases)
    assert report.mistakes == ("hidden_missing_sigma_prime", "summed"), report.diagnosis
    assert report.diagnosis[0].startswith("[hidden_missing_sigma_prime + summed] reproduced together")


def test_weights_mean_twice_scales_grad_W_alone_by_one_over_m():
    params, x, y = materialise(Case((3, 4, 2), 5, 1.0, "float64", 1))
    right, mistaken = recompute(params, x, y), recompute(params, x, y, ("weights_mean_twice",))
    for (gW, gb), (mW, mb) in zip(right, mistaken):
        assert np.array_equal(gb, mb) and np.allclose(mW, gW / 5)


def test_gradW_uses_next_activation_changes_hidden_layers_only_where_the_shapes_agree():
    """a^(l+1) for a^(l-1) in grad W^l exists only where n_(l+1) = n_(l-1): on a 3-4-2 net the recomputation is
    the seed's gradient; on a 2-4-2 net grad W^1 differs and the output layer's gradient does not."""
    params, x, y = materialise(Case((3, 4, 2), 5, 1.0, "float64", 1))
    right, mistaken = recompute(params, x, y), recompute(params, x, y, ("gradW_uses_next_activation",))
    assert all(np.array_equal(a, b) for p, q in zip(right, mistaken) for a, b in zip(p, q))
    params, x, y = materialise(Case((2, 4, 2), 5, 1.0, "float64", 1))
    right, mistaken = recompute(params, x, y), recompute(params, x, y, ("gradW_uses_next_activation",))
    assert not np.allclose(right[0][0], mistaken[0][0]) and np.array_equal(right[1][0], mistaken[1][0])
    assert CATALOGUE["gradW_uses_next_activation"].shape_bound


def test_gradW_uses_next_activation_leads_the_report_though_most_cases_have_the_wrong_shape():
    """Its control returns a wrong shape on most drawn cases and wrong values where n_(l+1) = n_(l-1): the report
    leads with the value cases and names the mistake (shape-bound: the wrong shapes are its own), and lists
    the wrong shapes after it."""
    grad, cost, module = load_candidate(str(CONTROLS / "wrong_gradW_uses_next_activation.py"))
    report = check_grad(grad, draw_default(400, 0), cost=cost)
    kinds = list(report.failures_by_kind)
    assert kinds[0] == "value" and "shape" in kinds, kinds
    assert report.failures_by_kind["shape"][0] > report.failures_by_kind["value"][0]
    assert report.mistakes == ("gradW_uses_next_activation",), report.diagnosis
    assert any(line.startswith("also ") and "kind 'shape'" in line for line in report.diagnosis)


def test_layers_reversed_reorders_only_where_the_shapes_read_the_same_both_ways():
    """Gradients handed back output layer first exist as values only where the layer sizes are a palindrome: on
    a 3-4-2 net the recomputation is the seed's gradient, on a 4-4-4 net it is the seed's in reverse order."""
    params, x, y = materialise(Case((3, 4, 2), 5, 1.0, "float64", 1))
    right, mistaken = recompute(params, x, y), recompute(params, x, y, ("layers_reversed",))
    assert all(np.array_equal(a, b) for p, q in zip(right, mistaken) for a, b in zip(p, q))
    params, x, y = materialise(Case((4, 4, 4), 5, 1.0, "float64", 1))
    right, mistaken = recompute(params, x, y), recompute(params, x, y, ("layers_reversed",))
    assert all(np.array_equal(a, b) for p, q in zip(right[::-1], mistaken) for a, b in zip(p, q))


def test_layers_reversed_leads_the_report_and_the_shapes_name_grads_reversed():
    """Its control (the right gradients, output layer first) is named on the cases of one width, and its wrong
    shapes elsewhere carry the --grads-reversed layout hint."""
    grad, cost, module = load_candidate(str(CONTROLS / "wrong_layers_reversed.py"))
    report = check_grad(grad, draw_default(400, 0), cost=cost)
    assert report.mistakes == ("layers_reversed",), report.diagnosis
    assert any("kind 'shape'" in line and "--grads-reversed" in line for line in report.diagnosis), report.diagnosis


def test_a_whole_step_mistake_is_named_alone_where_its_one_layer_kin_also_fit():
    """On one-layer nets the summed mini-batch is also 'the output layer's step alone m times' and 'layer 1's':
    the report names the whole step's mistake only; one layer's 1/m on deeper nets is named by its layer."""
    one_layer = [c for c in draw_cases(120, seed=4) if c.depth == 1 and c.batch > 1][:12]
    report = check_step(_step_control("wrong_summed").target, one_layer, seed=0)
    assert report.mistakes == ("summed",), report.diagnosis
    deep = [c for c in draw_cases(120, seed=4) if c.depth >= 2 and c.batch > 1][:12]
    report = check_step(_step_control("wrong_first_layer_over_m").target, deep, seed=0)
    assert report.mistakes == ("layer_1_over_m",), report.diagnosis


def test_a_one_example_candidate_is_probed_with_one_example():
    """The diagnosis's probe (n_L >= 3 where the tried cases have n_L = 1) keeps one example per call for a
    candidate that takes one: handed a batch, such code may read it otherwise (here: summed), and that misreading
    was named as a second mistake, sum_not_mean."""
    from compare.oracle.sandbox.layouts import Layout

    def one_at_a_time(params, x, y):               # sigma'(z^L) left out; a batch silently summed, not averaged
        X, Y = np.atleast_2d(x), np.atleast_2d(y)
        a = forward(params, X)
        delta = (a[-1] - Y) / Y.shape[1]
        out = [None] * len(params)
        for l in range(len(params) - 1, -1, -1):
            out[l] = (delta.T @ a[l], delta.sum(axis=0))
            if l:
                delta = (delta @ params[l][0]) * a[l] * (1 - a[l])
        return out

    cases = [dataclasses.replace(c, sizes=c.sizes[:-1] + (1,), batch=0) for c in draw_cases(60, seed=1)]
    report = check_grad(one_at_a_time, cases, layout=Layout(one_example=True))
    assert report.mistakes == ("output_missing_sigma_prime",), report.diagnosis


def test_a_failure_shrinks_within_what_the_run_fixed():
    """A run drawn with one depth (``--depth 2``) shrinks its failure within that depth: a candidate that takes
    only depth 2 (published code with a fixed architecture) and raises on other depths is shown failing as it
    failed, not on a depth-1 net where it raises something else; a run of varied depths may shrink to depth 1."""
    from compare.oracle.cases.cases import draw_sized
    from compare.oracle.diagnosis.shrink import drawn_space

    def two_layers_only(params, x, y):
        if len(params) != 2:
            raise IndexError("this network has exactly two layers")
        raise OverflowError("math range error")          # as math.exp(-z) does for z < -709

    report = check_grad(two_layers_only, draw_sized(40, 3, depth=2))
    assert report.shrunk.kind == "raised" and report.shrunk.case.depth == 2, report.shrunk
    assert "OverflowError" in report.shrunk.message, report.shrunk.message
    varied = draw_cases(40, 3)
    allowed = drawn_space(varied)
    assert allowed(dataclasses.replace(varied[0], sizes=(2, 2), batch=0))
    fixed = drawn_space(draw_sized(10, 3, sizes=(3, 4, 2), batch=5))
    assert fixed(Case((3, 4, 2), 5, 1.0, "float64", 0)) and not fixed(Case((3, 2), 5, 1.0, "float64", 0))
    assert drawn_space(varied[:1])(Case((1, 1), 0, 1.0, "float64", 0))


def test_a_bias_line_with_its_own_rate_is_read_and_named_across_varied_etas():
    """b' = b - 0.1 grad b whatever eta is: the rate 0.1 is read off a failing step and the hypothesis, tried on
    every diagnosed step (their etas differ), names it; a right step's rate is its eta, never claimed."""
    report = check_step(_step_control("wrong_bias_fixed_rate").target, draw_cases(60, seed=0), seed=0)
    assert report.mistakes == ("bias_fixed_rate",), report.diagnosis
    assert "0.1" in report.diagnosis[0]
    case = next(c for c in draw_cases(20, seed=1) if c.dtype == "float64" and c.batch > 1)
    params, x, y = materialise(case)
    layers = references([(params, x, y)], case.dtype)[0]
    eta = 0.37
    right = [(W - eta * r.W, b - eta * r.b) for (W, b), r in zip(params, layers)]
    own = [(W - eta * r.W, b - 0.1 * r.b) for (W, b), r in zip(params, layers)]
    for got, rate in ((right, None), (own, 0.1)):
        result = StepResult(case, eta, None, 0.0, 0, 0, None, None, (params, x, y, layers), got)
        found = stepmistakes.bias_rate(result)
        assert (found is None) if rate is None else abs(found[0] / rate - 1) < 1e-6 and found[1] < 1e-6, found


@pytest.mark.parametrize("name", ["wrong_first_hidden_missing_sigma_prime", "wrong_top_hidden_missing_sigma_prime",
                                  "wrong_hidden_missing_sigma_prime"])
def test_one_hidden_layers_mistake_is_named_as_every_hidden_layers_where_there_is_one(name):
    """At depth 2 (one hidden layer) sigma' left out of the first, or the top, hidden layer is the same as left out
    of every hidden layer: the broader statement is named alone (``mistakes.BROADER``), not three of one thing;
    at depth 3 each control is named by its own key."""
    grad, cost, module = load_candidate(str(CONTROLS / f"{name}.py"))
    shallow = check_grad(grad, [dataclasses.replace(c, sizes=c.sizes[:3]) for c in draw_cases(60, seed=9)
                                if c.depth >= 2][:20])
    assert shallow.mistakes == ("hidden_missing_sigma_prime",), shallow.diagnosis
    deep = check_grad(grad, [c for c in draw_cases(200, seed=9) if c.depth == 3][:20])
    assert deep.mistakes == (module.MISTAKE_KEY,), deep.diagnosis


def test_a_step_report_says_which_cases_fail():
    """A step that crashes on a net without a hidden layer (it reads a^(L-2)): the step report says that only
    depth-1 cases fail, as the gradient report says of its features."""
    def step(params, x, y, eta):
        if len(params) == 1:
            raise IndexError("list index out of range")
        return [(W - eta * gW, b - eta * gb) for (W, b), (gW, gb) in zip(params, mean_grad(params, x, y))]

    report = check_step(step, draw_cases(60, seed=10), seed=10)
    assert any(d.startswith("only cases with depth 1 (no hidden layer) fail") for d in report.diagnosis), \
        report.diagnosis


def test_a_crash_whose_shapes_are_each_others_transpose_is_read_as_an_array_used_transposed():
    """A step with grad W computed as a^(l-1) delta^T crashes on non-square layers with shapes (41,35) (35,41): the
    report says they are each other's transpose; a matmul error of unrelated shapes says nothing of the kind."""
    from compare.oracle.diagnosis.diagnose import transposed_shapes_line

    assert transposed_shapes_line("operands could not be broadcast together with shapes (35,41) (41,35) ")
    assert transposed_shapes_line("shapes (7,18) and (7,1) not aligned: 18 (dim 1) != 7 (dim 0)") is None
    assert transposed_shapes_line("shapes (4,4) and (4,4)") is None and transposed_shapes_line(None) is None
    out = oracle_cli.run(["--step", ROOT / "tests" / "candidates" / "step_gradW_transposed.py", "--examples", "60",
                          "--progress", "off"])
    assert out.returncode == 1 and "each other's transpose" in out.stdout, out.stdout + out.stderr
    # three kinds fail (raised, shape, value): the smallest case and the leading kind are shown, and the third's
    # first case too, so that no kind of failure is hidden behind the others
    assert any(line.startswith("  also ") and "of kind shape" in line for line in out.stdout.splitlines()), out.stdout


def test_a_vector_result_of_shape_n_by_n_is_read_as_a_row_and_a_column_added():
    """A new b (or grad b) of shape (n, n) where (n,) belongs is what a (n, 1) column plus a (1, n) row broadcast
    to (a published step added delta's column to b's row); other wrong shapes get no such note."""
    from compare.oracle.verdict.candidate import _broadcast_note

    assert "broadcast to (3, 3)" in _broadcast_note((3, 3), (3,))
    assert _broadcast_note((3, 1), (3,)) == "" and _broadcast_note((1, 1), (1,)) == ""
    assert _broadcast_note((4, 4), (3,)) == "" and _broadcast_note((3, 3), (3, 3)) == ""
