"""What the eighth round of held-out published code asked for (issue 21): parameters kept one attribute per layer or
in layer objects, a learning rate given to the constructor, gradients returned as one flat tuple, a step named
under a cost convention it did not declare, and a file read by path that the sandbox hides. Each behaviour has a
look-alike in tests/candidates/ or a unit check here, and would fail without its fix."""

import pathlib

import numpy as np
import oracle_cli
import pytest

from compare.oracle.sandbox import forms
from compare.oracle.sandbox.layouts import Layout, arrange, from_candidate
from compare.oracle.sandbox.protection import BUBBLEWRAP, sandbox

ROOT = pathlib.Path(__file__).resolve().parent.parent
CANDIDATES = ROOT / "tests" / "candidates"
OWN_RATE = ("--make", "neuralNetwork(sizes[0], sizes[1], sizes[2], eta)", "--attributes", "wih+who",
            "--biases", "none", "--scale", "n_L", "--one-example")


_run = oracle_cli.run_candidate


def test_places_read_a_list_one_attribute_per_layer_or_an_attribute_of_each_item():
    """--attributes' three forms: W (a list), W1+W2 (one attribute per layer), layers[].W (each item's)."""
    assert forms.place("W") == forms.Place(forms.LIST, ("W",))
    assert forms.place("W1+W2") == forms.Place(forms.PER_LAYER, ("W1", "W2"))
    assert forms.place("layers[].W") == forms.Place(forms.ITEMS, ("layers", "W"))
    for bad in ("W1+W1", "layers[]", "1W", "a[].b[].c"):
        with pytest.raises(ValueError):
            forms.place(bad)


def test_a_step_method_with_its_rate_given_to_the_constructor_and_one_attribute_per_layer_passes():
    """A class that keeps wih and who, takes its learning rate in the constructor and trains with train(x, y):
    --make '...(eta)' gives it the case's eta, the method is called without it, and --attributes wih+who sets and
    reads its weights (and fixes the depth at 2)."""
    out = _run("--step", "per_layer_attributes_own_rate.py:neuralNetwork.train", *OWN_RATE)
    assert out.returncode == 0, out.stdout + out.stderr


def test_the_published_form_of_that_class_is_named_hidden_from_output_error():
    """The same class sending the bare output error back (the published form) fails, and the diagnosis names it."""
    out = _run("--step", "per_layer_attributes_bare_error_wrong.py:neuralNetwork.train", *OWN_RATE)
    assert out.returncode == 1 and "[hidden_from_output_error]" in out.stdout, out.stdout + out.stderr
    assert "--depth 2" in out.stdout, out.stdout          # the reproduce line carries the depth the names fix


def test_per_layer_attributes_refuse_a_depth_they_do_not_name():
    out = _run("--step", "per_layer_attributes_own_rate.py:neuralNetwork.train", *OWN_RATE, "--depth", "3")
    assert out.returncode == 2 and "names 2 layers" in out.stderr, out.stderr


def test_eta_in_make_is_refused_for_a_gradient():
    """A gradient has no learning rate: --make using eta with --candidate is a usage error."""
    out = _run("--candidate", "layer_objects.py:Net.gradient", "--make", "Net(sizes, eta)")
    assert out.returncode == 2 and "eta is the learning rate of --step and --epoch" in out.stderr, out.stderr


def test_parameters_kept_in_layer_objects_are_set_and_the_gradient_passes():
    """--attributes layers[].W,layers[].b sets each layer object's W and b (the object builds its layers from
    sizes); without it the run fails with the note that names --attributes."""
    out = _run("--candidate", "layer_objects.py:Net.gradient", "--attributes", "layers[].W,layers[].b")
    assert out.returncode == 0, out.stdout + out.stderr
    out = _run("--candidate", "layer_objects.py:Net.gradient", examples="20")
    assert out.returncode == 1 and "--attributes" in out.stdout + out.stderr, out.stdout + out.stderr


