"""What round thirty-four of held-out published code asked for (issue 21), and what round thirty-three left: equally
reproduced combinations that make the same step on every failing step checked said to be one code at those sizes.
Each would fail without its change."""

import pathlib

import oracle_cli

ROOT = pathlib.Path(__file__).resolve().parent.parent
CANDIDATES = ROOT / "tests" / "candidates"


def _run(option: str, candidate: str, *options: str, examples: str = "200"):
    return oracle_cli.run([option, str(CANDIDATES / candidate), "--examples", examples, "--progress", "off",
                           *options])


def test_combinations_that_make_the_same_step_at_the_fixed_sizes_are_said_to_be_one_code_there():
    """Round 33's xorbp_m3: at the fixed sizes 2-2-1 the whole network's sigma'(a) with X for the hidden
    activation, and its output layer's twin, make the same step; the report says no case of those sizes separates
    them instead of asking for one."""
    out = _run("--step", "step_fixed_xor_sigma_prime_of_a_input_for_hidden_wrong.py", "--sizes", "2-2-1")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "equally reproduced by 2 combinations: they make the same step on each of" in out.stdout, out.stdout
    assert "so no case of those sizes separates them" in out.stdout, out.stdout
    assert "[sigma_prime_of_a + gradW_uses_activation_below]" in out.stdout, out.stdout


def test_a_folded_first_delta_slice_over_z_keeps_the_bias_units_sigma_prime_of_one():
    """Round 32's linkedlayers_m3: sigma' taken of [1; z], so the slice [:-1] hands the first hidden unit the bias
    unit's b . delta * sigma'(1), not the 0 of sigma' written a (1 - a); with the published update order."""
    out = _run("--step", "step_folded_first_slice_of_z_updated_first_wrong.py", "--biases", "folded-first",
               "--one-example", examples="500")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "[folded_first_delta_slice_of_z + updated_next_first] reproduced together" in out.stdout, out.stdout
