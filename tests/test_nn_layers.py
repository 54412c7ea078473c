"""The layers and functions PyTorch programs use: float64 gradchecks (no torch needed) and, with
torch installed, the same values, gradients and errors as PyTorch's."""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_hw as thw
import tinygrad_hw.nn.functional as F
from tinygrad_hw import nn


def _floats(*shape, low=-2.0, high=2.0, seed=0):
    return np.random.default_rng(seed + sum(shape)).uniform(low, high, shape)


def _ints(high, *shape):
    return np.random.default_rng(7).integers(0, high, shape)


class Call(nn.Module):
    """Wraps a layer whose call needs extra arguments (attention's q, k, v and masks)."""

    def __init__(self, layer, call):
        super().__init__()
        self.layer, self.call = layer, call

    def forward(self, *inputs):
        return self.call(self.layer, *inputs)


def _torch_call(tnn, layer, call):
    class Call(tnn.Module):
        def __init__(self):
            super().__init__()
            self.layer, self.call = layer, call

        def forward(self, *inputs):
            return self.call(self.layer, *inputs)

    return Call()


def _mha(lib, **kwargs):
    return lambda m, x: m(x, x, x, **kwargs)[0] * 1 + m(x, x, x, **kwargs)[1].sum()


CAUSAL = ~np.tril(np.ones((4, 4), dtype=bool))
# name: (our layer, torch's layer given torch.nn, inputs)
LAYERS = {
    "Embedding": (lambda: nn.Embedding(5, 3, padding_idx=1), lambda t: t.Embedding(5, 3, padding_idx=1),
                  lambda: [_ints(5, 2, 3)]),
    "LayerNorm": (lambda: nn.LayerNorm(4), lambda t: t.LayerNorm(4), lambda: [_floats(2, 3, 4)]),
    "LayerNorm_2d_nobias": (lambda: nn.LayerNorm((3, 4), bias=False), lambda t: t.LayerNorm((3, 4), bias=False),
                            lambda: [_floats(2, 3, 4)]),
    "LayerNorm_noaffine": (lambda: nn.LayerNorm(4, elementwise_affine=False),
                           lambda t: t.LayerNorm(4, elementwise_affine=False), lambda: [_floats(3, 4)]),
    "GroupNorm": (lambda: nn.GroupNorm(2, 4), lambda t: t.GroupNorm(2, 4), lambda: [_floats(2, 4, 3)]),
    "BatchNorm1d_cumulative": (lambda: nn.BatchNorm1d(3, momentum=None), lambda t: t.BatchNorm1d(3, momentum=None),
                               lambda: [_floats(4, 3)]),
    "BatchNorm2d_nostats": (lambda: nn.BatchNorm2d(3, affine=False, track_running_stats=False),
                            lambda t: t.BatchNorm2d(3, affine=False, track_running_stats=False),
                            lambda: [_floats(2, 3, 2, 2)]),
    "GELU": (nn.GELU, lambda t: t.GELU(), lambda: [_floats(3, 4)]),
    "GELU_tanh": (lambda: nn.GELU("tanh"), lambda t: t.GELU("tanh"), lambda: [_floats(3, 4)]),
    "SiLU": (nn.SiLU, lambda t: t.SiLU(), lambda: [_floats(3, 4)]),
    "Mish": (nn.Mish, lambda t: t.Mish(), lambda: [_floats(3, 4)]),
    "Hardtanh": (lambda: nn.Hardtanh(-0.5, 0.7), lambda t: t.Hardtanh(-0.5, 0.7), lambda: [_floats(3, 4)]),
    "ReLU6": (nn.ReLU6, lambda t: t.ReLU6(), lambda: [_floats(3, 4, low=-9, high=9)]),
    "PReLU": (lambda: nn.PReLU(3, 0.1), lambda t: t.PReLU(3, 0.1), lambda: [_floats(2, 3, 2)]),
    "ELU": (lambda: nn.ELU(0.5), lambda t: t.ELU(0.5), lambda: [_floats(3, 4)]),
    "SELU": (nn.SELU, lambda t: t.SELU(), lambda: [_floats(3, 4)]),
    "CELU": (lambda: nn.CELU(2.0), lambda t: t.CELU(2.0), lambda: [_floats(3, 4)]),
    "Softplus": (lambda: nn.Softplus(2.0, 3.0), lambda t: t.Softplus(2.0, 3.0), lambda: [_floats(3, 4)]),
    "Softsign": (nn.Softsign, lambda t: t.Softsign(), lambda: [_floats(3, 4)]),
    "Tanhshrink": (nn.Tanhshrink, lambda t: t.Tanhshrink(), lambda: [_floats(3, 4)]),
    "LogSigmoid": (nn.LogSigmoid, lambda t: t.LogSigmoid(), lambda: [_floats(3, 4, low=-30, high=30)]),
    "Hardswish": (nn.Hardswish, lambda t: t.Hardswish(), lambda: [_floats(3, 4, low=-5, high=5)]),
    "Hardsigmoid": (nn.Hardsigmoid, lambda t: t.Hardsigmoid(), lambda: [_floats(3, 4, low=-5, high=5)]),
    "Softmin": (lambda: nn.Softmin(1), lambda t: t.Softmin(1), lambda: [_floats(3, 4)]),
    "Threshold": (lambda: nn.Threshold(0.1, 2.0), lambda t: t.Threshold(0.1, 2.0), lambda: [_floats(3, 4)]),
    "Hardshrink": (nn.Hardshrink, lambda t: t.Hardshrink(), lambda: [_floats(3, 4)]),
    "Softshrink": (nn.Softshrink, lambda t: t.Softshrink(), lambda: [_floats(3, 4)]),
    "GLU": (nn.GLU, lambda t: t.GLU(), lambda: [_floats(3, 4)]),
    "Unflatten": (lambda: nn.Unflatten(1, (2, -1)), lambda t: t.Unflatten(1, (2, -1)), lambda: [_floats(3, 4)]),
    "Dropout2d_eval": (lambda: nn.Dropout2d().eval(), lambda t: t.Dropout2d().eval(), lambda: [_floats(2, 3, 2, 2)]),
    "Upsample_nearest": (lambda: nn.Upsample(scale_factor=2), lambda t: t.Upsample(scale_factor=2),
                         lambda: [_floats(1, 2, 3, 3)]),
    "Upsample_nearest_size": (lambda: nn.Upsample(size=(5, 2)), lambda t: t.Upsample(size=(5, 2)),
                              lambda: [_floats(1, 2, 3, 3)]),
    "Upsample_bilinear": (lambda: nn.Upsample(size=(5, 4), mode="bilinear"),
                          lambda t: t.Upsample(size=(5, 4), mode="bilinear"), lambda: [_floats(1, 2, 3, 3)]),
    "Upsample_bilinear_corners": (lambda: nn.Upsample(scale_factor=1.5, mode="bilinear", align_corners=True),
                                  lambda t: t.Upsample(scale_factor=1.5, mode="bilinear", align_corners=True),
                                  lambda: [_floats(1, 2, 3, 4)]),
    "Upsample_linear": (lambda: nn.Upsample(scale_factor=2.5, mode="linear"),
                        lambda t: t.Upsample(scale_factor=2.5, mode="linear"), lambda: [_floats(2, 2, 3)]),
    "ReflectionPad2d": (lambda: nn.ReflectionPad2d((1, 2, 0, 1)), lambda t: t.ReflectionPad2d((1, 2, 0, 1)),
                        lambda: [_floats(1, 2, 3, 3)]),
    "ReplicationPad1d": (lambda: nn.ReplicationPad1d(2), lambda t: t.ReplicationPad1d(2), lambda: [_floats(2, 3, 3)]),
    "CircularPad2d": (lambda: nn.CircularPad2d(1), lambda t: t.CircularPad2d(1), lambda: [_floats(1, 2, 3, 3)]),
    "ConstantPad2d_crop": (lambda: nn.ConstantPad2d((1, -1, 2, 0), 0.5), lambda t: t.ConstantPad2d((1, -1, 2, 0), 0.5),
                           lambda: [_floats(1, 2, 3, 3)]),
    "ZeroPad2d": (lambda: nn.ZeroPad2d(1), lambda t: t.ZeroPad2d(1), lambda: [_floats(1, 1, 2, 2)]),
    "CosineSimilarity": (nn.CosineSimilarity, lambda t: t.CosineSimilarity(),
                         lambda: [_floats(3, 4), _floats(3, 4, seed=1)]),
    "PairwiseDistance": (lambda: nn.PairwiseDistance(3), lambda t: t.PairwiseDistance(3),
                         lambda: [_floats(3, 4), _floats(3, 4, seed=1)]),
    "RNN_relu_2layers": (lambda: nn.RNN(3, 4, 2, nonlinearity="relu", batch_first=True),
                         lambda t: t.RNN(3, 4, 2, nonlinearity="relu", batch_first=True), lambda: [_floats(2, 3, 3)]),
    "RNN_unbatched_h0": (lambda: nn.RNN(3, 4), lambda t: t.RNN(3, 4), lambda: [_floats(3, 3), _floats(1, 4)]),
    "LSTM_bidirectional_2layers": (lambda: nn.LSTM(3, 2, 2, batch_first=True, bidirectional=True),
                                   lambda t: t.LSTM(3, 2, 2, batch_first=True, bidirectional=True),
                                   lambda: [_floats(2, 2, 3)]),
    "GRU_bidirectional": (lambda: nn.GRU(3, 4, bidirectional=True), lambda t: t.GRU(3, 4, bidirectional=True),
                          lambda: [_floats(3, 2, 3), _floats(2, 2, 4)]),
    "GRU_nobias": (lambda: nn.GRU(3, 2, bias=False), lambda t: t.GRU(3, 2, bias=False), lambda: [_floats(3, 2, 3)]),
    "RNNCell": (lambda: nn.RNNCell(3, 4), lambda t: t.RNNCell(3, 4), lambda: [_floats(2, 3), _floats(2, 4)]),
    "LSTMCell": (lambda: nn.LSTMCell(3, 4), lambda t: t.LSTMCell(3, 4), lambda: [_floats(2, 3)]),
    "GRUCell": (lambda: nn.GRUCell(3, 4), lambda t: t.GRUCell(3, 4), lambda: [_floats(3), _floats(4)]),
    "MultiheadAttention": (lambda: Call(nn.MultiheadAttention(8, 2, batch_first=True), _mha(nn)),
                           lambda t: _torch_call(t, t.MultiheadAttention(8, 2, batch_first=True), _mha(t)),
                           lambda: [_floats(2, 4, 8)]),
    "MultiheadAttention_causal_seqfirst": (
        lambda: Call(nn.MultiheadAttention(4, 2), lambda m, x: m(x, x, x, attn_mask=CAUSAL, need_weights=False)[0]),
        lambda t: _torch_call(t, t.MultiheadAttention(4, 2), lambda m, x: m(x, x, x, attn_mask=_torch_mask(x),
                                                                            need_weights=False)[0]),
        lambda: [_floats(4, 2, 4)]),
}


