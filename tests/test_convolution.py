"""Convolution and batch norm: gradchecks, PyTorch's numbers, the channels-last layout, a real MNIST run."""

from __future__ import annotations

import gzip
import warnings

import numpy as np
import pytest

import tinygrad_hw as thw
import tinygrad_hw.nn.functional as F
from tinygrad_hw import nn, optim

from .conftest import leaf, shared_data

CONV_CASES = [  # (input shape, weight shape, stride, padding, dilation, groups)
    ((2, 3, 7, 7), (4, 3, 3, 3), 1, 0, 1, 1),
    ((2, 3, 7, 7), (4, 3, 3, 3), 2, 1, 1, 1),
    ((1, 2, 9, 8), (3, 2, 5, 5), 1, 2, 1, 1),                    # FMAN45's 5x5, padding 2
    ((2, 1, 11, 9), (2, 1, 3, 2), (2, 1), (1, 0), 1, 1),         # one channel, non-square
    ((3, 2, 6, 5), (5, 2, 2, 4), 2, 2, 1, 1),                    # odd sizes, even kernel
    ((2, 4, 5, 5), (3, 4, 1, 1), 1, 0, 1, 1),                    # 1x1
    ((2, 1, 6, 6), (1, 1, 3, 3), 1, 3, 1, 1),                    # padding past the kernel
    ((2, 3, 9, 8), (4, 3, 3, 2), 1, (2, 1), (2, 3), 1),          # dilation, stride 1
    ((2, 3, 9, 8), (4, 3, 3, 3), 2, 1, 2, 1),                    # dilation, stride 2
    ((2, 4, 6, 7), (6, 2, 3, 3), 1, 1, 1, 2),                    # groups
    ((2, 4, 7, 6), (4, 1, 3, 3), 2, 1, 1, 4),                    # depthwise, strided
    ((2, 3, 7, 6), (4, 3, 4, 3), 1, "same", 1, 1),               # 'same', even kernel
    ((2, 3, 7, 6), (4, 3, 3, 2), 1, "same", (1, 2), 1),
    ((1, 2, 5, 6), (3, 2, 3, 3), 1, "valid", 1, 1),
]


def _conv(case):
    x_shape, w_shape, stride, padding, dilation, groups = case
    return lambda x, w, b=None: F.conv2d(x, w, b, stride, padding, dilation, groups)


@pytest.mark.parametrize("case", CONV_CASES, ids=str)
def test_conv2d_gradcheck(case):
    x_shape, w_shape = case[:2]
    x, w, b = leaf(*x_shape), leaf(*w_shape, seed=1), leaf(w_shape[0], seed=2)
    assert thw.gradcheck(_conv(case), (x, w, b))


@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("case", CONV_CASES, ids=str)
def test_conv2d_matches_torch(case, bias, torch):
    x_shape, w_shape, stride, padding, dilation, groups = case
    x, w, b = leaf(*x_shape), leaf(*w_shape, seed=1), leaf(w_shape[0], seed=2)
    out = _conv(case)(x, w, b if bias else None)
    gradient = np.random.default_rng(5).normal(size=out.shape)
    out.backward(gradient)
    tx, tw, tb = (torch.tensor(t.numpy(), requires_grad=True) for t in (x, w, b))
    with warnings.catch_warnings():  # torch warns that 'same' with an even kernel pads a copy
        warnings.simplefilter("ignore")
        torch_out = torch.nn.functional.conv2d(tx, tw, tb if bias else None, stride, padding, dilation, groups)
    torch_out.backward(torch.tensor(gradient))
    np.testing.assert_allclose(out.numpy(), torch_out.detach().numpy(), atol=1e-12)
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), atol=1e-12)
    np.testing.assert_allclose(w.grad.numpy(), tw.grad.numpy(), atol=1e-12)
    if bias:
        np.testing.assert_allclose(b.grad.numpy(), tb.grad.numpy(), atol=1e-12)


