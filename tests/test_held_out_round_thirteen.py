"""What round twenty-three of held-out published code asked for (issue 21): a slip of one layer's update line
stacked on two published gradient mistakes, found by the layered step search; layer objects held one per
attribute, reached with a dotted --attributes path. Each would fail without its change."""

import pathlib

import oracle_cli

ROOT = pathlib.Path(__file__).resolve().parent.parent


_run = oracle_cli.run_candidate


def test_a_slip_of_one_layers_weight_line_on_two_published_gradient_mistakes_is_named_layer_by_layer():
    """Two hidden lines that took each other's sigma', and W1 + eta grad W1: the layered search grows a layer's
    combination by a slip of that layer's own update where no gradient mistake reproduces its W'."""
    out = _run("--step", "step_hidden_sigma_primes_swapped_first_W_plus_eta_wrong.py", "--depth", "3", "--sizes",
               "*-4-4-*")
    assert out.returncode == 1, out.stdout + out.stderr
    assert ("[hidden_sigma_prime_of_input_at_layer_2 + hidden_sigma_prime_of_layer_above_at_layer_1 + "
            "layer_1_W_plus_eta] reproduced together, 3 mistakes (no fewer of them)") in out.stdout, out.stdout


LAYER_OBJECTS = ("--make", "NeuralNetwork(NeuronLayer(sizes[1], sizes[0]), NeuronLayer(sizes[2], sizes[1]))",
                 "--biases", "none", "--weights", "in-out", "--batches-only", "--call", "f(x, y, 1)", "--eta", "1",
                 "--scale", "n_L*m", "--depth", "2")


def test_layer_objects_held_one_per_attribute_are_reached_with_a_dotted_attributes_path():
    out = _run("--step", "step_layer_objects_as_attributes.py:NeuralNetwork.train", *LAYER_OBJECTS, "--attributes",
               "layer1.synaptic_weights+layer2.synaptic_weights", examples="100")
    assert out.returncode == 0, out.stdout + out.stderr


def test_a_dotted_attributes_path_through_a_missing_attribute_is_named():
    out = _run("--step", "step_layer_objects_as_attributes.py:NeuralNetwork.train", *LAYER_OBJECTS, "--attributes",
               "layer1.synaptic_weights+layer3.synaptic_weights", examples="5")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "the object has no layer3 to hold synaptic_weights" in out.stdout, out.stdout


def test_nan_cases_of_a_mistake_written_with_the_exp_form_of_sigma_prime_are_named_with_the_mistake():
    """sigma' of the output layer's z in the hidden delta, sigma' written exp(-z)/(1 + exp(-z))^2: the saturated
    cases' NaN are the lead's mistake recomputed with the exp form, named together (not the exp form alone)."""
    out = _run("--candidate", "hidden_sigma_prime_above_exp_form_wrong.py", "--depth", "2", "--sizes", "*-*-1",
               "--dtype", "float64", examples="300")
    assert out.returncode == 1, out.stdout + out.stderr
    nan_line = next(line for line in out.stdout.splitlines() if "of kind 'nonfinite'" in line)
    assert "[hidden_sigma_prime_of_layer_above + sigma_exp_overflow]" in nan_line, out.stdout


def test_a_step_right_but_for_sigma_prime_in_exp_form_is_named_on_its_nan_steps_alone():
    """Every failing step non-finite, every finite one right: the exp form of sigma' is named, not searched past."""
    out = _run("--step", "step_exp_sigma_prime.py", "--dtype", "float32", examples="300")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "[sigma_exp_overflow] the step descends a gradient with this mistake" in out.stdout, out.stdout
    assert "every failing step is non-finite, and every finite step agrees" in out.stdout, out.stdout


def test_steps_that_agree_without_moving_anything_are_no_evidence_for_a_feature_line():
    """Round 23's glorot mutants: the 8 steps with n_0 = 63 agreed because eta grad W was below W's rounding
    (nothing moved), and the report said 'a width written into the code?'. Only steps that fail or move count."""
    from compare.oracle.cases.cases import Case
    from compare.oracle.checks.stepcheck import StepReport, StepResult, diagnose_into
    from compare.oracle.verdict.results import RAISED, Failure

    def result(n_0: int, seed: int, failed: bool, moved: int) -> StepResult:
        case = Case((n_0, n_0, 2), 4, 1.0, "float64", seed)     # (like the failing ones but for n_0: a square layer)
        failure = Failure(case, RAISED, "raised ValueError: boom", cause="raised") if failed else None
        return StepResult(case, 0.1, failure, 0.0, moved, 10, None)

    failing = [result(3, s, True, 0) for s in range(40)]
    blind = [result(63, 100 + s, False, 0) for s in range(10)]
    moving = [result(63, 200 + s, False, 5) for s in range(10)]
    report = StepReport("candidate")
    diagnose_into(report, failing + blind)
    assert not any("n_0 != 63" in line for line in report.diagnosis), report.diagnosis
    report = StepReport("candidate")
    diagnose_into(report, failing + moving)
    assert any("n_0 != 63" in line for line in report.diagnosis), report.diagnosis


