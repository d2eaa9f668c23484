"""What rounds fifty-six and fifty-seven of held-out published code showed (issue 21, session 24). Each test would
fail without the change it names."""

import pathlib

import oracle_cli

ROOT = pathlib.Path(__file__).resolve().parent.parent
CANDIDATES = ROOT / "tests" / "candidates"


def _run(option: str, candidate: str, *options: str, examples: str = "200"):
    return oracle_cli.run([option, str(CANDIDATES / candidate), "--examples", examples, "--progress", "off",
                           *options])


def _diagnosis(out) -> str:
    assert out.returncode == 1, out.stdout + out.stderr
    return out.stdout.split("diagnosis:")[1]


def test_the_output_layer_updated_first_is_named_beside_a_bias_lines_slip():
    """Round 56's red344_m3: W^3 updated before the hidden error is propagated through it (the lower recurrences
    right), in code whose bias lines leave eta out. The layered search tried the update order of every layer only,
    and said "no catalogued step mistake" with a pattern."""
    d = _diagnosis(_run("--step", "step_output_updated_first_bias_no_eta_wrong.py", "--min-depth", "3",
                        "--one-example"))
    assert d.lstrip().startswith("- [updated_output_first + bias_no_eta] reproduced together"), d


def test_a_hidden_derivative_with_its_sign_flipped_is_named():
    """Round 57's weka_m2: db_h = dsigma_h * sigma_h * (sigma_h - 1), the hidden layer's gradient negated. Said as
    "per-layer ratio -1" and "no catalogued mistake"."""
    d = _diagnosis(_run("--candidate", "hidden_sigma_prime_negated_wrong.py:backprop", "--call",
                        "f(x, y, params[2], params[3], params[0], params[1])", "--grads", "flat", "--grads-reversed",
                        "--data", "columns", "--biases", "column", "--one-example", "--depth", "2", "--scale=-n_L"))
    assert d.lstrip().startswith("- [hidden_sigma_prime_negated] reproduced"), d