def _torch_mask(x):
    import torch
    return torch.from_numpy(CAUSAL) if isinstance(x, torch.Tensor) else CAUSAL


def _flat(out, cat, reshape):
    if isinstance(out, (tuple, list)):
        return cat([_flat(o, cat, reshape) for o in out if o is not None])
    return reshape(out)


def _ours(name):
    model = LAYERS[name][0]().double()
    inputs = [thw.tensor(a, requires_grad=a.dtype.kind == "f") for a in LAYERS[name][2]()]
    return model, inputs


def _run(model, inputs):
    return _flat(model(*inputs), lambda ts: thw.cat(ts), lambda t: t.reshape(-1))


@pytest.mark.parametrize("name", LAYERS)
def test_layer_gradcheck(name):
    model, inputs = _ours(name)
    differentiable = [t for t in inputs if t.requires_grad] + list(model.parameters())
    others = [t for t in inputs if not t.requires_grad]

    def function(*args):
        return _run(model, args[:len(inputs) - len(others)] + tuple(others))

    assert thw.gradcheck(function, tuple(differentiable))


@pytest.mark.parametrize("name", LAYERS)
def test_layer_matches_torch(name, torch):
    model, inputs = _ours(name)
    torch_model = LAYERS[name][1](torch.nn).double()
    ours, theirs = list(model.named_parameters()), list(torch_model.named_parameters())
    assert [n for n, _ in ours] == [n for n, _ in theirs]
    with torch.no_grad():
        for (_, param), (_, torch_param) in zip(ours, theirs):
            torch_param.copy_(torch.from_numpy(param.numpy()))
    assert [n for n, _ in model.named_buffers()] == [n for n, _ in torch_model.named_buffers()]
    torch_inputs = [torch.tensor(t.numpy(), requires_grad=t.requires_grad) for t in inputs]
    out = _run(model, inputs)
    torch_out = _flat(torch_model(*torch_inputs), torch.cat, lambda t: t.reshape(-1))
    np.testing.assert_allclose(out.numpy(), torch_out.detach().numpy(), rtol=1e-7, atol=1e-9)
    weights = np.random.default_rng(1).normal(size=out.shape)
    (out * thw.tensor(weights)).sum().backward()
    (torch_out * torch.tensor(weights)).sum().backward()
    for ours_tensor, torch_tensor in [*zip(inputs, torch_inputs), *zip(model.parameters(), torch_model.parameters())]:
        if torch_tensor.requires_grad:
            np.testing.assert_allclose(ours_tensor.grad.numpy(), torch_tensor.grad.numpy(), rtol=1e-7, atol=1e-9)
    for (_, buffer), (_, torch_buffer) in zip(model.named_buffers(), torch_model.named_buffers()):
        np.testing.assert_allclose(buffer.numpy(), torch_buffer.numpy(), rtol=1e-7)
    assert repr(model).replace("NonDynamicallyQuantizableLinear", "Linear") == \
        repr(torch_model).replace("NonDynamicallyQuantizableLinear", "Linear")


