"""What rounds seventy and on of held-out published code showed (issue 21, session 26). Each test would fail without
the change it names."""

import oracle_cli

_run = oracle_cli.run_candidate
_diagnosis = oracle_cli.diagnosis


def test_a_step_whose_hidden_updates_do_not_hear_the_layers_above_is_said_to_propagate_nothing_back():
    """Round 70's mroydeep: published code whose hidden layers are each updated from their own activation against
    the target got "no catalogued step mistake" and a pattern. Called again with the layers above redrawn, its
    hidden updates stay the same where the reference's change: that is said first."""
    d = _diagnosis(_run("--step", "step_no_backprop_own_target_error_wrong.py:step", "--call", "f(x, y, *params, eta)",
                        "--grads", "flat", "--weights", "in-out", "--biases", "none", "--batches-only",
                        "--sizes", "2-2-2-1", "--scale", "n_L*m", examples="60"))
    assert d.lstrip().startswith("- hidden layers 1, 2: the update is the same when every layer above is drawn anew"), d
    assert "no error is propagated back to them from the output" in d, d


def test_a_step_with_a_wrong_hidden_sigma_prime_is_not_said_to_propagate_nothing_back():
    """The probe's other side: a step that propagates the error back with a mistake of its own (sigma'(z) taken
    as sigma(z) at every hidden layer, not in the catalogue's step form here) hears the layers above."""
    d = _diagnosis(_run("--step", "step_no_backprop_own_target_error_wrong.py:step_heard", "--call",
                        "f(x, y, *params, eta)", "--grads", "flat", "--weights", "in-out", "--biases", "none",
                        "--batches-only", "--sizes", "2-2-2-1", "--scale", "n_L*m", examples="60"))
    assert "is the same when every layer above is drawn anew" not in d, d
