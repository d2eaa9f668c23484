"""What rounds fifty and fifty-one of held-out published code showed (issue 21): a product element by element
where the outer one belongs, sigma' summed over a layer's units, a slip in one unit's own line of code written per
weight (beside the output weights updated first), a hint that pointed at the recurrence where the delta was right,
and globals() in a constructor expression. Each test would fail without the change it names."""

import pathlib

import oracle_cli

ROOT = pathlib.Path(__file__).resolve().parent.parent
CANDIDATES = ROOT / "tests" / "candidates"


_run = oracle_cli.run_candidate
_diagnosis = oracle_cli.diagnosis


def test_an_elementwise_product_where_the_outer_belongs_is_named_beside_the_bare_error():
    """Round 50's bertrand: the hidden line -Err @ Wo * h * (1 - h) * x, the bare error sent back and multiplied by
    x element by element, that vector broadcast onto every row of W1. Located at the hidden layer, never named."""
    d = _diagnosis(_run("--step", "step_bare_error_times_input_wrong.py", "--biases", "none", "--sizes", "4-4-2",
                        "--one-example", "--scale", "n_L"))
    assert "- [hidden_from_output_error + gradW_elementwise] reproduced together" in d, d


def test_sigma_prime_summed_over_the_layers_units_is_named_in_every_layer():
    """Round 51's net3b1b: sigDif = np.matmul(a.T, 1 - a), one number for the layer, used in delta, grad W, grad b
    and the recurrence. "No catalogued step mistake" on every run."""
    d = _diagnosis(_run("--step", "step_sigma_prime_summed_wrong.py", "--one-example", "--scale", "2*n_L"))
    assert d.lstrip().startswith("- [sigma_prime_summed] the step descends a gradient with this mistake"), d


def test_an_output_units_error_read_with_another_units_activation_is_named_beside_the_update_order():
    """Round 51's sk_m1: error_o2 = o1_out - o2 in code written per weight that updates w5..w8 before the hidden
    errors read them. Nothing was said but "no catalogued step mistake", not even a pattern."""
    d = _diagnosis(_run("--step", "step_per_weight_output_error_other_unit_wrong.py", "--sizes", "2-2-2",
                        "--one-example", "--biases", "none", "--scale", "n_L"))
    assert d.lstrip().startswith("- [one_unit_line + updated_next_first] output unit 1 of layer 2 alone: its error "
                                 "written a^2_0 - y_1 where a^2_1 - y_1 belongs"), d


def test_a_hidden_units_error_missing_one_term_is_named_beside_the_update_order():
    """Round 51's sk_m2: dE_dh1_out without the o2 term, the output weights updated first. Located at the hidden
    layer only, as if the recurrence as a whole were wrong."""
    d = _diagnosis(_run("--step", "step_per_weight_hidden_term_missing_wrong.py", "--sizes", "2-2-2",
                        "--one-example", "--biases", "none", "--scale", "n_L"))
    assert d.lstrip().startswith("- [one_unit_line + updated_next_first] hidden unit 0 of layer 1 alone: its error "
                                 "missing the term of unit 1 of layer 2"), d


def test_a_right_bias_beside_wrong_weights_points_at_the_layers_input_not_the_recurrence():
    """Round 51's jmasis: the hidden grad W multiplies its delta by a fixed (0, 1) where x belongs. The hint said
    to look at the recurrence, which a right b^l rules out."""
    d = _diagnosis(_run("--step", "step_hidden_gradW_fixed_input_wrong.py", "--sizes", "2-*-1", "--one-example"))
    assert "hidden layer 1: W is wrong, b is right; where b is right and W is wrong, delta^l is right" in d, d
    assert "the recurrence" not in d, d


def test_globals_in_a_constructor_expression_is_the_files_own_namespace(tmp_path):
    """Round 51's orav1a: a class that reads a module-level width set by the script around it. globals() inside
    --make was a copy of the file's names, so setting one there changed nothing the class saw."""
    f = tmp_path / "net.py"
    f.write_text(
        "import numpy as np\n"
        "WIDTH = None\n\n\n"
        "class Net:\n"
        "    def __init__(self, sizes):\n"
        "        assert WIDTH == sizes[1], 'WIDTH is set by the script that builds the net'\n"
        "        self.W = [np.zeros((n, m)) for m, n in zip(sizes[:-1], sizes[1:])]\n"
        "        self.b = [np.zeros(n) for n in sizes[1:]]\n\n"
        "    def grad(self, x, y):\n"
        "        a = [x]\n"
        "        for W, b in zip(self.W, self.b):\n"
        "            a.append(0.5 + 0.5 * np.tanh(0.5 * (W @ a[-1] + b)))\n"
        "        d = (a[-1] - y) * a[-1] * (1 - a[-1]) / len(y)\n"
        "        out = []\n"
        "        for l in range(len(self.W), 0, -1):\n"
        "            out.append((np.outer(d, a[l - 1]), d))\n"
        "            d = self.W[l - 1].T @ d * a[l - 1] * (1 - a[l - 1])\n"
        "        return out[::-1]\n")
    out = oracle_cli.run(["--candidate", f"{f}:Net.grad", "--make",
                          '[globals().__setitem__("WIDTH", sizes[1]), Net(sizes)][1]', "--attributes", "W,b",
                          "--one-example", "--examples", "50", "--progress", "off"])
    assert out.returncode == 0, out.stdout + out.stderr


