"""A per-neuron one-example step in the style of Brownlee's backprop tutorial (round 47's leomconti) whose update
loop starts from inputs = x and never replaces them by the layer below's outputs: every layer from 2 up moves
its weights with x where a^(l-1) belongs (only the weights it reaches: range(len(inputs)), raising where
n_0 > n_(l-1)). Error (a - y), no 1/n_L: --scale n_L."""

import numpy as np


def sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def step(params, x, y, eta):
    outputs = [x]
    for W, b in params:
        outputs.append(sigmoid(W @ outputs[-1] + b))
    deltas = [None] * len(params)
    deltas[-1] = (outputs[-1] - y) * outputs[-1] * (1 - outputs[-1])
    for l in range(len(params) - 2, -1, -1):
        deltas[l] = params[l + 1][0].T @ deltas[l + 1] * outputs[l + 1] * (1 - outputs[l + 1])
    new = []
    inputs = x
    for (W, b), delta in zip(params, deltas):
        W, b = W.copy(), b.copy()
        for i in range(len(b)):
            for j in range(len(inputs)):
                W[i, j] -= eta * delta[i] * inputs[j]
            b[i] -= eta * delta[i]
        new.append((W, b))
    return new
