"""Why a candidate disagrees, claimed only with evidence.

mistakes and stepmistakes (catalogued derivation and update mistakes, each recomputed), features (case and array
features), shrink (a failure made small), diagnose (the diagnosis from fields), explain (a run's failures by
kind, the leading one shrunk and diagnosed).
"""
