"""What round forty of held-out published code showed (issue 21): mistakes of published code and of its mutants
that the catalogue lacked. Each would fail without its catalogue entry (the controls of the same entries are run by
tests/test_diagnosis.py)."""

import oracle_cli

_run = oracle_cli.run_candidate


def test_a_hidden_activation_written_where_the_output_weight_belongs_is_named_in_a_step():
    """Round 40's nayves: a 2-2-1 net of neuron objects whose hidden lines read h_i where w_o,i belongs; the report
    pointed at the recurrence's W^(l+1) and named nothing."""
    out = _run("--step", "step_neuron_lines_activation_for_weight_wrong.py", "--one-example", "--sizes", "2-2-1")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "- [hidden_error_through_activation] the step descends a gradient with this mistake" in out.stdout, \
        out.stdout


def test_a_sigma_prime_taken_of_the_layer_above_is_written_as_the_code_writes_sigma_prime():
    """Round 41's siraj_es_m3: sigma' written 1 - a (a typo of the published code) and called on the output's a in
    the hidden delta. The two were one slot, so never named together, and the layer above's sigma' was a (1 - a)
    whatever form the code wrote: "no catalogued step mistake" where the shapes let it run."""
    out = _run("--step", "step_no_bias_one_minus_a_of_layer_above_wrong.py",
               "--call", "f(x, y, params[0], params[1], eta)", "--biases", "none",
               "--weights", "in-out", "--depth", "2", "--batches-only", "--scale", "n_L*m")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "[hidden_sigma_prime_of_layer_above + sigma_prime_one_minus_a] reproduced together" in out.stdout, \
        out.stdout


def test_a_step_that_needs_each_target_as_a_column_is_checked_under_stacked_columns():
    """Round 41's skywalker: x[i] reshaped to a column, y[i] used as it comes; --data stacked-columns hands a batch
    as a stack of columns, (m, n_0, 1) and (m, n_L, 1), and the step is right there."""
    out = _run("--step", "step_dict_layers_column_targets.py:fit", "--biases", "column", "--batches-only",
               "--scale", "n_L", "--data", "stacked-columns")
    assert out.returncode == 0, out.stdout + out.stderr


def test_a_step_whose_every_failure_goes_away_in_another_layout_says_so_in_its_diagnosis():
    """Without the option the step raises wherever n_L > 1 (a row y[i] against a column output); the layout probe
    found --data stacked-columns, but said so only above the diagnosis, which named nothing."""
    out = _run("--step", "step_dict_layers_column_targets.py:fit", "--biases", "column", "--batches-only",
               "--scale", "n_L")
    assert out.returncode == 1, out.stdout + out.stderr
    diagnosis = out.stdout.split("diagnosis:")[1]
    assert diagnosis.lstrip().startswith("- every failing step tried agrees when the candidate is given --data "
                                         "stacked-columns (each example a column"), out.stdout


def test_crashes_beside_a_named_mistake_that_run_in_another_layout_are_said_to_run_there():
    """Round 41's skywalker_m1..m3: the mutant's mistake named, the published code's crash only quoted; the steps
    that raised are tried in other layouts and the one they run in is named."""
    out = _run("--step", "step_dict_layers_column_targets_bias_summed_wrong.py:fit", "--biases", "column",
               "--batches-only", "--scale", "n_L")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "- [bias_summed] the step descends a gradient with this mistake" in out.stdout, out.stdout
    assert "run when the candidate is given --data stacked-columns (each example a column" in out.stdout, out.stdout


def test_a_gradient_run_whose_failures_go_away_under_a_bias_convention_says_so_in_its_diagnosis():
    """A gradient of z = W a - B checked without --negated-bias: the probe's finding leads the diagnosis, which
    was empty."""
    out = _run("--candidate", "negated_bias.py", examples="100")
    assert out.returncode == 1, out.stdout + out.stderr
    diagnosis = out.stdout.split("diagnosis:")[1]
    assert diagnosis.lstrip().startswith("- every failing case tried agrees when the candidate is given "
                                         "--negated-bias (the bias subtracted"), out.stdout


