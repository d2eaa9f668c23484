"""Candidate backprops with known verdicts: the oracle must catch every ``wrong_*`` and pass every ``right_*``."""
