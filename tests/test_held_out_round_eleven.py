"""What round seventeen of held-out published code asked for (issue 21): question-and-answer threads, tutorials
and notebooks. The output error sent down through no weights (a slip of names), grad W from the weight itself
(scalar code), three mistakes at once (a pair of the gradient with a cost convention's constant; a published pair
of a step with a third made on top), and the width a code handles alone. Each behaviour has a look-alike here
or a control in compare/controls, and would fail without its change."""


import numpy as np
import oracle_cli

from compare.oracle.cases.cases import Case, materialise
from compare.oracle.diagnosis.mistakes import CATALOGUE, recompute

_run = oracle_cli.run_candidate


def test_the_output_error_sent_down_unweighted_is_its_broadcast_times_sigma_prime():
    """With n_L = 1, delta^(L-1) = (1/n_L)(a^L - y) sigma'(z^(L-1)): grad b^(L-1) is that, summed over the batch;
    where n_L is neither 1 nor n_(L-1) the shapes do not meet and the mistake is not made (no error raised)."""
    params, x, y = materialise(Case((3, 4, 1), 5, 1.0, "float64", 3))
    got = recompute(params, x, y, ("hidden_error_unweighted",))
    a1 = 1 / (1 + np.exp(-(x @ params[0][0].T + params[0][1])))
    a2 = 1 / (1 + np.exp(-(a1 @ params[1][0].T + params[1][1])))
    np.testing.assert_allclose(got[0][1], ((a2 - y) * a1 * (1 - a1)).sum(axis=0) / 5, rtol=1e-12)
    params, x, y = materialise(Case((3, 4, 2), 5, 1.0, "float64", 3))
    np.testing.assert_array_equal(recompute(params, x, y, ("hidden_error_unweighted",))[0][1],
                                  recompute(params, x, y)[0][1])
    assert CATALOGUE["hidden_error_unweighted"].shape_bound and CATALOGUE["hidden_delta_unweighted"].shape_bound


def test_grad_W_from_the_weight_is_delta_times_W():
    params, x, y = materialise(Case((3, 4, 2), 0, 1.0, "float64", 4))
    right, got = recompute(params, x, y), recompute(params, x, y, ("gradW_uses_weight",))
    np.testing.assert_allclose(got[1][0], right[1][1][:, None] * params[1][0], rtol=1e-12)
    np.testing.assert_array_equal(got[1][1], right[1][1])


def test_a_pair_of_mistakes_under_a_cost_conventions_2_is_named_with_it():
    """The output delta without sigma', the hidden one with sigma'(a), and a factor 2: the pair tier fits the
    constant on top (a least-squares ratio matched to a catalogued one, then recomputed with it)."""
    out = _run("--candidate", "two_layer_output_no_sigma_prime_hidden_sigma_of_a_doubled_wrong.py", "--depth", "2")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "[hidden_sigma_prime_of_a + missing_half + output_missing_sigma_prime] reproduced together" in out.stdout


def test_a_code_right_at_one_input_width_alone_gets_the_width_line():
    out = _run("--candidate", "input_width_two_only_wrong.py", "--one-example")
    assert out.returncode == 1 and "only cases with n_0 != 2 (every case with n_0 = 2 agrees" in out.stdout, \
        out.stdout + out.stderr


def test_a_step_whose_hidden_error_reads_no_weights_is_named_without_the_update_order():
    """The output layer updated before the hidden error or after is one step where that error reads no W: the
    pair with the update order is not named beside the simpler one."""
    out = _run("--step", "step_unweighted_error_output_climbs_wrong.py", "--depth", "2", "--sizes", "*-*-1")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "[hidden_error_unweighted + output_layer_plus_eta] reproduced together" in out.stdout
    assert "equally reproduced" not in out.stdout and "updated_next_first" not in out.stdout, out.stdout


