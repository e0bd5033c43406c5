"""matplotlib figures: one module per part of the lecture (games, gan, adversarial)."""
from minigan.viz.graph import graph  # noqa: F401  (minigan.viz.graph(loss): the computation graph, drawn)
