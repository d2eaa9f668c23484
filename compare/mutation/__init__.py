"""Mutation testing of the backends' math: ``mutator`` makes first-order mutants of a file, ``runner`` runs the
comparison suite against each on a temporary copy of the tree, ``equivalent`` lists the mutants known to change
nothing."""