def test_lists_indexed_from_one_are_set_from_their_second_item_and_their_gradients_read_past_the_placeholder():
    """--attributes W[1:],b[1:]: the layers set after the None kept at item 0; the (dW, db) handed back with the same
    None head is read from item 1 on."""
    out = _run("--candidate", "lists_indexed_from_one.py:NeuralNetwork.backprop", "--attributes", "W[1:],b[1:]",
               "--grads", "lists", "--one-example", "--scale", "n_L", examples="100")
    assert out.returncode == 0, out.stdout + out.stderr


def test_a_placeholder_is_dropped_only_before_the_layers():
    """A leading None in both lists is the input layer's placeholder; a None among the layers stays for the
    checks to name."""
    from compare.oracle.sandbox.forms import _got, _put, place
    from compare.oracle.sandbox.layouts import _placeholders_dropped

    assert _placeholders_dropped([None, 1, 2], [None, 3, 4]) == ([1, 2], [3, 4])
    assert _placeholders_dropped([None, 1], [0, 3]) == ([None, 1], [0, 3])
    assert _placeholders_dropped([None], [None]) == ([None], [None])

    class Net:
        W = ["input", "old1", "old2", "loss"]

    _put(Net, "W[1:-1]", ["new1", "new2"])
    assert Net.W == ["input", "new1", "new2", "loss"] and _got(Net, "W[1:-1]") == ["new1", "new2"]
    assert place("W[1:]").start == 1 and place("net.W[1:]").names == ("net.W",)


def test_a_step_with_a_path_of_its_own_at_one_depth_is_diagnosed_depth_by_depth():
    """Round 24's dictnn: no combination reproduces every failing step (depth 1 is written apart); each depth's
    steps searched alone name the biases never updated, and at depth 1 the output error without sigma' beside it."""
    out = _run("--step", "step_depth_one_special_case_wrong.py")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "no catalogued step mistake reproduces every failing step at once; each depth apart" in out.stdout
    lines = out.stdout.splitlines()
    assert any("of depth 2 alone: [bias_not_updated]" in line for line in lines), out.stdout
    depth_one = next(line for line in lines if "of depth 1 alone" in line)
    assert "[output_missing_sigma_prime + bias_not_updated]" in depth_one, out.stdout


def test_every_layers_sigma_prime_taken_of_its_input_is_named():
    """sigma'(a^(l-1)) for sigma'(z^l) at every layer, the output's too: a new catalogued mistake, on the widths
    where such code runs (all equal)."""
    out = _run("--step", "step_sigma_prime_of_input_wrong.py", "--sizes", "3-3-3", examples="100")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "[sigma_prime_of_input] the step descends a gradient with this mistake" in out.stdout, out.stdout


def test_a_mistake_hidden_behind_a_shape_that_holds_the_right_values_is_named_too():
    """Round 24's slope code: a 0-d output bias gradient fails every case on its shape; read again in our shapes,
    the same arrays show the error's sign, named beside the shape."""
    out = _run("--candidate", "scalar_output_bias_and_sign_wrong.py", "--depth", "2", "--sizes", "*-*-1",
               examples="100")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "[width1_squeeze]" in out.stdout, out.stdout
    assert "with every array read in our shapes (the same values, reshaped)" in out.stdout, out.stdout
    assert "of the 100 failing cases tried still fail" in out.stdout, out.stdout
    assert "[sign] reproduced" in out.stdout, out.stdout


def test_a_failure_on_one_dimensional_examples_alone_points_to_batches_only():
    """Round 25's danq, run without --batches-only: a step written for batches fails only on 1-D examples; the
    feature line says which option reads it."""
    from compare.oracle.diagnosis.diagnose import feature_lines

    lines = feature_lines({"a single 1-D example": (30, 35), "float32": (15, 50)}, 100, 30)
    assert lines == ["only cases with a single 1-D example fail (30 of 35 such cases; none of the 65 without it): "
                     "code written for batches only? --batches-only sends one example as a batch of one"]


def test_an_update_loop_bound_written_as_a_number_is_named_across_depths():
    """Round 26's netpy2 (Python 2, `for l in xrange(2)`): layers above 2 never updated on deeper nets, the step right
    at depth 2; one mistake, only_layers_1_to_2_updated, reproduces every depth (not a line per depth)."""
    out = _run("--step", str(ROOT / "compare" / "controls" / "steps" / "wrong_updates_first_two_layers_only.py"),
               "--min-depth", "2", examples="150")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "[only_layers_1_to_2_updated] only layers 1..2 were updated" in out.stdout, out.stdout
