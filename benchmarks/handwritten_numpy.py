"""The floor: the benchmark's networks written by hand in NumPy, as fast as we know how to.

This is what a careful student writes for one fixed network: every layer's forward and backward
by hand, float32, and every trick a general library cannot always use —

- channels-last (N, H, W, C) activations, so im2col copies whole channel vectors and each
  matrix product's output is the next layer's input as it is;
- im2col in chunks of a few images, each chunk multiplied while it is still in the cache (one
  input channel: kh·kw strided slice copies instead);
- the input gradient of the (stride 1) convolution as a full correlation of the padded output
  gradient with the flipped kernel: one more im2col and product, no scatter-add;
- bias gradients as a matrix-vector product with a vector of ones;
- 2x2 max pooling by reshaping into blocks, its backward by an equality mask (exact ties send
  the gradient to every tied element; after a ReLU those are zeros the ReLU blocks anyway);
- ReLU after the pooling instead of before (they commute: max(relu(x)) = relu(max(x))), so it
  touches a quarter of the elements, forward and backward;
- ReLU, SGD and the gradients in place, every buffer allocated once.

It imports nothing from tinygrad_hw: it is the reference the library is measured against.
`MLP(sizes).step(x, labels)` and `CNN(in_channels, size).step(x, labels)` take NCHW/flat
float32 batches like the other implementations and return the loss.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

CHUNK_BYTES = 2 << 20


def _uniform(rng, fan_in, shape):
    bound = 1 / np.sqrt(fan_in)
    return rng.uniform(-bound, bound, shape).astype(np.float32)


class Scratch(dict):
    """Arrays allocated on first use and reused by every later step (keyed by name and shape)."""

    def array(self, name, shape, dtype=np.float32, zeros=False):
        key = (name, shape)
        if key not in self:
            self[key] = np.zeros(shape, dtype) if zeros else np.empty(shape, dtype)
        return self[key]


def softmax_cross_entropy(logits, labels):
    """Mean cross-entropy and, in place of the logits, its gradient."""
    logits -= logits.max(axis=1, keepdims=True)
    np.exp(logits, out=logits)
    logits /= logits.sum(axis=1, keepdims=True)
    rows = np.arange(len(labels))
    loss = -float(np.log(logits[rows, labels]).mean())
    logits[rows, labels] -= 1
    logits *= 1.0 / len(labels)
    return loss, logits


class SGD:
    """PyTorch's SGD with momentum and weight decay, in place: v = m·v + (g + λp); p -= lr·v."""

    def __init__(self, params, grads, lr, momentum, weight_decay):
        self.params, self.grads = params, grads
        self.lr, self.momentum, self.decay = lr, momentum, weight_decay
        self.velocity = [np.zeros_like(p) for p in params]  # zero start == PyTorch's v = g on step 1
        self.scratch = [np.empty_like(p) for p in params]

    def step(self):
        for param, grad, velocity, scratch in zip(self.params, self.grads, self.velocity, self.scratch):
            velocity *= self.momentum
            velocity += grad
            np.multiply(param, self.decay, out=scratch)
            velocity += scratch
            np.multiply(velocity, self.lr, out=scratch)
            param -= scratch


class Linear:
    """y = x W + b with W stored (in, out)."""

    def __init__(self, weight, bias):
        self.weight, self.bias = weight, bias
        self.grad_weight, self.grad_bias = np.zeros_like(weight), np.zeros_like(bias)

    def forward(self, x):
        self.input = x
        out = x @ self.weight
        out += self.bias
        return out

    def backward(self, grad, need_input_grad=True):
        np.matmul(self.input.T, grad, out=self.grad_weight)
        np.sum(grad, axis=0, out=self.grad_bias)
        return grad @ self.weight.T if need_input_grad else None


def relu_(x):
    np.maximum(x, 0, out=x)
    return x


def relu_backward_(grad, output):
    np.multiply(grad, output > 0, out=grad)
    return grad