def test_one_output_units_sign_flipped_is_named_at_that_unit():
    """Round 52's ailab_m2: dE_dy2 = T2 - y2 (the minus dropped) in a script written per weight: nothing but
    "no catalogued step mistake reproduces this"."""
    d = _diagnosis(_run("--step", "step_per_weight_one_output_sign_wrong.py", "--sizes", "2-2-2", "--one-example",
                        "--biases", "none", "--scale", "n_L"))
    assert d.lstrip().startswith("- [one_unit_line] output unit 1 of layer 2 alone: its error's sign flipped"), d


def test_one_hidden_unit_reading_the_updated_weights_is_named_at_that_unit():
    """Round 52's ailab_m3: delta_H1 reads w5_new, w7_new, the other hidden unit the weights the forward pass used.
    Located at the hidden layer ("moves 0.999999 times as far"), not at the unit, and not named."""
    d = _diagnosis(_run("--step", "step_per_weight_one_unit_reads_updated_wrong.py", "--sizes", "2-2-2",
                        "--one-example", "--biases", "none", "--scale", "n_L"))
    assert d.lstrip().startswith("- [one_unit_line] hidden unit 0 of layer 1 alone: its error read through the "
                                 "W^(l+1) already updated"), d


def test_a_step_that_subtracts_each_examples_term_one_at_a_time_is_right():
    """Round 52's nagesh, its sigma' mended: for num in z_del: bias -= lr * num is the batch's sum done by the
    update, m roundings of b. The step tolerance allowed one: 17 of 500 right steps failed (311 of 2,000 of this
    control, whose W is updated so too), and the report blamed the layout."""
    out = oracle_cli.run(["--step", str(ROOT / "compare" / "controls" / "steps" / "right_per_example_update.py"),
                          "--examples", "1000", "--progress", "off"])
    assert out.returncode == 0, out.stdout + out.stderr


def test_a_gradient_with_an_empty_array_is_a_shape_failure_not_a_dead_process(tmp_path):
    """A grad W of shape (n_l, 0) (round 52's momentum buffer one column short, on a 1-wide input) killed the
    worker as it sent the reply (a memoryview of a zero-size array cannot be cast), and the report said the
    candidate's process ended, or that it hangs."""
    f = tmp_path / "empty.py"
    f.write_text("import numpy as np\n\n\ndef grad(params, x, y):\n"
                 "    return [(np.zeros((W.shape[0], 0)), b * 0) for W, b in params]\n")
    d = _diagnosis(oracle_cli.run(["--candidate", str(f), "--one-example", "--examples", "20", "--progress", "off"]))
    assert d.lstrip().startswith("- a gradient has the wrong shape"), d
    assert "process ended" not in d and "hangs" not in d, d


def test_code_that_runs_at_one_width_alone_says_so():
    """Round 52's harris: a momentum buffer sized (n_l, n_(l-1) - 1) broadcasts only where every layer below the
    output is 2 wide (its author's XOR net). The report gave the raising line alone."""
    out = oracle_cli.run(["--candidate", str(CANDIDATES / "momentum_buffer_width_off_wrong.py"), "--one-example",
                          "--examples", "500", "--progress", "off"])
    d = _diagnosis(out)
    assert "every case that ran has every n_l below the output (n_0 .. n_(L-1)) = 2, and every case that raised" \
        in d, d


def test_the_output_update_without_sigma_prime_beside_a_right_recurrence_is_one_mistake():
    """Round 53's pwong_m2: dW_2 written without dsig(pred_out), the dW_1 line computing its own output delta
    with it. Named as two mistakes, one of them (sigma'(z^L) applied again in the hidden line) not in the code."""
    d = _diagnosis(_run("--step", "step_output_update_without_sigma_prime_wrong.py", "--batches-only", "--depth", "2",
                        "--scale", "n_L*m"))
    assert d.lstrip().startswith("- [output_update_before_sigma_prime] the step descends a gradient"), d


def test_an_exception_in_the_make_expression_says_so(tmp_path):
    """Round 54's jcole: a --make expression that indexed past its own list raised IndexError, reported with no file
    or line, so the user searched their own code for it."""
    f = tmp_path / "net.py"
    f.write_text("class Net:\n    def __init__(self, sizes):\n        self.sizes = sizes\n\n"
                 "    def grad(self, x, y):\n        return []\n")
    out = oracle_cli.run(["--candidate", f"{f}:Net.grad", "--make", "[Net(sizes)][1]", "--one-example",
                          "--examples", "10", "--progress", "off"])
    assert out.returncode == 1, out.stdout + out.stderr
    assert "raised IndexError in the --make expression: list index out of range" in out.stdout, out.stdout


