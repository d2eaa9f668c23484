"""What rounds thirty and thirty-one of held-out published code asked for (issue 21): a forward pass that hands z,
not sigma(z), up to the next layer; sigma' written sigma(z) sigma(1 - z); a bias step taken as the row sums of the
weights' step; a step diagnosis checked on failing steps beyond those it was searched on; the mistakes named on
the shallowest steps grown by one that acts from depth 2 on; a width not taken for written into the code from the
steps of one epoch. Each would fail without its change."""

import pathlib

import oracle_cli

from compare.oracle.cases.cases import Case
from compare.oracle.diagnosis.features import WIDTH_CASES, feature_counts
from compare.oracle.verdict.results import VALUE, Failure, Result

ROOT = pathlib.Path(__file__).resolve().parent.parent
BOTH = "[hidden_fed_z + sigma_prime_sigma_of_one_minus_z"


_run = oracle_cli.run_candidate


def test_a_forward_pass_handing_z_up_and_sigma_prime_of_one_minus_z_are_named_together():
    """Round 30's nnwork: two departures from the seed in one published step, neither catalogued before."""
    out = _run("--step", "step_hidden_fed_z_sigma_of_one_minus_z_wrong.py")
    assert out.returncode == 1, out.stdout + out.stderr
    assert f"{BOTH}] reproduced together, 2 mistakes of the gradient" in out.stdout, out.stdout


def test_an_update_order_invisible_on_every_step_searched_is_found_on_the_other_failing_steps():
    """Round 30's nnwork_m2: on one-example steps the update order shows only where eta is large; the two gradient
    mistakes reproduced every step searched, and only the other failing steps show the third."""
    out = _run("--step", "step_hidden_fed_z_updated_first_wrong.py", "--one-example", examples="500")
    assert out.returncode == 1, out.stdout + out.stderr
    assert f"{BOTH} + updated_next_first] reproduced together, 3 mistakes" in out.stdout, out.stdout


def test_the_mistakes_of_the_shallowest_steps_are_grown_by_one_acting_from_depth_two():
    """Round 30's nnwork_m1: the error's sign flipped on top of the two; at depth 2 all three act on the output
    layer at once, beyond the layered search; depth 1 names two of them, and one more makes every depth. The third
    is the error's sign ([sign]) or +eta ([plus_eta]): one step, W + eta grad W (plus_eta's own sentence says so);
    which the layered search meets first depends on the step it starts from."""
    out = _run("--step", "step_hidden_fed_z_ascent_wrong.py")
    assert out.returncode == 1, out.stdout + out.stderr
    assert (f"{BOTH} + plus_eta] reproduced together, 3 mistakes" in out.stdout
            or "[sign + hidden_fed_z + sigma_prime_sigma_of_one_minus_z] reproduced together, 3 mistakes"
            in out.stdout), out.stdout
    assert "each depth apart" not in out.stdout, out.stdout


def test_a_bias_step_taken_as_the_row_sums_of_the_weights_step_is_named_in_an_epoch():
    """Round 31's rowmlp: `del_b = np.sum(del_w, axis=0)` in a row layout."""
    out = _run("--epoch", "epoch_bias_row_sum_wrong.py", "--mini-batch", "1")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "[bias_times_input_sum] the step descends a gradient with this mistake" in out.stdout, out.stdout


def test_the_steps_of_one_epoch_count_as_one_case_of_a_width():
    """An epoch's mini-batch steps share their drawn case: WIDTH_CASES agreeing steps of one epoch of n_0 = 59 are
    one case, not a width written into the code (round 31's rowmlp), while as many drawn cases are."""
    bad = [Result(c, 0.0, Failure(c, VALUE, "")) for c in (Case((n, 3, 2), 4, 1.0, "float64", 99) for n in
                                                          (1, 2, 3, 5, 7, 9) * 20)]
    one_epoch = [Result(Case((59, 3, 2), 4, 1.0, "float64", 7), 0.1, None) for _ in range(WIDTH_CASES + 3)]
    drawn = [Result(Case((59, 3, 2), 4, 1.0, "float64", s), 0.1, None) for s in range(WIDTH_CASES)]
    assert not any(k.startswith("n_0 != 59") for k in feature_counts(one_epoch + bad))
    assert any(k.startswith("n_0 != 59") for k in feature_counts(drawn + bad))


def test_every_crash_site_is_said_not_only_the_smallest_cases():
    """A gradient and a step that raise AttributeError on every net and ValueError at another line on nets with a
    layer wider than 1: the report leads with the smallest case's crash and says the other site, its line and a
    case that shows it (round 31's colmlp: the constructor's crash was never said)."""
    for option, name in (("--candidate", "grad"), ("--step", "step")):
        out = _run(option, f"two_crash_sites_wrong.py:{name}", examples="100")
        assert out.returncode == 1, out.stdout + out.stderr
        assert "raised AttributeError at" in out.stdout, out.stdout
        assert "also raised ValueError at" in out.stdout and "two_crash_sites_wrong.py:16 (`if bias:" in \
            out.stdout, out.stdout


def test_a_hidden_layers_mistake_is_paired_with_the_update_order():
    """Round 32's bwprop_m3: the last input of each hidden unit skipped (a mistake of the hidden layers alone) and
    W^2 updated before delta^1 reads it, on one-output nets: on a 1-1-1 net the hidden layer does not move at all,
    and only a pair of a hidden layers' mistake with the update order reproduces the wider ones."""
    out = _run("--step", "step_last_input_skipped_updated_first_wrong.py", "--biases", "none", "--one-example",
               "--sizes", "*-*-1", examples="500")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "[gradW_last_input_skipped_hidden_layers + updated_next_first] reproduced together" in out.stdout, \
        out.stdout


def test_a_step_method_on_a_list_of_pairs_is_called_with_pairs():
    """`--call 'f(pairs, eta)'` under --step: a step's examples as Nielsen's list of (x, y) pairs, a batch's rows
    or one example (it was None outside --epoch, and the candidate raised)."""
    for one in ((), ("--one-example",)):
        out = _run("--step", "step_method_of_pairs.py:Net.train_batch", "--attributes", "W,b", "--call",
                   "f(pairs, eta)", *one)
        assert out.returncode == 0, out.stdout + out.stderr


def test_no_diagnosis_gives_the_verdict_and_the_first_failing_case_only():
    """--no-diagnosis: the exit status and the failing case as drawn, without the search (a wrong step's takes
    minutes: the mutation benchmark reads only the exit status)."""
    out = _run("--step", "step_hidden_fed_z_ascent_wrong.py", "--no-diagnosis")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "smallest failing case:" in out.stdout and "diagnosis:" not in out.stdout, out.stdout
    assert "reproduce: python -m compare --step" in out.stdout, out.stdout
    out = _run("--candidate", str(ROOT / "compare" / "controls" / "right_einsum.py"), "--no-diagnosis")
    assert out.returncode == 0, out.stdout + out.stderr
