"""The FMAN45 assignment 3 test cases and gradient test, run on tinygrad_hw's layers."""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_hw as thw
import tinygrad_hw.nn.functional as F
from tinygrad_hw import nn
from tinygrad_hw.homework.fman45 import fully_connected, gradient_test, softmax_loss

from .conftest import leaf


def test_fully_connected_layer_case():
    x, A = [[1.0], [2.0]], [[-1.0, 3.0], [7.0, -3.0]]
    np.testing.assert_array_equal(fully_connected(x, A).numpy(), [[5.0], [1.0]])
    np.testing.assert_array_equal(fully_connected(x, A, [[2.0], [3.0]]).numpy(), [[7.0], [4.0]])
    layer = nn.Linear(2, 2).double()  # the same case through nn.Linear, one row per sample
    with thw.no_grad():
        layer.weight.copy_(thw.tensor(A))
        layer.bias.copy_(thw.tensor([2.0, 3.0]))
    np.testing.assert_array_equal(layer(thw.tensor([[1.0, 2.0]], dtype=thw.float64)).numpy(), [[7.0, 4.0]])


def test_relu_case():
    x = thw.tensor([[-1.0, 0.0, 2.0]], dtype=thw.float64, requires_grad=True)
    y = F.relu(x)
    y.backward(thw.tensor([[5.0, 5.0, 5.0]], dtype=thw.float64))
    np.testing.assert_array_equal(y.numpy(), [[0.0, 0.0, 2.0]])
    np.testing.assert_array_equal(x.grad.numpy(), [[0.0, 0.0, 5.0]])  # PyTorch's choice at 0


def test_softmax_loss_on_labels_1_to_10():
    scores = np.random.default_rng(0).normal(size=(10, 4))
    labels = [1, 10, 3, 10]
    expected = np.mean([-(scores[label - 1, i] - np.log(np.exp(scores[:, i]).sum())) for i, label in enumerate(labels)])
    assert softmax_loss(scores, labels).item() == pytest.approx(expected, rel=1e-12)
    assert softmax_loss(np.zeros((10, 3)), [1, 5, 10]).item() == pytest.approx(np.log(10))
    with pytest.raises(ValueError, match="run from 1 to 10, got 0..3"):
        softmax_loss(scores, [0, 1, 2, 3])


@pytest.mark.parametrize("name, function, shapes", [
    ("fully connected", lambda x, w, b: F.linear(x, w, b), [(5, 4), (3, 4), (3,)]),
    ("relu", lambda x: F.relu(x), [(6, 7)]),
    ("convolution", lambda x, w, b: F.conv2d(x, w, b, padding=2), [(2, 2, 6, 6), (3, 2, 5, 5), (3,)]),
    ("max-pool", lambda x: F.max_pool2d(x, 2), [(2, 3, 6, 6)]),
    ("softmax loss", lambda x: F.cross_entropy(x, thw.tensor([0, 3, 9])), [(3, 10)]),
])
def test_the_assignments_gradient_test(name, function, shapes):
    inputs = [leaf(*shape, seed=i) for i, shape in enumerate(shapes)]
    assert gradient_test(function, inputs, eps=1e-5, samples=10) <= 1e-5, name


def test_the_gradient_test_catches_a_wrong_backward():
    from .conftest import Square

    class WrongSquare(Square):
        @staticmethod
        def backward(ctx, grad_output):
            (x,) = ctx.saved_tensors
            return 2.1 * x * grad_output

    assert gradient_test(WrongSquare.apply, [leaf(4, 4)]) > 1e-2
