"""nn: modules, layers, activations and losses, gradchecked and compared with PyTorch."""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_hw as thw
import tinygrad_hw.nn.functional as F
from tinygrad_hw import nn

from .conftest import leaf, uwimg_matrix

# name: (thw module factory, torch module factory (given torch.nn), input shape, target kind)
LAYERS = {
    "Linear": (lambda: nn.Linear(4, 3), lambda tnn: tnn.Linear(4, 3), (5, 4)),
    "Linear_nobias_3d": (lambda: nn.Linear(4, 2, bias=False), lambda tnn: tnn.Linear(4, 2, bias=False), (2, 3, 4)),
    "ReLU": (nn.ReLU, lambda tnn: tnn.ReLU(), (3, 4)),
    "LeakyReLU": (lambda: nn.LeakyReLU(0.1), lambda tnn: tnn.LeakyReLU(0.1), (3, 4)),
    "Sigmoid": (nn.Sigmoid, lambda tnn: tnn.Sigmoid(), (3, 4)),
    "Tanh": (nn.Tanh, lambda tnn: tnn.Tanh(), (3, 4)),
    "Softmax": (lambda: nn.Softmax(dim=1), lambda tnn: tnn.Softmax(dim=1), (3, 4)),
    "LogSoftmax": (lambda: nn.LogSoftmax(dim=1), lambda tnn: tnn.LogSoftmax(dim=1), (3, 4)),
    "ELU": (nn.ELU, lambda tnn: tnn.ELU(), (3, 4)),
    "Softplus": (nn.Softplus, lambda tnn: tnn.Softplus(), (3, 4)),
    "Flatten": (nn.Flatten, lambda tnn: tnn.Flatten(), (2, 3, 4)),
    "Identity": (nn.Identity, lambda tnn: tnn.Identity(), (2, 3)),
    "Sequential": (lambda: nn.Sequential(nn.Linear(4, 5), nn.Tanh(), nn.Linear(5, 2)),
                   lambda tnn: tnn.Sequential(tnn.Linear(4, 5), tnn.Tanh(), tnn.Linear(5, 2)), (3, 4)),
}


def _copy_parameters(model, torch_model, torch):
    with torch.no_grad():
        for (name, param), (torch_name, torch_param) in zip(model.named_parameters(),
                                                            torch_model.named_parameters()):
            assert name == torch_name and param.shape == tuple(torch_param.shape)
            torch_param.copy_(torch.from_numpy(param.numpy()))


@pytest.mark.parametrize("name", LAYERS)
def test_layer_gradcheck(name):
    model = LAYERS[name][0]().double()
    x = leaf(*LAYERS[name][2], low=-2, high=2)
    assert thw.gradcheck(model, (x,))
    for param in model.parameters():  # parameter gradients, one parameter at a time
        assert thw.gradcheck(lambda p, param=param: _with_param(model, param, p, x), (param,))


def _with_param(model, param, value, x):
    saved = param._data
    param._data = value._data
    try:
        return model(x)
    finally:
        param._data = saved


@pytest.mark.parametrize("name", LAYERS)
def test_layer_matches_torch(name, torch):
    model, torch_model = LAYERS[name][0]().double(), LAYERS[name][1](torch.nn).double()
    _copy_parameters(model, torch_model, torch)
    x = leaf(*LAYERS[name][2], low=-2, high=2)
    out = model(x)
    weights = np.random.default_rng(0).normal(size=out.shape)
    (out * thw.tensor(weights)).sum().backward()
    tx = torch.tensor(x.numpy(), requires_grad=True)
    torch_out = torch_model(tx)
    (torch_out * torch.tensor(weights)).sum().backward()
    np.testing.assert_allclose(out.numpy(), torch_out.detach().numpy(), atol=1e-10)
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), atol=1e-10)
    for param, torch_param in zip(model.parameters(), torch_model.parameters()):
        np.testing.assert_allclose(param.grad.numpy(), torch_param.grad.numpy(), atol=1e-10)


def _class_target(n=5, c=4):
    return thw.tensor(np.random.default_rng(3).integers(0, c, n))


