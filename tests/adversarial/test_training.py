"""Classifiers trained on digits with minigan: accuracy, FGSM/BIM/PGD error rates, ADV-2 adversarial training,
model modes and .grad, the MLP classifier's closed form."""
import numpy as np
import pytest

import minigan
import minigan.functional as F
from minigan import nn
from minigan.adversarial import (
    accuracy,
    adversarial_loss,
    attack_report,
    bim,
    fgsm,
    mlp_classifier,
    pgd,
    small_cnn,
    train_classifier,
)
from minigan.adversarial.models import classifier


def test_the_digits_split_is_disjoint_in_the_unit_interval(digits):
    x_train, y_train, x_test, y_test = digits
    assert x_train.shape == (1438, 1, 8, 8) and x_test.shape == (359, 1, 8, 8)
    assert x_train.dtype == np.float32 and x_train.min() == 0.0 and x_train.max() == 1.0
    train_rows = {row.tobytes() for row in x_train.reshape(len(x_train), -1)}
    duplicates = sum(row.tobytes() in train_rows for row in x_test.reshape(len(x_test), -1))
    assert duplicates <= 2  # scikit-learn's digits hold a couple of identical images, nothing more
    assert set(y_test) == set(range(10))


def test_training_learns_the_digits_and_leaves_the_model_in_eval_mode(trained, digits):
    model, history = trained
    _, _, x_test, y_test = digits
    assert history[-1] < 0.1 * history[0]
    assert accuracy(model, minigan.tensor(x_test), y_test) > 0.95
    assert not model.training


def test_training_is_reproducible_with_a_seed(digits):
    x_train, y_train, _, _ = digits
    histories = []
    for _ in range(2):
        minigan.manual_seed(1)
        histories.append(train_classifier(mlp_classifier(), (x_train[:300], y_train[:300]), epochs=2, seed=3))
    assert histories[0] == histories[1]


def test_fgsm_at_a_quarter_of_the_range_fools_the_mlp_and_iterating_does_better(trained, digits):
    model, _ = trained
    _, _, x_test, y_test = digits
    x = minigan.tensor(x_test)
    assert attack_report(model, fgsm(model, x, y_test, 0.25), y_test)["error"] > 0.95
    fgsm_error = attack_report(model, fgsm(model, x, y_test, 0.1), y_test)["error"]
    bim_error = attack_report(model, bim(model, x, y_test, 0.1), y_test)["error"]
    pgd_error = attack_report(model, pgd(model, x, y_test, 0.1, steps=20), y_test)["error"]
    assert 0.2 < fgsm_error < bim_error and fgsm_error < pgd_error


def test_adversarial_training_cuts_the_fgsm_error(trained, digits):
    """ADV-2 with α = 0.5, ε = 0.25 as in the issue's target (which asks for half the error; the benchmark
    measures 20.5 ± 2.0% against 48.1 ± 0.7% over five seeds, so this bound leaves room for platform noise)."""
    plain, _ = trained
    x_train, y_train, x_test, y_test = digits
    minigan.manual_seed(0)
    robust = mlp_classifier()
    train_classifier(robust, (x_train, y_train), epochs=60, seed=0,
                     loss=lambda model, x, y: adversarial_loss(model, x, y, eps=0.25, alpha=0.5))
    x = minigan.tensor(x_test)
    errors = [attack_report(m, fgsm(m, x, y_test, 0.1), y_test)["error"] for m in (plain, robust)]
    assert errors[1] < 0.6 * errors[0]
    assert accuracy(robust, x, y_test) > accuracy(plain, x, y_test) - 0.025


@pytest.mark.parametrize("build", [mlp_classifier, small_cnn])
def test_the_input_gradient_of_both_classifiers_passes_gradcheck(build):
    model = build()
    x = minigan.tensor(np.random.default_rng(0).uniform(0, 1, (2, 1, 8, 8)), requires_grad=True)
    y = np.array([3, 7])
    assert minigan.gradcheck(lambda x: F.cross_entropy(model(x), y), (x,), atol=1e-4, rtol=1e-3)


def test_attacks_keep_the_models_mode_and_its_parameter_gradients(digits):
    _, _, x_test, y_test = digits
    model = nn.Sequential(nn.Flatten(), nn.Linear(64, 32), nn.ReLU(), nn.Dropout(0.5), nn.Linear(32, 10))
    x, y = minigan.tensor(x_test[:20]), y_test[:20]
    F.cross_entropy(model(x), y).backward()
    before = [p.grad.numpy().copy() for p in model.parameters()]
    for mode in (True, False):
        model.train(mode)
        for attack in (fgsm, bim, pgd):
            attack(model, x, y, 0.1)
            assert model.training is mode
    for p, g in zip(model.parameters(), before):
        np.testing.assert_array_equal(p.grad.numpy(), g)
    model.eval()  # without dropout's randomness the attack is a function of x
    np.testing.assert_array_equal(fgsm(model, x, y, 0.1).numpy(), fgsm(model, x, y, 0.1).numpy())


def test_the_cnn_reads_digits_and_mnist_and_the_names_are_checked():
    assert classifier("cnn", (1, 28, 28))(minigan.zeros(2, 1, 28, 28)).shape == (2, 10)
    assert classifier("mlp", (1, 28, 28))(minigan.zeros(2, 1, 28, 28)).shape == (2, 10)
    with pytest.raises(ValueError, match="unknown classifier 'resnet'"):
        classifier("resnet", (1, 8, 8))
    with pytest.raises(ValueError, match="multiple of 4"):
        small_cnn((1, 10, 10))


def test_the_mlp_classifier_is_the_lectures_mlp_on_flattened_images():
    """mlp_classifier((1, 8, 8), 128, 10)(x) = W₂ relu(W₁ flatten(x) + b₁) + b₂, with the layers of
    minigan.gan.models.mlp([64, 128, 10], ReLU)."""
    model = mlp_classifier((1, 8, 8), hidden=128, classes=10)
    (w1, b1), (w2, b2) = [(layer.weight.numpy(), layer.bias.numpy()) for layer in model.modules()
                          if isinstance(layer, nn.Linear)]
    assert w1.shape == (128, 64) and w2.shape == (10, 128)
    x = np.random.default_rng(0).uniform(0, 1, (5, 1, 8, 8)).astype(np.float32)
    expected = np.maximum(x.reshape(5, 64) @ w1.T + b1, 0) @ w2.T + b2
    np.testing.assert_allclose(model(minigan.tensor(x)).numpy(), expected, rtol=1e-5, atol=1e-6)
    assert mlp_classifier((1, 28, 28), hidden=32)(minigan.zeros(2, 1, 28, 28)).shape == (2, 10)