def test_a_cost_helper_of_another_signature_is_not_taken_for_the_cost():
    """cost(e) = e * e beside a right grad: the oracle calls cost(params, x, y) only where it can be called so."""
    out = _run("--candidate", "cost_helper_of_one_number.py", examples="100")
    assert out.returncode == 0, out.stdout + out.stderr


def test_an_object_built_from_its_training_set_is_made_with_the_calls_x_and_y():
    """--make may use x, y (the shapes give n_0 and n_L; --attributes sets the weights): no setattr chain."""
    out = _run("--step", "step_built_from_data.py:Net.backward", "--make", "Net(x, y, eta)", "--call",
               "[f.__self__.forward(), f()][-1]", "--attributes", "W1+W2", "--biases", "none", "--weights",
               "in-out", "--batches-only", "--depth", "2", examples="100")
    assert out.returncode == 0, out.stdout + out.stderr
    out = _run("--step", "step_built_from_data.py:Net.backward", "--make", "Net(None, None, eta)", examples="5")
    assert out.returncode == 2 and "uses neither sizes nor x, y" in out.stderr, out.stderr


def test_a_depth_one_objects_bare_weight_is_named_with_a_trailing_plus():
    """--attributes weight+ : the one layer's W kept as a bare array (no glue wrapping it in a list)."""
    out = _run("--step", "step_one_neuron_bare_weight.py:Neuron.train", "--attributes", "weight+", "--biases",
               "none", examples="100")
    assert out.returncode == 0, out.stdout + out.stderr


def test_one_elements_own_line_is_named_in_a_gradient_written_weight_by_weight():
    """dC/dw2 reading x[0] for x[1]: one element alone, reproduced by its line with the other input."""
    out = _run("--candidate", "per_weight_input_index_wrong.py", "--sizes", "2-2-1", "--one-example")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "[element_other_input] only grad W^1[0, 1] is wrong" in out.stdout and "input 0, a^0_0" in out.stdout


def test_one_elements_own_line_is_named_in_a_step_written_weight_by_weight():
    """b1's line with sigma'(h1) taken at the activation: the step's one wrong element, its move reproduced."""
    out = _run("--step", "step_per_weight_bias_sigma_of_a_wrong.py", "--sizes", "*-2-1", "--one-example")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "[element_sigma_prime_of_a] only grad b^1[0] is wrong" in out.stdout, out.stdout


def test_an_element_line_is_visibly_not_the_seeds_and_the_same_on_every_case():
    """elements.explain names nothing where the candidate's element is the seed's (no visible change) or where
    two cases need two different lines."""
    from compare.oracle.diagnosis.elements import Element, explain

    params, x, y = materialise(Case((2, 2, 1), 0, 1.0, "float64", 9))
    g = recompute(params, x, y)
    right = Element(1, "W", (0, 1), float(g[0][0][0, 1]), float(g[0][0][0, 1]), 1e-15)
    assert explain([(params, x, y, right)]) is None
    wrong = right._replace(cand=float(g[0][1][0] * x[0]))          # delta^1_0 a^0_0: input 0 for input 1
    line = explain([(params, x, y, wrong)])
    assert line is not None and line.key == "element_other_input"
    other = right._replace(cand=float(g[0][1][0]))                 # delta alone: the input left out
    assert explain([(params, x, y, wrong), (params, x, y, other)]) is None


def test_a_grad_W_as_wide_as_its_own_layer_is_named_from_its_shape():
    """grad W^1 of shape (n_1, n_1) where (n_1, n_0) belongs: the layer's own activation for its input."""
    from compare.oracle.diagnosis.diagnose import _structural
    from compare.oracle.verdict.results import SHAPE, Failure

    f = Failure(Case((3, 2, 1), 0, 1.0, "float64", 1), SHAPE, "", layer=1, array="W", actual_shape=(2, 2),
                expected_shape=(2, 3))
    assert _structural(f)[0] == "gradW_uses_own_activation"
    f = Failure(Case((3, 2, 5), 0, 1.0, "float64", 1), SHAPE, "", layer=1, array="W", actual_shape=(2, 5),
                expected_shape=(2, 3))
    assert _structural(f)[0] == "gradW_uses_next_activation"


