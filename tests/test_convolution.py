"""Convolution, pooling and batch norm: PyTorch's numbers, gradchecks, and a real MNIST run."""

from __future__ import annotations

import gzip

import numpy as np
import pytest

import tinygrad_hw as thw
import tinygrad_hw.nn.functional as F
from tinygrad_hw import nn, optim

from .conftest import leaf, shared_data

CONV_CASES = [  # (input shape, weight shape, stride, padding)
    ((2, 3, 7, 7), (4, 3, 3, 3), 1, 0),
    ((2, 3, 7, 7), (4, 3, 3, 3), 2, 1),
    ((1, 2, 9, 8), (3, 2, 5, 5), 1, 2),
    ((2, 1, 11, 9), (2, 1, 3, 2), (2, 1), (1, 0)),
    ((3, 2, 6, 5), (5, 2, 2, 4), 2, 2),
    ((2, 4, 5, 5), (3, 4, 1, 1), 1, 0),
]


@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("case", CONV_CASES, ids=str)
def test_conv2d_matches_torch(case, bias, torch):
    x_shape, w_shape, stride, padding = case
    x, w, b = leaf(*x_shape), leaf(*w_shape, seed=1), leaf(w_shape[0], seed=2)
    out = F.conv2d(x, w, b if bias else None, stride, padding)
    gradient = np.random.default_rng(5).normal(size=out.shape)
    out.backward(gradient)
    tx, tw, tb = (torch.tensor(t.numpy(), requires_grad=True) for t in (x, w, b))
    torch_out = torch.nn.functional.conv2d(tx, tw, tb if bias else None, stride, padding)
    torch_out.backward(torch.tensor(gradient))
    np.testing.assert_allclose(out.numpy(), torch_out.detach().numpy(), atol=1e-8)
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), atol=1e-8)
    np.testing.assert_allclose(w.grad.numpy(), tw.grad.numpy(), atol=1e-8)
    if bias:
        np.testing.assert_allclose(b.grad.numpy(), tb.grad.numpy(), atol=1e-8)


def test_conv2d_gradcheck():
    x, w, b = leaf(2, 2, 5, 4), leaf(3, 2, 3, 2, seed=1), leaf(3, seed=2)
    assert thw.gradcheck(lambda x, w, b: F.conv2d(x, w, b, stride=(2, 1), padding=1), (x, w, b))


POOL_CASES = [((2, 3, 8, 8), 2, None, 0), ((1, 2, 7, 9), 3, 2, 1), ((2, 1, 6, 5), (2, 3), (1, 2), (1, 1)),
              ((1, 1, 5, 5), 2, 1, 0)]


@pytest.mark.parametrize("kind", ["max", "avg"])
@pytest.mark.parametrize("case", POOL_CASES, ids=str)
def test_pooling_gradcheck(case, kind):
    shape, kernel, stride, padding = case
    ours = F.max_pool2d if kind == "max" else F.avg_pool2d
    assert thw.gradcheck(lambda t: ours(t, kernel, stride, padding), (leaf(*shape, seed=3),))


@pytest.mark.parametrize("kind", ["max", "avg"])
@pytest.mark.parametrize("case", POOL_CASES, ids=str)
def test_pooling_matches_torch(case, kind, torch):
    shape, kernel, stride, padding = case
    x = leaf(*shape)
    ours = F.max_pool2d if kind == "max" else F.avg_pool2d
    theirs = getattr(torch.nn.functional, f"{kind}_pool2d")
    out = ours(x, kernel, stride, padding)
    gradient = np.random.default_rng(5).normal(size=out.shape)
    out.backward(gradient)
    tx = torch.tensor(x.numpy(), requires_grad=True)
    torch_out = theirs(tx, kernel, stride, padding)
    torch_out.backward(torch.tensor(gradient))
    np.testing.assert_allclose(out.numpy(), torch_out.detach().numpy(), atol=1e-8)
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), atol=1e-8)


def test_max_pool_ties_go_to_the_first_element():
    x = thw.tensor(np.ones((1, 1, 4, 4)), requires_grad=True)
    F.max_pool2d(x, 2).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy()[0, 0], [[1, 0, 1, 0], [0, 0, 0, 0], [1, 0, 1, 0], [0, 0, 0, 0]])


