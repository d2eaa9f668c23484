"""The oracle: cases, the reference and its bound, the check of one case and of many, shrinking, diagnosis,
the report, and process isolation for candidates. ``compare`` re-exports the public part; the modules, bottom up:

limits -> cases -> bound -> engine / unpadded -> isolation, wire -> process (worker.py is the other side)
-> results -> layouts, forms, load -> candidate -> values -> run -> shrink, features, constants -> diagnose
-> report -> check; single, strategies and selfcheck stand beside them.
"""
