"""What the third round of held-out published code found (issue 21): each behaviour has a look-alike in
tests/candidates/ or a unit check here, and would fail without its fix."""

import pathlib

import numpy as np
import oracle_cli
import pytest

from compare.oracle.cases.cases import Case
from compare.oracle.diagnosis.mistakes import ONE_LAYER, recompute
from compare.oracle.diagnosis.stepmistakes import STEP_MISTAKES
from compare.oracle.sandbox.protection import BUBBLEWRAP, sandbox
from compare.oracle.verdict.candidate import per_example_note
from compare.oracle.verdict.results import NONFINITE
from compare.oracle.verdict.values import compare_layers

ROOT = pathlib.Path(__file__).resolve().parent.parent
CANDIDATES = ROOT / "tests" / "candidates"


_run = oracle_cli.run_candidate


def test_a_step_with_math_exp_sigma_fails_the_default_run_and_the_overflow_is_named():
    """--step draws saturating cases too (one in SATURATED_SHARE), so sigma written per unit with math.exp, right
    on ordinary cases, raises OverflowError on some of them; the diagnosis says what overflows and the fix."""
    out = _run("--step", "step_math_exp_sigma.py")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "raised OverflowError" in out.stdout and "sigma written 1/(1 + math.exp(-z))" in out.stdout, out.stdout
    assert "only cases with weight scale >= 2 (saturated units) fail" in out.stdout, out.stdout


def test_an_epoch_draws_saturating_cases_too():
    """--epoch's default epochs include saturating weight scales, as --candidate's and --step's cases do."""
    from compare.oracle.cases.limits import SATURATED_SCALES
    from compare.oracle.checks.epoch import draw_epochs

    epochs = draw_epochs(200, 0)
    assert any(e.case.scale >= SATURATED_SCALES[e.case.dtype][0] for e in epochs)


def test_a_per_unit_loop_taking_sigma_prime_of_the_input_is_named_where_the_widths_differ():
    """hidden_sigma_prime_of_input as a loop over the units j reading a^(l-1)_j runs wherever n_(l-1) >= n_l, not
    only on uniform widths; the recomputation follows it there, so the run is named."""
    out = _run("--candidate", "loop_sigma_prime_of_input_wrong.py")
    assert out.returncode == 1 and "[hidden_sigma_prime_of_input] reproduced" in out.stdout, out.stdout


def test_a_bias_gradient_with_one_value_per_example_is_named_by_its_shape():
    """grad b summed over the units (axis=1) of a row batch is (m, 1): the shape message says one value per example
    and gives b's shape as the layout hands it over, and the diagnosis names bias_per_example."""
    out = _run("--candidate", "bias_units_sum_rows_wrong.py", "--biases", "row", "--batches-only")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "[bias_per_example]" in out.stdout and "one value per example of the batch" in out.stdout, out.stdout
    assert "as the layout given hands it over (" in out.stdout and "expected (1, " in out.stdout, out.stdout


@pytest.mark.parametrize("got, note", [((5, 1), "one value per example"), ((5,), "one value per example"),
                                       ((5, 3), "one row per example"), ((3, 1), ""), ((1, 1), "")])
def test_the_per_example_note_reads_only_the_batch_axis(got, note):
    """An (m, 1), (m,) or (m, n_l) b-like result of a batch of m = 5 is one value or one row per example; an
    (n_l, 1) column or a batch of one says nothing of the batch."""
    words = per_example_note(got, (3,), 5)
    assert (note in words) if note else words == ""


def test_a_nonfinite_failure_says_where_its_nan_is_when_the_worst_element_shown_is_finite():
    """The element shown is the worst of the highest failing layer; a NaN in a lower layer is named too."""
    case = Case((2, 2, 1), 0, 1.0, "float64", 0)

    class Ref:
        def __init__(self, W, b):
            self.W, self.b, self.tol_W, self.tol_b = W, b, np.full(W.shape, 1e-12), np.full(b.shape, 1e-12)
    refs = [Ref(np.ones((2, 2)), np.ones(2)), Ref(np.ones((1, 2)), np.ones(1))]
    got = [(np.array([[np.nan, 1.0], [1.0, 1.0]]), np.ones(2)), (np.array([[1.5, 1.0]]), np.ones(1))]
    _, f = compare_layers(case, got, refs)
    assert f.kind == NONFINITE and f.layer == 2
    assert "1 elements are NaN or inf, the first: layer 1: grad W[0, 0] = nan" in f.message, f.message