def test_embedding_options(torch):
    weights = _floats(5, 3, low=-3, high=3)
    table = nn.Embedding.from_pretrained(thw.tensor(weights), freeze=False, padding_idx=0, max_norm=1.0)
    torch_table = torch.nn.Embedding.from_pretrained(torch.tensor(weights), freeze=False, padding_idx=0, max_norm=1.0)
    index = np.array([[0, 2, 2], [4, 0, 1]])
    out, torch_out = table(thw.tensor(index)), torch_table(torch.tensor(index))
    np.testing.assert_allclose(out.numpy(), torch_out.detach().numpy(), rtol=1e-6)
    np.testing.assert_allclose(table.weight.numpy(), torch_table.weight.detach().numpy(), rtol=1e-6)  # renormed
    out.sum().backward()
    torch_out.sum().backward()
    np.testing.assert_array_equal(table.weight.grad.numpy(), torch_table.weight.grad.numpy())
    assert not table.weight.grad.numpy()[0].any()  # the padding row learns nothing
    assert not nn.Embedding.from_pretrained(thw.tensor(weights)).weight.requires_grad
    fresh = nn.Embedding(4, 2, padding_idx=-1)
    assert fresh.padding_idx == 3 and not fresh.weight.numpy()[3].any() and fresh.weight.dtype == np.float32


