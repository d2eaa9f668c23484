"""A network of layer objects in turn, Dense then Sigmoid (round 47's abdesch, a French notebook): each Dense keeps
its weights in-out (n_in, n_out) and a (1, n_out) bias row, and its backward pass returns the error for the layer
below before it updates itself. fit(x, y, eta) is one full-batch step of the mean over every element of
(a - y)^2: --scale 2. The weights are on every other item of ``layers``: --attributes 'layers[::2].weights,...'."""

import numpy as np


class Dense:
    def __init__(self, n_in, n_out):
        self.weights = np.zeros((n_in, n_out))
        self.bias = np.zeros((1, n_out))

    def forward(self, x):
        self.x = x
        return x @ self.weights + self.bias

    def backward(self, grad, eta):
        below = grad @ self.weights.T
        self.weights = self.weights - eta * self.x.T @ grad
        self.bias = self.bias - eta * grad.sum(axis=0, keepdims=True)
        return below


class Sigmoid:
    def forward(self, z):
        self.a = 0.5 + 0.5 * np.tanh(0.5 * z)
        return self.a

    def backward(self, grad, eta):
        return grad * self.a * (1 - self.a)


class Network:
    def __init__(self, sizes):
        self.layers = []
        for n_in, n_out in zip(sizes, sizes[1:]):
            self.layers += [Dense(n_in, n_out), Sigmoid()]

    def fit(self, x, y, eta):
        a = x
        for layer in self.layers:
            a = layer.forward(a)
        grad = 2 * (a - y) / y.size
        for layer in reversed(self.layers):
            grad = layer.backward(grad, eta)
