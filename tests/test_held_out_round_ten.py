"""What round sixteen of held-out published code asked for (issue 21): a batch factor in one layer's lines as a
whole (a folded W's one line), two mistakes where one alone fits the cases on which the other is invisible, the
step diagnosis tried on steps of every shape that show the step, and ``params`` refused in a method's call.
Each behaviour has a look-alike in tests/candidates/ or a unit check here, and would fail without its change."""


import numpy as np
import oracle_cli
import pytest

from compare.oracle.cases.cases import Case, materialise
from compare.oracle.checks.stepcheck import DIAGNOSED, StepResult, _diagnosed
from compare.oracle.diagnosis.mistakes import ONE_LAYER, recompute

_run = oracle_cli.run_candidate


def test_a_layers_whole_gradient_summed_is_one_mistake_of_that_layer():
    """sum_not_mean in the hidden layers alone is m times both grad W^1 and grad b^1, the output layer right."""
    params, x, y = materialise(Case((3, 4, 2), 5, 1.0, "float64", 7))
    right = recompute(params, x, y)
    summed = recompute(params, x, y, ("sum_not_mean_hidden_layers",))
    assert "sum_not_mean_hidden_layers" in ONE_LAYER and "mean_twice_output_layer" in ONE_LAYER
    np.testing.assert_allclose(summed[0][0], 5 * right[0][0], rtol=1e-12)
    np.testing.assert_allclose(summed[0][1], 5 * right[0][1], rtol=1e-12)
    np.testing.assert_allclose(summed[1][0], right[1][0], rtol=1e-12)


@pytest.mark.parametrize("candidate, keys", [
    ("two_layer_output_no_sigma_prime_hidden_summed_wrong.py",
     "[output_missing_sigma_prime + sum_not_mean_hidden_layers]"),
    ("two_layer_output_no_sigma_prime_hidden_weights_summed_wrong.py",
     "[output_missing_sigma_prime + weights_summed_hidden_layers]")])
def test_a_pair_is_named_where_one_of_it_alone_fits_the_single_examples(candidate, keys):
    """The output error without sigma' fits every one-example case alone (a batch factor is 1 there); it misses the
    batches, so the pair search runs and names both."""
    out = _run("--candidate", candidate, "--depth", "2")
    assert out.returncode == 1 and keys in out.stdout, out.stdout + out.stderr


def _result(sizes, batch, moved, seed):
    return StepResult(Case(sizes, batch, 1.0, "float64", seed), 0.1, None, 2.0, moved, 100, "returned")


def test_the_diagnosed_steps_hold_a_deep_case_that_shows_its_step():
    """Of the failing steps beyond the smallest, those whose reference moves the most elements, one of each
    shape: a deep case with a visible step is diagnosed even where the spread over the rest picks only steps
    below the rounding (a mistake of depth >= 2, such as W^(l+1) updated first, must show on some case)."""
    small = [_result((1, 1), 0, 2, s) for s in range(12)]
    hidden = [_result((3, 3, 3), 2, 0, 100 + s) for s in range(12)]            # deep, the step below the rounding
    shown = _result((3, 3, 3), 2, 40, 999)
    values = small + hidden[:6] + [shown] + hidden[6:]
    picked = _diagnosed(values)
    assert len(picked) == DIAGNOSED and any(r is shown for r in picked)
    assert picked[:DIAGNOSED // 2] == values[:DIAGNOSED // 2]


def test_params_in_a_methods_call_is_a_usage_error_naming_the_objects_attribute():
    """A method's parameters are on its object: ``params`` there would be None, and the candidate blamed."""
    out = _run("--candidate", "named_attributes.py:Net.gradient", "--call", "f(x, y, params)", examples="5")
    assert out.returncode == 2 and "f.__self__" in out.stderr and out.stderr.count("\n") == 1, out.stderr


def test_the_output_layer_updated_before_a_hidden_line_that_recomputes_its_error_is_named():
    """W2 updated first, then a hidden line that writes the output error again from the attributes: sigma'(z^L)
    recomputed and the recurrence both with the new W2 (on a net without biases, where b^L stays 0)."""
    out = _run("--step", "step_two_layer_recomputes_output_error_wrong.py:Net.train", "--attributes", "W1+W2",
               "--biases", "none", "--weights", "in-out", "--depth", "2")
    assert out.returncode == 1 and "[updated_output_first_recomputed]" in out.stdout, out.stdout + out.stderr