def test_max_pool_ties_go_to_the_first_element_like_torch(torch):
    x = thw.tensor(np.ones((1, 1, 4, 4)), requires_grad=True)
    F.max_pool2d(x, 2).sum().backward()
    tx = torch.ones(1, 1, 4, 4, dtype=torch.float64, requires_grad=True)
    torch.nn.functional.max_pool2d(tx, 2).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), tx.grad.numpy())


@pytest.mark.parametrize("shape", [(6, 3), (4, 3, 5, 5)])
def test_batch_norm_matches_torch_in_train_and_eval(shape, torch):
    layer = (nn.BatchNorm1d(3) if len(shape) == 2 else nn.BatchNorm2d(3)).double()
    torch_layer = (torch.nn.BatchNorm1d(3) if len(shape) == 2 else torch.nn.BatchNorm2d(3)).double()
    with torch.no_grad():
        torch_layer.weight.copy_(torch.tensor([0.5, 1.5, -1.0]))
        torch_layer.bias.copy_(torch.tensor([0.1, 0.0, -0.2]))
    layer.weight.data = np.array([0.5, 1.5, -1.0])
    layer.bias.data = np.array([0.1, 0.0, -0.2])
    for step in range(3):
        x = leaf(*shape, low=-2, high=3, seed=step)
        out = layer(x)
        gradient = np.random.default_rng(step).normal(size=shape)
        out.backward(gradient)
        tx = torch.tensor(x.numpy(), requires_grad=True)
        torch_out = torch_layer(tx)
        torch_out.backward(torch.tensor(gradient))
        np.testing.assert_allclose(out.numpy(), torch_out.detach().numpy(), atol=1e-8)
        np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), atol=1e-8)
        np.testing.assert_allclose(layer.weight.grad.numpy(), torch_layer.weight.grad.numpy(), atol=1e-8)
    np.testing.assert_allclose(layer.running_mean.numpy(), torch_layer.running_mean.numpy(), atol=1e-10)
    np.testing.assert_allclose(layer.running_var.numpy(), torch_layer.running_var.numpy(), atol=1e-10)
    layer.eval()
    torch_layer.eval()
    x = leaf(*shape, seed=9)
    np.testing.assert_allclose(layer(x).numpy(), torch_layer(torch.tensor(x.numpy())).detach().numpy(), atol=1e-8)
    assert "running_mean" in " ".join(layer.state_dict())


def test_batch_norm_gradcheck():
    x, w, b = leaf(4, 3, 2, 2), leaf(3, seed=1), leaf(3, seed=2)
    assert thw.gradcheck(lambda x, w, b: F.batch_norm(x, None, None, w, b, training=True), (x, w, b))


def test_conv_stays_float32_and_errors_are_clear():
    layer = nn.Conv2d(1, 16, 5, padding=2)
    assert layer.weight.shape == (16, 1, 5, 5) and layer(thw.randn(2, 1, 28, 28)).dtype == np.float32
    with pytest.raises(ValueError, match=r"input has 3 channels .* expects 1"):
        layer(thw.randn(2, 3, 28, 28))
    with pytest.raises(ValueError, match="4-D input"):
        layer(thw.randn(28, 28))
    with pytest.raises(ValueError, match="does not fit"):
        F.conv2d(thw.randn(1, 1, 3, 3), thw.randn(1, 1, 5, 5))
    assert repr(layer) == "Conv2d(1, 16, kernel_size=(5, 5), stride=(1, 1), padding=(2, 2))"


def fman45_cnn() -> nn.Sequential:
    """The FMAN45 assignment 3 MNIST network."""
    return nn.Sequential(
        nn.Conv2d(1, 16, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 16, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(784, 10))


def _read_idx(path, offset):
    with gzip.open(path) as f:
        return np.frombuffer(f.read(), np.uint8, offset=offset)


def test_fman45_cnn_learns_on_real_mnist():
    folder = shared_data("mnist")
    images = _read_idx(folder / "train-images-idx3-ubyte.gz", 16).reshape(-1, 1, 28, 28)[:4000]
    labels = _read_idx(folder / "train-labels-idx1-ubyte.gz", 8)[:4000].astype(np.int64)
    thw.manual_seed(0)
    model = fman45_cnn()
    optimizer = optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    losses = []
    for step in range(300):
        index = np.arange(step * 16, step * 16 + 16) % len(images)
        x = thw.tensor(images[index].astype(np.float32) / 255)
        loss = F.cross_entropy(model(x), thw.tensor(labels[index]))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    start, end = np.mean(losses[:3]), np.mean(losses[-50:])
    assert start > 2.0 and end < 0.5, (start, end)
