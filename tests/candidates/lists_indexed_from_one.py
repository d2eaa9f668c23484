"""A class whose W and b lists are indexed from 1 as in the book (item 0 a None placeholder for the input layer),
backprop(a0, y) on one example returning (dW, db) with the same None head, for the cost 1/2 sum (a - y)^2:
reached with --attributes 'W[1:],b[1:]' --grads lists --one-example --scale n_L."""

import numpy as np


def sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)


class NeuralNetwork:
    def __init__(self, sizes):
        self.depth = len(sizes)
        self.W = [None] + [np.zeros((n, k)) for k, n in zip(sizes[:-1], sizes[1:])]
        self.b = [None] + [np.zeros(n) for n in sizes[1:]]

    def backprop(self, a0, y):
        dW, db = [None] * self.depth, [None] * self.depth
        a = [a0]
        for l in range(1, self.depth):
            a.append(sigmoid(self.W[l] @ a[l - 1] + self.b[l]))
        delta = (a[-1] - y) * a[-1] * (1 - a[-1])
        for l in range(self.depth - 1, 0, -1):
            if l < self.depth - 1:
                delta = self.W[l + 1].T @ delta * a[l] * (1 - a[l])
            dW[l], db[l] = np.outer(delta, a[l - 1]), delta
        return dW, db
