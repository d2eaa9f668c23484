"""What round twenty of held-out published code asked for (issue 21): a hidden bias line copied from the layer
above, an output bias summed over the wrong axis of the batch, a published output error with a slip at one hidden
layer of two (the pair search led by the mistakes that reproduce the output layer), a class built from its rate
alone, layer lists with an input layer's item first or of dicts. Each behaviour has a look-alike here or a control
in compare/controls, and would fail without its change."""


import numpy as np
import oracle_cli

from compare.oracle.cases.cases import Case, materialise
from compare.oracle.diagnosis.mistakes import recompute

_run = oracle_cli.run_candidate


def test_the_bias_summed_by_example_is_each_examples_sum_where_m_is_n_l_and_else_right():
    """axis=1 on rows: b_j gets example j's sum over the units where m = n_l; a batch of another size raises in
    such code, and the recomputation leaves grad b right there (it reproduces nothing it cannot run)."""
    params, x, y = materialise(Case((3, 4, 4), 4, 1.0, "float64", 5))
    right, got = recompute(params, x, y), recompute(params, x, y, ("bias_summed_by_example",))
    a1 = 1 / (1 + np.exp(-(x @ params[0][0].T + params[0][1])))
    a2 = 1 / (1 + np.exp(-(a1 @ params[1][0].T + params[1][1])))
    delta2 = (a2 - y) / 4 * a2 * (1 - a2)
    np.testing.assert_allclose(got[1][1], delta2.sum(axis=1) / 4, rtol=1e-12)
    np.testing.assert_array_equal(got[1][0], right[1][0])
    params, x, y = materialise(Case((3, 4, 4), 3, 1.0, "float64", 5))
    np.testing.assert_array_equal(recompute(params, x, y, ("bias_summed_by_example",))[1][1],
                                  recompute(params, x, y)[1][1])


def test_a_step_whose_output_bias_sums_over_the_wrong_axis_is_named():
    out = _run("--step", "step_output_bias_summed_axis_one_wrong.py", "--depth", "2", "--sizes", "*-4-4")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "[bias_summed_by_example_output_layer] the step descends" in out.stdout, out.stdout


def test_a_step_whose_hidden_bias_copies_the_output_delta_is_named():
    out = _run("--step", "step_hidden_bias_from_output_delta_wrong.py", "--depth", "2", "--sizes", "*-*-1")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "[bias_from_delta_above] the step descends" in out.stdout, out.stdout


def test_a_published_output_error_with_a_slip_at_one_hidden_layer_of_two_is_named_as_the_pair():
    """Three layers, the output error without sigma'(z^L), z (1 - z) for sigma' at layer 1 alone: the pair holds a
    one-layer variant at a layer number, reached within the search's time because the output layer's own mistake
    is found first."""
    out = _run("--step", "step_three_layer_output_bare_first_hidden_of_z_wrong.py", "--depth", "3")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "[output_missing_sigma_prime + sigma_prime_of_z_at_layer_1] reproduced together" in out.stdout, out.stdout


def test_a_class_built_from_its_rate_alone_is_made_where_attributes_set_its_arrays():
    out = _run("--step", "step_class_of_rate_only.py:NN.train", "--make", "NN(eta)", "--attributes", "W1+W2",
               "--biases", "none", "--weights", "in-out", "--batches-only", examples="100")
    assert out.returncode == 0, out.stdout + out.stderr
    out = _run("--step", "step_class_of_rate_only.py:NN.train", "--make", "NN(eta)", examples="5")
    assert out.returncode == 2 and "uses neither sizes nor x, y" in out.stderr, out.stderr


def test_layer_dicts_after_an_input_layers_item_are_read_with_a_slice_and_a_key():
    out = _run("--candidate", "layer_dicts_after_input.py:Net.gradient", "--attributes",
               "layers[1:]['weights'],layers[1:]['bias']", examples="100")
    assert out.returncode == 0, out.stdout + out.stderr
    out = _run("--candidate", "layer_dicts_after_input.py:Net.gradient", "--attributes", "layers[1:].W,layers[x].b",
               examples="5")
    assert out.returncode == 2 and "layers[1:].W" in out.stderr and len(out.stderr.splitlines()) == 1, out.stderr


def test_a_published_step_with_three_bugs_and_a_slip_on_top_is_named_layer_by_layer():
    """The output error without sigma', every bias moved by np.sum(delta), W^(l+1) updated before delta^l, and
    sigma' dropped from the hidden recurrence: four mistakes, reproduced layer by layer from the output down."""
    out = _run("--step", "step_four_mistakes_layered_wrong.py")
    assert out.returncode == 1, out.stdout + out.stderr
    assert ("[output_missing_sigma_prime + hidden_missing_sigma_prime + bias_summed_over_units + updated_next_first] "
            "reproduced together, 4 mistakes (no fewer of them)") in out.stdout, out.stdout


def test_three_gradient_mistakes_of_a_published_pair_and_a_slip_are_named_layer_by_layer():
    """The output error without sigma', sigma'(a) in the hidden layer and its bias summed over the units: no pair
    reproduces the gradient; the layered search (on an unsaturated case, the most telling) names the three."""
    out = _run("--candidate", "three_gradient_mistakes_wrong.py", "--depth", "2", examples="300")
    assert out.returncode == 1, out.stdout + out.stderr
    assert ("[bias_summed_over_units_hidden_layers + hidden_sigma_prime_of_a + output_missing_sigma_prime] reproduced "
            "together, 3 mistakes") in out.stdout, out.stdout


def test_every_weights_gradient_then_every_biases_is_read_with_grads_flat_Ws_bs_and_suggested():
    out = _run("--candidate", "flat_weights_then_biases_grads.py:Net.backward", "--attributes",
               "W1+W2+W3,b1+b2+b3", "--grads", "flat-Ws-bs", examples="100")
    assert out.returncode == 0, out.stdout + out.stderr
    out = _run("--candidate", "flat_weights_then_biases_grads.py:Net.backward", "--attributes",
               "W1+W2+W3,b1+b2+b3", examples="30")
    assert out.returncode == 1 and "given --grads flat-Ws-bs: rerun with that option" in out.stdout, out.stdout


def test_attributes_of_list_items_take_any_slice():
    """layers[:-1].W: the items before an output layer's (which holds no parameters of its own)."""
    from compare.oracle.sandbox.forms import _items, place

    class Holder:
        layers = ["input", "hidden", "output", "loss"]

    assert _items(Holder, place("layers[1:].W")) == ["hidden", "output", "loss"]
    assert _items(Holder, place("layers[:-1].W")) == ["input", "hidden", "output"]
    assert _items(Holder, place("layers[1:-1]['W']")) == ["hidden", "output"]
    assert place("layers[1:-1]['W']").key and not place("layers[:-1].W").key


def test_two_hidden_lines_that_took_each_others_sigma_prime_are_named_as_two_one_layer_mistakes():
    """One equation's mistake at two layers alone is two lines of code: the layered search holds both (round 22)."""
    out = _run("--step", "step_hidden_sigma_primes_swapped_wrong.py", "--depth", "3", "--sizes", "*-4-4-*")
    assert out.returncode == 1, out.stdout + out.stderr
    assert ("[hidden_sigma_prime_of_input_at_layer_2 + hidden_sigma_prime_of_layer_above_at_layer_1] reproduced "
            "together, 2 mistakes") in out.stdout, out.stdout