def test_conv1d_gradcheck_and_matches_torch(torch):
    x, w, b = leaf(2, 3, 11), leaf(4, 3, 3, seed=1), leaf(4, seed=2)
    assert thw.gradcheck(lambda x, w, b: F.conv1d(x, w, b, stride=2, padding=1, dilation=2), (x, w, b))
    layer = nn.Conv1d(3, 4, 3, padding="same").double()
    expected = torch.nn.functional.conv1d(torch.tensor(x.numpy()), torch.tensor(layer.weight.numpy()),
                                          torch.tensor(layer.bias.numpy()), padding="same")
    np.testing.assert_allclose(layer(x).numpy(), expected.numpy(), atol=1e-12)


TRANSPOSED_CASES = [  # (input shape, weight shape, stride, padding, output_padding, groups, dilation)
    ((2, 4, 5, 5), (4, 3, 3, 3), 1, 0, 0, 1, 1),
    ((2, 4, 5, 6), (4, 3, 3, 3), 2, 1, 1, 1, 1),
    ((2, 4, 4, 5), (4, 2, 4, 4), 2, 1, 0, 2, 1),                  # groups, even kernel (the upsampling one)
    ((1, 2, 4, 5), (2, 3, 3, 2), (2, 3), (1, 0), (1, 2), 1, 1),    # non-square, output_padding
    ((2, 2, 5, 4), (2, 3, 3, 3), 1, 1, 1, 1, 2),                   # dilation with output_padding
    ((1, 1, 3, 3), (1, 1, 3, 3), 3, 0, 2, 1, 1),                   # one channel, rows no window reaches
]


@pytest.mark.parametrize("case", TRANSPOSED_CASES, ids=str)
def test_conv_transpose2d_gradcheck_and_matches_torch(case):
    x_shape, w_shape, stride, padding, output_padding, groups, dilation = case
    x, w, b = leaf(*x_shape), leaf(*w_shape, seed=1), leaf(w_shape[1] * groups, seed=2)

    def ours(x, w, b):
        return F.conv_transpose2d(x, w, b, stride, padding, output_padding, groups, dilation)
    assert thw.gradcheck(ours, (x, w, b))
    torch = pytest.importorskip("torch")
    out = ours(x, w, b)
    gradient = np.random.default_rng(5).normal(size=out.shape)
    out.backward(gradient)
    tx, tw, tb = (torch.tensor(t.numpy(), requires_grad=True) for t in (x, w, b))
    torch_out = torch.nn.functional.conv_transpose2d(tx, tw, tb, stride, padding, output_padding, groups, dilation)
    torch_out.backward(torch.tensor(gradient))
    for mine, theirs in ((out, torch_out), (x.grad, tx.grad), (w.grad, tw.grad), (b.grad, tb.grad)):
        np.testing.assert_allclose(mine.numpy(), theirs.detach().numpy(), atol=1e-12)


FOLD_CASES = [  # (input shape, kernel, dilation, padding, stride)
    ((2, 3, 6, 7), 3, 1, 0, 1),
    ((2, 3, 6, 7), (2, 3), (1, 2), 1, (2, 1)),
    ((1, 2, 5, 5), 2, 1, 0, 2),
]


@pytest.mark.parametrize("case", FOLD_CASES, ids=str)
def test_unfold_and_fold_gradcheck_and_match_torch(case):
    shape, kernel, dilation, padding, stride = case
    x = leaf(*shape)
    assert thw.gradcheck(lambda t: F.unfold(t, kernel, dilation, padding, stride), (x,))
    blocks = leaf(*F.unfold(x, kernel, dilation, padding, stride).shape, seed=1)
    assert thw.gradcheck(lambda t: F.fold(t, shape[2:], kernel, dilation, padding, stride), (blocks,))
    torch = pytest.importorskip("torch")
    np.testing.assert_allclose(nn.Unfold(kernel, dilation, padding, stride)(x).numpy(),
                               torch.nn.Unfold(kernel, dilation, padding, stride)(torch.tensor(x.numpy())).numpy())
    np.testing.assert_allclose(
        nn.Fold(shape[2:], kernel, dilation, padding, stride)(blocks).numpy(),
        torch.nn.Fold(shape[2:], kernel, dilation, padding, stride)(torch.tensor(blocks.numpy())).numpy(), atol=1e-12)


