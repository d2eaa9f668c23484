"""What round thirty-four of held-out published code asked for (issue 21), and what round thirty-three left: equally
reproduced combinations that make the same step on every failing step checked said to be one code at those sizes.
Each would fail without its change."""

import oracle_cli

_run = oracle_cli.run_candidate


def test_combinations_that_make_the_same_step_at_the_fixed_sizes_are_said_to_be_one_code_there():
    """Round 33's xorbp_m3: at the fixed sizes 2-2-1 the whole network's sigma'(a) with X for the hidden
    activation, and its output layer's twin, make the same step; the report says no case of those sizes separates
    them instead of asking for one. (X where a^(l-1) belongs is gradW_uses_input since round 47; at depth 2 it is
    the activation two layers down, gradW_uses_activation_below, too, and named once as the broader. Since round
    65, where every step has depth 2 the output layer's twin is named once too, as the broader: one reading.)"""
    out = _run("--step", "step_fixed_xor_sigma_prime_of_a_input_for_hidden_wrong.py", "--sizes", "2-2-1")
    assert out.returncode == 1, out.stdout + out.stderr
    d = out.stdout.split("diagnosis:")[1]
    assert d.lstrip().startswith("- [sigma_prime_of_a + gradW_uses_input] reproduced together"), out.stdout
    assert "equally reproduced" not in d and "a case that separates them is needed" not in d, out.stdout


def test_a_folded_first_delta_slice_over_z_keeps_the_bias_units_sigma_prime_of_one():
    """Round 32's linkedlayers_m3: sigma' taken of [1; z], so the slice [:-1] hands the first hidden unit the bias
    unit's b . delta * sigma'(1), not the 0 of sigma' written a (1 - a); with the published update order."""
    out = _run("--step", "step_folded_first_slice_of_z_updated_first_wrong.py", "--biases", "folded-first",
               "--one-example", examples="500")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "[folded_first_delta_slice_of_z + updated_next_first] reproduced together" in out.stdout, out.stdout


def test_the_tanh_derivative_called_in_the_hidden_layers_alone_is_named_as_one_mistake():
    """Round 34's bpnn_cn_m3: 1 - a**2 in the backward loop, the output's a (1 - a) right; it was named only layer by
    layer, depth by depth, under a line suggesting code with a path of its own at each depth."""
    out = _run("--step", "step_hidden_tanh_derivative_wrong.py:Net.backward", "--make", "Net(sizes, eta)",
               "--call", "[f.__self__.forward(x), f(y)][1]", "--one-example", "--scale", "n_L")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "- [hidden_sigma_prime_tanh_form] the step descends a gradient with this mistake" in out.stdout, out.stdout
    assert "each depth apart" not in out.stdout, out.stdout


def test_an_epoch_whose_first_steps_agree_and_later_ones_fail_says_how_the_epoch_is_called():
    """Round 34's patymunoz_m3: x[j - 1] in the hidden layer's weight step is right on an epoch's first call (one
    row, x[-1] = x[0]) and wrong on later ones, where the first step reads the last row; no catalogued step
    mistake reproduces it, and the report says what only later steps failing means."""
    out = _run("--epoch", "epoch_previous_row_input_wrong.py", "--depth", "2", "--mini-batch", "1")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "every epoch's first step agrees (" in out.stdout, out.stdout
    assert "x[j - 1], wrapping to the last row at j = 0" in out.stdout, out.stdout


def test_a_right_epoch_and_a_wrong_first_step_give_no_later_steps_line():
    """The line needs every first step to agree: an epoch wrong from its first step does not get it."""
    out = _run("--epoch", "epoch_bias_row_sum_wrong.py", "--mini-batch", "1")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "every epoch's first step agrees" not in out.stdout, out.stdout


def test_combinations_that_differ_only_in_biases_the_net_lacks_are_said_to_be_one_code():
    """Round 35's rodrigo_m2: under --biases none, sigma'(z^L) missing from delta^L and the output layer's grad W
    taken before sigma' differ only in grad b^L, which is not compared; the report said a case could separate them."""
    out = _run("--step", "step_no_biases_bare_error_output_bare_wrong.py", "--biases", "none", "--one-example",
               "--scale", "n_L")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "they make the same step on each of" in out.stdout, out.stdout
    assert "a case that separates them is needed" not in out.stdout, out.stdout


