"""What round twenty-seven of held-out published code asked for (issue 21): every wrong shape of a result named,
not only the first one read; the values behind a shape read again only where reading them in our shape moves no
value; biases rounded to float32; a shape-bound mistake behind crashes named where it shows on some value case
only, beside a mistake that shows on others; two slips of a step's rate at once. Each would fail without its
change."""

import oracle_cli

_run = oracle_cli.run_candidate


def test_every_wrong_shape_of_a_result_is_named_not_only_the_first():
    """grad W^1 transposed and grad b^L a 0-d scalar in one result (round 24's slope_m2): both are said on the
    failure's line and both are named, and on square layers, where W^1's shape hides nothing, the transpose is
    reproduced behind the 0-d bias."""
    out = _run("--candidate", "transposed_first_grad_and_scalar_output_bias_wrong.py", "--depth", "2", "--sizes",
               "*-*-1", examples="100")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "[width1_squeeze]" in out.stdout, out.stdout
    assert "[transpose_gradW]" in out.stdout, out.stdout
    assert "; also layer 2: grad b has shape (), expected (1,)" in out.stdout, out.stdout


def test_a_transposed_gradient_is_not_read_again_in_our_shape():
    """Read in W^1's shape, an (n_0, n_1) grad W^1 would be its values moved, not the candidate's: no second look
    (and no "no catalogued mistake" from values it never returned)."""
    out = _run("--candidate", "transposed_hidden_grad_only_wrong.py", "--depth", "2", "--sizes", "3-4-2",
               examples="100")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "[transpose_gradW] grad W^1 is transposed" in out.stdout, out.stdout
    assert "read in our shapes" not in out.stdout, out.stdout
    assert "no catalogued" not in out.stdout, out.stdout


def test_biases_rounded_to_float32_are_named_and_not_taken_for_a_layer_without_a_bias():
    """A helper that builds the biases as float32 (round 27's nodes): float64 gradients 1e-8 relative off, and on
    a layer whose biases are zero nothing to round, so the failing cases agreed with --no-bias-in 1."""
    out = _run("--candidate", "biases_rounded_exp_sigma_prime_wrong.py", "--one-example", examples="300")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "[biases_rounded_to_float32] reproduced" in out.stdout, out.stdout
    assert "--no-bias-in" not in out.stdout, out.stdout


def test_a_shape_bound_mistake_behind_crashes_is_named_with_a_mistake_seen_on_other_cases():
    """W^(l+1) for its transpose (raising off square layers) with the float32 rounding of the biases: no value case
    needs both (the rounding is invisible in float32, W^T at depth 1), each is needed on one, so both are named
    and the crashes are theirs (round 27's nodes_m2)."""
    out = _run("--candidate", "W_not_transposed_biases_rounded_wrong.py", "--one-example", examples="300")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "[W_not_transposed + biases_rounded_to_float32] reproduced together" in out.stdout, out.stdout
    assert "each of these mistakes is needed on a failing case of its own" in out.stdout, out.stdout


STEP_ROWS = ("--call", "f(x, y, *params, eta)", "--grads", "flat", "--weights", "in-out", "--biases", "row",
             "--batches-only", "--depth", "2")


def test_two_slips_of_the_whole_steps_rate_are_named_with_a_gradient_mistake():
    """The error's sign flipped and eta written twice, over sigma'(a) (round 27's mlblr_bp_m1)."""
    out = _run("--step", "step_sign_eta_twice_sigma_prime_of_a_wrong.py:step", *STEP_ROWS)
    assert out.returncode == 1, out.stdout + out.stderr
    assert "[sigma_prime_of_a + plus_eta_and_eta_twice] reproduced together, 3 mistakes" in out.stdout, out.stdout


def test_the_update_order_at_every_layers_slipped_rate_is_named_with_a_gradient_mistake():
    """The output layer updated first at eta^2, the hidden error read through it, over sigma'(a) (round 27's
    mlblr_bp_m2)."""
    out = _run("--step", "step_updated_first_eta_twice_sigma_prime_of_a_wrong.py:step", *STEP_ROWS)
    assert out.returncode == 1, out.stdout + out.stderr
    assert "[sigma_prime_of_a + updated_next_first_eta_twice] reproduced together, 3 mistakes" in out.stdout, \
        out.stdout


def test_an_input_squashed_by_sigma_with_three_more_published_bugs_is_named_as_the_four():
    """sigma(x) fed to layer 1, b += error without eta, sigma' missing from the hidden errors, each W updated before
    the error goes through it (round 25's nandnet): the update order and the bias line's slip make one step's two
    update mistakes, found layer by layer."""
    out = _run("--step", "step_squashed_input_four_bugs_wrong.py")
    assert out.returncode == 1, out.stdout + out.stderr
    assert ("[hidden_missing_sigma_prime + input_squashed + updated_next_first + bias_no_eta] reproduced together, "
            "4 mistakes") in out.stdout, out.stdout


def test_a_step_that_is_not_a_function_of_its_inputs_is_said_so_before_any_search():
    """Bias accumulators started with np.random on each call (round 24's recmlp draws them from a seeded
    generator; unseeded, the same case gives another b'): no mistake can be reproduced from the inputs, and the
    report says why instead of searching for one."""
    out = _run("--step", "step_random_bias_accumulator_wrong.py", examples="100")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "the step gives another b^1': it is not a function of its inputs" in out.stdout, out.stdout
    assert "no catalogued step mistake" not in out.stdout, out.stdout


def test_one_elements_line_missing_one_term_of_its_sum_is_named():
    """dC/db1 with the path through the second output unit left out (round 28's kibs_m2): that term named."""
    out = _run("--candidate", "per_weight_term_missing_wrong.py", "--sizes", "2-2-2", "--one-example",
               examples="100")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "[element_term_missing] only grad b^1[0] is wrong" in out.stdout, out.stdout
    assert "the term through unit 1 of layer 2 left out" in out.stdout, out.stdout


def test_one_elements_line_with_its_sign_flipped_is_named():
    """One output bias line from (y - o) (round 28's kibs_m3): its sign named, not only its place."""
    out = _run("--candidate", "per_weight_bias_sign_wrong.py", "--sizes", "2-2-2", "--one-example", examples="100")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "[element_sign] only grad b^2[1] is wrong" in out.stdout, out.stdout


def test_a_gradient_that_is_not_a_function_of_its_inputs_is_said_so_before_any_search():
    """A dropout mask drawn inside the gradient: called again on the same case it returns another gradient."""
    out = _run("--candidate", "random_dropout_mask_wrong.py", "--min-depth", "2", examples="100")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "the candidate returns another gradient: it is not a function of its inputs" in out.stdout, out.stdout
    assert "no catalogued" not in out.stdout, out.stdout


def test_targets_converted_where_they_round_to_plus_minus_one_are_named_beside_the_update_order():
    """Round 29's mlpbp: y -> (y + 1)/2 wherever every target rounds to +-1 hid the update-order bug (no single
    combination reproduced both kinds of case)."""
    out = _run("--step", "step_targets_pm1_updated_first_wrong.py", examples="300")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "[targets_pm1_to_01 + updated_next_first] reproduced together" in out.stdout, out.stdout


def test_the_weights_line_without_eta_is_named_beside_a_bias_summed_over_the_units():
    """Round 30's gardner_m3: right at depth 1 (one layer's W line), 'no catalogued' from depth 2 on."""
    out = _run("--step", "step_bias_summed_weights_no_eta_wrong.py", examples="200")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "[bias_summed_over_units + weights_no_eta] reproduced together" in out.stdout, out.stdout
