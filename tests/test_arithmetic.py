"""Arithmetic outside the bound's premise (issue 24, item 7): fast and reduced-precision matmuls, a lone element.

The bound assumes each product summed in the dtype's own precision from its own terms. A backprop whose
matmuls are one level of Strassen's algorithm, or whose matmul inputs are rounded to TF32 or bf16 (JAX's
default on GPUs), is normwise accurate but fails elementwise: it may fail, but the report must say what it
sees (errors spread over whole arrays at a normwise level) and point at the switch, not at "an indexing slip"
or "no catalogued mistake" alone. A lone element a few times its tolerance is reported as just that.
"""

import json
import pathlib

import numpy as np
import oracle_cli
import pytest

import compare
from compare import check_grad, draw_cases, format_report, to_json
from compare.oracle.reference.bound import UNIT_ROUNDOFF
from compare.oracle.sandbox.load import load_candidate
from compare.oracle.verdict.run import run_cases

ROOT = pathlib.Path(__file__).resolve().parent.parent
CONTROLS = ROOT / "compare" / "controls"
SWITCHES = ("jax.default_matmul_precision('highest')", "torch.backends.cuda.matmul.allow_tf32 = False")


def _control(spec: str):
    return load_candidate(str(CONTROLS / spec))[0]


def _value_failures(grad, n: int, seed: int = 0, dtypes=("float64", "float32")):
    return [r.failure for r in run_cases(grad, draw_cases(n, seed, dtypes))
            if r.failure is not None and r.failure.arrays]


def test_strassen_on_the_command_line_is_named_as_normwise_arithmetic_with_the_switch():
    """``python -m compare --candidate wrong_strassen.py --examples 300``: exit 1; the diagnosis leads with the
    normwise pattern and its measured level, names the switches, and claims no indexing slip."""
    out = oracle_cli.run(["--candidate", str(CONTROLS / "wrong_strassen.py"), "--examples", "300"])
    assert out.returncode == 1, out.stdout + out.stderr
    diagnosis = out.stdout.split("  diagnosis:\n", 1)[1]
    assert diagnosis.startswith("    - [normwise] errors spread across whole arrays at a normwise level of "), diagnosis
    assert "of each array's largest element" in diagnosis and " u of float" in diagnosis, diagnosis
    assert "Strassen" in diagnosis and "TF32/bf16" in diagnosis, diagnosis
    assert all(s in diagnosis for s in SWITCHES), diagnosis
    assert "slip" not in out.stdout, out.stdout


@pytest.mark.parametrize("name", ["grad", "grad_bf16"])
def test_tf32_and_bf16_matmuls_through_the_library_are_named_as_normwise_arithmetic(name):
    """Matmul inputs rounded to TF32 (10 mantissa bits) or bf16 (7 bits), float32 and float64 cases: the run
    fails, the report names the normwise pattern (key ``normwise``) and the switch, not a constant factor."""
    report = check_grad(_control(f"wrong_reduced_precision.py:{name}"), examples=100, seed=0)
    text = format_report(report)
    assert not report.ok
    assert report.mistakes == ("normwise",), text
    assert report.diagnosis[0].startswith("[normwise] errors spread across whole arrays"), text
    assert all(s in text for s in SWITCHES), text
    assert "times the reference" not in text and "slip" not in text, text
    level = report.normwise.level                       # the measured level is a field, in the JSON too
    assert 2.0**-13 < level < 2.0**-3, level
    assert json.loads(to_json([report]))["reports"][0]["normwise"]["level"] == level


