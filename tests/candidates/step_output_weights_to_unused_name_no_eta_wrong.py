"""Round 73's mc: a batch step without biases (weights stored inputs x outputs) whose new output weights go to a
name the network never reads (published), and whose hidden update has no learning rate (the round's m3). Wrong."""
import numpy as np


def sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def step(x, y, W0, W1, eta):
    hidden = sigmoid(x @ W0)
    out = sigmoid(hidden @ W1)
    delta_out = (y - out) * out * (1 - out)
    delta_hidden = (delta_out @ W1.T) * hidden * (1 - hidden)
    weights_hidden_to_output = W1 + eta * hidden.T @ delta_out  # noqa: F841 - never read again (the bug)
    W0 += x.T @ delta_hidden
    return W0, W1