def test_flat_gradients_are_arranged_and_read_back_in_layer_order():
    """--grads flat is [W1, b1, W2, b2, ...] in and out; flat-bW [b1, W1, ...]."""
    W1, b1, W2, b2 = np.ones((2, 3)), np.zeros(2), np.ones((1, 2)), np.zeros(1)
    assert [a is b for a, b in zip(arrange([W1, W2], [b1, b2], "flat"), [W1, b1, W2, b2])] == [True] * 4
    assert [a is b for a, b in zip(arrange([W1, W2], [b1, b2], "flat_bW"), [b1, W1, b2, W2])] == [True] * 4
    read = from_candidate((b1, W1, b2, W2), Layout(grads="flat_bW"))
    assert read[0][0] is W1 and read[1][1] is b2


def test_a_flat_tuple_of_gradients_is_read_with_grads_flat_and_named_by_the_layout_hint_without_it():
    """return dW1, db1, dW2, db2: with --grads flat it passes; without it the report names --grads flat and does
    not claim a layer was skipped."""
    opts = ("--attributes", "W1+W2,b1+b2")
    out = _run("--candidate", "per_layer_attributes_flat_grads.py:Net.backward", *opts, "--grads", "flat")
    assert out.returncode == 0, out.stdout + out.stderr
    out = _run("--candidate", "per_layer_attributes_flat_grads.py:Net.backward", *opts, examples="20")
    assert out.returncode == 1 and "--grads flat" in out.stdout, out.stdout
    assert "layer_skipped" not in out.stdout, out.stdout


def test_a_step_with_an_undeclared_convention_and_a_mistake_is_named_with_both():
    """A step whose cost omits 1/n_L (undeclared) and that keeps only the last example's gradient: no mistake
    reproduces it at K = 1, so the search is rerun under the usual conventions' constants (before pairs of
    gradient mistakes, which would read it as missing_inv_nL + the mistake); it is named, with K."""
    out = _run("--step", "step_last_example_convention_wrong.py", "--data", "columns", "--biases", "column")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "[batch_last_example_over_m]" in out.stdout and "constant K = n_L" in out.stdout, out.stdout
    out = _run("--step", "step_last_example_convention_wrong.py", "--data", "columns", "--biases", "column",
               "--scale", "n_L")
    assert "[batch_last_example_over_m]" in out.stdout and "constant K =" not in out.stdout, out.stdout


@pytest.mark.skipif(sandbox().kind != BUBBLEWRAP, reason="the hint is about bubblewrap's fresh /tmp")
def test_a_file_the_sandbox_hides_gets_the_same_hint_as_a_module(tmp_path):
    """Glue that loads its code by path (importlib's spec_from_file_location) from a sibling folder under /tmp
    gets a FileNotFoundError under bubblewrap; the error says which folders the worker sees."""
    (tmp_path / "lib").mkdir()
    (tmp_path / "glue").mkdir()
    (tmp_path / "lib" / "their_net.py").write_text("def grad(params, x, y):\n    return params\n")
    glue = tmp_path / "glue" / "g.py"
    glue.write_text("import importlib.util as u\n"
                    f"s = u.spec_from_file_location('their_net', {str(tmp_path / 'lib' / 'their_net.py')!r})\n"
                    "m = u.module_from_spec(s)\ns.loader.exec_module(m)\ngrad = m.grad\n")
    out = oracle_cli.run(["--candidate", str(glue), "--examples", "5", "--progress", "off"])
    assert out.returncode == 2 and "FileNotFoundError" in out.stderr, out.stderr
    assert "the worker's sandbox shows of /tmp only" in out.stderr, out.stderr


def test_a_step_method_without_a_rate_parameter_is_called_without_one_and_its_own_rate_is_read():
    """train(self, x, y) using self.lr: called as obj.train(x, y); with the drawn etas every step fails and the
    diagnosis reads its rate off the steps, 0.1, with the --eta that declares it; with --eta 0.1 it passes."""
    out = _run("--step", "step_method_own_rate.py:Net.train", "--one-example")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "[own_rate] the step moves at a rate of its own, 0.1," in out.stdout, out.stdout
    assert "--eta 0.1" in out.stdout, out.stdout
    out = _run("--step", "step_method_own_rate.py:Net.train", "--one-example", "--eta", "0.1")
    assert out.returncode == 0, out.stdout + out.stderr


def test_room_for_a_rate_is_read_off_the_signature():
    """Only a signature with exactly the data's positional parameters and no *args is called without eta."""
    def two(x, y): ...
    def three(x, y, lr): ...
    def rest(x, y, *more): ...
    def keyword(x, y, *, lr=0.1): ...
    assert [forms._has_room_for_rate(f, 2) for f in (two, three, rest, keyword)] == [False, True, True, False]


