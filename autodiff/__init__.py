"""The seed's network in JAX, with gradients from ``jax.grad``: the trusted peer of ``manual``.

    from autodiff import grad
    from manual import init_params
    grads = grad(init_params([64, 30, 10], seed=0), x, y)
"""

from .network import cost, forward, grad
from .train import accuracy, train

__all__ = ["accuracy", "cost", "forward", "grad", "train"]