_DICTS = ["--attributes", "W,B", "--biases", "column", "--batches-only", "--scale", "n_L"]


def test_no_attributes_note_where_the_call_reads_the_attributes_set():
    """Round 41's skywalker: --call copied f.__self__.W and .B into the class's dicts, and the report still said
    the class never reads W and told the user to name its attributes."""
    call = ('[setattr(f.__self__, "w", dict(enumerate(f.__self__.W, 1))), '
            'setattr(f.__self__, "b", dict(enumerate(f.__self__.B, 1))), f(x, y, eta)][-1]')
    out = _run("--step", "step_dict_layers_class_bias_summed_wrong.py:NN.fit", *_DICTS, "--call", call)
    assert out.returncode == 1, out.stdout + out.stderr
    assert "- [bias_summed] the step descends a gradient with this mistake" in out.stdout, out.stdout
    assert "never reads as self.W" not in out.stdout, out.stdout


def test_the_attributes_note_stands_where_nothing_reads_the_attributes_set():
    """The same class called without copying them: its dicts are its own, and the note says so."""
    out = _run("--step", "step_dict_layers_class_bias_summed_wrong.py:NN.fit", *_DICTS, "--call", "f(x, y, eta)")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "note: the oracle sets the case's W on the object's 'W' and b on 'B', which" in out.stdout, out.stdout
    assert "never reads as self.W" in out.stdout, out.stdout


def test_a_catalogued_mistake_that_leaves_one_element_apart_is_named_as_nearly_reproducing_the_step():
    """Round 40's nayves_m3: the published mistake and one index slip on one weight's line (x[0] for x[1]); no
    combination reproduces it, and the report's pattern pointed at the recurrence's W^(l+1). The mistake that
    reproduces every element but that one is named, and the element."""
    out = _run("--step", "step_neuron_lines_activation_for_weight_index_slip_wrong.py", "--one-example", "--sizes",
               "2-2-1")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "- no catalogued step mistake reproduces this" in out.stdout, out.stdout
    assert ("- [hidden_error_through_activation] nearly: the step descends a gradient with this mistake at every "
            "element of the 8 failing steps tried but these (8 in all): W^1[1, 1] on 8;") in out.stdout, out.stdout


def test_batch_code_under_batches_only_is_not_asked_whether_it_was_written_for_one_example():
    """Round 42's menezes_m2: a bias line that raises on batches of m > 1 was told "code written for one example at
    a time? --one-example checks it", though --batches-only had sent every one-example case as a batch of one."""
    out = _run("--step", "step_hidden_bias_summed_over_units_rows_wrong.py", "--weights", "in-out", "--biases", "row",
               "--batches-only", "--depth", "2", "--scale", "n_L*m")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "- [bias_summed_over_units_hidden_layers] the step descends a gradient with this mistake" in out.stdout, \
        out.stdout
    assert "batches of one (--batches-only) raised: what breaks it is m > 1" in out.stdout, out.stdout
    assert "--one-example checks it" not in out.stdout, out.stdout


def test_an_output_weight_step_from_the_activations_transposed_is_named_where_it_runs():
    """Round 42's rachnaraj: np.dot(delta.T, A.T) for np.dot(delta.T, A), which runs only where m = n_1 and raises
    elsewhere; the value cases left (m = n_1) got "no catalogued step mistake" and a per-layer pattern."""
    out = _run("--step", "step_output_activations_transposed_wrong.py", "--biases", "row", "--batches-only",
               "--depth", "2", "--scale", "n_L*m", examples="500")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "- [gradW_batch_transposed_output_layer] the step descends a gradient with this mistake" in out.stdout, \
        out.stdout


_RATE_ONE = ["--step", "step_rate_one_no_biases.py:NeuralNetwork.train", "--attributes", "weights1+weights2",
             "--biases", "none", "--weights", "in-out", "--batches-only", "--scale", "2*n_L*m"]