class Conv:
    """k×k convolution, stride 1, zero padding `pad`, on NHWC; weight stored as the im2col
    matrix (k·k·C, O) with rows in the order (i, j, c)."""

    def __init__(self, weight_oihw, bias, pad):
        out_channels, in_channels, k, _ = weight_oihw.shape
        self.k, self.pad, self.in_channels, self.out_channels = k, pad, in_channels, out_channels
        self.weight = np.ascontiguousarray(weight_oihw.transpose(2, 3, 1, 0).reshape(-1, out_channels))
        self.bias = bias
        self.grad_weight, self.grad_bias = np.zeros_like(self.weight), np.zeros_like(bias)
        self.scratch = Scratch()

    def _correlate(self, x, pad, matrix, role, keep_cols):
        """Correlate NHWC `x`, zero-padded by `pad`, with a k×k kernel given as its im2col
        matrix; returns (output rows (N·OH·OW, out), the im2col rows if kept)."""
        n, h, w, c = x.shape
        k = self.k
        padded = self.scratch.array(role + " padded", (n, h + 2 * pad, w + 2 * pad, c), zeros=True)
        padded[:, pad:pad + h, pad:pad + w] = x  # the zero border is never written
        out_h, out_w = h + 2 * pad - k + 1, w + 2 * pad - k + 1
        rows = out_h * out_w
        out = self.scratch.array(role + " out", (n * rows, matrix.shape[1]))
        if c == 1:
            columns_t = self.scratch.array(role + " columns_t", (k, k, n, out_h, out_w))
            for i in range(k):
                for j in range(k):
                    columns_t[i, j] = padded[:, i:i + out_h, j:j + out_w, 0]
            columns = columns_t.reshape(k * k, -1).T
            np.matmul(columns, matrix, out=out)
            return out, columns
        windows = sliding_window_view(padded, (k, k), axis=(1, 2)).transpose(0, 1, 2, 4, 5, 3)
        per_chunk = max(1, min(n, CHUNK_BYTES // (rows * k * k * c * 4)))
        store = self.scratch.array(role + " columns", (n if keep_cols else per_chunk, out_h, out_w, k, k, c))
        for start in range(0, n, per_chunk):
            stop = min(n, start + per_chunk)
            chunk = store[start:stop] if keep_cols else store[:stop - start]
            chunk[...] = windows[start:stop]
            np.matmul(chunk.reshape(-1, k * k * c), matrix, out=out[start * rows:stop * rows])
        return out, (store.reshape(n * rows, -1) if keep_cols else None)

    def forward(self, x):
        n, h, w, _ = x.shape
        out, self.columns = self._correlate(x, self.pad, self.weight, "forward", keep_cols=True)
        out += self.bias
        return out.reshape(n, h + 2 * self.pad - self.k + 1, w + 2 * self.pad - self.k + 1, -1)

    def backward(self, grad, need_input_grad=True):
        n, out_h, out_w, _ = grad.shape
        rows = grad.reshape(-1, self.out_channels)
        np.matmul(self.columns.T, rows, out=self.grad_weight)
        ones = self.scratch.array("ones", (len(rows),))
        ones.fill(1)
        np.matmul(ones, rows, out=self.grad_bias)
        if not need_input_grad:
            return None
        k = self.k
        flipped = self.weight.reshape(k, k, self.in_channels, self.out_channels)[::-1, ::-1]
        flipped = np.ascontiguousarray(flipped.transpose(0, 1, 3, 2)).reshape(-1, self.in_channels)
        grad_input, _ = self._correlate(grad, k - 1 - self.pad, flipped, "backward", keep_cols=False)
        return grad_input.reshape(n, out_h - 2 * self.pad + k - 1, out_w - 2 * self.pad + k - 1, -1)


class MaxPool2:
    """2×2 max pooling with stride 2 on NHWC (even sizes)."""

    def __init__(self):
        self.scratch = Scratch()

    def forward(self, x):
        n, h, w, c = x.shape
        self.blocks = x.reshape(n, h // 2, 2, w // 2, 2, c)
        rows = np.maximum(self.blocks[:, :, 0], self.blocks[:, :, 1])      # (N, H/2, W/2, 2, C)
        self.out = np.maximum(rows[:, :, :, 0], rows[:, :, :, 1])
        return self.out

    def backward(self, grad):
        shape = self.blocks.shape
        mask = self.scratch.array("mask", shape, np.bool_)
        np.equal(self.blocks, self.out[:, :, None, :, None], out=mask)
        grad_input = self.scratch.array("grad", shape)
        np.multiply(mask, grad[:, :, None, :, None], out=grad_input)
        return grad_input.reshape(shape[0], shape[1] * 2, shape[3] * 2, shape[5])


class MLP:
    """Linear layers with ReLU between them."""

    def __init__(self, sizes, lr=0.01, momentum=0.9, weight_decay=1e-4, seed=0):
        rng = np.random.default_rng(seed)
        self.layers = [Linear(_uniform(rng, a, (a, b)), _uniform(rng, a, (b,))) for a, b in zip(sizes[:-1], sizes[1:])]
        params = [p for layer in self.layers for p in (layer.weight, layer.bias)]
        grads = [g for layer in self.layers for g in (layer.grad_weight, layer.grad_bias)]
        self.optimizer = SGD(params, grads, lr, momentum, weight_decay)

    def step(self, x, labels):
        outputs = []
        for i, layer in enumerate(self.layers):
            x = layer.forward(x)
            if i < len(self.layers) - 1:
                x = relu_(x)
                outputs.append(x)
        loss, grad = softmax_cross_entropy(x, labels)
        for i in reversed(range(len(self.layers))):
            grad = self.layers[i].backward(grad, need_input_grad=i > 0)
            if i:
                grad = relu_backward_(grad, outputs[i - 1])
        self.optimizer.step()
        return loss


class CNN:
    """conv 5x5 (pad 2) -> ReLU -> pool -> conv 5x5 (pad 2) -> ReLU -> pool -> linear (FMAN45),
    computed as conv -> pool -> ReLU (the same numbers)."""

    def __init__(self, in_channels=1, size=28, channels=16, classes=10, lr=0.01, momentum=0.9,
                 weight_decay=1e-4, seed=0):
        rng = np.random.default_rng(seed)
        self.conv1 = Conv(_uniform(rng, in_channels * 25, (channels, in_channels, 5, 5)),
                          _uniform(rng, in_channels * 25, (channels,)), 2)
        self.conv2 = Conv(_uniform(rng, channels * 25, (channels, channels, 5, 5)),
                          _uniform(rng, channels * 25, (channels,)), 2)
        side = size // 4
        features = channels * side * side
        # PyTorch flattens (C, H, W); our activations flatten (H, W, C): reorder the rows once.
        weight = _uniform(rng, features, (features, classes)).reshape(channels, side, side, classes)
        self.fc = Linear(np.ascontiguousarray(weight.transpose(1, 2, 0, 3)).reshape(features, classes),
                         _uniform(rng, features, (classes,)))
        self.pool1, self.pool2 = MaxPool2(), MaxPool2()
        layers = (self.conv1, self.conv2, self.fc)
        self.optimizer = SGD([p for layer in layers for p in (layer.weight, layer.bias)],
                             [g for layer in layers for g in (layer.grad_weight, layer.grad_bias)],
                             lr, momentum, weight_decay)

    def step(self, x, labels):
        x = np.ascontiguousarray(x.transpose(0, 2, 3, 1))  # NCHW -> NHWC (free for one channel)
        a1 = relu_(self.pool1.forward(self.conv1.forward(x)).copy())
        a2 = relu_(self.pool2.forward(self.conv2.forward(a1)).copy())
        loss, grad = softmax_cross_entropy(self.fc.forward(a2.reshape(len(x), -1)), labels)
        grad = relu_backward_(self.fc.backward(grad).reshape(a2.shape), a2)
        grad = relu_backward_(self.conv2.backward(self.pool2.backward(grad)), a1)
        self.conv1.backward(self.pool1.backward(grad), need_input_grad=False)
        self.optimizer.step()
        return loss
