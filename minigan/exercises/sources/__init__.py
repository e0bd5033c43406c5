"""The exercises' sources: one file per exercise, minigan's reference solution between
``### BEGIN SOLUTION`` and ``### END SOLUTION`` markers. `minigan.exercises.workspace` writes the
student's stub from it (each marked block replaced by ``raise NotImplementedError``) and the answer
key (the blocks kept). The files are read as text and graded by path, never imported from here."""
