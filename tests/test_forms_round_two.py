"""The forms published backprops take that needed hand-written glue (issue 21): each option checks its
look-alike in tests/candidates/ (exit 0), is named or needed without it, and a wrong look-alike under the
same option still fails (exit 1)."""

import pathlib
import subprocess

import numpy as np
import oracle_cli
import pytest

import manual
from compare.oracle.sandbox import forms, layouts
from compare.oracle.sandbox.layouts import Layout

ROOT = pathlib.Path(__file__).resolve().parent.parent
CANDIDATES = ROOT / "tests" / "candidates"
EXAMPLES = "40"


def _oracle(candidate: str, *options: str) -> subprocess.CompletedProcess:
    """``python -m compare --candidate tests/candidates/CANDIDATE OPTIONS --examples 40``, its output kept."""
    return oracle_cli.run(["--candidate", str(CANDIDATES / candidate), "--examples", EXAMPLES, "--progress", "off",
                           *options])


def _passes(candidate: str, *options: str) -> None:
    out = _oracle(candidate, *options)
    assert out.returncode == 0, out.stdout + out.stderr


def _fails(candidate: str, *options: str) -> str:
    out = _oracle(candidate, *options)
    assert out.returncode == 1, out.stdout + out.stderr
    return out.stdout


def _case(sizes=(3, 4, 2), batch=0):
    params = manual.init_params(list(sizes), seed=0)
    rng = np.random.default_rng(1)
    lead = (batch,) if batch else ()
    return params, rng.standard_normal(lead + (sizes[0],)), rng.random(lead + (sizes[-1],))


# ---- 1. one example as a (1, n_0) row ------------------------------------------------------------------

def test_rows_2d_hands_one_example_over_as_a_row_and_reads_row_gradients_with_row_biases():
    """``examples="rows_2d"``: x (n_0,) goes in as (1, n_0), y as (1, n_L), a batch as it is; with
    ``biases="row"`` b and its gradient are (1, n_l) rows, one example or a batch."""
    params, x, y = _case()
    layout = Layout(examples="rows_2d", biases="row")
    given = layouts.to_candidate(params, x, y, layout)
    assert given.x.shape == (1, 3) and given.y.shape == (1, 2)
    X = np.ones((5, 3))
    assert layouts.to_candidate(params, X, np.ones((5, 2)), layout).x.shape == (5, 3)
    g = manual.grad(params, x, y)
    read = layouts.from_candidate([(gW, gb[None, :]) for gW, gb in g], layout)
    assert all(np.array_equal(a, c) and np.array_equal(b, d) for (a, b), (c, d) in zip(read, g))


def test_a_row_notebook_passes_with_data_rows_2d_and_is_named_without_it():
    """Row code that crashes on a 1-D example and returns b's gradient as a (1, n_l) row: passes with
    --data rows-2d --biases row; without them the report names --biases row (its batches' shapes), and with
    that alone, --data rows-2d (found by trying it on the cases that crash)."""
    _passes("rows_2d_keepdims.py", "--data", "rows-2d", "--biases", "row")
    assert "--biases row" in _fails("rows_2d_keepdims.py")
    assert "--data rows-2d" in _fails("rows_2d_keepdims.py", "--biases", "row")


def test_a_wrong_row_notebook_fails_with_data_rows_2d():
    _fails("rows_2d_keepdims_wrong.py", "--data", "rows-2d", "--biases", "row")


# ---- 2. objects built otherwise than Class(sizes) ------------------------------------------------------

SEEDED = "seeded_network.py:Network.gradient"


def test_a_constructor_expression_is_read_then_evaluated_with_the_modules_names_and_sizes():
    """``forms.check_build`` refuses what is not an expression or does not use ``sizes``; ``forms.make``
    evaluates the expression with the module's names and the case's sizes."""
    for bad in ("Net(", "Net([2, 3])", "import os"):
        with pytest.raises(ValueError):
            forms.check_build(bad)

    class Net:
        def __init__(self, sizes, seed):
            self.sizes, self.seed = sizes, seed

    form = forms.Form(forms.METHOD, "gradient", "Net", forms.check_build("Net(sizes, seed=3)"))
    obj = forms.make(Net, form, [2, 3], {"Net": Net})
    assert (obj.sizes, obj.seed) == ([2, 3], 3)
    with pytest.raises(TypeError, match="--make"):
        forms.make(Net, form._replace(build=forms.UNBUILT), [2, 3])


