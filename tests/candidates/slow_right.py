"""A right backprop that takes 20 ms a call (a per-example Python loop's speed), for the --budget tests."""

import time

import manual


def grad(params, x, y):
    time.sleep(0.02)
    return manual.grad(params, x, y)