def test_every_hidden_layer_climbing_is_one_step_mistake():
    """Round 35's neunets_m3: the hidden layers' update loop with +eta was named [sign + output_layer_plus_eta],
    which sends the reader to a right output error line."""
    out = _run("--step", "step_hidden_layers_climb_wrong.py", "--one-example", examples="300")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "- [hidden_layers_plus_eta] every hidden layer's step is -1 times the right one" in out.stdout, out.stdout


def test_the_output_layer_updated_first_pairs_with_a_gradient_mistake():
    """Round 35's rodrigo_m3: the published raw error sent down, with W^L (alone) updated before it goes down; the
    update mistake recomputed the right gradient, so no gradient mistake could pair with it."""
    out = _run("--step", "step_bare_error_output_updated_first_wrong.py", "--biases", "none", "--one-example",
               "--scale", "n_L", examples="300")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "[bare_error_recurrence + updated_output_first] reproduced together" in out.stdout, out.stdout


def test_an_overflow_the_mistakes_make_in_float32_is_not_blamed_on_exp():
    """Round 36's mlpjson_m2: no sigma' anywhere and each W updated before the error goes through it; one float32
    step's error grew past float32's range, and the report blamed sigma' written with exp(-z), which the code never
    takes. The named mistakes computed in float32 reproduce that step with any sigma: no overflow line."""
    out = _run("--step", "step_bare_error_updated_first_overflows_float32_wrong.py", "--batches-only", "--scale",
               "n_L", examples="500")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "1 nonfinite" in out.stdout, out.stdout
    assert "[output_missing_sigma_prime + hidden_missing_sigma_prime + updated_next_first]" in out.stdout, out.stdout
    assert "sigma_exp_overflow" not in out.stdout, out.stdout


def test_code_that_raises_on_batches_alone_is_pointed_at_one_example():
    """Round 36's dobisam without --one-example: its batches raised, its one-example steps were diagnosed, and
    nothing said that the crashes only meant code written for one example at a time."""
    out = _run("--step", "step_one_example_only_bare_error_wrong.py", "--depth", "2", "--sizes", "*-*-1")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "- [hidden_from_output_error] the step descends a gradient" in out.stdout, out.stdout
    assert "every case that raised is a batch (2-D x;" in out.stdout, out.stdout
    assert "--one-example checks it on those alone" in out.stdout, out.stdout


def test_no_batch_crash_line_where_one_example_cases_raise_too():
    """The line needs every one-example case to run: code that raises everywhere does not get it."""
    out = _run("--candidate", "two_crash_sites_wrong.py:grad", examples="100")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "every case that raised is a batch" not in out.stdout, out.stdout


def test_a_function_that_unpacks_pairs_under_flat_grads_is_told_params_come_flat():
    """Round 34's aba glue, first try: under --grads flat every case raised on the (W, b) unpacking of params, and
    the report only said to fix the crash."""
    out = _run("--candidate", "flat_grads_pairs_in_wrong.py", "--grads", "flat", examples="100")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "under --grads flat the parameters come in arranged so too" in out.stdout, out.stdout
    right = _run("--candidate", "per_layer_attributes_flat_grads.py:Net.backward", "--attributes", "W1+W2,b1+b2",
                 "--grads", "flat", examples="100")
    assert "the parameters come in arranged so too" not in right.stdout, right.stdout