def _prob_target(n=5, c=4):
    p = np.random.default_rng(4).uniform(0.1, 1, (n, c))
    return thw.tensor(p / p.sum(1, keepdims=True))


# name: (thw loss(input, target, reduction), torch loss name, input maker, target maker)
LOSSES = {
    "cross_entropy": (F.cross_entropy, "cross_entropy", lambda: leaf(5, 4, low=-3, high=3), _class_target),
    "cross_entropy_probs": (F.cross_entropy, "cross_entropy", lambda: leaf(5, 4, low=-3, high=3), _prob_target),
    "cross_entropy_1d": (F.cross_entropy, "cross_entropy", lambda: leaf(4), lambda: thw.tensor(2)),
    "nll": (F.nll_loss, "nll_loss", lambda: leaf(5, 4, low=-3, high=-0.1), _class_target),
    "mse": (F.mse_loss, "mse_loss", lambda: leaf(3, 4),
            lambda: thw.tensor(np.random.default_rng(5).normal(size=(3, 4)))),
    "l1": (F.l1_loss, "l1_loss", lambda: leaf(3, 4), lambda: thw.tensor(np.random.default_rng(5).normal(size=(3, 4)))),
    "bce": (F.binary_cross_entropy, "binary_cross_entropy", lambda: leaf(3, 4, low=0.05, high=0.95),
            lambda: thw.tensor(np.random.default_rng(6).uniform(0, 1, (3, 4)))),
    "bce_logits": (F.binary_cross_entropy_with_logits, "binary_cross_entropy_with_logits",
                   lambda: leaf(3, 4, low=-4, high=4),
                   lambda: thw.tensor(np.random.default_rng(6).uniform(0, 1, (3, 4)))),
    "multi_margin": (F.multi_margin_loss, "multi_margin_loss", lambda: leaf(5, 4, low=-1, high=1), _class_target),
}


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("name", LOSSES)
def test_loss_gradcheck(name, reduction):
    loss, _, make_input, make_target = LOSSES[name]
    target = make_target()
    assert thw.gradcheck(lambda x: loss(x, target, reduction=reduction), (make_input(),))


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("name", LOSSES)
def test_loss_matches_torch(name, reduction, torch):
    loss, torch_name, make_input, make_target = LOSSES[name]
    x, target = make_input(), make_target()
    out = loss(x, target, reduction=reduction)
    out.backward(thw.ones_like(out))
    tx = torch.tensor(x.numpy(), requires_grad=True)
    torch_out = getattr(torch.nn.functional, torch_name)(tx, torch.tensor(target.numpy()), reduction=reduction)
    torch_out.backward(torch.ones_like(torch_out))
    np.testing.assert_allclose(out.numpy(), torch_out.detach().numpy(), atol=1e-10)
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), atol=1e-10)


def test_loss_modules_call_the_functions():
    x, target = leaf(5, 4), _class_target()
    assert nn.CrossEntropyLoss()(x, target).item() == F.cross_entropy(x, target).item()
    summed = F.multi_margin_loss(x, target, reduction="sum").item()
    assert nn.MultiMarginLoss(reduction="sum")(x, target).item() == summed
    assert nn.NLLLoss()(x, target).item() == F.nll_loss(x, target).item()
    assert repr(nn.MSELoss(reduction="sum")) == "MSELoss()"  # as PyTorch's


def test_cross_entropy_is_finite_at_huge_logits():
    logits = thw.tensor([[1e4, -1e4, 0.0], [-1e4, 1e4, 0.0]], requires_grad=True)
    loss = F.cross_entropy(logits, thw.tensor([1, 1]))
    loss.backward()
    assert np.isfinite(loss.item()) and np.isfinite(logits.grad.numpy()).all()
    np.testing.assert_allclose(loss.item(), 1e4, rtol=1e-6)


