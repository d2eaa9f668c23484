"""What rounds seventy and on of held-out published code showed (issue 21, session 26). Each test would fail without
the change it names."""

import oracle_cli

_run = oracle_cli.run_candidate
_diagnosis = oracle_cli.diagnosis


def test_a_step_whose_hidden_updates_do_not_hear_the_layers_above_is_said_to_propagate_nothing_back():
    """Round 70's mroydeep: published code whose hidden layers are each updated from their own activation against
    the target got "no catalogued step mistake" and a pattern. Called again with the layers above redrawn, its
    hidden updates stay the same where the reference's change: that is said first."""
    d = _diagnosis(_run("--step", "step_no_backprop_own_target_error_wrong.py:step", "--call", "f(x, y, *params, eta)",
                        "--grads", "flat", "--weights", "in-out", "--biases", "none", "--batches-only",
                        "--sizes", "2-2-2-1", "--scale", "n_L*m", examples="60"))
    assert d.lstrip().startswith("- hidden layers 1, 2: the update is the same when every layer above is drawn anew"), d
    assert "no error is propagated back to them from the output" in d, d


def test_a_step_with_a_wrong_hidden_sigma_prime_is_not_said_to_propagate_nothing_back():
    """The probe's other side: a step that propagates the error back with a mistake of its own (sigma'(z) taken
    as sigma(z) at every hidden layer, not in the catalogue's step form here) hears the layers above."""
    d = _diagnosis(_run("--step", "step_no_backprop_own_target_error_wrong.py:step_heard", "--call",
                        "f(x, y, *params, eta)", "--grads", "flat", "--weights", "in-out", "--biases", "none",
                        "--batches-only", "--sizes", "2-2-2-1", "--scale", "n_L*m", examples="60"))
    assert "is the same when every layer above is drawn anew" not in d, d


def test_sigma_prime_one_minus_a_written_with_exp_names_the_overflow_of_its_nan_steps():
    """Round 70's krelle_m2: sigma'(z) written exp(-z)/(1 + exp(-z)) (1 - a, the square dropped) named on the
    finite steps, and the 21 NaN steps where exp(-z) overflows left as "also 21 cases of kind nonfinite". The
    mistake's own form written with exp(-z) now reproduces them."""
    d = _diagnosis(_run("--step", "exp_sigma_prime_one_minus_a_wrong.py:step", "--one-example", "--scale", "2",
                        examples="500"))
    lines = [line.strip() for line in d.strip().splitlines()]
    assert lines[0].startswith("- [sigma_prime_one_minus_a] the step descends a gradient with this mistake"), d
    assert lines[1].startswith("- [sigma_exp_overflow] also: the 21 non-finite failing steps"), d


def test_the_same_gradient_names_its_nan_cases_as_the_mistake_written_with_exp():
    """The gradient form of the same code: its NaN cases were "no catalogued mistake on that case as drawn"."""
    d = _diagnosis(_run("--candidate", "exp_sigma_prime_one_minus_a_wrong.py:grad", "--one-example", "--scale", "2",
                        examples="500"))
    also = next(line for line in d.splitlines() if "of kind 'nonfinite'" in line)
    assert "recomputing with [sigma_exp_overflow + sigma_prime_one_minus_a] reproduces it" in also, d


def test_a_bias_line_subtracting_the_other_way_round_is_named_beside_a_gradient_mistake():
    """Round 71's evaldo: b = Sub(gradient, b), the negative of the right new b, beside the hidden error taken from
    the bare output error: "no catalogued step mistake", a pattern "b moves -219 times as far" that reads as a
    constant. Now a catalogued update mistake, found with the gradient mistake."""
    d = _diagnosis(_run("--step", "step_bias_sub_reversed_hidden_from_output_error_wrong.py", "--one-example",
                        "--depth", "2"))
    assert d.lstrip().startswith("- [hidden_from_output_error + bias_update_reversed] reproduced together"), d


def test_a_gradient_one_mistake_reproduces_but_at_one_weights_line_is_named_as_nearly_that_mistake():
    """Round 71's bp_m1: the published hidden error through the activation, with an index slip on one weight's own
    line, got "no catalogued mistake" as a gradient where the step form said "nearly". Gradients now say it too,
    with the element apart."""
    d = _diagnosis(_run("--candidate", "hidden_error_through_activation_one_index_slip_wrong.py", "--biases", "none",
                        "--sizes", "2-2-2", "--one-example", examples="100"))
    first = d.strip().splitlines()[0].strip()
    assert first.startswith("- [hidden_error_through_activation] nearly: the gradient is this mistake's"), d
    assert "grad W^1[0, 1] on" in first, d