def test_batch_norm_buffers_and_old_checkpoints():
    layer = nn.BatchNorm1d(3, momentum=None)
    for scale in (1.0, 3.0):
        layer(thw.tensor(_floats(4, 3) * scale).float())
    assert int(layer.num_batches_tracked.item()) == 2
    state = {k: v for k, v in layer.state_dict().items() if k != "num_batches_tracked"}
    other = nn.BatchNorm1d(3)
    assert other.load_state_dict(state).missing_keys == []  # a checkpoint from before the buffer loads
    np.testing.assert_array_equal(other.running_var.numpy(), layer.running_var.numpy())
    frozen = nn.BatchNorm2d(2, track_running_stats=False).eval()
    assert frozen.running_mean is None and list(frozen.state_dict()) == ["weight", "bias"]
    out = frozen(thw.tensor(_floats(2, 2, 3, 3) + 5))
    assert abs(out.numpy().mean()) < 1e-5  # batch statistics even in eval


def test_dropout_channels_and_float32():
    x = thw.ones(8, 16, 4, 4)
    out = nn.Dropout2d(0.5)(x).numpy()
    per_channel = out.reshape(8, 16, -1)
    assert ((per_channel == 0).all(-1) | (per_channel == 2).all(-1)).all()  # whole channels, scaled by 2
    assert 0.25 < (per_channel[..., 0] == 0).mean() < 0.75
    sample = x[0]
    assert nn.Dropout1d(0.3).eval()(sample) is sample
    for layer, inputs in ((nn.GELU(), [thw.randn(2, 3)]), (nn.LSTM(3, 4), [thw.randn(2, 1, 3)]),
                          (nn.LayerNorm(3), [thw.randn(2, 3)]),
                          (nn.MultiheadAttention(4, 2), [thw.randn(3, 1, 4)] * 3),
                          (nn.Upsample(scale_factor=2, mode="bilinear"), [thw.randn(1, 1, 2, 2)])):
        out = layer(*inputs)
        out = out[0] if isinstance(out, tuple) else out
        assert out.dtype == np.float32, type(layer).__name__