def test_an_object_that_needs_its_seed_passes_with_make_and_is_refused_without_it():
    """``Network(sizes, seed)``: without --make a one-line usage error that names --make (exit 2); with the
    constructor expression or the library's factory, the check passes."""
    out = _oracle(SEEDED)
    assert out.returncode == 2 and "--make" in out.stderr and len(out.stderr.splitlines()) == 1, out.stderr
    _passes(SEEDED, "--make", "Network(sizes, seed=0)")
    _passes(SEEDED, "--make", "build_network(sizes)")


def test_a_wrong_seeded_network_fails_with_make_and_its_reproduce_line_keeps_the_expression():
    stdout = _fails("seeded_network_wrong.py:Network.gradient", "--make", "build_network(sizes)")
    assert "--make 'build_network(sizes)' --case" in stdout


@pytest.mark.parametrize("options, words", [(("--make", "Network("), "not a Python expression"),
                                            (("--make", "Network([1, 1], seed=0)"), "uses neither sizes nor x, y")])
def test_a_bad_make_is_a_one_line_usage_error(options, words):
    out = _oracle(SEEDED, *options)
    assert out.returncode == 2 and words in out.stderr and len(out.stderr.splitlines()) == 1, out.stderr


STEP_FUNCTION = ROOT / "compare" / "controls" / "steps" / "right_in_place.py"


@pytest.mark.parametrize("candidate, option", [(CANDIDATES / "reversed_grads.py", "--candidate"),
                                               (STEP_FUNCTION, "--step")])
def test_make_without_an_object_to_build_is_a_one_line_usage_error(candidate, option):
    """--make names how to build an object: refused for a function candidate, a gradient's or a step's (an object's
    step is built with it: ``test_make_builds_the_object_of_a_step_too``)."""
    out = oracle_cli.run([option, str(candidate), "--make", "Network(sizes, seed=0)", "--examples", "5"])
    assert out.returncode == 2 and "--make" in out.stderr and len(out.stderr.splitlines()) == 1, out.stderr


# ---- 3. biases folded into W ---------------------------------------------------------------------------

@pytest.mark.parametrize("biases, column", [("folded_first", 0), ("folded_last", -1)])
@pytest.mark.parametrize("weights", ["out_in", "in_out"])
def test_folded_biases_go_in_as_one_list_of_matrices_and_come_back_split(biases, column, weights):
    """[b W] or [W b] (transposed under in_out) go in as one list, whatever ``grads`` says, with empty biases
    on the wire (``NO_BIAS``); gradient matrices of that form are split back into (grad W, grad b)."""
    params, x, y = _case(batch=4)
    layout = Layout(biases=biases, weights=weights, grads="lists_bW")
    given = layouts.to_candidate(params, x, y, layout)
    arg = given.params(layout.grads)
    assert isinstance(arg, list) and len(arg) == 2 and all(b.size == 0 for b in given.biases)
    for M, (W, b) in zip(arg, params):
        M = M.T if weights == "in_out" else M
        assert M.shape == (W.shape[0], W.shape[1] + 1) and np.array_equal(M[:, column], b)
    g = manual.grad(params, x, y)
    folded = [layouts._fold(gW, gb, biases) for gW, gb in g]
    read = layouts.from_candidate([M.T if weights == "in_out" else M for M in folded], layout)
    assert all(np.array_equal(a, c) and np.array_equal(b, d) for (a, b), (c, d) in zip(read, g))
    fix = layouts.suggest(folded, Layout(), [(W.shape, b.shape) for W, b in params])
    assert fix.fields == ("biases",) and fix.layout.folded      # shapes cannot tell first from last


def test_folded_biases_in_this_process_too():
    """The library's in-process path hands the same one list of matrices."""
    from compare import check_grad

    def theta_grad(thetas, x, y):
        params = [(M[:, 1:], M[:, 0]) for M in thetas]
        return [layouts._fold(gW, gb, "folded_first") for gW, gb in manual.grad(params, x, y)]

    assert check_grad(theta_grad, examples=40, seed=3, layout=Layout(biases="folded_first")).ok


@pytest.mark.parametrize("candidate, option", [("folded_bias_first.py", "folded-first"),
                                               ("folded_bias_last.py", "folded-last")])
