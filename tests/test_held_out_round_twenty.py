"""What rounds fifty-six and fifty-seven of held-out published code showed (issue 21, session 24). Each test would
fail without the change it names."""

import oracle_cli

_run = oracle_cli.run_candidate
_diagnosis = oracle_cli.diagnosis


def test_the_output_layer_updated_first_is_named_beside_a_bias_lines_slip():
    """Round 56's red344_m3: W^3 updated before the hidden error is propagated through it (the lower recurrences
    right), in code whose bias lines leave eta out. The layered search tried the update order of every layer only,
    and said "no catalogued step mistake" with a pattern."""
    d = _diagnosis(_run("--step", "step_output_updated_first_bias_no_eta_wrong.py", "--min-depth", "3",
                        "--one-example"))
    assert d.lstrip().startswith("- [updated_output_first + bias_no_eta] reproduced together"), d


def test_a_hidden_derivative_with_its_sign_flipped_is_named():
    """Round 57's weka_m2: db_h = dsigma_h * sigma_h * (sigma_h - 1), the hidden layer's gradient negated. Said as
    "per-layer ratio -1" and "no catalogued mistake"."""
    d = _diagnosis(_run("--candidate", "hidden_sigma_prime_negated_wrong.py:backprop", "--call",
                        "f(x, y, params[2], params[3], params[0], params[1])", "--grads", "flat", "--grads-reversed",
                        "--data", "columns", "--biases", "column", "--one-example", "--depth", "2", "--scale=-n_L"))
    assert d.lstrip().startswith("- [hidden_sigma_prime_negated] reproduced"), d


_RATE_ONE = ["--step", "step_rate_one_summed_half_cost.py:train", "--grads", "flat", "--biases", "none", "--weights",
             "in-out", "--batches-only"]


def test_a_fixed_rate_of_one_and_a_summed_cost_are_read_as_what_they_are_and_pass_when_declared():
    """Round 57's mrgran without options: W += a^T delta, the rate 1 fixed and the cost summed, was said to be three
    mistakes with no word that together they are a convention. The reading now leads, with what to declare, and
    the run passes with it."""
    d = _diagnosis(_run(*_RATE_ONE))
    assert d.lstrip().startswith("- read together, these are code with its rate fixed at 1 (eta not used) that "
                                 "descends another cost convention, K = n_L*m: if that is its design, declare --eta "
                                 "1 --scale 'n_L*m'"), d
    assert _run(*_RATE_ONE, "--eta", "1", "--scale", "n_L*m").returncode == 0


def test_a_step_right_under_an_undeclared_constant_says_so_and_searches_no_mistake():
    """Round 57's hitswa without --scale: the header said "right up to the constant 2*n_L*m" and the diagnosis
    "no catalogued step mistake reproduces this" after a search of 47 s. Now one line, the convention."""
    d = _diagnosis(_run(*_RATE_ONE, "--eta", "1"))
    assert d.strip().splitlines()[0] == ("- every failing step diagnosed is right under the constant K = n_L*m of a "
                                         "cost convention (W' = W - eta K grad W): no mistake, a convention not "
                                         "declared (--scale 'n_L*m'); if that convention is not meant, the "
                                         "catalogue reads it as [missing_inv_nL + summed]:"), d
    assert "no catalogued" not in d, d


def test_right_one_example_code_run_on_batches_is_told_to_use_one_example_first():
    """Round 57's weka and hsizes without --one-example: every failure a batch that raised, every one-example case
    right, and the report led with "fix the crash first"; the --one-example line came third."""
    d = _diagnosis(_run("--step", "step_one_example_only.py"))
    first = d.strip().splitlines()[0]
    assert first.startswith("- every case that raised is a batch (2-D x;"), d
    assert first.endswith("--one-example checks it on those alone (and every one of them agrees)"), d
    assert _run("--step", "step_one_example_only.py", "--one-example").returncode == 0


def test_a_bias_unit_written_zero_is_named_beside_sigma_prime_of_a():
    """Round 53's kathy_m3: the input's bias unit np.zeros where np.ones belongs (b out of the forward pass, its
    step 0), in code that takes sigma' of a. "No catalogued step mistake" with a pattern."""
    d = _diagnosis(_run("--step", "step_bias_unit_zero_sigma_prime_of_a_wrong.py", "--one-example"))
    assert d.lstrip().startswith("- [sigma_prime_of_a + bias_unit_zero] reproduced together"), d


_ROW_COLUMN = ["--epoch", "epoch_target_row_output_column_wrong.py:backprop", "--call", "f(params[0], params[1], x, y)",
               "--biases", "none", "--depth", "2", "--mini-batch", "1", "--eta", "0.05", "--scale", "n_L"]