def test_a_method_with_its_own_signature_is_checked_as_an_epoch_through_call():
    """train(data, y, learn_rate=..., epochs=...): --call 'f(x, y, learn_rate=eta, epochs=1)' calls it on each
    mini-batch of one, and it passes; called the usual way, obj.train(pairs, eta), it fails."""
    opts = ("--weights", "in-out", "--biases", "row", "--mini-batch", "1", "--scale", "2*n_L")
    out = _run("--epoch", "epoch_method_own_call.py:NeuralNetwork.train", "--call",
               "f(x, y, learn_rate=eta, epochs=1)", *opts, examples="60")
    assert out.returncode == 0, out.stdout + out.stderr
    out = _run("--epoch", "epoch_method_own_call.py:NeuralNetwork.train", *opts, examples="10")
    assert out.returncode == 1, out.stdout + out.stderr


def test_call_expressions_are_read_before_anything_runs():
    """A call expression must call f; a gradient's may not use eta, k or pairs."""
    assert forms.check_call("f(x, y, learn_rate=eta)", update=True) == "f(x, y, learn_rate=eta)"
    for expr, update in (("g(x, y)", True), ("f(x, y, eta)", False), ("f(x, y", True)):
        with pytest.raises(ValueError):
            forms.check_call(expr, update)


def test_call_passes_arguments_in_the_order_the_candidate_wants(tmp_path):
    """backprop(x, y, params), the arguments in another order: --call 'f(x, y, params)' checks it (and it passes)."""
    cand = tmp_path / "reordered.py"
    source = (CANDIDATES / "layer_objects.py").read_text()
    cand.write_text(source + "\n\ndef backprop(x, y, params):\n    net = Net([params[0][0].shape[1]] + "
                    "[W.shape[0] for W, _ in params])\n    for layer, (W, b) in zip(net.layers, params):\n"
                    "        layer.W, layer.b = W, b\n    return net.gradient(x, y)\n")
    out = oracle_cli.run(["--candidate", f"{cand}:backprop", "--call", "f(x, y, params)", "--examples", "50",
                          "--progress", "off"], cwd=tmp_path)
    assert out.returncode == 0, out.stdout + out.stderr
    out = oracle_cli.run(["--candidate", f"{cand}:backprop", "--examples", "5", "--progress", "off"], cwd=tmp_path)
    assert out.returncode == 1, out.stdout + out.stderr


def test_sigma_prime_of_z_is_named_on_steps_that_overflow_float32():
    """sigma'(z) written z (1 - z) overflows float32 on saturated units: the epoch's steps go to inf and NaN. The
    step recomputation makes such a mistake in the case's dtype and counts an overflow where the candidate's is
    (NaN for NaN, the same inf) as reproduced, so the run is named rather than left uncatalogued."""
    out = _run("--epoch", "epoch_sigma_prime_of_z_wrong.py", "--dtype", "float32", "--mini-batch", "1",
               examples="300")
    assert out.returncode == 1 and "nonfinite" in out.stdout, out.stdout + out.stderr
    assert "[sigma_prime_of_z]" in out.stdout, out.stdout


def test_two_gradient_mistakes_in_a_step_are_named_together():
    """A per-example buffer assigned (=) and sigma'(a) in the hidden layers: neither alone reproduces the steps,
    nor any (gradient, update) pair; the pair of gradient mistakes does, and is named as such."""
    out = _run("--step", "step_last_example_sigma_of_a_wrong.py", "--data", "columns", "--biases", "column")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "[hidden_sigma_prime_of_a + batch_last_example_over_m] reproduced together" in out.stdout, out.stdout


def test_a_convention_of_two_factors_and_one_mistake_is_named_with_its_constant():
    """sum_j (a - y)^2 (K = 2 n_L, undeclared) with sigma'(a) in the hidden layers: named as the one mistake under
    K = 2 n_L, not as a pair of gradient mistakes under K = n_L."""
    out = _run("--step", "step_convention_sigma_of_a_wrong.py")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "constant K = 2*n_L" in out.stdout and "[hidden_sigma_prime_of_a] the step" in out.stdout, out.stdout