def test_a_theta_backprop_passes_with_its_folded_biases_and_is_named_without_them(candidate, option):
    _passes(candidate, "--biases", option)
    assert f"--biases {option}" in _fails(candidate)


def test_a_wrong_theta_backprop_fails_with_folded_biases():
    _fails("folded_bias_first_wrong.py", "--biases", "folded-first")


# ---- 4. gradients in reverse layer order ---------------------------------------------------------------

@pytest.mark.parametrize("grads", ["pairs", "lists_bW"])
def test_reversed_gradients_are_read_output_layer_first_and_named_by_their_shapes(grads):
    params, x, y = _case(sizes=(3, 4, 5, 2))
    g = manual.grad(params, x, y)
    layout = Layout(grads=grads, grads_reversed=True)
    out = layouts.arrange([gW for gW, _ in g][::-1], [gb for _, gb in g][::-1], grads)
    read = layouts.from_candidate(out, layout)
    assert all(np.array_equal(a, c) and np.array_equal(b, d) for (a, b), (c, d) in zip(read, g))
    fix = layouts.suggest(out, Layout(grads=grads), [(W.shape, b.shape) for W, b in params])
    assert fix.fields == ("grads_reversed",) and "--grads-reversed" in fix.hint()


def test_a_backward_collecting_backprop_passes_with_grads_reversed_and_is_named_without_it():
    _passes("reversed_grads.py", "--grads-reversed")
    assert "--grads-reversed" in _fails("reversed_grads.py")


def test_a_wrong_backward_collecting_backprop_fails_with_grads_reversed():
    _fails("reversed_grads_wrong.py", "--grads-reversed")


# ---- 5. plain Python lists -----------------------------------------------------------------------------

def test_nested_lists_are_read_as_arrays_before_the_layout_and_named_when_they_would_fit():
    """``lists``: nested lists of numbers become arrays, then are transposed, reshaped or split as the layout
    says; without it a list is passed on as it came (the default layout's checks still read it), and an output
    that fits only once read as arrays names --lists."""
    params, x, y = _case()
    g = manual.grad(params, x, y)
    shapes = [(W.shape, b.shape) for W, b in params]
    out = [[gW.T.tolist(), gb[:, None].tolist()] for gW, gb in g]
    layout = Layout(weights="in_out", biases="column", lists=True)
    read = layouts.from_candidate(out, layout)
    assert all(np.array_equal(a, c) and np.array_equal(b, d) for (a, b), (c, d) in zip(read, g))
    fix = layouts.suggest(out, Layout(weights="in_out", biases="column"), shapes)
    assert fix.fields == ("lists",) and "--lists" in fix.hint()
    assert layouts.from_candidate([["not", "numbers"]], Layout(lists=True)) == [("not", "numbers")]


def test_a_backprop_returning_lists_passes_with_lists_and_is_named_without_it():
    _passes("lists_in_out.py", "--weights", "in-out", "--lists")
    assert "--lists" in _fails("lists_in_out.py", "--weights", "in-out")


def test_a_wrong_backprop_returning_lists_fails_with_lists():
    _fails("lists_in_out_wrong.py", "--weights", "in-out", "--lists")


# ---- 6. batches only -----------------------------------------------------------------------------------

@pytest.mark.parametrize("examples, shape", [("rows", (1, 3)), ("columns", (3, 1))])
def test_batches_only_hands_one_example_over_as_a_batch_of_one(examples, shape):
    params, x, y = _case()
    given = layouts.to_candidate(params, x, y, Layout(examples=examples, batches_only=True))
    assert given.x.shape == shape
    with pytest.raises(ValueError, match="exclude each other"):
        Layout(one_example=True, batches_only=True)


def test_a_batch_only_backprop_passes_with_batches_only_saying_so_and_fails_without_it():
    out = _oracle("batches_only_matrix.py", "--batches-only")
    assert out.returncode == 0 and "batches only (--batches-only)" in out.stdout, out.stdout + out.stderr
    stdout = _fails("batches_only_matrix.py")
    assert "raised IndexError" in stdout and "one example x (n_0,)" in stdout


def test_a_wrong_batch_only_backprop_fails_with_batches_only():
    _fails("batches_only_matrix_wrong.py", "--batches-only")


