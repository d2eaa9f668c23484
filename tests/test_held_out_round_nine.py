"""What the later rounds of held-out published code asked for (issue 21): a bias in some layers only (a bias
unit appended to the input and not to the hidden activations), declared with ``--no-bias-in`` and found by the
layout probe of gradients and steps. Each behaviour has a look-alike in tests/candidates/ or a unit check here,
and would fail without its change."""

import dataclasses
import pathlib

import numpy as np
import oracle_cli
import pytest

from compare.oracle.cases.cases import Case, materialise
from compare.oracle.sandbox.layouts import Layout, bare_layers, bias_forms, from_candidate, to_candidate
from compare.oracle.verdict.convention import network_cases

ROOT = pathlib.Path(__file__).resolve().parent.parent
INPUT_ONLY = ("--biases", "folded-last", "--no-bias-in", "output", "--depth", "2")


_run = oracle_cli.run_candidate


def test_layer_words_and_numbers_name_the_layers_without_a_bias():
    """1..L, negative from the output, output and hidden: 0-based layer indices of the net of that depth."""
    assert bare_layers("output", 3) == (2,)
    assert bare_layers("hidden", 3) == (0, 1)
    assert bare_layers("1,-1", 3) == (0, 2)
    assert bare_layers("hidden", 1) == ()
    for bad, depth in (("4", 3), ("-4", 3), ("0", 3), ("top", 3)):
        with pytest.raises(ValueError):
            bare_layers(bad, depth)


def test_no_bias_is_refused_only_where_no_layer_has_a_bias():
    with pytest.raises(ValueError, match="none"):
        Layout(biases="none", no_bias="output")
    assert Layout(biases="folded_last", no_bias="output").bare(2) == (1,)
    assert Layout(no_bias="1").bare(3) == (0,) and Layout(biases="none").bare(3) == (0, 1, 2)


def test_a_layer_without_a_bias_goes_in_bare_and_reads_back_with_a_zero_bias():
    """Folded layers are [W b], a bare layer W alone, in and out; the bare layer's grad b is read as 0."""
    case = network_cases([Case((3, 4, 2), 0, 1.0, "float64", 5)], Layout(biases="folded_last", no_bias="output"))[0]
    assert case.bare == (1,) and "without a bias in layer 2" in case.describe()
    params, x, y = materialise(case)
    assert not params[1][1].any() and params[0][1].any()          # b^2 = 0, b^1 drawn
    layout = Layout(biases="folded_last", no_bias="output")
    given = to_candidate(params, x, y, layout)
    assert [W.shape for W in given.weights] == [(4, 4), (2, 4)]
    assert np.array_equal(given.weights[0][:, -1], params[0][1])
    read = from_candidate([np.ones((4, 4)), np.full((2, 4), 2.0)], layout)
    assert [(gW.shape, gb.shape) for gW, gb in read] == [((4, 3), (4,)), ((2, 4), (2,))]
    assert not read[1][1].any()


def test_cases_made_for_one_layout_are_remade_for_another():
    """A probe that tries a layout with biases on cases drawn without them gets its biases back (b drawn)."""
    case = network_cases([Case((3, 4, 2), 0, 1.0, "float64", 5)], Layout(biases="none"))[0]
    assert case.bare == (0, 1)
    again = network_cases([case], Layout())[0]
    assert again.bare == () and again == dataclasses.replace(case, bare=())


def test_a_bias_unit_on_the_input_alone_passes_with_no_bias_in_and_is_found_without_it():
    """Right code whose W^2 has no bias passes with --no-bias-in output; declared folded without it, it crashes
    on the [W b] it is handed, and the layout line names --no-bias-in output."""
    out = _run("--candidate", "bias_unit_input_only.py", *INPUT_ONLY)
    assert out.returncode == 0, out.stdout + out.stderr
    out = _run("--candidate", "bias_unit_input_only.py", "--biases", "folded-last", "--depth", "2", examples="40")
    assert out.returncode == 1 and "given --no-bias-in output" in out.stdout, out.stdout + out.stderr


