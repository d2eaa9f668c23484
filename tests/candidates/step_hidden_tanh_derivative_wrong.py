"""A published in-place step of a class that offers tanh or the logistic sigmoid (round 34's bpnn_cn, a mutant of
it): built with activation="logistic", its output error uses the logistic derivative a (1 - a), but the backward
loop calls the tanh helper, 1 - a**2, in every hidden layer. The step climbs y - a, so it adds its update."""

import numpy as np


def tanh_deriv(a):
    return 1.0 - a ** 2


def logistic(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def logistic_derivative(a):
    return a * (1 - a)


class Net:
    def __init__(self, sizes, eta):
        self.weights = [np.zeros((n, k)) for k, n in zip(sizes[:-1], sizes[1:])]
        self.biases = [np.zeros(n) for n in sizes[1:]]
        self.eta = eta

    def forward(self, x):
        self.values = [x]
        for W, b in zip(self.weights, self.biases):
            self.values.append(logistic(W @ self.values[-1] + b))
        return self.values[-1]

    def backward(self, y):
        deltas = [logistic_derivative(self.values[-1]) * (y - self.values[-1])]
        for j in range(len(self.values) - 2, 0, -1):
            deltas.insert(0, tanh_deriv(self.values[j]) * (deltas[0] @ self.weights[j]))   # logistic_derivative
        for i in range(len(self.weights)):
            self.weights[i] += self.eta * np.outer(deltas[i], self.values[i])
            self.biases[i] += self.eta * deltas[i]