def test_code_written_for_one_depth_is_pointed_at_that_depth():
    """Round 54's devansh without --depth 2: the report led with the TypeError of the call on every other depth and
    said nothing of depth."""
    options = ("--call", "f(x, y, *params, eta)", "--grads", "flat", "--weights", "in-out", "--biases", "row",
               "--batches-only", "--scale", "n_L*m")
    d = _diagnosis(_run("--step", "step_two_layers_loose_arrays.py", *options))
    assert "every case that ran has depth 2, and every case that raised" in d and "--depth 2 checks it" in d, d
    right = _run("--step", "step_two_layers_loose_arrays.py", *options, "--depth", "2")
    assert right.returncode == 0, right.stdout + right.stderr


def test_a_bias_before_sigma_prime_beside_the_bare_error_is_named_with_it():
    """Round 54's xorr_m3: the hidden bias stepped with the hidden error before sigma', in code that sends the
    bare output error down. The recomputation took the error before sigma' from the right delta, not the bare one
    the code sends, so the pair reproduced nothing."""
    d = _diagnosis(_run("--step", "step_bare_error_bias_before_sigma_prime_wrong.py", "--one-example", "--depth",
                        "2"))
    assert d.lstrip().startswith("- [hidden_from_output_error + bias_before_sigma_prime_hidden_layers] reproduced "
                                 "together"), d


def test_a_fixed_vector_where_the_layers_input_belongs_is_read_off_the_steps():
    """Round 51's jmasis, its four runs: grad W^1 = delta (0, 1)^T whatever x. Every row of its move lies along
    (0, 1) on every step, which the report now says, with the vector."""
    d = _diagnosis(_run("--step", "step_hidden_gradW_fixed_input_wrong.py", "--sizes", "2-*-1", "--one-example"))
    assert "grad W^1 moves along one fixed vector, (0, 1) up to scale, on each of the 8 failing steps tried" in d, d


def test_at_depth_1_one_mistake_is_named_once():
    """Round 55's arslanex: sigma' of a at depth 1 without biases, named with gradW_sigma_prime_of_a beside it as an
    equal reading (and round 52's nagesh with output_sigma_prime_of_a): at depth 1 they are one mistake."""
    d = _diagnosis(_run("--step", "step_sigma_prime_of_a_depth_one_wrong.py", "--biases", "none", "--depth", "1"))
    assert d.lstrip().startswith("- [sigma_prime_of_a] the step descends"), d
    assert "equally" not in d, d


def test_an_epoch_whose_last_steps_are_kept_apart_is_diagnosed_without_crashing():
    """Round 55's gyps_m3: the check that the last mini-batch's mistake shows elsewhere too recomputed it with the
    first last step's rows on every other step, whatever its sizes, and the diagnosis failed (a matmul of
    mismatched shapes)."""
    d = _diagnosis(_run("--epoch", "epoch_plus_eta_wrong.py", "--mini-batch", "3", examples="500"))
    assert d.lstrip().startswith("- [plus_eta] the step climbs the cost"), d
    assert "diagnosis failed" not in d, d


def test_a_last_mini_batch_step_the_main_mistake_reproduces_gets_no_mistake_of_its_own():
    """Round 55's gyps_m2: a bias summed over the mini-batch; one float32 step of the last mini-batch was also
    reproduced by padding to k, and the report named that padding, which the code does not do."""
    d = _diagnosis(_run("--epoch", "epoch_bias_summed_wrong.py", "--mini-batch", "3", examples="500"))
    assert d.lstrip().startswith("- [bias_summed] the step descends"), d
    assert "last_padded" not in d, d


def test_weights_clipped_after_the_step_are_read_and_searched_through():
    """Round 55's prio x4: np.clip(w, -4, 4) after each step. "W moves 14994.3 times as far" and no name; now the
    bound is read off the steps (the same largest |W'| on steps of different cases), the right step clipped so is
    the candidate's, and a mistake beside the clip is named through it."""
    d = _diagnosis(_run("--step", "step_weights_clipped_wrong.py", examples="300"))
    assert d.lstrip().startswith("- on the failing steps tried, no new weight exceeds 4 in magnitude"), d
    assert "the steps tried are the right ones, so the clip is what fails" in d, d
    d = _diagnosis(_run("--step", "step_weights_clipped_sigma_prime_of_z_wrong.py", examples="300"))
    assert "- [hidden_sigma_prime_of_z] the step descends a gradient with this mistake" in d, d


def test_a_bias_left_out_beside_a_wrong_shape_is_not_said_to_be_right():
    """Round 56's gcreus_m3: b of the wrong shape is left out of the comparison, and the pattern line said "b is
    right" of a bias that moved without eta; nor is a mistake "nearly" claimed that matches no compared element."""
    d = _diagnosis(_run("--step", "step_bias_column_shape_weights_scaled_wrong.py", "--one-example"))
    assert "b is right" not in d and "nearly" not in d, d