def test_a_published_bare_error_with_a_sigma_prime_mistake_on_top_is_named_as_the_pair():
    """Two mistakes of two equations at once (the bare output error sent down, and z (1 - z) for the hidden
    sigma'): the last tier tries every pair of distinct slots and names it."""
    out = _run("--step", "per_layer_attributes_bare_error_sigma_of_z_wrong.py:neuralNetwork.train", *OWN_RATE)
    assert out.returncode == 1, out.stdout + out.stderr
    assert "+ hidden_sigma_prime_of_z] reproduced together" in out.stdout, out.stdout
    from compare.oracle.diagnosis.mistakes import distinct_lines
    assert distinct_lines(("hidden_from_output_error", "hidden_sigma_prime_of_z"))
    assert not distinct_lines(("sigma_prime_of_a", "sigma_prime_of_z"))


def test_the_attributes_note_is_not_printed_for_a_class_defined_in_another_file(tmp_path):
    """Glue that re-exports a class from the file beside it: the note reads only the glue's text, which defines no
    class, so it says nothing (it used to say the class never reads self.weights)."""
    (tmp_path / "their_net.py").write_text(
        (CANDIDATES / "layer_objects.py").read_text().replace("self.layers = [", "self.weights = None\n"
                                                              "        self.layers = ["))
    (tmp_path / "glue.py").write_text("from their_net import Net  # noqa: F401\n")
    out = oracle_cli.run(["--candidate", str(tmp_path / "glue.py") + ":Net.gradient", "--examples", "5",
                          "--progress", "off"], cwd=tmp_path)
    assert out.returncode == 1, out.stdout + out.stderr
    assert "note: the oracle sets" not in out.stdout + out.stderr, out.stdout + out.stderr
    out = oracle_cli.run(["--candidate", str(tmp_path / "their_net.py") + ":Net.gradient", "--examples", "5",
                          "--progress", "off"], cwd=tmp_path)
    assert out.returncode == 1 and "note: the oracle sets" not in out.stdout + out.stderr   # it reads self.weights


def test_a_call_expression_sees_the_names_of_the_glue_file_in_an_update(tmp_path):
    """--call in a --step run is evaluated with the candidate file's own names (a helper defined or imported in
    the glue), as --make is, not only those of the module that defines the method."""
    (tmp_path / "their_net.py").write_text((CANDIDATES / "step_method_own_rate.py").read_text())
    (tmp_path / "glue.py").write_text("from their_net import Net  # noqa: F401\n\n\ndef flat(v):\n"
                                      "    return v.reshape(-1)\n")
    out = oracle_cli.run(["--step", str(tmp_path / "glue.py") + ":Net.train", "--call", "f(flat(x), flat(y))",
                          "--one-example", "--eta", "0.1", "--examples", "30", "--progress", "off"], cwd=tmp_path)
    assert out.returncode == 0, out.stdout + out.stderr


def test_one_wrong_element_of_a_one_element_array_is_not_called_an_element_alone():
    """A 1 x 1 grad W whose element is wrong: the only element of its array; no one_element claim."""
    from compare.oracle.cases.cases import Case
    from compare.oracle.diagnosis.diagnose import lone_element_line
    from compare.oracle.verdict.results import VALUE, Failure, LayerValues

    one = np.ones((1, 1))
    arrays = (LayerValues(one * 2, one, one * 1e-16, np.ones(1), np.ones(1), np.ones(1) * 1e-16),)
    case = Case((1, 1), 0, 1.0, "float64", 0)
    f = Failure(case, VALUE, "x", layer=1, array="W", index=(0, 0), ratio=1e16, arrays=arrays)
    key, line = lone_element_line(f, f)
    assert key is None and "the only element of its array" in line, line


def test_a_step_that_keeps_one_example_of_a_batch_it_shuffles_is_named():
    """Assigning where it must add over a batch the step shuffles itself: the surviving example is not the last
    given, so batch_last_example_over_m does not reproduce it; one example of the batch alone, over m, does."""
    out = _run("--step", "step_shuffled_assigns_wrong.py")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "[batch_one_example_over_m]" in out.stdout, out.stdout


