"""Generative adversarial networks: models, losses, the algorithms of the lecture, the training loop."""