def test_bad_labels_and_shapes_are_named():
    logits = thw.randn(3, 10)
    with pytest.raises(IndexError, match=r"Target 12 is out of bounds \(10 classes"):
        F.cross_entropy(logits, thw.tensor([1, 12, 3]))
    with pytest.raises(ValueError, match=r"Expected input batch_size \(3\) to match target batch_size \(4\)"):
        F.cross_entropy(logits, thw.tensor([1, 2, 3, 4]))
    with pytest.raises(RuntimeError, match="expected target dtype to be Long"):
        F.cross_entropy(logits, thw.tensor([1.0, 2.0, 3.0]))
    with pytest.raises(TypeError, match="argument 'target' .* must be Tensor, not list"):
        F.cross_entropy(logits, [0, 2, 1])
    with pytest.raises(ValueError, match=r"input has 100 features \(shape \(2, 100\)\) but the weight expects 784"):
        nn.Linear(784, 10)(thw.randn(2, 100))
    with pytest.raises(IndexError, match="target -1"):
        F.one_hot(thw.tensor([0, -1]), 3)


def test_lecture_loss_numbers():
    scores, label = thw.tensor([[3.2, 5.1, -1.7]]), thw.tensor([0])
    assert abs(F.cross_entropy(scores, label).item() - 2.04) < 5e-3
    assert abs(F.multi_margin_loss(scores, label).item() * 3 - 2.9) < 1e-5  # lecture: no division by C
    for scores, ce in (([10, -2, 3], 0.00092), ([10, 9, 9], 0.551)):
        s = thw.tensor([scores], dtype=np.float64)
        assert F.multi_margin_loss(s, label).item() == 0
        np.testing.assert_allclose(F.cross_entropy(s, label).item(), ce, rtol=0.01)
    confident = thw.tensor([[10, -100, -100]], dtype=np.float64)
    assert F.multi_margin_loss(confident, label).item() == 0
    tiny = F.cross_entropy(confident, label).item()  # "about 1e-48": exactly log(1 + 2e^-110)
    assert 1e-49 < tiny < 1e-47
    np.testing.assert_allclose(tiny, np.log1p(2 * np.exp(-110.0)), rtol=1e-12)


def test_one_hot_and_dropout():
    assert F.one_hot(thw.tensor([0, 2]), 3).tolist() == [[1, 0, 0], [0, 0, 1]]
    x = thw.ones(1000, 100)
    layer = nn.Dropout(0.3)
    out = layer(x).numpy()
    assert abs((out == 0).mean() - 0.3) < 0.01 and set(np.unique(out)) == {0, np.float32(1 / 0.7)}
    assert out.dtype == np.float32
    layer.eval()
    assert layer(x) is x


def test_linear_default_init_bounds_like_pytorch():
    layer = nn.Linear(400, 30)
    bound = 1 / np.sqrt(400)
    assert layer.weight.shape == (30, 400) and layer.weight.dtype == np.float32
    assert np.abs(layer.weight.numpy()).max() <= bound and np.abs(layer.weight.numpy()).max() > 0.9 * bound
    assert np.abs(layer.bias.numpy()).max() <= bound


@pytest.mark.parametrize("name, args", [
    ("xavier_uniform_", {}), ("xavier_normal_", {}), ("kaiming_uniform_", {"nonlinearity": "relu"}),
    ("kaiming_normal_", {"mode": "fan_out"}), ("uniform_", {"a": -2, "b": 2}), ("normal_", {"std": 0.5})])
def test_init_statistics_follow_pytorch_rules(name, args, torch):
    ours = thw.empty(256, 128, 3, 3)
    getattr(nn.init, name)(ours, **args)
    theirs = torch.empty(256, 128, 3, 3)
    getattr(torch.nn.init, name)(theirs, **args)
    np.testing.assert_allclose(ours.numpy().std(), theirs.numpy().std(), rtol=0.02)
    if "uniform" in name:  # the bound itself
        np.testing.assert_allclose(np.abs(ours.numpy()).max(), np.abs(theirs.numpy()).max(), rtol=1e-3)
    assert nn.init.calculate_gain("leaky_relu", 0.2) == torch.nn.init.calculate_gain("leaky_relu", 0.2)
    nn.init.constant_(ours, 3.0)
    assert (ours.numpy() == 3).all()