def test_code_that_subtracts_its_bias_passes_with_negated_bias_and_is_told_so_without_it():
    """z = W a - B: --negated-bias hands it B = -b and reads -dC/dB back, and it passes; without the option its
    values fail everywhere, and the report names the option the failing cases agree under."""
    out = _run("--candidate", "negated_bias.py", "--negated-bias")
    assert out.returncode == 0, out.stdout + out.stderr
    out = _run("--candidate", "negated_bias.py", examples="50")
    assert out.returncode == 1 and "all agree when the candidate is given --negated-bias" in out.stdout, out.stdout


def test_an_output_layer_variant_acts_on_layer_L_alone_whatever_L_is():
    """{key}_output_layer makes the mistake in the output layer alone: at depth 3 grad W^3 is the whole-network
    mistake's, and the layers below (whose deltas come from that delta^3 through right sigma's) are neither the
    right ones nor the whole-network mistake's; at depth 1 it is the whole-network mistake."""
    from compare.oracle.diagnosis.mistakes import BROADER, ONE_LAYER, recompute

    rng = np.random.default_rng(0)
    for sizes in ((3, 4, 2, 2), (3, 2)):
        params = [(rng.normal(size=(b, a)), rng.normal(size=b)) for a, b in zip(sizes, sizes[1:])]
        x, y = rng.normal(size=(5, sizes[0])), rng.uniform(size=(5, sizes[-1]))
        right, whole = recompute(params, x, y), recompute(params, x, y, ("sigma_prime_of_z",))
        out = recompute(params, x, y, ("sigma_prime_of_z_output_layer",))
        L = len(params)
        assert np.allclose(out[-1][0], whole[-1][0]) and not np.allclose(out[-1][0], right[-1][0])
        for l in range(L - 1):
            assert not np.allclose(out[l][0], whole[l][0]) and not np.allclose(out[l][0], right[l][0])
    assert "sigma_prime_of_z_output_layer" in ONE_LAYER
    assert "sigma_prime_of_a_output_layer" not in ONE_LAYER          # output_sigma_prime_of_a says it already
    assert BROADER["sigma_prime_of_z_at_layer_2"] == ("sigma_prime_of_z_output_layer", "sigma_prime_of_z")


def test_a_factor_mistake_is_not_claimed_under_another_convention():
    """Under another convention's constant a mere factor trades off against it (K = 2 n_L with a layer's step
    halved is n_L on one layer): the undeclared-convention search claims no such mistake, only those that change
    more than a constant (a batch mistake that drops examples stays claimable)."""
    from compare.oracle.diagnosis.stepmistakes import is_factor

    assert any(is_factor(k) for k in ("sigma_exp_overflow", "output_layer_half"))
    assert is_factor("eta_twice") and is_factor("sum_not_mean")
    assert not is_factor("batch_last_example_over_m") and not is_factor("hidden_sigma_prime_of_a")


def test_a_zero_gradient_on_a_saturated_case_also_names_a_sigma_that_returns_exactly_0_or_1():
    """grad W^1 exactly 0 on a saturated case: besides a layer never written, the line names sigma' computed as
    exactly 0 there (a published sigma returned the int 0 on overflow and np.vectorize made the layer int); on an
    ordinary case it does not."""
    from compare.oracle.cases.cases import Case
    from compare.oracle.diagnosis.diagnose import _where
    from compare.oracle.verdict.results import VALUE, Failure, LayerValues

    zero, one = np.zeros((2, 2)), np.ones((2, 2))
    arrays = (LayerValues(zero, one, one * 1e-9, np.zeros(2), np.ones(2), np.ones(2) * 1e-9),)
    for scale, said in ((400.0, True), (1.0, False)):
        case = Case((2, 2), 0, scale, "float64", 0)
        line = _where(Failure(case, VALUE, "x", layer=1, array="W", index=(0, 0), arrays=arrays))["zero"]
        assert ("sigma' computed as exactly 0" in line) is said, line


def test_a_scale_may_use_the_input_width_for_a_loss_divided_by_x_size():
    """--scale '2*n_L/n_0' (a loss divided by x.size = n_0 m, summed over the units) reads n_0 off each case."""
    from compare.oracle.cases.cases import Case
    from compare.oracle.verdict.constants import parse_scale

    k = parse_scale("2*n_L/n_0")
    assert k(Case((4, 3, 2), 0, 1.0, "float64", 0)) == 1.0
    assert k(Case((8, 3, 2), 5, 1.0, "float64", 0)) == 0.5
    with pytest.raises(ValueError):
        parse_scale("n_1")
