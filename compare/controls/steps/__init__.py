"""Step and epoch controls: wrong_*.py and right_*.py updates with known verdicts; table.py, their kill table."""