class TwoLayer(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(4, 8)
        self.drop = nn.Dropout(0.5)
        self.fc2 = nn.Linear(8, 3)

    def forward(self, x):
        return self.fc2(self.drop(self.fc1(x).relu()))


def test_module_registration_modes_and_repr():
    model = TwoLayer()
    assert [n for n, _ in model.named_parameters()] == ["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"]
    assert [type(m).__name__ for m in model.children()] == ["Linear", "Dropout", "Linear"]
    assert len(list(model.modules())) == 4
    model.eval()
    assert not model.drop.training and not model.training
    model.train()
    assert model.drop.training
    assert repr(model) == ("TwoLayer(\n  (fc1): Linear(in_features=4, out_features=8, bias=True)\n"
                           "  (drop): Dropout(p=0.5, inplace=False)\n"
                           "  (fc2): Linear(in_features=8, out_features=3, bias=True)\n)")
    model(thw.randn(2, 4)).sum().backward()
    assert model.fc1.weight.grad is not None
    model.zero_grad()
    assert model.fc1.weight.grad is None
    seq = nn.Sequential(nn.Linear(2, 2), nn.ReLU())
    assert len(seq) == 2 and isinstance(seq[1], nn.ReLU) and [type(m) for m in seq] == [nn.Linear, nn.ReLU]
    layers = nn.ModuleList([nn.Linear(2, 2) for _ in range(3)])
    assert len(list(layers.parameters())) == 6


def test_state_dict_round_trip_and_errors():
    model, other = TwoLayer(), TwoLayer()
    other.load_state_dict(model.state_dict())
    np.testing.assert_array_equal(other.fc1.weight.numpy(), model.fc1.weight.numpy())
    state = model.state_dict()
    state["fc1.weight"] = np.zeros((3, 3))
    del state["fc2.bias"]
    state["extra"] = np.zeros(1)
    with pytest.raises(RuntimeError) as info:
        other.load_state_dict(state)
    message = str(info.value)
    assert ("size mismatch for fc1.weight: copying a param with shape torch.Size([3, 3]) from checkpoint, "
            "the shape in current model is torch.Size([8, 4])") in message
    assert 'Missing key(s) in state_dict: "fc2.bias"' in message
    assert 'Unexpected key(s) in state_dict: "extra"' in message
    del state["fc1.weight"]
    missing, unexpected = other.load_state_dict(state, strict=False)
    assert missing == ["fc1.weight", "fc2.bias"] and unexpected == ["extra"]


def test_uwimg_reference_lrelu_layer():
    """The homework's own test_hw5 layer check: out = lrelu(a @ w), then dw and dx."""
    matrix = uwimg_matrix
    a, w, delta = matrix("a"), matrix("w"), matrix("delta")
    layer = nn.Linear(64, 16, bias=False).double()
    layer.weight.data = w.T.copy()  # the homework stores w as (in, out)
    x = thw.tensor(a, requires_grad=True)
    out = nn.LeakyReLU(0.1)(layer(x))
    np.testing.assert_allclose(out.numpy(), matrix("out"), atol=0.002)
    out.backward(-delta)  # delta is the negative gradient in the homework's convention
    np.testing.assert_allclose(-layer.weight.grad.numpy().T, matrix("truth_dw"), atol=0.002)
    np.testing.assert_allclose(-x.grad.numpy(), matrix("truth_dx"), atol=0.002)
    for activation, name in ((nn.Sigmoid(), "alog"), (nn.ReLU(), "arelu"), (nn.LeakyReLU(0.1), "alrelu"),
                             (nn.Softmax(dim=1), "asoft")):
        np.testing.assert_allclose(activation(thw.tensor(a)).numpy(), matrix(name), atol=0.002)


def test_uwimg_reference_activation_gradients():
    """The homework's gradient_matrix tests: each activation's backward, given the layer output y."""
    from tinygrad_hw import ops

    matrix = uwimg_matrix
    y, delta = matrix("y"), matrix("a")
    for function, saved, kwargs, expected in ((ops.Sigmoid, y, {}, "glog"), (ops.ReLU, y, {}, "grelu"),
                                              (ops.LeakyReLU, y > 0, {"negative_slope": 0.1}, "glrelu")):
        ctx = function.__new__(function)
        ctx.save_for_backward(saved)
        ctx.__dict__.update(kwargs)
        np.testing.assert_allclose(function.backward(ctx, delta), matrix(expected), atol=0.002)