def test_a_hidden_W_updated_at_its_last_unit_alone_is_named_alone_and_beside_a_bias_line_slip():
    """Round 72's srishti: the hidden W's update line after the loop over the units moves only the last unit's
    row. It got "no catalogued step mistake" and a pattern "W is wrong" where most of W does not move at all, and
    its mutants went unnamed behind it. Now a catalogued slip of one layer's update, found with another."""
    d = _diagnosis(_run("--step", "step_hidden_W_last_unit_only_wrong.py:step", "--one-example", "--depth", "2",
                        examples="200"))
    assert d.lstrip().startswith("- [layer_1_W_last_unit_only] layer 1's W is updated at the row of its last unit"), d
    d = _diagnosis(_run("--step", "step_hidden_W_last_unit_only_wrong.py:step_no_eta_bias", "--one-example",
                        "--depth", "2", examples="200"))
    assert d.lstrip().startswith("- [layer_1_W_last_unit_only + layer_1_b_no_eta] reproduced together"), d


def test_a_step_right_but_for_a_tiny_epsilon_is_said_right_at_float32s_precision():
    """Round 71's eps: sigma' + 1e-10 failed every float64 case and no float32 one, and the report said "no
    catalogued step mistake" and "every layer moves 1 times as far". The float64 steps are now recomputed at
    float32's precision and said to be right there: a tiny term, not a mistake of the equations."""
    d = _diagnosis(_run("--step", "step_sigma_prime_plus_epsilon_wrong.py:step", "--one-example", "--depth", "2",
                        examples="100"))
    assert d.lstrip().startswith("- every failing step is float64 and is the right step at float32's precision"), d
    assert "moves 1 times as far" not in d, d


def test_a_mistake_beside_a_tiny_epsilon_is_named_from_the_float32_steps():
    """Round 71's eps_m2: the hidden sigma' of z beside the epsilon: the float32 steps are that mistake's, the
    float64 ones too at float32's precision; the search on them all named nothing."""
    d = _diagnosis(_run("--step", "step_sigma_prime_plus_epsilon_wrong.py:step_hidden_of_z", "--one-example",
                        "--depth", "2", examples="100"))
    assert d.lstrip().startswith("- the failing float32 steps are hidden_sigma_prime_of_z's (below)"), d


def test_the_update_order_beside_the_output_bias_line_climbing_is_one_reading_of_two_update_mistakes():
    """Round 73's ab_m2: W2 updated before the hidden error reads it (published) and the output b line adding its
    step (the edit) read as [sigma_prime_negated + updated_next_first_output_layer_W_plus_eta], three mistakes
    that make the same step at depth 2 and send a user to two right lines. Now the two update mistakes lead."""
    d = _diagnosis(_run("--step", "step_updated_first_output_bias_plus_wrong.py", "--call", "f(x, y, *params, eta)",
                        "--grads", "flat", "--weights", "in-out", "--one-example", "--depth", "2", examples="200"))
    assert d.lstrip().startswith("- [updated_next_first_output_layer_b_plus_eta] two update mistakes"), d


def test_a_pattern_ratio_that_varies_from_step_to_step_is_not_worded_as_a_constant():
    """Rounds 71 and 72 (evaldo, sl, srishti): "moves -46.3317 times as far as the reference step" read as a
    constant (a --scale, a rate) where the ratio differs on every step; the line now says so."""
    d = _diagnosis(_run("--step", "step_output_sigma_prime_cos_wrong.py", "--depth", "1", "--one-example",
                        examples="100"))
    line = next(line for line in d.splitlines() if "pattern seen on" in line)
    assert "it varies from step to step, no constant factor" in line, d


def test_of_two_equal_readings_the_one_that_makes_each_mistake_where_the_code_does_leads():
    """Rounds 72 and 73 (zen_m1, rexxum_m1): with the hidden sigma' missing, "sigma' of z in every layer" and "in
    the output layer alone" make the same step; the first led, which says more than the code does."""
    d = _diagnosis(_run("--step", "step_output_sigma_prime_of_z_hidden_missing_wrong.py", "--depth", "2",
                        examples="200"))
    readings = [line.strip() for line in d.splitlines() if "reproduced together" in line]
    assert readings and readings[0].startswith("- [hidden_missing_sigma_prime + sigma_prime_of_z_output_layer]"), d


