"""What round forty-six of held-out published code showed (issue 21): a rate inside sigma', a slip in one unit's
or one element's own line, a private attribute, and (round 44) a slip hidden behind another array's wrong shape.
Each test would fail without the change it names."""

import pathlib

import oracle_cli

from compare.cli.options import attributes_note
from compare.oracle.sandbox.forms import METHOD, Form

ROOT = pathlib.Path(__file__).resolve().parent.parent


_run = oracle_cli.run_candidate


def test_a_rate_inside_sigma_prime_applied_at_every_level_is_named_at_every_depth():
    """Round 46's weights_ru: deriv(a) = a (1 - a) * alpha in every delta, the update without eta: layer l at
    eta^(L - l + 1). Only depth 2 was named (as layer 1's eta twice); depths 3 and up, nothing."""
    out = _run("--step", "step_rate_inside_sigma_prime.py:training", "--call", "f(x, y, params[0], params[1], eta)",
               "--grads", "lists", "--weights", "in-out", "--one-example", "--scale", "n_L", "--min-depth", "3")
    assert out.returncode == 1, out.stdout + out.stderr
    diagnosis = out.stdout.split("diagnosis:")[1]
    assert diagnosis.lstrip().startswith("- [eta_in_deltas_only] eta multiplied into each delta as it goes down, "
                                         "and not into the update"), out.stdout


def test_one_elements_line_with_a_catalogued_mistake_is_named_at_that_element():
    """Round 46's adelms_m3: '=' for '+=' on hidden unit 0's bias line alone. The nearly-reproduced line named the
    mistake with the two right elements as the ones apart: the reverse of the code."""
    out = _run("--step", "step_one_bias_assigned_not_added_wrong.py", "--batches-only", "--depth", "2", "--scale",
               "n_L*m")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "- [bias_last_example_only] only at b^1[0] (on 8 steps): the step is the right one at every other " \
           "element" in out.stdout, out.stdout
    assert "nearly:" not in out.stdout, out.stdout


def test_a_slip_in_one_hidden_units_line_is_named_at_that_unit():
    """Round 46's adelms_m2: hidden unit 0's sigma' reads the output's a. The pattern said the hidden layer was
    wrong and pointed at the W^(l+1) of the recurrence; then it located the unit (session 22); now (round 51) it
    names the slip in that unit's line, recomputed."""
    out = _run("--step", "step_one_unit_sigma_prime_of_output_wrong.py", "--one-example", "--sizes", "2-3-2")
    assert out.returncode == 1, out.stdout + out.stderr
    diagnosis = out.stdout.split("diagnosis:")[1]
    assert diagnosis.lstrip().startswith("- [one_unit_line] hidden unit 0 of layer 1 alone: its sigma' written "
                                         "a^1_0 (1 - a^2_0) where a^1_0 (1 - a^1_0) belongs"), out.stdout


def test_the_attributes_note_reads_a_private_attribute_as_python_names_it(tmp_path):
    """Round 46's seciva: self.__weights inside class Seciva is the attribute _Seciva__weights; the note said the
    class never reads it, and named a bias attribute under --biases none."""
    f = tmp_path / "net.py"
    f.write_text("class Seciva:\n    def train(self, x, y):\n        return self.__weights\n")
    mangled = Form(METHOD, "train", "Seciva", attributes=("_Seciva__weights", "biases"))
    assert attributes_note(f"{f}:Seciva.train", mangled, False) is None
    other = Form(METHOD, "train", "Seciva", attributes=("W", "biases"))
    note = attributes_note(f"{f}:Seciva.train", other, False)
    assert note is not None and "never reads as self.W" in note and "'biases'" not in note, note


def test_a_weight_slip_beside_a_bias_of_the_wrong_shape_is_named_from_the_arrays_of_the_right_shape():
    """Round 44's xchen_m3: grad W^1 / m on top of a bias never summed over the batch. Every case that shows the slip
    (m > 1) failed on the bias's shape, and the W' beside it were never compared: the report was the published
    code's word for word. The arrays of the right shape are now compared, and their mistake named."""
    out = _run("--step", "step_bias_not_summed_first_weights_over_m_wrong.py", "--weights", "in-out", "--biases",
               "row", "--data", "rows-2d", "--scale", "n_L*m", "--depth", "2", examples="300")
    assert out.returncode == 1, out.stdout + out.stderr
    diagnosis = out.stdout.split("diagnosis:")[1]
    assert "new b has shape" in diagnosis.splitlines()[1], out.stdout
    assert "beside the wrong shape, the arrays of the right shape are wrong too on " in diagnosis, out.stdout
    assert "- [layer_1_over_m] layer 1's step alone is 1/m times the right one" in diagnosis, out.stdout