def test_the_oracle_prints_no_warning_of_its_own_when_an_epoch_diverges_to_inf():
    """An epoch going on from a candidate's inf parameters: the bound of such a step is NaN (failing), and the
    oracle's own arithmetic prints no RuntimeWarning."""
    out = _run("--epoch", "epoch_diverges.py", examples="100")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "Warning" not in out.stdout + out.stderr, out.stdout + out.stderr


@pytest.mark.skipif(sandbox().kind != BUBBLEWRAP, reason="the hint is about bubblewrap's fresh /tmp")
def test_a_module_the_sandbox_hides_gets_a_hint_at_the_import_error(tmp_path):
    """A glue under /tmp importing code from a sibling folder: under bubblewrap the worker does not see it; the
    import error says which folders it sees. Run from that folder, the same glue imports."""
    (tmp_path / "lib").mkdir()
    (tmp_path / "glue").mkdir()
    (tmp_path / "lib" / "their_net.py").write_text("def grad(params, x, y):\n    return params\n")
    glue = tmp_path / "glue" / "g.py"
    glue.write_text(f"import sys\nsys.path.insert(0, {str(tmp_path / 'lib')!r})\nfrom their_net import grad\n")
    out = oracle_cli.run(["--candidate", str(glue), "--examples", "5", "--progress", "off"])
    assert out.returncode == 2 and "ModuleNotFoundError" in out.stderr, out.stderr
    assert "the worker's sandbox shows of /tmp only" in out.stderr, out.stderr
    out = oracle_cli.run(["--candidate", str(glue), "--examples", "5", "--progress", "off"], cwd=tmp_path / "lib")
    assert out.returncode == 1 and "failed to import" not in out.stderr, out.stderr


def test_a_step_with_the_error_sign_flipped_reads_as_plus_eta_and_says_so():
    """A step cannot tell W + eta grad W from the error's sign flipped under W - eta grad W: plus_eta's sentence
    gives both readings."""
    text = next(m.sentence for m in STEP_MISTAKES if m.key == "plus_eta")
    assert "the output error's sign flipped" in text and "y - a^L" in text and "+eta instead of -eta" in text



def test_a_step_run_in_which_nothing_moved_says_so_in_its_first_line():
    """An eta so small that no case moves W or b beyond its tolerance fails (nothing was checked), and the summary
    line says why rather than only "N/N steps agree"."""
    out = oracle_cli.run(["--step", str(ROOT / "compare" / "controls" / "steps" / "right_returns_new.py"), "--eta",
                          "1e-300", "--examples", "20", "--progress", "off"])
    assert out.returncode == 1, out.stdout + out.stderr
    assert "none moved W or b beyond its tolerance: nothing was checked" in out.stdout.splitlines()[0], out.stdout


def test_a_class_of_one_architecture_is_built_by_a_make_without_sizes_when_sizes_fixes_every_width():
    """--make 'Net()' for a class that builds only 2-2-1: accepted with --sizes 2-2-1 (every case that net), and
    the run passes; without --sizes, a one-line usage error that names --sizes."""
    spec = str(CANDIDATES / "fixed_architecture.py") + ":Net.grad"
    base = ["--candidate", spec, "--make", "Net()", "--one-example", "--examples", "40", "--progress", "off"]
    out = oracle_cli.run([*base, "--sizes", "2-2-1"])
    assert out.returncode == 0, out.stdout + out.stderr
    out = oracle_cli.run(base)
    assert out.returncode == 2 and "--sizes" in out.stderr and len(out.stderr.splitlines()) == 1, out.stderr


def test_a_step_written_out_layer_by_layer_with_one_wrong_line_is_named_at_that_layer():
    """Code written out per layer makes a mistake at one layer; with no mistake of the whole network reproducing
    it, the one-layer variants (mistakes.ONE_LAYER) name it, and the step report says the step carries one."""
    out = _run("--step", "step_W_not_transposed_layer_1_wrong.py", "--depth", "3")
    assert out.returncode == 1 and "[W_not_transposed_at_layer_1]" in out.stdout, out.stdout
    assert "sandbox: " in out.stdout, out.stdout


@pytest.mark.parametrize("key", ["gradW_uses_z", "W_not_transposed", "hidden_sigma_prime_of_layer_above",
                                 "bias_summed_over_units"])