@pytest.mark.parametrize("options, words", [(("--batches-only", "--one-example"), "exclude each other"),
                                            (("--batches-only", "--batch", "0"), "nothing to check")])
def test_batches_only_against_one_example_is_a_one_line_usage_error(options, words):
    out = _oracle("batches_only_matrix.py", *options)
    assert out.returncode == 2 and words in out.stderr and len(out.stderr.splitlines()) == 1, out.stderr


# ---- 7. a network without biases -----------------------------------------------------------------------

def test_no_biases_hands_weights_only_over_and_reads_a_list_of_weight_gradients():
    """``biases="none"``: the parameters go in as one list of W (``NO_BIAS`` on the wire), whatever ``grads``
    says; a list of gradient matrices comes back as (grad W, 0) pairs, and its shapes name the layout."""
    params, x, y = _case(batch=4)
    layout = Layout(biases="none", grads="lists_bW")
    given = layouts.to_candidate(params, x, y, layout)
    arg = given.params(layout.grads)
    assert isinstance(arg, list) and all(np.array_equal(M, W) for M, (W, _) in zip(arg, params))
    assert all(b.size == 0 for b in given.biases)
    gW = [g for g, _ in manual.grad(params, x, y)]
    read = layouts.from_candidate(gW, layout)
    assert all(np.array_equal(a, g) and np.array_equal(b, np.zeros(g.shape[0])) for (a, b), g in zip(read, gW))
    fix = layouts.suggest(gW, Layout(), [(W.shape, b.shape) for W, b in params])
    assert fix.fields == ("biases",) and fix.layout.biases == "none" and "--biases none" in fix.hint()


def test_a_case_without_biases_has_b_zero_and_every_other_array_as_drawn():
    """``Case.biases`` False: every b is 0; W, x and y are the draw of the same case with biases."""
    import dataclasses

    from compare.oracle.cases.cases import draw_cases, materialise

    for case in draw_cases(20, 5):
        bare = dataclasses.replace(case, bare=tuple(range(case.depth)))
        (params, x, y), (p0, x0, y0) = materialise(case), materialise(bare)
        assert all(np.array_equal(W, W0) and not b0.any() for (W, _), (W0, b0) in zip(params, p0))
        assert np.array_equal(x, x0) and np.array_equal(y, y0)


def test_without_biases_only_the_weight_gradients_are_compared_and_a_wrong_one_still_fails():
    """In the library: a no-bias backprop (manual's W gradients on b = 0) passes; the same times 1.5 fails, so
    grad W is compared element by element while grad b, which such a network lacks, is not."""
    from compare import check_grad

    def weights_grad(weights, x, y):
        params = [(W, np.zeros(W.shape[0], W.dtype)) for W in weights]
        return [gW for gW, _ in manual.grad(params, x, y)]

    layout = Layout(biases="none")
    assert check_grad(weights_grad, examples=40, seed=3, layout=layout).ok
    report = check_grad(lambda w, x, y: [1.5 * g for g in weights_grad(w, x, y)], examples=40, seed=3,
                        layout=layout, shrink_failure=False)
    assert not report.ok and report.failed > 0


@pytest.mark.parametrize("form", ["--candidate", "--step", "--epoch"])
def test_a_weights_only_network_passes_with_biases_none_in_every_form_and_is_named_without_it(form):
    """The look-alike's grad, step and epoch pass with ``--biases none``; its gradient is named without it."""
    def run(candidate, *options):
        return oracle_cli.run([form, str(CANDIDATES / candidate), "--examples", EXAMPLES, "--progress", "off",
                               *options])

    out = run("no_biases.py", "--biases", "none")
    assert out.returncode == 0, out.stdout + out.stderr
    wrong = run("no_biases_wrong.py", "--biases", "none")
    assert wrong.returncode == 1 and "[hidden_missing_sigma_prime]" in wrong.stdout, wrong.stdout + wrong.stderr
    if form == "--candidate":
        assert "--biases none" in _fails("no_biases.py")


def test_an_object_without_biases_is_read_by_its_weights_alone_in_place_too():
    """``Network(sizes)`` holding ``weights`` only: its gradient method and its in-place step (the object's
    weight list read back, no bias list beside it) pass with ``--biases none``."""
    for form, name in (("--candidate", "Network.gradient"), ("--step", "Network.update")):
        out = oracle_cli.run([form, f"{CANDIDATES / 'no_biases.py'}:{name}", "--biases", "none", "--examples", EXAMPLES,
                              "--progress", "off"])
        assert out.returncode == 0, out.stdout + out.stderr