def test_an_epoch_that_raises_on_its_first_step_is_not_said_to_fail_only_on_later_steps():
    """Round 58's kimbp: every epoch with n_L > 1 raised on its first one-row call, and the report said "every
    epoch's first step agrees ... only later steps fail": the first steps counted were those of epochs that ran
    to the end. The crash at n_L > 1 alone now names the row met by a column."""
    d = _diagnosis(_run(*_ROW_COLUMN))
    assert "first step agrees" not in d, d
    assert "every case that ran has n_L = 1" in d and "a (1, n) row met by an (n, 1) column" in d, d
    assert _run(*_ROW_COLUMN, "--sizes", "*-*-1").returncode == 0


def test_on_nets_of_one_output_the_update_order_is_found_beside_a_bias_lines_slip():
    """Round 58's irlll_m1: the output layer updated first and its bias line without eta, on nets of one output.
    The layered search read the 1-1-1 steps first, where many one-factor mistakes fit the single hidden number,
    and said "no catalogued step mistake"; it now reads first the steps whose hidden layers have two units."""
    d = _diagnosis(_run("--step", "step_updated_first_output_b_no_eta_wrong.py", "--one-example", "--depth", "2",
                        "--sizes", "*-*-1"))
    assert d.lstrip().startswith("- [updated_next_first + output_layer_b_no_eta] reproduced together"), d


def test_the_update_order_is_named_beside_a_slip_of_the_output_layers_w_line_alone():
    """Round 58's irlll_m3: -1 for -2 on the output W line alone (its b line right), the output layer updated
    before the hidden delta reads it: the hidden step reads the slipped W. Only a pattern was said."""
    d = _diagnosis(_run("--step", "step_updated_first_output_W_half_wrong.py", "--one-example", "--depth", "2",
                        "--sizes", "*-*-1"))
    assert d.lstrip().startswith("- [updated_next_first_output_layer_W_half] two update mistakes"), d


def test_a_ratio_of_one_over_eta_is_read_as_eta_left_out_and_w_wrong_beside_b_right_points_at_the_w_line():
    """Round 58's irlll_m1 and m2: "b moves 211.127 times as far" at eta 0.0047 said nothing of 1/eta; a hidden W
    4.5 times as far beside a right b (the W line's own sigma' slip) was sent to the recurrence, since the
    b-right hint read only W 'wrong', not W moving a constant times as far."""
    from types import SimpleNamespace

    import numpy as np

    from compare.oracle.cases.cases import Case
    from compare.oracle.diagnosis.steppatterns import layer_line
    from compare.oracle.verdict.results import VALUE, Failure, LayerValues

    case = Case((2, 2, 1), 0, 1.0, "float64", 0)
    params = [(np.zeros((2, 2)), np.zeros(2)), (np.zeros((1, 2)), np.zeros(1))]
    tol, eta = 1e-12, 0.01
    ref_h, ref_o = np.full((2, 2), 0.1), np.full((1, 2), 0.2)

    def line(hidden_W: float, out_b: float) -> str:
        hidden = LayerValues(ref_h * hidden_W, ref_h, np.full((2, 2), tol), np.full(2, 0.1), np.full(2, 0.1),
                             np.full(2, tol))
        output = LayerValues(ref_o, ref_o, np.full((1, 2), tol), np.full(1, 0.2 * out_b), np.full(1, 0.2),
                             np.full(1, tol))
        step = SimpleNamespace(case=case, eta=eta, failure=Failure(case, VALUE, "", arrays=(hidden, output)),
                               inputs=(params, None, None, None))
        return layer_line(step) or ""

    said = line(1.0, 1 / eta)
    assert "b moves 100 times as far as the reference step (1/eta: eta left out of that line)" in said, said
    said = line(4.5, 1.0)
    assert "hidden layer 1: W moves 4.5 times as far" in said and "a factor written in the W line alone" in said, said


def test_under_batches_only_a_case_of_one_example_is_described_as_the_batch_of_one_it_was():
    """Rounds 57 and 59: "smallest failing case: ... one example x (n_0,)" under --batches-only, where the
    candidate got a (1, n_0) batch, read as a contradiction of the option."""
    out = _run(*_RATE_ONE)
    assert "one example, sent as a batch of one" in out.stdout and "one example x (n_0,)" not in out.stdout, \
        out.stdout


def test_on_a_net_without_biases_a_missing_rate_is_named_once():
    """Round 59's wikibp without --eta 1: [eta_missing] and [weights_no_eta] were "equally reproduced", the same
    step on a net without biases; the narrower is now its kin."""
    d = _diagnosis(_run(*_RATE_ONE, "--scale", "n_L*m"))
    assert d.lstrip().startswith("- [eta_missing] eta not applied") and "[weights_no_eta]" not in d, d


def test_an_output_error_taken_from_z_is_named():
    """Round 59's koch ×4: forward() returns the output layer's z (an identity output's code) under a sigmoid's
    backward pass, (z^L - y) sigma'(z^L); "no catalogued step mistake" on the original and all three mutants."""
    d = _diagnosis(_run("--step", "step_output_error_from_z_wrong.py", "--batches-only", "--scale", "n_L*m"))
    assert d.lstrip().startswith("- [output_error_uses_z] the step descends a gradient with this mistake"), d