def test_transposed_and_fold_repr_and_errors(torch):
    assert repr(nn.ConvTranspose2d(4, 6, 3, stride=2, padding=1, output_padding=1, groups=2)) == \
        repr(torch.nn.ConvTranspose2d(4, 6, 3, stride=2, padding=1, output_padding=1, groups=2))
    assert nn.ConvTranspose2d(8, 4, 4, stride=2, padding=1)(thw.randn(1, 8, 7, 7)).shape == (1, 4, 14, 14)
    assert repr(nn.Unfold(3, padding=1)) == repr(torch.nn.Unfold(3, padding=1))
    with pytest.raises(RuntimeError, match="output padding must be smaller"):
        F.conv_transpose2d(thw.randn(1, 2, 3, 3), thw.randn(2, 2, 3, 3), output_padding=1)
    with pytest.raises(RuntimeError, match="sliding blocks"):
        F.fold(thw.randn(1, 12, 5), (4, 4), 2)


# ---------------------------------------------------------------------- channels-last layout
def test_conv_output_is_channels_last_but_reads_as_nchw():
    """The layout trick of convolution.py: NHWC memory under an NCHW shape. Reshape, flatten,
    tolist and indexing must still see PyTorch's NCHW order."""
    x, w = leaf(2, 3, 6, 5), leaf(4, 3, 3, 3, seed=1)
    out = F.conv2d(x, w, padding=1)
    array = out.numpy()
    assert out.shape == (2, 4, 6, 5) and array.strides[1] == array.itemsize  # channels innermost
    nchw = np.ascontiguousarray(array)
    np.testing.assert_array_equal(out.flatten(1).numpy(), nchw.reshape(2, -1))
    np.testing.assert_array_equal(np.array(out.tolist()), nchw)
    np.testing.assert_array_equal(out[1, 2].numpy(), nchw[1, 2])
    # the same numbers as a loop over the definition
    padded = np.pad(x.numpy(), ((0, 0), (0, 0), (1, 1), (1, 1)))
    windows = np.lib.stride_tricks.sliding_window_view(padded, (3, 3), axis=(2, 3))
    np.testing.assert_allclose(nchw, np.einsum("nchwij,ocij->nohw", windows, w.numpy()), atol=1e-12)


@pytest.mark.parametrize("layout", ["nchw", "nhwc", "sliced"])
def test_conv_and_pool_accept_any_memory_layout(layout):
    rng = np.random.default_rng(0)
    values = rng.normal(size=(2, 3, 8, 10))
    arrays = {"nchw": values, "nhwc": values.transpose(0, 2, 3, 1).copy().transpose(0, 3, 1, 2),
              "sliced": np.pad(values, ((0, 0), (0, 0), (0, 0), (0, 4)))[..., :10]}
    w, b = thw.tensor(rng.normal(size=(4, 3, 3, 3))), thw.tensor(rng.normal(size=4))
    results = []
    for array in (values, arrays[layout]):
        x = thw.Tensor._make(array, True, None)  # the same values in another memory layout
        out = F.max_pool2d(F.conv2d(x, w, b, padding=1).relu(), 2)
        (out * thw.tensor(np.arange(out.numel()).reshape(out.shape))).sum().backward()
        results.append((out.numpy(), x.grad.numpy()))
    for ours, reference in zip(results[1], results[0]):
        np.testing.assert_allclose(ours, reference, atol=1e-12)


def test_reused_buffers_survive_two_graphs_alive_at_once():
    """Scratch buffers are reused only when no graph holds them: two forwards before two
    backwards give the gradients of two separate runs."""
    layer = nn.Conv2d(1, 4, 3, padding=1).double()
    inputs = [leaf(3, 1, 6, 6, seed=seed) for seed in (0, 1)]
    outputs = [layer(x).sum() for x in inputs]
    for out in outputs:
        layer.zero_grad()
        out.backward()
    second_grad = layer.weight.grad.numpy().copy()
    layer.zero_grad()
    layer(inputs[1]).sum().backward()
    np.testing.assert_allclose(second_grad, layer.weight.grad.numpy(), atol=1e-12)


