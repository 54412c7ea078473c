"""The floor: the same networks written by hand in NumPy, as the homeworks do.

Forward, backward and the SGD update (momentum 0.9, weight decay, PyTorch's rule) for an MLP
and for the FMAN45-style CNN (im2col convolutions, 2x2 max-pooling), float32 throughout.
This file imports nothing from tinygrad_hw: it is the reference the library is measured against.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def _init(rng, fan_in, shape):
    bound = 1 / np.sqrt(fan_in)
    return rng.uniform(-bound, bound, shape).astype(np.float32)


def softmax_cross_entropy(logits, labels):
    """Mean cross-entropy and its gradient with respect to the logits."""
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    probs = exp / exp.sum(axis=1, keepdims=True)
    rows = np.arange(len(labels))
    loss = -np.log(probs[rows, labels]).mean()
    probs[rows, labels] -= 1
    return loss, probs / len(labels)


class SGD:
    def __init__(self, params, lr, momentum, weight_decay):
        self.params, self.lr, self.momentum, self.decay = params, lr, momentum, weight_decay
        self.buffers = [None] * len(params)

    def step(self, grads):
        for i, (param, grad) in enumerate(zip(self.params, grads)):
            grad = grad + self.decay * param
            if self.buffers[i] is None:
                self.buffers[i] = grad
            else:
                self.buffers[i] *= self.momentum
                self.buffers[i] += grad
            param -= self.lr * self.buffers[i]


class MLP:
    """Linear layers with ReLU between them: x @ W + b."""

    def __init__(self, sizes, lr=0.01, momentum=0.9, weight_decay=1e-4, seed=0):
        rng = np.random.default_rng(seed)
        self.weights = [_init(rng, a, (a, b)) for a, b in zip(sizes[:-1], sizes[1:])]
        self.biases = [_init(rng, a, (b,)) for a, b in zip(sizes[:-1], sizes[1:])]
        self.optimizer = SGD(self.weights + self.biases, lr, momentum, weight_decay)

    def step(self, x, labels):
        activations = [x]
        for i, (w, b) in enumerate(zip(self.weights, self.biases)):
            z = activations[-1] @ w + b
            activations.append(np.maximum(z, 0) if i < len(self.weights) - 1 else z)
        loss, grad = softmax_cross_entropy(activations[-1], labels)
        weight_grads, bias_grads = [], []
        for i in reversed(range(len(self.weights))):
            weight_grads.append(activations[i].T @ grad)
            bias_grads.append(grad.sum(axis=0))
            if i:
                grad = (grad @ self.weights[i].T) * (activations[i] > 0)
        self.optimizer.step(weight_grads[::-1] + bias_grads[::-1])
        return loss


def conv_forward(x, w, b, pad):
    """im2col: windows as rows of one matrix, one matrix product."""
    n, c, h, width = x.shape
    out_c, _, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    cols = sliding_window_view(xp, (kh, kw), axis=(2, 3))        # (N, C, H, W, kh, kw)
    cols = cols.transpose(0, 2, 3, 1, 4, 5).reshape(n * h * width, c * kh * kw)
    out = cols @ w.reshape(out_c, -1).T + b
    return out.reshape(n, h, width, out_c).transpose(0, 3, 1, 2), (cols, xp.shape)


def conv_backward(grad, w, cache, pad):
    cols, padded_shape = cache
    n, out_c, h, width = grad.shape
    _, c, kh, kw = w.shape
    rows = grad.transpose(0, 2, 3, 1).reshape(-1, out_c)
    grad_w = (rows.T @ cols).reshape(w.shape)
    grad_b = rows.sum(axis=0)
    grad_cols = (rows @ w.reshape(out_c, -1)).reshape(n, h, width, c, kh, kw)
    grad_xp = np.zeros(padded_shape, np.float32)
    for i in range(kh):
        for j in range(kw):
            grad_xp[:, :, i:i + h, j:j + width] += grad_cols[:, :, :, :, i, j].transpose(0, 3, 1, 2)
    return grad_xp[:, :, pad:pad + h, pad:pad + width], grad_w, grad_b


def pool_forward(x):
    """2x2 max-pooling by reshaping into blocks."""
    n, c, h, w = x.shape
    blocks = x.reshape(n, c, h // 2, 2, w // 2, 2)
    out = blocks.max(axis=(3, 5))
    return out, (blocks, out)


def pool_backward(grad, cache):
    blocks, out = cache
    mask = blocks == out[:, :, :, None, :, None]
    return (mask * grad[:, :, :, None, :, None]).reshape(blocks.shape[0], blocks.shape[1], -1, blocks.shape[4] * 2)


class CNN:
    """conv 5x5 (pad 2) -> ReLU -> pool -> conv 5x5 (pad 2) -> ReLU -> pool -> linear."""

    def __init__(self, in_channels=1, size=28, channels=16, classes=10, lr=0.01, momentum=0.9,
                 weight_decay=1e-4, seed=0):
        rng = np.random.default_rng(seed)
        self.w1 = _init(rng, in_channels * 25, (channels, in_channels, 5, 5))
        self.b1 = _init(rng, in_channels * 25, (channels,))
        self.w2 = _init(rng, channels * 25, (channels, channels, 5, 5))
        self.b2 = _init(rng, channels * 25, (channels,))
        features = channels * (size // 4) ** 2
        self.w3 = _init(rng, features, (features, classes))
        self.b3 = _init(rng, features, (classes,))
        params = [self.w1, self.b1, self.w2, self.b2, self.w3, self.b3]
        self.optimizer = SGD(params, lr, momentum, weight_decay)

    def step(self, x, labels):
        z1, conv1 = conv_forward(x, self.w1, self.b1, 2)
        a1 = np.maximum(z1, 0)
        p1, pool1 = pool_forward(a1)
        z2, conv2 = conv_forward(p1, self.w2, self.b2, 2)
        a2 = np.maximum(z2, 0)
        p2, pool2 = pool_forward(a2)
        flat = p2.reshape(len(x), -1)
        logits = flat @ self.w3 + self.b3
        loss, grad = softmax_cross_entropy(logits, labels)
        grad_w3, grad_b3 = flat.T @ grad, grad.sum(axis=0)
        grad = (grad @ self.w3.T).reshape(p2.shape)
        grad = pool_backward(grad, pool2) * (a2 > 0)
        grad, grad_w2, grad_b2 = conv_backward(grad, self.w2, conv2, 2)
        grad = pool_backward(grad, pool1) * (a1 > 0)
        _, grad_w1, grad_b1 = conv_backward(grad, self.w1, conv1, 2)
        self.optimizer.step([grad_w1, grad_b1, grad_w2, grad_b2, grad_w3, grad_b3])
        return loss