def test_a_fixed_rate_of_one_is_told_to_declare_eta_one_and_passes_so():
    """Round 43's ru_loy: a rate of 1 fixed in the code was read as 0.999999 and the report said to declare --eta
    0.999999, which still failed. A rate of 1 is eta_missing's step, whose sentence says to declare --eta 1."""
    out = _run(*_RATE_ONE)
    assert out.returncode == 1, out.stdout + out.stderr
    assert "- [eta_missing] eta not applied" in out.stdout and "declare it with --eta 1)" in out.stdout, out.stdout
    assert "[own_rate]" not in out.stdout, out.stdout
    assert _run(*_RATE_ONE, "--eta", "1").returncode == 0


def test_a_rate_read_off_the_steps_is_written_with_the_digits_its_uncertainty_allows():
    """The rate said is the value to declare: the fewest digits within its relative uncertainty."""
    from compare.oracle.diagnosis.stepmistakes import shortest

    assert shortest(0.99999937, 1e-6) == "1"
    assert shortest(0.1000000004, 1e-8) == "0.1"
    assert shortest(0.123456789, 1e-3) == "0.1235"          # 0.123 is 3.7e-3 off
    assert shortest(0.123456789, 0.0) == repr(0.123456789)


def test_a_rate_multiplied_into_every_delta_is_named():
    """Round 43's rgx: eta in each delta passed down and in the update again, the output layer at eta^2, the one
    below at eta^3; nothing reproduced it (a ratio that depends on eta has no per-layer pattern either), and the
    search took 380-460 s of wall time per run."""
    out = _run("--step", "step_rate_in_every_delta.py", "--call", "f(params[0], params[1], x, y, eta)", "--grads",
               "lists", "--weights", "in-out", "--batches-only", "--min-depth", "2", "--scale", "n_L*m")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "- [eta_in_deltas] eta multiplied into each delta as it goes down" in out.stdout, out.stdout


def test_one_layers_weights_from_the_last_example_alone_is_named():
    """Round 44's renan_m2: '=' for '+=' in the output layer's line of a per-example loop; the last example's
    mistakes were catalogued for every layer at once only."""
    out = _run("--step", "step_output_weights_last_example_wrong.py", "--call", "f(params[0], params[1], x, y, eta)",
               "--weights", "in-out", "--biases", "none", "--batches-only", "--depth", "2", "--scale", "n_L",
               examples="500")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "- [weights_last_example_only_output_layer] the step descends a gradient with this mistake" in out.stdout, \
        out.stdout


def test_a_bias_of_one_row_per_example_is_read_both_ways_on_one_unit_and_said_in_the_diagnosis():
    """Round 44's xchen: b - eta * delta on rows; shrunk to one unit, an (m, 1) bias was read as a sum over the units
    alone, and beside a named value mistake the shape failures were said only above the diagnosis."""
    out = _run("--step", "step_bias_not_summed_rows_wrong.py", "--weights", "in-out", "--biases", "row", "--data",
               "rows-2d", "--scale", "n_L*m", examples="500")
    assert out.returncode == 1, out.stdout + out.stderr
    diagnosis = out.stdout.split("diagnosis:")[1]
    assert "- [gradW_uses_z] the step descends a gradient with this mistake" in diagnosis, out.stdout
    assert "- also " in diagnosis and " failing steps of kind shape (the first: --case '" in diagnosis, out.stdout
    assert "delta^l not summed over the batch (b - eta * delta on rows), or summed over the layer's units" \
        in out.stdout, out.stdout


def test_nan_where_the_tolerance_is_infinite_is_counted_among_the_elements():
    """Round 45's h155 (--extremes): "10 of 2 elements fail" on a 4-2 net whose W's tolerance was infinite and
    whose every element was NaN: a failing element is one of the elements counted."""
    import numpy as np

    from compare.oracle.cases.cases import Case
    from compare.oracle.verdict.values import compare_layers

    class Ref:
        W, b, tol_W, tol_b = np.ones((2, 4)), np.zeros(2), np.full((2, 4), np.inf), np.full(2, 1e-12)
    got = [(np.full((2, 4), np.nan), np.full(2, np.nan))]
    _, f = compare_layers(Case((4, 2), 0, 1.0, "float64", 0), got, [Ref()])
    assert (f.bad_elements, f.total_elements) == (10, 10), (f.bad_elements, f.total_elements)