def test_a_one_layer_variant_changes_its_own_layer_alone_and_there_is_its_whole_network_mistake(key):
    """On a uniform depth-3 net, ``{key}_at_layer_{l}`` changes layer l's gradient alone where the mistake is in
    grad W or grad b, and delta^l (so layers l and below) where it is in the recurrence, the top hidden one as the
    whole-network mistake does; the ``_hidden_layers`` variant (grad W, grad b) is the whole-network mistake in every
    layer but the output, whose gradient stays right."""
    rng = np.random.default_rng(0)
    params = [(rng.standard_normal((3, 3)), rng.standard_normal(3)) for _ in range(3)]
    x, y = rng.standard_normal((4, 3)), rng.random((4, 3))
    right, whole = recompute(params, x, y), recompute(params, x, y, (key,))

    def same(a, b, k):
        return all(np.allclose(p, q) for p, q in zip(a[k], b[k]))
    seen = set()
    for l in (1, 2, 3):
        one = recompute(params, x, y, (f"{key}_at_layer_{l}",))
        own = ONE_LAYER[f"{key}_at_layer_{l}"].slot in ("grad W", "grad b")
        allowed = {l} if own else set(range(1, l + 1))
        changed = {k + 1 for k in range(3) if not same(one, right, k)}
        assert changed <= allowed, (key, l, changed)
        assert own or l != 2 or same(one, whole, 1), (key, l)     # the top hidden delta^2: the whole mistake's
        seen |= changed
    assert seen, key
    if f"{key}_hidden_layers" in ONE_LAYER:
        hidden = recompute(params, x, y, (f"{key}_hidden_layers",))
        assert same(hidden, right, 2) and same(hidden, whole, 0) and same(hidden, whole, 1)


def test_a_network_without_biases_gets_no_line_reasoning_from_its_biases():
    """--biases none: the bias gradients are not compared (every one 'agrees'), so "every grad b^l is right ...
    delta is right" would send the reader away from a wrong delta; the report locates the hidden layers instead."""
    out = _run("--candidate", "no_biases_uncatalogued_wrong.py", "--biases", "none", examples="100")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "every grad b^l is right" not in out.stdout and "hidden layer(s)" in out.stdout, out.stdout


def test_a_network_without_biases_counts_only_its_weights_among_the_elements_compared():
    """The biases of --biases none are not compared (an infinite tolerance): "k of N elements fail" counts W."""
    case = Case((2, 2, 1), 0, 1.0, "float64", 0)

    class Ref:
        def __init__(self, W, b):
            self.W, self.b, self.tol_W, self.tol_b = W, b, np.full(W.shape, 1e-12), np.full(b.shape, np.inf)
    refs = [Ref(np.ones((2, 2)), np.zeros(2)), Ref(np.ones((1, 2)), np.zeros(1))]
    got = [(np.ones((2, 2)), np.zeros(2)), (np.array([[1.5, 1.0]]), np.zeros(1))]
    _, f = compare_layers(case, got, refs)
    assert f.bad_elements == 1 and f.total_elements == 6, (f.bad_elements, f.total_elements)


def test_a_feature_line_needs_more_than_chance():
    """"only cases with X fail" is said only where none of the cases without X failing is unlikely by chance at
    the failing rate among those with it: 268 of 323 with it and none of 177 without is; 14 of 449 with it and
    none of 51 without (0.2 by chance) is not."""
    from compare.oracle.diagnosis.diagnose import feature_lines

    assert feature_lines({"a batch of m > 1 examples": (268, 323)}, 500, 268)
    assert feature_lines({"n_0 != n_L": (14, 449)}, 500, 14) == []


def test_a_crash_whose_shapes_differ_by_one_column_is_read_as_a_bias_unit_kept_or_dropped():
    """(2,1) and (2,2) in a broadcast error: one column too many or too few, a bias unit's entry; shapes that
    differ otherwise say nothing."""
    from compare.oracle.diagnosis.diagnose import transposed_shapes_line

    line = transposed_shapes_line("non-broadcastable output operand with shape (2,1) doesn't match the broadcast "
                                  "shape (2,2)")
    assert line is not None and "differ by one row or column" in line
    assert transposed_shapes_line("operands could not be broadcast together with shapes (14,30) (14,2)") is None


