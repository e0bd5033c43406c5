"""Layers against PyTorch with copied weights: outputs and gradients of Conv2d, ConvTranspose2d, BatchNorm
(train and eval, running statistics), pooling, upsampling."""
import numpy as np
import pytest

import minigan
from minigan import nn

torch = pytest.importorskip("torch")


def copy_weights(ours, theirs):
    """PyTorch's state_dict into ours (same keys, same layouts) through NumPy arrays."""
    ours.load_state_dict({k: v.detach().numpy() for k, v in theirs.state_dict().items()})


def run_both(ours, theirs, x):
    """Forward and backward (with the same random cotangent) in both; outputs and gradients as arrays."""
    xm = minigan.tensor(x, requires_grad=True)
    xt = torch.tensor(x, requires_grad=True)
    ym, yt = ours(xm), theirs(xt)
    v = np.random.default_rng(1).standard_normal(yt.shape).astype(x.dtype)
    ym.backward(minigan.tensor(v))
    yt.backward(torch.tensor(v))
    grads_m = {name: p.grad.numpy() for name, p in ours.named_parameters()}
    grads_t = {name: p.grad.numpy() for name, p in theirs.named_parameters()}
    return (ym.numpy(), xm.grad.numpy(), grads_m), (yt.detach().numpy(), xt.grad.numpy(), grads_t)


def assert_same(ours, theirs, rtol=1e-9, atol=1e-9):
    (y, gx, gp), (yt, gxt, gpt) = ours, theirs
    np.testing.assert_allclose(y, yt, rtol=rtol, atol=atol)
    np.testing.assert_allclose(gx, gxt, rtol=rtol, atol=atol)
    assert gp.keys() == gpt.keys()
    for name in gp:
        np.testing.assert_allclose(gp[name], gpt[name], rtol=rtol, atol=atol, err_msg=name)


@pytest.mark.parametrize("args", [(3, 5, 3, 1, 0), (3, 4, 4, 2, 1), (2, 3, (3, 2), (2, 1), (1, 0)), (1, 2, 5, 3, 2)])
def test_conv2d(args):
    theirs = torch.nn.Conv2d(*args).double()
    ours = nn.Conv2d(*args).double()
    copy_weights(ours, theirs)
    x = np.random.default_rng(0).standard_normal((2, args[0], 9, 8))
    assert_same(*run_both(ours, theirs, x))


@pytest.mark.parametrize("args", [(3, 5, 3, 1, 0, 0), (4, 2, 4, 2, 1, 0), (3, 2, 3, 2, 1, 1),
                                  (2, 3, (3, 2), (3, 2), (1, 0), (2, 1))])
def test_conv_transpose2d(args):
    theirs = torch.nn.ConvTranspose2d(*args).double()
    ours = nn.ConvTranspose2d(*args).double()
    copy_weights(ours, theirs)
    x = np.random.default_rng(0).standard_normal((2, args[0], 5, 4))
    assert_same(*run_both(ours, theirs, x))


@pytest.mark.parametrize("ours,theirs,shape", [
    (lambda: nn.BatchNorm1d(3), lambda: torch.nn.BatchNorm1d(3), (6, 3)),
    (lambda: nn.BatchNorm1d(3), lambda: torch.nn.BatchNorm1d(3), (4, 3, 5)),
    (lambda: nn.BatchNorm2d(3, eps=0.8, momentum=0.3), lambda: torch.nn.BatchNorm2d(3, eps=0.8, momentum=0.3),
     (4, 3, 2, 5)),
])
def test_batch_norm_in_training_then_eval(ours, theirs, shape):
    ours, theirs = ours().double(), theirs().double()
    torch.nn.init.normal_(theirs.weight)
    torch.nn.init.normal_(theirs.bias)
    copy_weights(ours, theirs)
    rng = np.random.default_rng(2)
    for _ in range(2):  # two training steps: outputs, gradients, running statistics
        x = rng.normal(1.0, 2.0, size=shape)
        for model in (ours, theirs):
            model.zero_grad()
        assert_same(*run_both(ours, theirs, x))
    for key, value in theirs.state_dict().items():
        np.testing.assert_allclose(ours.state_dict()[key].numpy(), value.numpy(), rtol=1e-12, err_msg=key)
    ours.eval(), theirs.eval()
    for model in (ours, theirs):
        model.zero_grad()
    assert_same(*run_both(ours, theirs, rng.normal(size=shape)))


@pytest.mark.parametrize("ours,theirs", [
    (lambda: nn.MaxPool2d(2), lambda: torch.nn.MaxPool2d(2)),
    (lambda: nn.MaxPool2d(3, 2, 1), lambda: torch.nn.MaxPool2d(3, 2, 1)),
    (lambda: nn.AvgPool2d(3, 2, 1), lambda: torch.nn.AvgPool2d(3, 2, 1)),
    (lambda: nn.Upsample(scale_factor=2), lambda: torch.nn.Upsample(scale_factor=2, mode="nearest")),
])
def test_pooling_and_upsampling(ours, theirs):
    x = np.random.default_rng(3).standard_normal((2, 3, 6, 7))
    assert_same(*run_both(ours(), theirs(), x))


def test_a_dcgan_critic_in_float32():
    def build(lib):
        return lib.Sequential(lib.Conv2d(1, 8, 4, 2, 1), lib.LeakyReLU(0.2), lib.Conv2d(8, 16, 4, 2, 1),
                              lib.BatchNorm2d(16), lib.LeakyReLU(0.2), lib.Flatten(), lib.Linear(16 * 7 * 7, 1))

    theirs, ours = build(torch.nn), build(nn)
    copy_weights(ours, theirs)
    x = np.random.default_rng(4).standard_normal((8, 1, 28, 28)).astype(np.float32)
    assert_same(*run_both(ours, theirs, x), rtol=2e-4, atol=2e-5)