def test_code_that_raises_on_depth_1_alone_is_told_to_use_min_depth_2_and_passes_so():
    """Round 59's koch without --min-depth: every depth-1 case raised, and nothing said so with the option."""
    d = _diagnosis(_run("--step", "step_needs_hidden_layer.py", "--one-example"))
    assert "only cases with depth 1 (no hidden layer) fail" in d and "--min-depth 2 checks it on the others" in d, d
    assert _run("--step", "step_needs_hidden_layer.py", "--one-example", "--min-depth", "2").returncode == 0


def test_batch_code_whose_one_example_cases_raise_beside_a_mistake_is_told_of_batches_only():
    """Round 59's koch without --batches-only: the one-example cases raised beside the wrong values of the
    batches, and the report said only where they raised."""
    d = _diagnosis(_run("--step", "step_output_error_from_z_wrong.py", "--scale", "n_L*m"))
    assert d.lstrip().startswith("- [output_error_uses_z]"), d
    assert "every case that raised is one example x (n_0,)" in d and "--batches-only sends one example" in d, d


def test_a_call_whose_arguments_do_not_bind_says_the_signature_and_points_at_call():
    """Round 60's xing: train(inputs, expected_outputs, epochs, learning_rate) called as obj.train(x, y, eta); the
    report only echoed "missing 1 required positional argument", with nothing pointing at --call."""
    opts = ["--step", "step_method_epochs_and_rate.py:Net.train", "--attributes", "weights,biases", "--biases",
            "none", "--weights", "in-out", "--batches-only", "--scale", "n_L*m"]
    d = _diagnosis(_run(*opts))
    assert "(called as f(x, y, eta); its signature is train(inputs, outputs, epochs, learning_rate): --call" in d, d
    assert _run(*opts, "--call", "f(x, y, 1, eta)").returncode == 0


def test_grad_w_divided_by_fan_in_in_the_hidden_layer_alone_is_named_beside_the_unweighted_delta():
    """Round 61's mlp_noWT_m3: the published unweighted hidden delta, with grad W^1 alone divided by n_0 on top.
    The fan-in slip had no one-layer variant, and the report said "no catalogued mistake"."""
    d = _diagnosis(_run("--candidate", "hidden_delta_unweighted_fan_in_wrong.py", "--sizes", "*-*-1", "--depth", "2",
                        "--one-example"))
    assert d.lstrip().startswith("- [hidden_delta_unweighted + weights_divided_by_fan_in_hidden_layers] reproduced "
                                 "together"), d


def test_batch_code_failing_on_one_example_cases_alone_leads_with_batches_only():
    """Round 61's jiex without --batches-only: every failing case one example (most raised, two gave wrong
    values), every batch right; the report led with "no catalogued step mistake reproduces this"."""
    d = _diagnosis(_run("--step", "step_rate_one_summed_half_cost.py:train", "--grads", "flat", "--biases", "none",
                        "--weights", "in-out", "--eta", "1", "--scale", "n_L*m"))
    assert d.lstrip().startswith("- only cases with a single 1-D example fail"), d


def test_a_hidden_units_activation_copied_from_another_in_the_forward_pass_is_named():
    """Round 61's virg ×4: per-weight code whose forward pass hands h2 = sigmoid(z_h1) up; "no catalogued step
    mistake" and a ratio that read like a rate's slip."""
    d = _diagnosis(_run("--step", "step_per_weight_copied_activation_wrong.py", "--sizes", "2-2-1",
                        "--one-example"))
    assert d.lstrip().startswith("- [unit_activation_copied] hidden unit 1 of layer 1 takes unit 0's activation"), d


def test_at_depth_1_sigma_prime_negated_is_the_sign_and_named_so():
    """Round 62's fys42_m3 (the error's sign flipped): "any of [sigma_prime_negated], [sign]" on nets of one layer,
    where the two are one gradient; sign is the simpler reading and the narrower is its kin."""
    from compare.oracle.diagnosis.mistakes import BROADER, broadest

    assert broadest([("sigma_prime_negated",), ("sign",)], BROADER) == [("sign",)]


def test_a_crash_whose_operands_chain_once_transposed_says_so():
    """Round 62's smart_m1 (np.dot(delta2, w2) for w2.T, widths fixed non-square): every case raised "shapes
    (1,10) and (1,10) not aligned", and the report gave the crash alone."""
    d = _diagnosis(_run("--step", "step_in_out_W_not_transposed_wrong.py", "--weights", "in-out", "--one-example",
                        "--sizes", "3-2-4", "--examples", "40"))
    assert "in its message chain once the second is transposed: an array used where its transpose belongs" in d, d
