"""The oracle: cases, the reference and its bound, the check of one case and of many, shrinking, diagnosis,
the report. ``compare`` re-exports the public part; the modules, bottom up:

limits -> cases -> bound -> engine -> isolation -> results -> candidate -> values -> run (+ shrink, features)
-> diagnose -> report; strategies (Hypothesis) and selfcheck (complex step) stand beside them.
"""