def test_the_value_cases_beside_a_shape_lead_are_tried_for_two_mistakes():
    """grad W^2 transposed (the shape, where n_2 != n_1) with the bare error sent down: the value cases (n_2 =
    n_1) are reproduced by the pair, and the line for them says so."""
    out = _run("--candidate", "two_layer_transposed_output_gradW_bare_error_wrong.py", "--depth", "2",
               examples="300")
    assert out.returncode == 1 and "[transpose_gradW] grad W^2 is transposed" in out.stdout, out.stdout
    assert "[hidden_from_output_error + transpose_gradW_output_layer]" in out.stdout, out.stdout


def test_a_call_expression_with_a_comprehension_sees_f_and_the_data():
    """--call is evaluated in one scope: a comprehension's body sees f, params, x, y (it raised NameError, blamed
    on the candidate, and right code failed)."""
    out = _run("--candidate", "cost_helper_of_one_number.py", "--call", "[f(params, x, y) for _ in [0]][0]",
               examples="50")
    assert out.returncode == 0, out.stdout + out.stderr


def test_a_width_is_a_feature_only_with_enough_agreeing_cases_of_it():
    """Two agreeing cases of n_0 = 14 among failing others are a coincidence; WIDTH_CASES of them are a width."""
    from compare.oracle.diagnosis.features import WIDTH_CASES, feature_counts
    from compare.oracle.verdict.results import VALUE, Failure, Result

    def results(agreeing: int) -> list:
        ok = [Result(Case((14, 3, 2), 0, 1.0, "float64", s), 0.1, None) for s in range(agreeing)]
        bad = [Result(c, 0.0, Failure(c, VALUE, "")) for c in (Case((n, 3, 2), 0, 1.0, "float64", 99) for n in
                                                              (1, 2, 3, 5, 7, 9) * 20)]
        return ok + bad

    assert not any(k.startswith("n_0 != 14") for k in feature_counts(results(2)))
    assert any(k.startswith("n_0 != 14") for k in feature_counts(results(WIDTH_CASES)))


def test_the_step_search_stops_at_its_time_limit_and_says_so(monkeypatch):
    """A 784-300-10 step took minutes in the tiers of two and three mistakes: with the limit spent, a tier tries
    no hypothesis, and the report says the search stopped."""
    from compare.oracle.diagnosis import stepmistakes

    with stepmistakes.searching(0.0):
        assert stepmistakes.out_of_time()
    assert not stepmistakes.out_of_time()
    monkeypatch.setattr(stepmistakes, "SEARCH_SECONDS", 0.0)
    monkeypatch.setattr(stepmistakes, "LAYERED_SECONDS", 0.0)     # the layered tier's own time, after it
    out = _run("--step", "step_unweighted_error_output_climbs_wrong.py", "--depth", "2", "--sizes", "*-*-1",
               examples="60")
    assert out.returncode == 1 and "the search stopped at its time limit (0 s of CPU time)" in out.stdout, out.stdout


def test_a_run_keeps_failing_arrays_for_its_diagnosis_up_to_a_limit():
    """The arrays of failing cases are kept until results.KEEP_BYTES; later failures keep their verdict only."""
    from compare.oracle.verdict.results import VALUE, Failure, Keeper, LayerValues

    one = np.zeros(1000)
    f = Failure(Case((3, 2), 0, 1.0, "float64", 1), VALUE, "", arrays=(LayerValues(*(one,) * 6),))
    keeper = Keeper(limit=2 * 6 * one.nbytes)
    assert keeper.keep(f) and keeper.keep(f) and not keeper.keep(f) and keeper.keep(None)