def test_multihead_attention_padding_mask_and_weights(torch):
    ours = nn.MultiheadAttention(4, 2, batch_first=True).double()
    theirs = torch.nn.MultiheadAttention(4, 2, batch_first=True).double()
    with torch.no_grad():
        for (_, a), (_, b) in zip(ours.named_parameters(), theirs.named_parameters()):
            b.copy_(torch.from_numpy(a.numpy()))
    q, kv = _floats(2, 3, 4), _floats(2, 5, 4, seed=1)
    padding = np.array([[False, False, False, True, True], [False] * 5])
    out, weights = ours(thw.tensor(q), thw.tensor(kv), thw.tensor(kv), key_padding_mask=padding,
                        average_attn_weights=False)
    t_out, t_weights = theirs(torch.tensor(q), torch.tensor(kv), torch.tensor(kv),
                              key_padding_mask=torch.tensor(padding), average_attn_weights=False)
    np.testing.assert_allclose(out.numpy(), t_out.detach().numpy(), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(weights.numpy(), t_weights.detach().numpy(), rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("function", [lambda x: F.dropout(x, 0.3), lambda x: F.dropout2d(x, 0.4),
                                      lambda x: F.dropout1d(x[0], 0.5)])
def test_dropout_gradient_is_its_mask(function):
    x = thw.tensor(_floats(2, 3, 4, 5, low=0.5, high=1.5), requires_grad=True)
    out = function(x)
    out.backward(thw.ones_like(out))
    used = x.grad.numpy() if out.shape == x.shape else x.grad.numpy()[0]
    np.testing.assert_allclose(used, out.numpy() / (x.numpy() if out.shape == x.shape else x.numpy()[0]))
    assert x.grad.dtype == np.float64
    assert set(np.unique(np.round(used, 9))) <= {0.0, round(1 / 0.7, 9), round(1 / 0.6, 9), 2.0}