def test_a_feature_line_is_left_out_where_its_refinement_holds_too():
    """Round 37's anitka_m3 (the output bias averaged where the weights sum): "only cases with a batch (2-D x)
    fail" beside "only cases with a batch of m > 1 examples fail" under --batches-only read as a contradiction; the
    refinement alone is said, and the broader line stays where the refinement does not hold."""
    from compare.oracle.diagnosis.diagnose import feature_lines
    both = {"a batch (2-D x)": (300, 330), "a batch of m > 1 examples": (300, 310), "float32": (150, 235)}
    lines = feature_lines(both, 469, 300)
    assert [line.split(" fail ")[0] for line in lines] == ["only cases with a batch of m > 1 examples"], lines
    broad_only = {"a batch (2-D x)": (300, 330), "a batch of m > 1 examples": (290, 310)}
    assert [line.split(" fail ")[0] for line in feature_lines(broad_only, 469, 300)] == \
        ["only cases with a batch (2-D x)"]


def test_a_step_that_also_raises_says_where_beside_its_named_mistake():
    """Round 38's gb_xor mutants: a bias summed where the weights average, and a TypeError on every float32 case
    (Decimal of a numpy float32); the report named the first and left the second to the first failing case."""
    out = _run("--step", "step_bias_summed_float32_crash_wrong.py")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "- [bias_summed] the step descends a gradient with this mistake" in out.stdout, out.stdout
    assert "- also raised TypeError at " in out.stdout and "step_bias_summed_float32_crash_wrong.py:29" in \
        out.stdout, out.stdout


def test_no_layout_is_offered_for_failures_of_one_dtype_alone():
    """Round 38's gb_xor: a Decimal TypeError on every float32 case, none on float64; rerun under --biases none its
    own float64 zero biases made the loss a float64 and the crash went, and the report told the user to rerun with
    that option. A layout is the same in both dtypes: none is probed where every case of one dtype agreed."""
    out = _run("--step", "step_float32_crash_own_biases_wrong.py:Net.train")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "raised TypeError at" in out.stdout and "only cases with float32 fail" in out.stdout, out.stdout
    assert "layout:" not in out.stdout, out.stdout


def test_a_layer_that_divides_its_gradient_by_its_own_width_is_named():
    """Round 38's gb_xor_m3: delta.shape[1] for the batch size in each dense layer; only depth 1 was named (as
    n_L for m), depth by depth."""
    out = _run("--step", "step_layer_divides_by_own_width_wrong.py", examples="300")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "- [divides_by_own_width] the step descends a gradient with this mistake" in out.stdout, out.stdout


def test_two_names_of_one_step_mistake_at_depth_two_are_said_once():
    """Round 39's randall_m1 (and rounds 36-44's dobisam, mungai_m1, kiryls): at depth 2 hidden_from_output_error
    and bare_error_recurrence make the same step; the two bullets read as two bugs, and a line after them saying
    so (session 20) as doubt. The depth-2 name is said alone (bare_error_recurrence's broader kin there)."""
    out = _run("--step", "step_one_example_only_bare_error_wrong.py", "--depth", "2", "--sizes", "*-*-1",
               "--one-example")
    assert out.returncode == 1, out.stdout + out.stderr
    lines = out.stdout.split("  diagnosis:\n")[1].splitlines()
    assert lines[0].startswith("    - [hidden_from_output_error] the step descends"), lines
    assert "bare_error_recurrence" not in out.stdout.split("  diagnosis:\n")[1].split("  reproduce:")[0], lines


def test_a_step_that_updates_in_place_and_returns_a_tuple_led_by_its_list_is_read_in_place():
    """Round 39's tiny_nn: `return weights_list, output, error` after updating weights_list in place failed every
    case ("returned 3 layers of parameters for a 2-layer network") until the user indexed [0] in --call."""
    out = _run("--step", "step_in_place_returns_tuple.py", "--weights", "in-out", "--biases", "none", "--scale",
               "n_L*m")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "handed over: in place in 200 cases" in out.stdout, out.stdout


def test_a_hidden_error_summed_over_copies_is_named_with_its_missing_sigma_prime():
    """Round 39's nevronska: the output delta copied into n_1 rows, multiplied by W^2 and summed, with no sigma'(z^1):
    'no catalogued step mistake' on the source and its three mutants."""
    out = _run("--step", "step_hidden_error_copies_summed_wrong.py", "--one-example", "--depth", "2", examples="300")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "[hidden_missing_sigma_prime + hidden_error_times_width] reproduced together" in out.stdout, out.stdout