def test_without_biases_a_mistake_whose_bias_gradient_is_nan_is_still_named():
    """The naive exp form of sigma on a network without biases: its recomputed grad b is NaN where it
    overflows, and grad b is not compared (an infinite tolerance), so the mistake is named on grad W alone."""
    from compare import check_grad
    from compare.oracle.cases.cases import draw_default

    def naive(weights, x, y):
        X, Y = np.atleast_2d(x), np.atleast_2d(y)
        with np.errstate(over="ignore", invalid="ignore"):
            acts, zs = [X], []
            for W in weights:
                zs.append(acts[-1] @ W.T)
                acts.append(1 / (1 + np.exp(-zs[-1])))
            sp = [np.exp(-z) / (1 + np.exp(-z)) ** 2 for z in zs]
            delta = (acts[-1] - Y) / (Y.shape[0] * Y.shape[1]) * sp[-1]
            out = [None] * len(weights)
            for l in range(len(weights) - 1, -1, -1):
                out[l] = delta.T @ acts[l]
                if l:
                    delta = (delta @ weights[l]) * sp[l - 1]
        return out

    report = check_grad(naive, draw_default(200, 0), layout=Layout(biases="none"))
    assert report.mistakes == ("sigma_exp_overflow",), report.diagnosis


def _step(candidate: str, *options: str) -> subprocess.CompletedProcess:
    """``python -m compare --step tests/candidates/CANDIDATE OPTIONS --examples 40``."""
    return oracle_cli.run(["--step", str(CANDIDATES / candidate), "--examples", EXAMPLES, "--progress", "off",
                           *options])


def test_make_builds_the_object_of_a_step_too():
    """``--step FILE:Network.update --make EXPR`` passes (a step report's usage error names --make, so --make
    must be accepted there), and without it the object cannot be built: one usage line naming --make."""
    out = _step("seeded_network.py:Network.update", "--make", "Network(sizes, seed=0)")
    assert out.returncode == 0, out.stdout + out.stderr
    out = _step("seeded_network.py:Network.update")
    assert out.returncode == 2 and "--make" in out.stderr and len(out.stderr.splitlines()) == 1, out.stderr


def test_attributes_name_where_an_object_keeps_its_weight_and_bias_lists():
    """An object with ``self.W`` and ``self.b`` lists passes with ``--attributes W,b`` as a gradient and as a step,
    and fails without it (the parameters land on attributes it never reads), with a note naming --attributes that
    a failing class which reads self.weights does not get."""
    _passes("named_attributes.py:Net.gradient", "--attributes", "W,b")
    assert "name them with --attributes" in _fails("named_attributes.py:Net.gradient")   # the file never reads it
    assert "--attributes" not in _fails("seeded_network_wrong.py:Network.gradient", "--make", "build_network(sizes)")
    out = _step("named_attributes.py:Net.update", "--attributes", "W,b")
    assert out.returncode == 0, out.stdout + out.stderr


@pytest.mark.parametrize("value, spec", [("W", "named_attributes.py:Net.gradient"),
                                         ("W,W", "named_attributes.py:Net.gradient"),
                                         ("W,b-1", "named_attributes.py:Net.gradient"),
                                         ("W,b", "no_biases.py")])
def test_attributes_are_two_names_of_an_objects(value, spec):
    """``--attributes`` takes two different Python names, and only for an object (a usage error otherwise)."""
    out = _oracle(spec, "--attributes", value)
    assert out.returncode == 2 and "--attributes" in out.stderr and len(out.stderr.splitlines()) == 1, out.stderr


def test_a_step_report_under_batches_only_says_a_one_example_case_went_as_a_batch_of_one():
    """--step --batches-only: a case of one example (batch=0) went to the candidate as a (1, n_0) batch; the step
    report says so, in the case's words and in a note, as the gradient report does."""
    out = _step("step_batches_only_wrong.py", "--batches-only")
    assert out.returncode == 1 and "batches only (--batches-only)" in out.stdout, out.stdout + out.stderr
    assert "[plus_eta]" in out.stdout, out.stdout