def test_the_output_gradient_left_at_zero_in_a_step_says_it_is_the_output_layer_never_updated():
    """Round 73's mc_m3: new output weights assigned to a name never read (published) beside the hidden update
    without eta, told only "a backward loop that never visits the layer", where the code has no such loop."""
    d = _diagnosis(_run("--step", "step_output_weights_to_unused_name_no_eta_wrong.py", "--call",
                        "f(x, y, *params, eta)", "--grads", "flat", "--weights", "in-out", "--biases", "none",
                        "--batches-only", "--depth", "2", "--scale", "n_L*m", examples="200"))
    first = d.strip().splitlines()[0]
    assert "[gradient_left_zero_output_layer + eta_missing]" in first, d
    assert "in a step, the same as the output layer never updated" in first, d


def test_a_step_that_climbs_beside_an_uncatalogued_mistake_is_told_it_climbs():
    """Round 74's nat_m2: five published broadcast slips and the error's sign flipped got only "no catalogued step
    mistake"; the step's move points against the reference's on most failing steps, which is said."""
    d = _diagnosis(_run("--step", "step_output_sigma_prime_cos_wrong.py:step_climbs", "--depth", "1",
                        "--one-example", examples="100"))
    assert "- the step climbs: on " in d, d
    d = _diagnosis(_run("--step", "step_output_sigma_prime_cos_wrong.py", "--depth", "1", "--one-example",
                        examples="100"))
    assert "the step climbs" not in d, d


def test_a_bias_summed_over_the_units_on_columns_is_named_from_its_one_value_and_its_batches_crash():
    """Round 77's mlpc_m2: db1 = np.sum(delta1, axis=0) on columns (n_l, m), updated in place before it is returned.
    Its batches raise in its own update line ((6,1) against (6,7)), read as "a bias unit one off" at m = 2; one
    example returns a grad b^1 of one value. The shape names the mistake and leads; the crash says one value per
    example."""
    d = _diagnosis(_run("--candidate", "column_bias_summed_over_units_wrong.py:TwoLayer.backward", "--biases", "column",
                        "--data", "columns", "--grads", "flat", "--scale", "n_L*m", "--make",
                        "TwoLayer(sizes[0], sizes[1], sizes[2])", "--call", "[f.__self__.forward(x), f(x, y, 0.0)][1]",
                        "--attributes", "W1+W2,b1+b2", "--depth", "2", examples="200"))
    assert d.lstrip().startswith("- [bias_summed_by_example] grad b^1 has shape (1,), one value for one example"), d
    crash = next(line for line in d.splitlines() if "of kind 'raised'" in line)
    assert "are a bias's one column (or row) and one per example of the batch" in crash, d
    assert "code written for one example at a time" not in d, d


def test_a_step_that_never_reads_y_is_said_so_and_searched_as_the_step_of_a_constant_target():
    """Round 76's mzph (×4): the output error written 1 - o, y nowhere in the code, got "no catalogued step mistake"
    after the whole search. Called again with y drawn anew its move is the same: it is the right step for y = 1,
    and a slip on top is the catalogued mistake of the step for y = 1."""
    d = _diagnosis(_run("--step", "step_target_written_one_wrong.py:step", examples="100"))
    assert d.lstrip().startswith("- [target_constant] the step never reads its target y"), d
    assert "with y = 1 every failing step is the right step" in d, d
    d = _diagnosis(_run("--step", "step_target_written_one_wrong.py:step_output_no_eta", examples="100"))
    assert d.lstrip().startswith("- [target_constant] the step never reads its target y"), d
    assert "- [output_layer_W_no_eta]" in d, d


def test_a_step_that_reads_y_is_not_said_to_ignore_it():
    """The probe's other side: a wrong step that reads y (the output sigma' written cos z) is not told it ignores y."""
    d = _diagnosis(_run("--step", "step_output_sigma_prime_cos_wrong.py", "--depth", "1", "--one-example",
                        examples="100"))
    assert "never reads its target" not in d, d


def test_a_bias_updated_inside_the_loop_over_the_inputs_is_named_with_its_roundings():
    """Round 76's siec (×4): each bias updated inside the loop over the layer's inputs, so b^l moves n_(l-1) times
    as far, got "no catalogued step mistake" (named only on --sizes 1-1-1). It is catalogued now, and its n_(l-1)
    roundings of b are held to, so that it is one reading of every failing step, not a second group's."""
    d = _diagnosis(_run("--step", "step_bias_in_input_loop_wrong.py", examples="200"))
    assert d.lstrip().startswith("- [bias_in_input_loop] each bias updated inside the loop over the layer's inputs"), d
    assert "other failing steps checked that it does not reproduce" not in d, d