def test_a_bias_of_the_wrong_shape_beside_right_weights_says_nothing_of_the_weights():
    """The published xchen alone: the W' beside the (m, n_l) biases are right, so no line says otherwise."""
    out = _run("--step", "step_bias_not_summed_first_weights_over_m_wrong.py:published", "--weights", "in-out",
               "--biases", "row", "--data", "rows-2d", "--scale", "n_L*m", "--depth", "2", examples="300")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "new b has shape" in out.stdout.split("diagnosis:")[1].splitlines()[1], out.stdout
    assert "beside the wrong shape" not in out.stdout, out.stdout


def test_a_bias_unit_on_the_input_alone_is_read_at_every_depth_by_above_first():
    """Round 46's nera: a column of ones on the input, no bias above it. --no-bias-in had output and hidden (which
    includes layer 1), so each depth needed its own list; above-first names layers 2..L at any depth."""
    options = ("--biases", "folded-first", "--weights", "in-out", "--batches-only", "--scale", "n_L")
    right = _run("--step", "step_bias_unit_input_only_any_depth.py", *options, "--no-bias-in", "above-first")
    assert right.returncode == 0, right.stdout + right.stderr
    probed = _run("--step", "step_bias_unit_input_only_any_depth.py", *options)
    assert probed.returncode == 1, probed.stdout + probed.stderr
    assert "- every failing step tried agrees when the candidate is given --no-bias-in above-first" in probed.stdout, \
        probed.stdout


def test_a_step_rounded_to_eight_decimals_is_said_to_be_right_but_for_the_rounding():
    """Round 45's njiva: np.round(..., 8) on every value. The report named nothing and read the rounding as 'every
    layer moves 2.09 times as far' on a step of eta ~ 5e-8; now it says every value is a multiple of 1e-8, and that
    with that allowed for the steps are the right ones."""
    out = _run("--step", "step_rounded_to_eight_decimals.py:step", "--one-example")
    assert out.returncode == 1, out.stdout + out.stderr
    diagnosis = out.stdout.split("diagnosis:")[1]
    assert "every value of the candidate's W' and b' is a multiple of 1e-8" in diagnosis, out.stdout
    assert "the steps tried are the right ones, so the rounding is what fails" in diagnosis, out.stdout


def test_a_mistake_behind_a_rounding_to_eight_decimals_is_named_with_the_rounding():
    """Round 45's njiva_m1..m3: the mutant's edit under the published rounding was never reproduced at the step
    tolerance; the search allows for the rounding once it is seen."""
    out = _run("--step", "step_rounded_to_eight_decimals.py:mistaken", "--one-example")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "the mistakes below reproduce the steps tried with that rounding allowed for" in out.stdout, out.stdout
    assert "- [sigma_prime_of_a] the step descends a gradient with this mistake" in out.stdout, out.stdout


def test_crashes_exactly_where_two_widths_differ_are_said_to_come_from_those_widths():
    """Round 47's msrisujan: a hidden delta of the output's length raises wherever n_1 != n_L; the report quoted
    the two crash lines and never said when they come."""
    out = _run("--step", "step_hidden_delta_sized_by_output.py", "--one-example", "--depth", "2")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "- every case that raised (" in out.stdout and ") has n_1 != n_L, and none of the " in out.stdout, \
        out.stdout
    assert " with n_1 = n_L raised" in out.stdout, out.stdout


def test_weights_moved_with_the_networks_input_at_every_layer_are_named():
    """Round 47's leomconti: a per-neuron update that never replaces inputs = x by the layer below's outputs. Only
    depth 2 was named (as the activation two layers down); depths 3 and up, nothing."""
    out = _run("--step", "step_per_neuron_inputs_never_replaced.py", "--one-example", "--scale", "n_L",
               "--min-depth", "3")
    assert out.returncode == 1, out.stdout + out.stderr
    diagnosis = out.stdout.split("diagnosis:")[1]
    assert diagnosis.lstrip().startswith("- [gradW_uses_input] the step descends a gradient with this mistake"), \
        out.stdout


def test_dense_layers_between_activation_layers_are_read_with_a_step():
    """Round 47's abdesch: Dense and Sigmoid objects in turn; layers[].weights met the Sigmoid layers, a slice with a
    step was refused, and the helper wrote a glue file."""
    out = _run("--step", "step_dense_and_activation_layers.py:Network.fit", "--attributes",
               "layers[::2].weights,layers[::2].bias", "--weights", "in-out", "--biases", "row", "--batches-only",
               "--scale", "2")
    assert out.returncode == 0, out.stdout + out.stderr


