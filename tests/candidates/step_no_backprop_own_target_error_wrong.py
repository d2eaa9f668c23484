"""A step that backpropagates nothing (round 70's mroydeep): each hidden layer's update from its own activation
against the target, W updated by += with (y - a). Wrong: no error reaches a hidden layer from the output."""
import numpy as np


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def sigmoid_prime(s):
    return s * (1 - s)


def step(x, y, *args):
    *weights, eta = args
    hidden_weights, output_weights = weights[:-1], weights[-1]
    hidden = []
    a = x
    for W in hidden_weights:
        a = sigmoid(np.dot(a, W))
        hidden.append(a)
    out = sigmoid(np.dot(hidden[-1], output_weights))
    error_output_layer = (y - out) * sigmoid_prime(out)
    cost_of_output_weights = np.dot(hidden[-1].T, error_output_layer)
    costs = {}
    for layer in range(len(hidden) - 1, 0, -1):
        prev_layer, cur_layer, cur_weights = hidden[layer - 1], hidden[layer], hidden_weights[layer]
        error_hidden_layer = (y - cur_layer) * sigmoid_prime(cur_layer)
        costs[layer] = np.dot(prev_layer.T, np.dot(error_hidden_layer, cur_weights.T)
                              * sigmoid_prime(cur_layer) * sigmoid_prime(prev_layer))
    error_input_layer = (y - x) * sigmoid_prime(x)
    cost_of_input_weights = np.dot(x.T, np.dot(error_input_layer, hidden_weights[0])
                                   * sigmoid_prime(hidden[0]))
    hidden_weights[0] += cost_of_input_weights * eta
    for key, value in costs.items():
        hidden_weights[key] += value * eta
    output_weights += cost_of_output_weights * eta


def step_heard(x, y, *args):
    """The other side: the error propagated back through the layers above, with an uncatalogued factor cos(a) in
    place of sigma'(z) at each hidden layer. Wrong, but every hidden update hears the layers above."""
    *weights, eta = args
    acts = [x]
    for W in weights:
        acts.append(sigmoid(np.dot(acts[-1], W)))
    delta = (acts[-1] - y) * sigmoid_prime(acts[-1])
    grads = [None] * len(weights)
    for l in range(len(weights) - 1, -1, -1):
        grads[l] = np.dot(acts[l].T, delta)
        if l:
            delta = np.dot(delta, weights[l].T) * np.cos(acts[l])
    for W, g in zip(weights, grads):
        W -= eta * g
