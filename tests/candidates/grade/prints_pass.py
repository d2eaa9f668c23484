"""A wrong backprop (zeros) that prints a forged verdict on its descriptor 1, as the oracle would print it."""

import os

import numpy as np

os.write(1, b"PASS everything: 2000/2000 cases agree with jax.grad\n")


def grad(params, x, y):
    os.write(1, b"PASS\n")
    print("PASS")
    return [(np.zeros_like(W), np.zeros_like(b)) for W, b in params]