def test_a_mistake_in_the_input_layers_bias_column_is_caught_and_named():
    """The mistake sits in the bias column glue with --biases none would drop: with --no-bias-in it is compared,
    and named (the bias column summed over the batch)."""
    out = _run("--candidate", "bias_unit_input_only_wrong.py", *INPUT_ONLY)
    assert out.returncode == 1 and "[bias_summed" in out.stdout, out.stdout + out.stderr


def test_a_step_with_a_bias_on_the_input_alone_passes_and_its_crash_names_the_option():
    out = _run("--step", "step_bias_unit_input_only.py:Net.train", *INPUT_ONLY)
    assert out.returncode == 0, out.stdout + out.stderr
    out = _run("--step", "step_bias_unit_input_only.py:Net.train", "--biases", "folded-last", "--depth", "2",
               examples="40")
    assert out.returncode == 1 and "given --no-bias-in output" in out.stdout, out.stdout + out.stderr


@pytest.mark.parametrize("options, words", [
    (("--biases", "none", "--no-bias-in", "output"), "--biases none says no layer has one"),
    (("--biases", "folded-last", "--no-bias-in", "2"), "fix the depth"),
    (("--biases", "folded-last", "--no-bias-in", "3", "--depth", "2"), "not a layer of a 2-layer net"),
    (("--biases", "folded-last", "--no-bias-in", "top", "--depth", "2"), "got 'top'")])
def test_no_bias_in_is_a_usage_error_where_it_cannot_name_a_layer_of_every_case(options, words):
    out = _run("--candidate", "bias_unit_input_only.py", *options, examples="5")
    assert out.returncode == 2 and words in out.stderr, out.stderr


def test_sigma_prime_of_a_on_one_layers_grad_W_line_alone_is_named():
    """grad W^1 written with sigma'(a^1) while grad b^1 and the output layer are right (a published mutant's
    form): the new grad W mistake, in the hidden layer alone."""
    out = _run("--candidate", "two_layer_gradW_sigma_prime_of_a_wrong.py", "--depth", "2")
    assert out.returncode == 1 and "[gradW_sigma_prime_of_a_hidden_layers]" in out.stdout, out.stdout + out.stderr


OWN_RATE = ("--make", "neuralNetwork(sizes[0], sizes[1], sizes[2], eta)", "--attributes", "wih+who",
            "--biases", "none", "--scale", "n_L", "--one-example")


def test_a_published_bug_with_a_mistake_in_the_output_layer_alone_is_named_as_the_pair():
    """The step pair tier holds the output-layer (and hidden-layer) variants beside the whole-network mistakes:
    the bare error sent down with the output sigma' written z (1 - z) is named as those two."""
    out = _run("--step", "per_layer_attributes_bare_error_output_sigma_of_z_wrong.py:neuralNetwork.train",
               *OWN_RATE)
    assert out.returncode == 1, out.stdout + out.stderr
    assert "hidden_from_output_error + sigma_prime_of_z_output_layer]" in out.stdout, out.stdout


def test_a_published_bug_with_the_rate_dropped_from_one_layer_is_named_as_the_pair():
    """One layer's update line without eta is a step mistake of its own (layer_1_no_eta), and pairs with the
    published bare error."""
    out = _run("--step", "per_layer_attributes_bare_error_no_eta_wrong.py:neuralNetwork.train", *OWN_RATE)
    assert out.returncode == 1, out.stdout + out.stderr
    assert "[hidden_from_output_error + layer_1_no_eta]" in out.stdout, out.stdout


def test_a_first_layer_without_a_bias_among_separate_biases_passes_and_is_found_without_the_option():
    """Code that takes (W, b) pairs but never reads b^1 computes another network: with --no-bias-in 1 (b^1 = 0 in
    the cases, grad b^1 not compared) it passes; without, no mistake reproduces it and the probe of bias forms
    names the option."""
    out = _run("--candidate", "first_bias_unread.py", "--no-bias-in", "1")
    assert out.returncode == 0, out.stdout + out.stderr
    out = _run("--candidate", "first_bias_unread.py", examples="40")
    assert out.returncode == 1 and "given --no-bias-in 1" in out.stdout, out.stdout + out.stderr