def test_conv_gradients_are_fresh_arrays_and_backward_twice_works():
    layer = nn.Conv2d(3, 4, 3, padding=1).double()
    x = leaf(2, 3, 5, 5)
    out = layer(x).sum()
    out.backward(retain_graph=True)
    first = layer.weight.grad.numpy().copy()
    layer.zero_grad()
    out.backward()
    np.testing.assert_allclose(layer.weight.grad.numpy(), first, atol=1e-12)
    with thw.no_grad():
        np.testing.assert_allclose(layer(x).numpy(), F.conv2d(x, layer.weight, layer.bias, padding=1).numpy())


def test_conv_stays_float32_and_errors_are_clear(torch):
    layer = nn.Conv2d(1, 16, 5, padding=2)
    assert layer.weight.shape == (16, 1, 5, 5) and layer(thw.randn(2, 1, 28, 28)).dtype == np.float32
    assert layer(thw.randn(1, 28, 28)).shape == (16, 28, 28)  # one unbatched sample, as PyTorch
    with pytest.raises(RuntimeError, match=r"expected input\[2, 3, 28, 28\] to have 1 channels"):
        layer(thw.randn(2, 3, 28, 28))
    with pytest.raises(RuntimeError, match="4-D"):
        layer(thw.randn(28, 28))
    with pytest.raises(RuntimeError, match="does not fit"):
        F.conv2d(thw.randn(1, 1, 3, 3), thw.randn(1, 1, 5, 5))
    with pytest.raises(RuntimeError, match="scalar type"):
        layer(thw.randn(2, 1, 28, 28).double())
    with pytest.raises(RuntimeError, match="strided"):
        F.conv2d(thw.randn(1, 1, 5, 5), thw.randn(1, 1, 3, 3), stride=2, padding="same")
    with pytest.raises(ValueError, match="divisible by groups"):
        nn.Conv2d(3, 4, 3, groups=2)
    with pytest.raises(NotImplementedError, match="reflect"):
        nn.Conv2d(3, 4, 3, padding_mode="reflect")
    assert repr(layer) == repr(torch.nn.Conv2d(1, 16, 5, padding=2))
    assert repr(nn.Conv2d(4, 8, 3, dilation=2, groups=2, bias=False)) == \
        repr(torch.nn.Conv2d(4, 8, 3, dilation=2, groups=2, bias=False))


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


def test_batch_norm_of_a_channels_last_array_gradchecks_and_equals_the_contiguous_one():
    """A convolution's output is channels-last in memory; batch norm sums it another way."""
    nhwc, w, b = leaf(4, 3, 3, 5, low=-2, high=3), leaf(5, seed=1), leaf(5, seed=2)
    assert not nhwc.permute(0, 3, 1, 2)._data.flags.c_contiguous
    assert thw.gradcheck(lambda x, w, b: F.batch_norm(x.permute(0, 3, 1, 2), None, None, w, b, training=True),
                         (nhwc, w, b))
    running = [thw.zeros(5, dtype=thw.float64), thw.ones(5, dtype=thw.float64)]
    out = F.batch_norm(nhwc.permute(0, 3, 1, 2), *running, w, b, training=True)
    contiguous = nhwc.detach().permute(0, 3, 1, 2).contiguous()
    expected_running = [thw.zeros(5, dtype=thw.float64), thw.ones(5, dtype=thw.float64)]
    expected = F.batch_norm(contiguous, *expected_running, w.detach(), b.detach(), training=True)
    np.testing.assert_allclose(out.detach().numpy(), expected.numpy(), atol=1e-12)
    for ours, theirs in zip(running, expected_running):
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), atol=1e-12)
    mean = contiguous.numpy().mean(axis=(0, 2, 3))
    np.testing.assert_allclose(running[0].numpy(), 0.1 * mean, atol=1e-12)


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