def test_w_not_transposed_over_one_output_unit_is_the_row_sum_a_broadcast_gives():
    """Where n_(l+1) = 1, np.sum(W * delta, axis=1) (W used where W^T belongs, written with broadcasting) gives every
    hidden unit the row sum of W^(l+1) times delta^(l+1): the recomputation of W_not_transposed follows it."""
    rng = np.random.default_rng(3)
    params = [(rng.standard_normal((4, 3)), rng.standard_normal(4)),
              (rng.standard_normal((1, 4)), rng.standard_normal(1))]
    x, y = rng.standard_normal(3), rng.random(1)
    a1 = 1 / (1 + np.exp(-(params[0][0] @ x + params[0][1])))
    a2 = 1 / (1 + np.exp(-(params[1][0] @ a1 + params[1][1])))
    d2 = (a2 - y) * a2 * (1 - a2)
    d1 = np.sum(params[1][0] * d2, axis=1) * a1 * (1 - a1)          # one number, broadcast over the 4 units
    gW1, gb1 = recompute(params, x, y, ("W_not_transposed",))[0]
    assert np.allclose(gb1, d1) and np.allclose(gW1, np.outer(d1, x))


def test_a_hidden_layers_batch_factor_scales_the_hidden_weights_alone():
    """weights_mean_twice_hidden_layers: every hidden grad W^l divided by m once more, the output layer's and every
    grad b right (hidden weights averaged where the declared cost sums)."""
    rng = np.random.default_rng(4)
    params = [(rng.standard_normal((3, 2)), rng.standard_normal(3)),
              (rng.standard_normal((3, 3)), rng.standard_normal(3)),
              (rng.standard_normal((2, 3)), rng.standard_normal(2))]
    X, Y = rng.standard_normal((5, 2)), rng.random((5, 2))
    right, mistaken = recompute(params, X, Y), recompute(params, X, Y, ("weights_mean_twice_hidden_layers",))
    for l, ((gW, gb), (mW, mb)) in enumerate(zip(right, mistaken), start=1):
        assert np.allclose(mW, gW / 5 if l < 3 else gW) and np.allclose(mb, gb), l


def test_the_attributes_note_stays_silent_for_a_class_that_inherits_its_weights(tmp_path):
    """A glue class deriving from the source's class may read self.weights there: no "never reads" note; a class of
    its own (or deriving from object) that never names self.weights gets it."""
    from compare.cli.options import attributes_note
    from compare.oracle.sandbox.forms import METHOD, Form

    form = Form(METHOD, "step", "G", "sizes", ("weights", "biases"))
    derived, plain = tmp_path / "derived.py", tmp_path / "plain.py"
    derived.write_text("from their import Net\n\n\nclass G(Net):\n    def step(self, x, y, eta):\n        pass\n")
    plain.write_text("class G(object):\n    def step(self, x, y, eta):\n        self.W = 0\n")
    assert attributes_note(f"{derived}:G.step", form) is None
    assert attributes_note(f"{plain}:G.step", form) is not None


def test_a_step_climbing_with_its_bias_line_missing_eta_is_named_as_the_two_together():
    """W' = W + eta grad W with b' = b + grad b: no single update mistake reproduces it; the bias rate read off the
    step (-1, whatever eta is) and the climbing W together do, and the sentence says eta is left out of the bias."""
    out = _run("--step", "step_climbs_bias_without_eta.py")
    assert out.returncode == 1 and "[plus_eta + bias_fixed_rate]" in out.stdout, out.stdout
    assert "eta left out of the bias line" in out.stdout, out.stdout


def test_min_depth_draws_only_nets_with_a_hidden_layer_and_shrinks_no_shallower():
    """--min-depth 2: a code that refuses a net without a hidden layer passes (without it, its depth-1 cases fail);
    a wrong code under --min-depth 3 shrinks to a depth-3 case and its reproduce line keeps the option; with
    --depth it is a one-line usage error."""
    assert _run("--candidate", "needs_hidden_layer.py", examples="60").returncode == 1
    assert _run("--candidate", "needs_hidden_layer.py", "--min-depth", "2", examples="60").returncode == 0
    out = _run("--candidate", "loop_sigma_prime_of_input_wrong.py", "--min-depth", "3", examples="60")
    assert out.returncode == 1 and "shrunk to: 1-1-1-1 net" in out.stdout, out.stdout
    assert "--min-depth 3 --case" in out.stdout, out.stdout
    out = _run("--candidate", "needs_hidden_layer.py", "--min-depth", "2", "--depth", "3")
    assert out.returncode == 2 and "--min-depth" in out.stderr and len(out.stderr.splitlines()) == 1, out.stderr
