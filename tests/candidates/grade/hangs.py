"""A backprop that never returns: every call loops forever (the per-call time limit fails each case)."""


def grad(params, x, y):
    while True:
        pass
