"""Round 71's bp_m1: a per-weight gradient of a 2-2-2 net without biases whose hidden error goes back through the
hidden unit's activation where its outgoing weight belongs (the published bug: delta_h = a_h (sum_j delta_j)
sigma'(z_h)), and one weight's own line with an index slip (x[0] for x[1] in grad W^1[0, 1]). Wrong."""
import numpy as np


def grad(params, x, y):
    W1, W2 = params
    h = 0.5 + 0.5 * np.tanh(0.5 * (W1 @ x))
    o = 0.5 + 0.5 * np.tanh(0.5 * (W2 @ h))
    d_o = (o - y) / len(y) * o * (1 - o)
    d_h = h * d_o.sum() * h * (1 - h)
    g1 = np.outer(d_h, x)
    g1[0, 1] = d_h[0] * x[0]
    return [g1, np.outer(d_o, h)]