def test_a_minus_one_bias_units_delta_kept_by_a_wrong_slice_is_named():
    """Round 39's marsland_m3: over [a; -1] the unit's a (1 - a) is -2, not 0, so the slice at the wrong end keeps
    2 b . delta as the last unit's delta; the catalogued slice (a unit fed 1) did not reproduce it."""
    out = _run("--step", "step_minus_one_unit_slice_wrong.py", "--biases", "folded-last", "--weights", "in-out",
               "--negated-bias", "--batches-only", "--depth", "2", "--scale", "n_L*m", examples="300")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "- [folded_last_delta_slice_minus_one] the step descends a gradient" in out.stdout, out.stdout


def test_a_key_that_names_a_gradient_and_an_update_mistake_is_read_as_the_gradients():
    """Round 39's tobias_m3 and jonas_m2/m3 crashed the oracle (a ValueError in the layered step search, exit 1 by
    accident): mean_twice is a gradient mistake and an update mistake, and read as the update's beside the
    update-order bug with a layer's slip it made three update mistakes of one hypothesis. It is the gradient's,
    and a hypothesis that is not one update (one mistake, or one with a bias line's slip) is not tried."""
    from compare.oracle.diagnosis import stepmistakes
    parts = ("mean_twice", "bias_averaged_over_units", "updated_next_first_layer_1_no_eta", "layer_1_b_over_m")
    assert stepmistakes._split(parts) == (("mean_twice", "bias_averaged_over_units"),
                                          ("updated_next_first_layer_1_no_eta", "layer_1_b_over_m"))
    assert stepmistakes._one_update(("updated_next_first_layer_1_no_eta", "layer_1_b_over_m"))
    assert not stepmistakes._one_update(("plus_eta", "updated_next_first", "layer_1_b_over_m"))
    assert not stepmistakes._one_update(("layer_1_b_over_m", "plus_eta"))


def test_a_bug_of_the_step_search_is_said_in_the_diagnosis_and_the_verdict_stands(monkeypatch):
    """A step search that raises (round 39's crash above, and any like it) must not end the run without a report:
    the verdict was reached before the search, and the diagnosis says the search failed."""
    import numpy as np

    from compare import check_step
    from compare.oracle.cases.cases import draw_cases
    from compare.oracle.checks import stepcheck

    def climbs(params, x, y, eta):                # +eta: wrong on every step that moves
        X, Y = np.atleast_2d(x), np.atleast_2d(y)
        a = [X]
        for W, b in params:
            a.append(1 / (1 + np.exp(-np.clip(a[-1] @ W.T + b, -500, 500))))
        d = (a[-1] - Y) / (Y.shape[0] * Y.shape[1]) * a[-1] * (1 - a[-1])
        new = [None] * len(params)
        for l in range(len(params) - 1, -1, -1):
            W, b = params[l]
            new[l] = (W + eta * d.T @ a[l], b + eta * d.sum(axis=0))
            d = (d @ W) * a[l] * (1 - a[l])
        return new

    def broken(*args, **kwargs):
        raise RuntimeError("a bug of the search")
    monkeypatch.setattr(stepcheck, "_tiers", broken)
    report = check_step(climbs, draw_cases(30, seed=1), seed=0)
    assert not report.ok and report.failed
    assert report.diagnosis == ["the diagnosis failed (RuntimeError: a bug of the search): a bug in the oracle's "
                                "search, not in the candidate; the verdict above stands (please report it with the "
                                "reproduce line)"], report.diagnosis


def test_mean_twice_is_the_only_key_named_in_both_catalogues():
    """``stepmistakes._split`` reads a key that names a gradient and an update mistake as the gradient's, which is
    right for mean_twice (the same step either way); a new update mistake reusing another gradient key must be
    looked at the same way before it is added."""
    from compare.oracle.diagnosis import stepmistakes
    from compare.oracle.diagnosis.mistakes import CATALOGUE, ONE_LAYER
    assert set(stepmistakes._BY_KEY) & (set(CATALOGUE) | set(ONE_LAYER)) == {"mean_twice"}
