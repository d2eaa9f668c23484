"""A gradient in the style of round 63's collado_m1 (Grus's sqerror_gradients ported): plain Python lists, each
neuron's bias last in its weight list, sigma written with math.exp (which raises OverflowError for z < -709.8), and
every hidden unit's error taken back through the first hidden unit's outgoing weights."""

import math


def sigmoid(t):
    return 1 / (1 + math.exp(-t))


def _layer(neurons, inputs):
    return [sigmoid(sum(w * v for w, v in zip(n, inputs + [1]))) for n in neurons]


def gradients(network, x, y):
    hidden_layer, output_layer = network
    hidden = _layer(hidden_layer, x)
    output = _layer(output_layer, hidden)
    n_L = len(y)
    out_deltas = [o * (1 - o) * (o - t) / n_L for o, t in zip(output, y)]
    hidden_deltas = [h * (1 - h) * sum(d * n[0] for d, n in zip(out_deltas, output_layer))   # n[0]: n[i] belongs
                     for i, h in enumerate(hidden)]
    out_grads = [[d * v for v in hidden + [1]] for d in out_deltas]
    hidden_grads = [[d * v for v in x + [1]] for d in hidden_deltas]
    return [hidden_grads, out_grads]
