"""Candidate code, kept apart: the worker process and everything it imports (NumPy only, nothing of JAX).

forms (the one place candidate code is called: a gradient or an update), layouts (our arrays into a candidate's
layout and back), load (importing a candidate file), isolation (a guarded call: time limit, printing, sys.exit,
global state), wire (frames of JSON and raw bytes, never a pickle), process (``Isolated``: the worker under
bubblewrap or the kernel's protections), channel (the worker's process and its pipes, every wait under a
deadline), worker (the worker's side), interrupts (Ctrl-C that is not lost, checked in every wait).
"""