def test_a_layer_right_on_the_smallest_step_alone_is_not_said_to_be_right():
    """Round 47's leomconti at --depth 3: 'hidden layer 2 is right' read off one small step whose move at that layer
    was within its tolerance, while the layer was wrong on the other failing steps."""
    from types import SimpleNamespace

    import numpy as np

    from compare.oracle.cases.cases import Case
    from compare.oracle.diagnosis.steppatterns import layer_line
    from compare.oracle.verdict.results import VALUE, Failure, LayerValues

    def step(hidden_off: float, output_off: float):
        case = Case((2, 2, 1), 0, 1.0, "float64", 0)
        params = [(np.zeros((2, 2)), np.zeros(2)), (np.zeros((1, 2)), np.zeros(1))]
        tol = 1e-12
        layers = [LayerValues(np.full((2, 2), 0.1 + hidden_off), np.full((2, 2), 0.1), np.full((2, 2), tol),
                              np.full(2, 0.1), np.full(2, 0.1), np.full(2, tol)),
                  LayerValues(np.full((1, 2), 0.2 + output_off), np.full((1, 2), 0.2), np.full((1, 2), tol),
                              np.full(1, 0.2), np.full(1, 0.2), np.full(1, tol))]
        failure = Failure(case, VALUE, "", arrays=tuple(layers))
        return SimpleNamespace(case=case, eta=0.1, failure=failure, inputs=(params, None, None, None))

    small, other = step(0.0, 0.05), step(0.03, 0.05)
    assert "hidden layer 1 is right" in layer_line(small), layer_line(small)
    line = layer_line(small, [small, other])
    assert "hidden layer 1 is right" not in line and "hidden layer 1 is wrong" in line, line


def test_an_epochs_dropped_last_mini_batch_is_named_beside_a_gradient_mistake():
    """Round 48's amanda_m1..m3: a gradient mistake on every full mini-batch and the last, partial one dropped; the
    gradient mistake was named and the dropped steps called 'something more ... which no catalogued combination
    reproduces', though last_dropped is catalogued."""
    out = _run("--epoch", "epoch_drops_last_hidden_sigma_prime_of_z_wrong.py", "--scale", "n_L", examples="300")
    assert out.returncode == 1, out.stdout + out.stderr
    diagnosis = out.stdout.split("diagnosis:")[1]
    assert diagnosis.lstrip().startswith("- [hidden_sigma_prime_of_z] the step descends a gradient"), out.stdout
    assert "- [last_dropped] the last, partial mini-batch was dropped" in diagnosis, out.stdout


def test_a_gradient_mistake_beside_a_bias_of_the_wrong_shape_is_named():
    """Round 48's jwkidd3_m2: grad b summed over the units (one value per example) beside grad W with 1/m twice;
    the report named the bias's shape alone."""
    out = _run("--candidate", "bias_per_example_mean_twice_wrong.py", "--data", "columns", "--biases", "column",
               examples="300")
    assert out.returncode == 1, out.stdout + out.stderr
    diagnosis = out.stdout.split("diagnosis:")[1]
    assert diagnosis.lstrip().startswith("- [bias_per_example] grad b^1 has shape"), out.stdout
    assert "beside the wrong shape, the arrays of the right shape are wrong too on " in diagnosis, out.stdout
    assert "- [mean_twice] reproduced: the batch mean divides by m twice" in diagnosis, out.stdout


def test_a_layer_moving_a_constant_times_as_far_beside_a_wrong_one_is_said():
    """Round 50's bertrand_m2: the output layer's step exactly -1 times the right one, the hidden layer wrong (a
    published bug there); the pattern line said nothing, since every layer was 'wrong'."""
    from types import SimpleNamespace

    import numpy as np

    from compare.oracle.cases.cases import Case
    from compare.oracle.diagnosis.steppatterns import layer_line
    from compare.oracle.verdict.results import VALUE, Failure, LayerValues

    case = Case((2, 2, 1), 0, 1.0, "float64", 0)
    params = [(np.zeros((2, 2)), np.zeros(2)), (np.zeros((1, 2)), np.zeros(1))]
    tol = 1e-12
    hidden = LayerValues(np.array([[0.3, -0.2], [0.5, 0.1]]), np.full((2, 2), 0.1), np.full((2, 2), tol),
                         np.array([0.4, -0.3]), np.full(2, 0.1), np.full(2, tol))
    output = LayerValues(np.full((1, 2), -0.2), np.full((1, 2), 0.2), np.full((1, 2), tol),
                         np.full(1, -0.2), np.full(1, 0.2), np.full(1, tol))
    step = SimpleNamespace(case=case, eta=0.1, failure=Failure(case, VALUE, "", arrays=(hidden, output)),
                           inputs=(params, None, None, None))
    line = layer_line(step)
    assert line is not None and "the output layer 2 moves -1 times as far as the reference step" in line, line
    assert "its error's sign flipped" in line, line


def test_a_batch_summed_on_a_single_output_is_named_as_summed_not_as_n_L_for_m():
    """Round 50's nirbd_m2 (one output unit on every case): the batch summed, not averaged, led as [n_L_for_m],
    'divides by n_L where m belongs', which means nothing where n_L = 1; sum_not_mean only as its equal."""
    out = oracle_cli.run(["--candidate", str(ROOT / "compare" / "controls" / "wrong_sum_not_mean.py"), "--sizes",
                          "*-*-1", "--batches-only", "--depth", "2", "--examples", "300", "--progress", "off"])
    assert out.returncode == 1, out.stdout + out.stderr
    assert "[sum_not_mean] reproduced" in out.stdout and "n_L_for_m" not in out.stdout, out.stdout
