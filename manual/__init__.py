"""Hand-derived backpropagation in NumPy, and the parameter format both backends share.

    from manual import init_params, grad
    params = init_params([64, 30, 10], seed=0)
    grads = grad(params, x, y)          # [(grad W^1, grad b^1), ...]
"""

from .backprop import backprop
from .data import one_hot
from .network import cost, forward, grad, sigmoid
from .params import Params, check_inputs, check_params, check_x, init_params, load_params, save_params, sizes_of
from .train import accuracy, train

__all__ = [
    "Params", "accuracy", "backprop", "check_inputs", "check_params", "check_x", "cost", "forward", "grad",
    "init_params", "load_params", "one_hot", "save_params", "sigmoid", "sizes_of", "train",
]