def test_the_bias_forms_a_probe_of_values_tries():
    """The sign flipped first, then layer 1, the output layer, the hidden layers without a bias; none of the
    latter where the layout already names such layers or has no bias at all."""
    fixes = [f.keywords() for f in bias_forms(Layout())]
    assert fixes == ["negated_bias=True", "no_bias='1'", "no_bias='output'", "no_bias='hidden'",
                     "no_bias='above-first'"]
    assert [f.fields for f in bias_forms(Layout(biases="none"))] == [("negated_bias",)]


def test_a_step_without_a_first_bias_passes_with_the_option_and_the_values_probe_names_it():
    out = _run("--step", "step_first_bias_unread.py:step", "--no-bias-in", "1")
    assert out.returncode == 0, out.stdout + out.stderr
    out = _run("--step", "step_first_bias_unread.py:step", examples="40")
    assert out.returncode == 1 and "given --no-bias-in 1" in out.stdout, out.stdout + out.stderr


def test_a_rows_2d_report_says_how_a_one_example_case_went_to_the_candidate():
    """The report's cases are ours ("one example x (n_0,)"); under --data rows-2d a note says the candidate got
    (1, n_0) and (1, n_L) rows."""
    out = _run("--candidate", "rows_2d_keepdims_wrong.py", "--data", "rows-2d", "--biases", "row", examples="40")
    assert out.returncode == 1 and "went to the candidate as a (1, n_0) row x" in out.stdout, out.stdout


def test_a_rerun_that_only_counts_is_not_diagnosed():
    """check_step(diagnose=False), as the constant's confirmation and the probes rerun it, names nothing (and
    probes nothing)."""
    from compare import draw_cases
    from compare.oracle.checks.stepcheck import check_step

    def still(params, x, y, eta):
        return [(W.copy(), b.copy()) for W, b in params]

    cases = draw_cases(6, seed=3)
    assert check_step(still, cases, diagnose=False).diagnosis == []
    assert check_step(still, cases).mistakes == ("no_update",)


def test_nan_steps_beside_a_named_mistake_are_reproduced_with_sigma_prime_written_with_exp():
    """The finite failures name mean_twice; the NaN ones are recomputed with it and sigma' = exp(-z)/(1 +
    exp(-z))^2, which reproduces them, so the overflow is named beside it (an arbitrary NaN is not: see
    stepcheck._overflow_also)."""
    out = _run("--step", "step_mean_twice_exp_sigma_prime_wrong.py:step", examples="500")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "[mean_twice]" in out.stdout and "[sigma_exp_overflow] also:" in out.stdout, out.stdout


def test_nan_steps_of_another_cause_are_not_claimed_as_the_exp_overflow():
    out = _run("--step", "step_mean_twice_other_nan_wrong.py:step", examples="500")
    assert out.returncode == 1 and "[mean_twice]" in out.stdout, out.stdout + out.stderr
    assert "nonfinite" in out.stdout and "sigma_exp_overflow" not in out.stdout, out.stdout


@pytest.mark.parametrize("option", ["--step", "--epoch"])
def test_budget_is_refused_for_updates_rather_than_ignored(option):
    out = oracle_cli.run([option, str(ROOT / "compare" / "controls" / "steps" / "right_in_place.py"), "--budget", "20",
                          "--examples", "5", "--progress", "off"])
    assert out.returncode == 2 and "--budget sizes a --candidate's run" in out.stderr, out.stderr


def test_two_mistakes_of_the_math_in_a_gradient_are_named_together():
    """The gradient report's last tier: two mistakes of different equations, neither a constant (a published
    output error without sigma' with a hidden sigma'(a) on top), found on one case and confirmed on the others."""
    out = _run("--candidate", "two_layer_output_no_sigma_prime_hidden_sigma_of_a_wrong.py", "--depth", "2")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "[hidden_sigma_prime_of_a + output_missing_sigma_prime]" in out.stdout, out.stdout
