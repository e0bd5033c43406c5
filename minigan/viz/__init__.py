"""matplotlib figures: one module per part of the lecture (games, gan, adversarial)."""
