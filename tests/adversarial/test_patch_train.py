"""Training the adversarial patch (ADV-3) on a trained digits MLP: the target's log-probability rises, success
beats a random patch, .grad stays untouched."""
import numpy as np

import minigan
from minigan.adversarial import AdversarialPatch, patch_success_rate, train_patch


def test_a_trained_patch_fools_the_mlp_far_more_than_a_random_one(trained, digits):
    model, _ = trained
    x_train, _, x_test, y_test = digits
    for p in model.parameters():
        p.grad = None
    curve = []
    patch = train_patch(model, minigan.tensor(x_train), target=4, patch_size=4, steps=200, rotate=False, flip=False,
                        location=(3, 0), log=lambda step, log_prob: curve.append(log_prob))
    assert all(p.grad is None for p in model.parameters()) and patch.values.grad is None
    assert np.mean(curve[-20:]) > curve[0] + 2.0
    values = patch.values.numpy()
    assert values.min() >= 0.0 and values.max() <= 1.0 and values.dtype == np.float32
    random_patch = AdversarialPatch(1, 4, rotate=False, flip=False, location=(3, 0))
    trained_success = patch_success_rate(model, patch, x_test, y_test, 4)
    random_success = patch_success_rate(model, random_patch, x_test, y_test, 4)
    assert trained_success > 0.5 and trained_success > random_success + 0.4


def test_success_counts_only_images_of_other_classes(trained, digits):
    model, _ = trained
    _, _, x_test, y_test = digits
    patch = AdversarialPatch(1, 1, rotate=False, flip=False, scale=(1.0, 1.0))
    patch.values.data[:] = 0.0  # a single black pixel changes almost nothing
    clean_rate = np.mean([patch_success_rate(model, patch, x_test, y_test, t) for t in range(10)])
    assert clean_rate < 0.05
