"""Forward values and gradients of the core ops and functional API against PyTorch (skipped where
PyTorch is not installed)."""
import numpy as np
import pytest

import minigan
import minigan.functional as F

torch = pytest.importorskip("torch")
TF = torch.nn.functional

CASES = {
    "softplus": (F.softplus, TF.softplus),
    "log_sigmoid": (F.log_sigmoid, TF.logsigmoid),
    "elu": (lambda x: F.elu(x, 0.7), lambda x: TF.elu(x, 0.7)),
    "leaky_relu": (lambda x: F.leaky_relu(x, 0.2), lambda x: TF.leaky_relu(x, 0.2)),
    "log_softmax": (lambda x: F.log_softmax(x, axis=1), lambda x: TF.log_softmax(x, dim=1)),
    "var": (lambda x: x.var(axis=0, ddof=1), lambda x: x.var(dim=0)),
    "max": (lambda x: x.max(axis=1), lambda x: x.amax(dim=1)),
    "norm": (lambda x: (x * x).sum(axis=1).sqrt(), lambda x: x.norm(dim=1)),
    "matmul_tanh": (lambda x: (x @ x.T).tanh(), lambda x: (x @ x.T).tanh()),
    "index": (lambda x: x[[0, 0, 2], 1:] * 3.0, lambda x: x[[0, 0, 2], 1:] * 3.0),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_matches_pytorch(name):
    ours, theirs = CASES[name]
    x = np.random.default_rng(1).normal(size=(3, 4)) * 3
    v = np.random.default_rng(2).normal(size=np.shape(theirs(torch.tensor(x)).detach().numpy()))
    a = minigan.tensor(x, requires_grad=True)
    (ours(a) * minigan.tensor(v)).sum().backward()
    t = torch.tensor(x, requires_grad=True)
    (theirs(t) * torch.tensor(v)).sum().backward()
    np.testing.assert_allclose(ours(minigan.tensor(x)).numpy(), theirs(torch.tensor(x)).numpy(), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(a.grad.numpy(), t.grad.numpy(), rtol=1e-10, atol=1e-12)


def test_losses_match_pytorch():
    rng = np.random.default_rng(3)
    logits, target = rng.normal(size=(5, 4)) * 4, rng.uniform(size=(5, 4))
    labels = rng.integers(0, 4, size=5)
    pairs = [
        (F.bce_with_logits(minigan.tensor(logits), minigan.tensor(target)),
         TF.binary_cross_entropy_with_logits(torch.tensor(logits), torch.tensor(target))),
        (F.cross_entropy(minigan.tensor(logits), labels), TF.cross_entropy(torch.tensor(logits), torch.tensor(labels))),
        (F.mse_loss(minigan.tensor(logits), minigan.tensor(target), reduction="sum"),
         TF.mse_loss(torch.tensor(logits), torch.tensor(target), reduction="sum")),
        (F.l1_loss(minigan.tensor(logits), minigan.tensor(target)),
         TF.l1_loss(torch.tensor(logits), torch.tensor(target))),
    ]
    for ours, theirs in pairs:
        assert ours.item() == pytest.approx(theirs.item(), rel=1e-12)
