"""Mutants of ``manual/`` known to be equivalent (no input gives a different result or verdict), each with the
reason. Keyed as ``Mutant.key``: (file, function, statement before, statement after). ``python -m compare
mutate`` reads this list: a survivor not on it is a gap in the suite; a listed mutant that is killed is a wrong
entry."""

EQUIVALENT: dict[tuple[str, str, str, str], str] = {
}
