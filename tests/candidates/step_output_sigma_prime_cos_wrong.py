"""A one-layer step whose sigma'(z) is written 0.25 cos(z), a factor that is no catalogued form: every failing step
moves some ratio of the reference's, a different one on each. Wrong."""
import numpy as np


def step(params, x, y, eta):
    (W, b), = params
    a = 0.5 + 0.5 * np.tanh(0.5 * (W @ x + b))
    delta = (a - y) / len(y) * 0.25 * np.cos(W @ x + b)
    return [(W - eta * np.outer(delta, x), b - eta * delta)]


def step_climbs(params, x, y, eta):
    """The same factor made positive, 0.25 |cos(z)|, and the step added: it climbs on every step."""
    (W, b), = params
    a = 0.5 + 0.5 * np.tanh(0.5 * (W @ x + b))
    delta = (a - y) / len(y) * 0.25 * np.abs(np.cos(W @ x + b))
    return [(W + eta * np.outer(delta, x), b + eta * delta)]
