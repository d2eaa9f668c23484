"""What round twenty-three of held-out published code asked for (issue 21): a slip of one layer's update line
stacked on two published gradient mistakes, found by the layered step search; layer objects held one per
attribute, reached with a dotted --attributes path. Each would fail without its change."""

import pathlib

import oracle_cli

ROOT = pathlib.Path(__file__).resolve().parent.parent
CANDIDATES = ROOT / "tests" / "candidates"


def _run(option: str, candidate: str, *options: str, examples: str = "200"):
    return oracle_cli.run([option, str(CANDIDATES / candidate), "--examples", examples, "--progress", "off",
                           *options])


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
