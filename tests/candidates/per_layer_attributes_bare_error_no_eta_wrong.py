"""A look-alike of a common published class: one attribute per layer (wih, who), no biases, the learning rate
given to the constructor, and train(inputs_list, targets_list) updating the weights in place for one example,
taken as a column. Wrong twice: the published form's hidden error sent back without sigma'(z^L)
(hidden_from_output_error), and the rate dropped from the hidden layer's update line on top (layer_1_no_eta)."""

import numpy as np


def _sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))


class neuralNetwork:
    def __init__(self, inputnodes, hiddennodes, outputnodes, learningrate):
        self.inodes, self.hnodes, self.onodes = inputnodes, hiddennodes, outputnodes
        self.wih = np.zeros((self.hnodes, self.inodes))
        self.who = np.zeros((self.onodes, self.hnodes))
        self.lr = learningrate

    def train(self, inputs_list, targets_list):
        inputs = np.array(inputs_list, ndmin=2).T
        targets = np.array(targets_list, ndmin=2).T
        hidden_outputs = _sigmoid(self.wih @ inputs)
        final_outputs = _sigmoid(self.who @ hidden_outputs)
        output_errors = targets - final_outputs
        hidden_errors = self.who.T @ output_errors
        self.who += self.lr * ((output_errors * final_outputs * (1.0 - final_outputs)) @ hidden_outputs.T)
        self.wih += ((hidden_errors * hidden_outputs * (1.0 - hidden_outputs)) @ inputs.T)
