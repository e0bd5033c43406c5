"""Fixtures of the adversarial tests: the digits in [0, 1], split once, and an MLP trained on them once."""
import pytest

import minigan
from minigan.adversarial import classification_data, train_classifier


@pytest.fixture(scope="session")
def digits():
    return classification_data("digits")


@pytest.fixture(scope="session")
def trained(digits):
    """An MLP 64-128-10 after 60 epochs of Adam (lr 1e-3, batch 64), and its loss history."""
    from minigan.adversarial import mlp_classifier

    minigan.manual_seed(0)
    x_train, y_train, _, _ = digits
    model = mlp_classifier()
    history = train_classifier(model, (x_train, y_train), epochs=60, seed=0)
    return model, history