def test_the_normwise_level_measures_the_arithmetic_and_only_arithmetic():
    """``diagnose.normwise_level`` on failures as drawn: near 2^-11 of each array's largest element for TF32
    inputs, near 2^-8 for bf16, a modest multiple of u for Strassen; None for a changed element, a scaled
    layer and a derivative replaced by its maximum (mistakes, whose errors are no rounding)."""
    from compare.oracle.diagnosis.diagnose import normwise_level

    def median_level(grad, in_u=False):
        fs = _value_failures(grad, 200)
        levels = [normwise_level(f) for f in fs]
        assert fs and sum(lv is not None for lv in levels) > 0.8 * len(fs), levels
        return float(np.median([lv / (UNIT_ROUNDOFF[f.case.dtype] if in_u else 1)
                                for f, lv in zip(fs, levels) if lv is not None]))

    assert 2**-13 < median_level(_control("wrong_reduced_precision.py")) < 2**-8
    assert 2**-10 < median_level(_control("wrong_reduced_precision.py:grad_bf16")) < 2**-5
    assert median_level(_control("wrong_strassen.py"), in_u=True) < 1000

    right = _control("right_einsum.py")

    def scaled_layer(params, x, y):          # grad W^1 scaled by 1 + 2^-12: a factor, small but constant
        g = right(params, x, y)
        return [((gW * (1 + 2.0**-12)).astype(gW.dtype) if l == 0 else gW, gb) for l, (gW, gb) in enumerate(g)]

    def quarter_sigma_prime(params, x, y):   # sigma'(z) replaced by its maximum 1/4 at the output
        X, Y = np.atleast_2d(x), np.atleast_2d(y)
        a = [X]
        for W, b in params:
            a.append(1 / (1 + np.exp(-(a[-1] @ W.T + b))))
        delta = (a[-1] - Y) / Y.shape[1] * 0.25
        out = []
        for l in range(len(params), 0, -1):
            out.append((delta.T @ a[l - 1] / X.shape[0], delta.sum(axis=0) / X.shape[0]))
            if l > 1:
                delta = (delta @ params[l - 1][0]) * a[l - 1] * (1 - a[l - 1])
        return out[::-1]

    for grad in (_control("wrong_one_element.py"), scaled_layer, quarter_sigma_prime):
        fs = _value_failures(grad, 60, dtypes=("float64",))
        assert fs and all(normwise_level(f) is None for f in fs), grad


def _one_element_at(times: float):
    """The reference itself, except grad W^1[0, 0] moved by ``times`` its tolerance."""
    def grad(params, x, y):
        g, tol = compare.reference(params, x, y)
        g[0][0][0, 0] += times * tol[0][0][0, 0]
        return g
    return grad


@pytest.mark.parametrize("times", [1.4, 3.0])
def test_a_lone_element_a_few_times_its_tolerance_is_reported_as_seen_not_as_a_slip(times):
    """A candidate exact but for one element at 1.4x or 3x its tolerance: the run fails, the diagnosis says one
    element over its tolerance, how far, and that no catalogued mistake reproduces it; it names no mistake and
    claims no slip."""
    report = check_grad(_one_element_at(times), draw_cases(40, seed=3, dtypes=("float64",)))
    text = format_report(report)
    assert not report.ok and report.shrunk.bad_elements == 1
    assert report.mistakes == (), text
    line = report.diagnosis[0]
    assert line.startswith("one element over its tolerance (layer 1, grad W[0, 0]): "), text
    assert f"{times:.3g} x its tolerance" in line and "no catalogued mistake reproduces this" in line, text
    assert "slip" not in text and "normwise" not in text, text


def test_a_lone_element_far_over_its_tolerance_is_named_without_claiming_a_slip():
    """wrong_one_element (one element off by a relative 1e-6, millions of times its tolerance, every other
    error far smaller) is still named ``one_element``, with how far it is, and no claim of an indexing slip."""
    report = check_grad(_control("wrong_one_element.py"), examples=200, seed=0)
    assert report.mistakes == ("one_element",), report.diagnosis
    assert report.diagnosis[0].startswith("[one_element] exactly one element is wrong (layer 1, grad W[0, 0]): ")
    assert "x its tolerance in the drawn case" in report.diagnosis[0], report.diagnosis
    assert "slip" not in format_report(report)
