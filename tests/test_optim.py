"""Optimizers step for step with torch.optim; the homework update rules (schedulers: test_lr_scheduler.py)."""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_hw as thw
import tinygrad_hw.nn.functional as F
from tinygrad_hw import nn, optim

from .conftest import uwimg_matrix

# name -> (class, options): every option of every optimizer appears in at least one line.
OPTIMIZERS = {
    "sgd": ("SGD", dict(lr=0.1)),
    "sgd_momentum": ("SGD", dict(lr=0.05, momentum=0.9)),
    "sgd_all": ("SGD", dict(lr=0.05, momentum=0.8, dampening=0.1, weight_decay=0.01)),
    "sgd_nesterov": ("SGD", dict(lr=0.05, momentum=0.9, nesterov=True, weight_decay=1e-3)),
    "sgd_nesterov_plain": ("SGD", dict(lr=0.05, momentum=0.9, nesterov=True)),
    "sgd_maximize": ("SGD", dict(lr=0.05, momentum=0.5, weight_decay=0.01, maximize=True)),
    "adam": ("Adam", dict(lr=0.01)),
    "adam_decay": ("Adam", dict(lr=0.01, betas=(0.8, 0.99), weight_decay=0.1)),
    "adam_amsgrad": ("Adam", dict(lr=0.01, amsgrad=True, eps=1e-6)),
    "adam_maximize": ("Adam", dict(lr=0.01, maximize=True, weight_decay=0.01)),
    "adam_decoupled": ("Adam", dict(lr=0.01, weight_decay=0.1, decoupled_weight_decay=True)),
    "adamw": ("AdamW", dict(lr=0.01)),
    "adamw_amsgrad": ("AdamW", dict(lr=0.01, betas=(0.7, 0.9), weight_decay=0.05, amsgrad=True)),
    "rmsprop": ("RMSprop", dict(lr=0.01)),
    "rmsprop_momentum": ("RMSprop", dict(lr=0.005, alpha=0.9, momentum=0.8, weight_decay=0.01)),
    "rmsprop_centered": ("RMSprop", dict(lr=0.005, eps=1e-6, centered=True)),
    "rmsprop_all": ("RMSprop", dict(lr=0.005, alpha=0.95, centered=True, momentum=0.5, maximize=True)),
    "adagrad": ("Adagrad", dict(lr=0.1)),
    "adagrad_all": ("Adagrad", dict(lr=0.1, lr_decay=0.05, weight_decay=0.01, initial_accumulator_value=0.1,
                                    eps=1e-8)),
    "adadelta": ("Adadelta", dict()),
    "adadelta_all": ("Adadelta", dict(lr=0.5, rho=0.8, eps=1e-5, weight_decay=0.01, maximize=True)),
    "adamax": ("Adamax", dict(lr=0.01)),
    "adamax_all": ("Adamax", dict(lr=0.01, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.01)),
    "nadam": ("NAdam", dict(lr=0.01)),
    "nadam_all": ("NAdam", dict(lr=0.01, betas=(0.8, 0.99), weight_decay=0.01, momentum_decay=0.01)),
    "nadam_decoupled": ("NAdam", dict(lr=0.01, weight_decay=0.1, decoupled_weight_decay=True)),
    "radam": ("RAdam", dict(lr=0.01)),
    "radam_all": ("RAdam", dict(lr=0.01, betas=(0.8, 0.9), weight_decay=0.01, eps=1e-6)),
    "radam_decoupled": ("RAdam", dict(lr=0.01, weight_decay=0.1, decoupled_weight_decay=True, maximize=True)),
}


def _make(library, name, params):
    cls, kwargs = OPTIMIZERS[name]
    return getattr(library, cls)(params, **kwargs)


def _pair_of_models(torch):
    torch.set_num_threads(1)  # tiny ops: a second thread only spins (1 s per test on a loaded 2-core machine)
    model = nn.Sequential(nn.Linear(6, 5), nn.Tanh(), nn.Linear(5, 3)).double()
    torch_model = torch.nn.Sequential(torch.nn.Linear(6, 5), torch.nn.Tanh(), torch.nn.Linear(5, 3)).double()
    with torch.no_grad():
        for param, torch_param in zip(model.parameters(), torch_model.parameters()):
            torch_param.copy_(torch.from_numpy(param.numpy()))
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(8, 6)), rng.integers(0, 3, 8)
    return model, torch_model, x, y


def _train(model, optimizer, x, y, steps):
    for _ in range(steps):
        optimizer.zero_grad()
        F.cross_entropy(model(thw.tensor(x)), thw.tensor(y)).backward()
        optimizer.step()


def _train_torch(torch, model, optimizer, x, y, steps):
    for _ in range(steps):
        optimizer.zero_grad()
        torch.nn.functional.cross_entropy(model(torch.tensor(x)), torch.tensor(y)).backward()
        optimizer.step()


def _assert_same_weights(model, torch_model, atol=1e-9):
    for param, torch_param in zip(model.parameters(), torch_model.parameters()):
        np.testing.assert_allclose(param.numpy(), torch_param.detach().numpy(), rtol=0, atol=atol)


def _train_side_by_side(torch, make, make_torch, steps=20):
    model, torch_model, x, y = _pair_of_models(torch)
    _train(model, make(model.parameters()), x, y, steps)
    _train_torch(torch, torch_model, make_torch(torch_model.parameters()), x, y, steps)
    _assert_same_weights(model, torch_model)


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_optimizer_matches_torch_for_20_steps(name, torch):
    _train_side_by_side(torch, lambda p: _make(optim, name, p), lambda p: _make(torch.optim, name, p))


def _to_torch(torch, value):
    if isinstance(value, thw.Tensor):
        return torch.from_numpy(value.numpy().copy())
    if isinstance(value, dict):
        return {key: _to_torch(torch, item) for key, item in value.items()}
    if isinstance(value, list):
        return [_to_torch(torch, item) for item in value]
    return value


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_state_dict_has_torch_layout_and_loads_both_ways(name, torch):
    """Our state_dict has PyTorch's keys; torch's loads into ours and ours into torch, and
    training goes on as if never interrupted."""
    model, torch_model, x, y = _pair_of_models(torch)
    optimizer = _make(optim, name, model.parameters())
    torch_optimizer = _make(torch.optim, name, torch_model.parameters())
    _train(model, optimizer, x, y, 5)
    _train_torch(torch, torch_model, torch_optimizer, x, y, 5)
    ours, theirs = optimizer.state_dict(), torch_optimizer.state_dict()
    assert ours["param_groups"][0].keys() == theirs["param_groups"][0].keys()
    assert [g["params"] for g in ours["param_groups"]] == [g["params"] for g in theirs["param_groups"]]
    assert ours["state"].keys() == theirs["state"].keys()
    for index, state in theirs["state"].items():
        assert ours["state"][index].keys() == state.keys()
        for key, value in state.items():
            np.testing.assert_allclose(np.asarray(ours["state"][index][key]), value.numpy(), rtol=0, atol=1e-9)
    # torch's state into a fresh one of ours, ours into a fresh torch one; 5 more steps each
    model_b, torch_model_b, _, _ = _pair_of_models(torch)
    with torch.no_grad():
        for param, torch_param, torch_param_b in zip(model_b.parameters(), torch_model.parameters(),
                                                     torch_model_b.parameters()):
            param.numpy()[...] = torch_param.numpy()
            torch_param_b.copy_(torch_param)
    resumed = _make(optim, name, model_b.parameters())
    resumed.load_state_dict(theirs)
    torch_resumed = _make(torch.optim, name, torch_model_b.parameters())
    torch_resumed.load_state_dict(_to_torch(torch, ours))
    for own_model, own_optimizer in ((model, optimizer), (model_b, resumed)):
        _train(own_model, own_optimizer, x, y, 5)
    for their_model, their_optimizer in ((torch_model, torch_optimizer), (torch_model_b, torch_resumed)):
        _train_torch(torch, their_model, their_optimizer, x, y, 5)
    for own_model in (model, model_b):
        for their_model in (torch_model, torch_model_b):
            _assert_same_weights(own_model, their_model)


@pytest.mark.parametrize("name", ["SGD", "Adam", "RMSprop", "Adagrad", "NAdam"])
def test_parameter_groups_and_add_param_group_match_torch(name, torch):
    """Per-group options, and a group added half-way (fine-tuning a frozen layer)."""
    model, torch_model, x, y = _pair_of_models(torch)
    options = {"SGD": dict(momentum=0.9), "Adam": dict(betas=(0.8, 0.99)), "RMSprop": dict(momentum=0.5),
               "Adagrad": dict(lr_decay=0.1), "NAdam": dict(momentum_decay=0.01)}[name]

    def run(library, net, train):
        layers = [m for m in net if hasattr(m, "weight")]
        optimizer = getattr(library.optim, name)([{"params": layers[0].parameters(), "lr": 0.05, **options},
                                                  {"params": [layers[1].weight]}], lr=0.01, weight_decay=0.01)
        train(net, optimizer, x, y, 4)
        optimizer.add_param_group({"params": layers[1].bias, "lr": 0.2})
        train(net, optimizer, x, y, 4)
        return optimizer

    optimizer = run(thw, model, _train)
    torch_optimizer = run(torch, torch_model, lambda *a: _train_torch(torch, *a))
    # torch keeps NAdam's running product of momenta in float32 even for float64 parameters
    _assert_same_weights(model, torch_model, atol=1e-8 if name == "NAdam" else 1e-9)
    assert [g["lr"] for g in optimizer.param_groups] == [g["lr"] for g in torch_optimizer.param_groups]
    assert [g["params"] for g in optimizer.state_dict()["param_groups"]] == [[0, 1], [2], [3]]


# A first step by hand (float64) for each optimizer, from p and g: no torch needed.
def _first_steps(p, g):
    def nadam(lr, beta1, beta2, psi, eps):
        mu, mu_next = beta1 * (1 - 0.5 * 0.96 ** psi), beta1 * (1 - 0.5 * 0.96 ** (2 * psi))
        denominator = np.abs(g) + eps  # sqrt(v / (1 - beta2)) = |g|
        return p - lr * g / denominator - lr * mu_next / (1 - mu * mu_next) * (1 - beta1) * g / denominator

    return {
        "SGD": (dict(lr=0.1, momentum=0.9, weight_decay=0.1), p - 0.1 * (g + 0.1 * p)),
        "Adam": (dict(lr=0.1), p - 0.1 * g / (np.abs(g) + 1e-8)),
        "AdamW": (dict(lr=0.1, weight_decay=0.5), p * (1 - 0.05) - 0.1 * g / (np.abs(g) + 1e-8)),
        "RMSprop": (dict(lr=0.1, alpha=0.9), p - 0.1 * g / (np.sqrt(0.1) * np.abs(g) + 1e-8)),
        "Adagrad": (dict(lr=0.1, initial_accumulator_value=0.5), p - 0.1 * g / (np.sqrt(0.5 + g * g) + 1e-10)),
        "Adadelta": (dict(rho=0.9), p - np.sqrt(1e-6) / np.sqrt(0.1 * g * g + 1e-6) * g),
        "Adamax": (dict(lr=0.1), p - 0.1 * g / (np.abs(g) + 1e-8)),
        "NAdam": (dict(lr=0.1), nadam(0.1, 0.9, 0.999, 4e-3, 1e-8)),
        "RAdam": (dict(lr=0.1), p - 0.1 * g),  # rho_1 = 1 <= 5: a plain momentum step
    }


@pytest.mark.parametrize("name", list(_first_steps(0, 0)))
def test_first_step_by_hand(name):
    rng = np.random.default_rng(3)
    p, g = rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
    kwargs, expected = _first_steps(p, g)[name]
    for maximize in (False, True):
        w = thw.tensor(p.copy(), requires_grad=True)
        w.grad = thw.tensor(-g if maximize else g)
        getattr(optim, name)([w], maximize=maximize, **kwargs).step()
        np.testing.assert_allclose(w.numpy(), expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_optimizer_goes_downhill_on_a_quadratic(name):
    """||w - target||² shrinks (with maximize=True, by climbing -||w - target||²); the closure's
    loss comes back from step(); float32 stays float32."""
    target = thw.tensor(np.linspace(-1, 1, 10, dtype=np.float32))
    w = thw.zeros(10, requires_grad=True)
    optimizer = _make(optim, name, [w])
    sign = -1 if optimizer.param_groups[0]["maximize"] else 1

    def closure():
        optimizer.zero_grad()
        loss = sign * ((w - target) ** 2).sum()
        loss.backward()
        return loss

    start = closure().item()
    for _ in range(30):
        loss = optimizer.step(closure)
    assert isinstance(loss, thw.Tensor)
    assert abs(closure().item()) < abs(start)
    assert w.dtype == np.float32 and all(
        v.dtype == np.float32 for state in optimizer.state.values() for v in state.values() if hasattr(v, "dtype"))


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_state_dict_survives_save_and_load(name, tmp_path):
    """Checkpoint after 3 steps, restore into a fresh optimizer: the next 3 steps are identical."""
    rng = np.random.default_rng(4)
    x, y = rng.normal(size=(8, 6)), rng.integers(0, 3, 8)
    model = nn.Sequential(nn.Linear(6, 5), nn.Tanh(), nn.Linear(5, 3)).double()
    optimizer = _make(optim, name, model.parameters())
    _train(model, optimizer, x, y, 3)
    thw.save(optimizer.state_dict(), tmp_path / "opt.safetensors")
    copy = nn.Sequential(nn.Linear(6, 5), nn.Tanh(), nn.Linear(5, 3)).double()
    copy.load_state_dict(model.state_dict())
    restored = _make(optim, name, copy.parameters())
    restored.param_groups[0]["lr"] = 123.0  # overwritten by the load
    restored.load_state_dict(thw.load(tmp_path / "opt.safetensors"))
    assert restored.param_groups[0]["lr"] == optimizer.param_groups[0]["lr"]
    _train(model, optimizer, x, y, 3)
    _train(copy, restored, x, y, 3)
    for a, b in zip(model.parameters(), copy.parameters()):
        np.testing.assert_array_equal(a.numpy(), b.numpy())


# (what to build, error type, PyTorch's message); `w` is a leaf that requires grad.
REFUSALS = {
    "bare_tensor": (lambda o, w: o.SGD(w, lr=0.1), TypeError,
                    "params argument given to the optimizer should be an iterable of Tensors or dicts, but got "),
    "non_leaf": (lambda o, w: o.SGD([w * 2], lr=0.1), ValueError, "can't optimize a non-leaf Tensor"),
    "empty": (lambda o, w: o.Adam([]), ValueError, "optimizer got an empty parameter list"),
    "not_a_tensor": (lambda o, w: o.SGD([1.0], lr=0.1), TypeError,
                     "optimizer can only optimize Tensors, but one of the params is float"),
    "group_not_dict": (lambda o, w: o.SGD([w], lr=0.1).add_param_group([w]), TypeError,
                       "param_group must be a dict, but got <class 'list'>"),
    "in_two_groups": (lambda o, w: o.SGD([{"params": [w]}, {"params": [w]}], lr=0.1), ValueError,
                      "some parameters appear in more than one parameter group"),
    "set_of_params": (lambda o, w: o.SGD([{"params": {w}}], lr=0.1), TypeError,
                      "optimizer parameters need to be organized in ordered collections"),
    "sgd_lr": (lambda o, w: o.SGD([w], lr=-1), ValueError, "Invalid learning rate: -1"),
    "sgd_momentum": (lambda o, w: o.SGD([w], momentum=-0.5), ValueError, "Invalid momentum value: -0.5"),
    "sgd_decay": (lambda o, w: o.SGD([w], weight_decay=-1), ValueError, "Invalid weight_decay value: -1"),
    "sgd_nesterov": (lambda o, w: o.SGD([w], momentum=0.9, dampening=0.1, nesterov=True), ValueError,
                     "Nesterov momentum requires a momentum and zero dampening"),
    "adam_lr": (lambda o, w: o.Adam([w], lr=-0.1), ValueError, "Invalid learning rate: -0.1"),
    "adam_eps": (lambda o, w: o.Adam([w], eps=-1e-8), ValueError, "Invalid epsilon value: -1e-08"),
    "adam_beta1": (lambda o, w: o.Adam([w], betas=(1.0, 0.999)), ValueError, "Invalid beta parameter at index 0: 1.0"),
    "adam_beta2": (lambda o, w: o.AdamW([w], betas=(0.9, -0.1)), ValueError,
                   "Invalid beta parameter at index 1: -0.1"),
    "adam_int_beta": (lambda o, w: o.Adam([w], betas=(0, 0.9)), ValueError,
                      "betas must be either both floats or both Tensors"),
    "adamw_decay": (lambda o, w: o.AdamW([w], weight_decay=-0.01), ValueError, "Invalid weight_decay value: -0.01"),
    "rmsprop_alpha": (lambda o, w: o.RMSprop([w], alpha=-1), ValueError, "Invalid alpha value: -1"),
    "rmsprop_momentum": (lambda o, w: o.RMSprop([w], momentum=-1), ValueError, "Invalid momentum value: -1"),
    "adagrad_lr_decay": (lambda o, w: o.Adagrad([w], lr_decay=-1), ValueError, "Invalid lr_decay value: -1"),
    "adagrad_initial": (lambda o, w: o.Adagrad([w], initial_accumulator_value=-1), ValueError,
                        "Invalid initial_accumulator_value value: -1"),
    "adadelta_rho": (lambda o, w: o.Adadelta([w], rho=1.5), ValueError, "Invalid rho value: 1.5"),
    "adamax_beta": (lambda o, w: o.Adamax([w], betas=(0.9, 1.0)), ValueError, "Invalid beta parameter at index 1: 1.0"),
    "nadam_momentum_decay": (lambda o, w: o.NAdam([w], momentum_decay=-1), ValueError,
                             "Invalid momentum_decay value: -1"),
    "radam_eps": (lambda o, w: o.RAdam([w], eps=-1), ValueError, "Invalid epsilon value: -1"),
}


@pytest.mark.parametrize("name", REFUSALS)
def test_optimizers_refuse_what_torch_refuses(name):
    build, error, message = REFUSALS[name]
    with pytest.raises(error) as caught:
        build(optim, thw.zeros(3, requires_grad=True))
    assert str(caught.value).startswith(message)


@pytest.mark.parametrize("name", REFUSALS)
def test_torch_refuses_the_same_way(name, torch):
    build, error, message = REFUSALS[name]
    with pytest.raises(error) as caught:
        build(torch.optim, torch.zeros(3, requires_grad=True))
    assert str(caught.value).startswith(message)


def test_a_bare_tensor_was_silently_useless_and_is_now_refused():
    """Issue 14: SGD(w) iterated the rows of w and never changed it."""
    w = thw.ones(2, 3, requires_grad=True)
    with pytest.raises(TypeError, match="but got tinygrad_hw"):
        optim.SGD(w, lr=0.1)


def test_duplicate_parameter_warns_as_torch(torch):
    w = thw.zeros(3, requires_grad=True)
    with pytest.warns(UserWarning, match="optimizer contains a parameter group with duplicate parameters"):
        optim.SGD([w, w], lr=0.1)
    with pytest.warns(UserWarning, match="optimizer contains a parameter group with duplicate parameters"):
        t = torch.zeros(3, requires_grad=True)
        torch.optim.SGD([t, t], lr=0.1)


def test_frozen_and_named_parameters_are_accepted_as_torch():
    """PyTorch takes tensors that do not require grad (they have no grad, so step skips them),
    and (name, tensor) pairs from named_parameters(), whose names go in the state_dict."""
    model = nn.Linear(2, 2)
    model.bias.requires_grad_(False)
    optimizer = optim.SGD(model.named_parameters(), lr=0.1)
    assert optimizer.state_dict()["param_groups"][0]["param_names"] == ["weight", "bias"]
    model(thw.ones(1, 2)).sum().backward()
    bias = model.bias.numpy().copy()
    optimizer.step()
    np.testing.assert_array_equal(model.bias.numpy(), bias)


def test_load_state_dict_refuses_a_mismatch_and_changes_nothing():
    model = nn.Linear(3, 2)
    optimizer = optim.Adam(model.parameters(), lr=0.01)
    model(thw.ones(1, 3)).sum().backward()
    optimizer.step()
    saved = optimizer.state_dict()
    other = optim.Adam(nn.Linear(4, 2).parameters(), lr=0.5)
    with pytest.raises(ValueError, match=r"optimizer state 'exp_avg' of parameter 0 has shape \(2, 3\), but the "
                                         r"parameter has shape \(2, 4\)"):
        other.load_state_dict(saved)
    assert other.param_groups[0]["lr"] == 0.5 and not other.state
    with pytest.raises(ValueError, match="different number of parameter groups"):
        optim.Adam([{"params": [model.weight]}, {"params": [model.bias]}]).load_state_dict(saved)
    with pytest.raises(ValueError, match="doesn't match the size of optimizer's group"):
        optim.Adam([model.weight]).load_state_dict(saved)


def test_repr_as_torch(torch):
    assert repr(optim.SGD([thw.zeros(2, requires_grad=True)], lr=0.1)) == \
        repr(torch.optim.SGD([torch.zeros(2, requires_grad=True)], lr=0.1))


def test_zero_grad_and_step_closure_as_torch():
    w = thw.tensor([1.0, 2.0], requires_grad=True)
    optimizer = optim.SGD([w], lr=0.5)
    assert optimizer.step() is None  # no grad yet: nothing moves
    np.testing.assert_array_equal(w.numpy(), [1.0, 2.0])

    def closure():
        optimizer.zero_grad()
        loss = (w * w).sum()
        loss.backward()
        return loss

    with thw.no_grad():  # step runs the closure with grad enabled, as torch does
        loss = optimizer.step(closure)
    assert loss.item() == 5.0
    np.testing.assert_array_equal(w.numpy(), [0.0, 0.0])
    optimizer.zero_grad(set_to_none=False)
    np.testing.assert_array_equal(w.grad.numpy(), [0.0, 0.0])


def test_param_groups_and_zero_grad():
    a, b = nn.Linear(2, 2), nn.Linear(2, 2)
    optimizer = optim.SGD([{"params": a.parameters()}, {"params": b.parameters(), "lr": 0.5}], lr=0.1)
    assert [g["lr"] for g in optimizer.param_groups] == [0.1, 0.5]
    (a(thw.ones(1, 2)).sum() + b(thw.ones(1, 2)).sum()).backward()
    optimizer.zero_grad(set_to_none=False)
    assert (a.weight.grad.numpy() == 0).all()
    optimizer.zero_grad()
    assert a.weight.grad is None
    with pytest.raises(ValueError, match="empty parameter list"):
        optim.SGD([], lr=0.1)


def test_a_new_optimizer_is_a_short_subclass():
    class SignSGD(optim.Optimizer):
        def __init__(self, params, lr=0.01):
            super().__init__(params, dict(lr=lr))

        def update(self, param, grad, group, state):
            param -= group["lr"] * np.sign(grad)

    w = thw.tensor([1.0, -1.0], requires_grad=True)
    optimizer = SignSGD([w], lr=0.25)
    (w * thw.tensor([3.0, -2.0])).sum().backward()
    optimizer.step()
    np.testing.assert_allclose(w.numpy(), [0.75, -0.75])


def _uwimg_update_by_hand(w, v, dw, rate, momentum, decay, batch):
    v = dw - decay * w + momentum * v
    return w + (rate / batch) * v, v


def test_uwimg_update_rule_is_torch_sgd():
    """v = dw - decay·w + momentum·v; w += (rate/batch)·v with dw = xᵀ(y - p) summed over the batch,
    is SGD(lr=rate, momentum, weight_decay=decay/batch) on the batch-mean cross-entropy."""
    rng = np.random.default_rng(1)
    batch, rate, momentum, decay = 16, 0.1, 0.9, 0.01
    x, labels = rng.normal(size=(batch, 5)), rng.integers(0, 3, batch)
    targets = np.eye(3)[labels]
    w_hand, v = rng.normal(size=(5, 3)) * 0.1, np.zeros((5, 3))
    w = thw.tensor(w_hand.T.copy(), requires_grad=True)  # Linear layout (out, in)
    optimizer = optim.SGD([w], lr=rate, momentum=momentum, weight_decay=decay / batch)
    for _ in range(10):
        scores = x @ w_hand
        p = np.exp(scores - scores.max(1, keepdims=True))
        p /= p.sum(1, keepdims=True)
        w_hand, v = _uwimg_update_by_hand(w_hand, v, x.T @ (targets - p), rate, momentum, decay, batch)
        optimizer.zero_grad()
        F.cross_entropy(F.linear(thw.tensor(x), w), thw.tensor(labels)).backward()
        optimizer.step()
        np.testing.assert_allclose(w.numpy().T, w_hand, atol=1e-12)


def test_lecture_update_rule_is_torch_sgd():
    """Δw' = -∂L/∂w - λw + mΔw'; w += αΔw' is SGD(lr=α, momentum=m, weight_decay=λ)."""
    rng = np.random.default_rng(2)
    alpha, lam, m = 0.05, 0.01, 0.8
    target = rng.normal(size=4)
    w_hand, delta = rng.normal(size=4), np.zeros(4)
    w = thw.tensor(w_hand.copy(), requires_grad=True)
    optimizer = optim.SGD([w], lr=alpha, momentum=m, weight_decay=lam)
    for _ in range(10):
        delta = -2 * (w_hand - target) - lam * w_hand + m * delta
        w_hand = w_hand + alpha * delta
        optimizer.zero_grad()
        ((w - thw.tensor(target)) ** 2).sum().backward()
        optimizer.step()
        np.testing.assert_allclose(w.numpy(), w_hand, atol=1e-12)


def test_uwimg_reference_update():
    """The homework's own update test: rate .01, momentum .9, decay .01 (batch 1), applied
    after the layer's backward, whose dw is `truth_dw` (= `updated_dw`)."""
    matrix = uwimg_matrix
    w = thw.tensor(matrix("w"), requires_grad=True)
    optimizer = optim.SGD([w], lr=0.01, momentum=0.9, weight_decay=0.01)
    optimizer.state[w] = {"momentum_buffer": -matrix("v")}  # PyTorch's buffer is -v
    w.grad = thw.tensor(-matrix("truth_dw"))
    optimizer.step()
    np.testing.assert_allclose(w.numpy(), matrix("updated_w"), atol=0.002)
    np.testing.assert_allclose(-optimizer.state[w]["momentum_buffer"], matrix("updated_v"), atol=0.002)


def test_optimizer_state_dict_round_trip(tmp_path):
    model = nn.Linear(3, 2)
    optimizer = optim.Adam(model.parameters(), lr=0.01)
    model(thw.ones(1, 3)).sum().backward()
    optimizer.step()
    path = tmp_path / "opt.safetensors"
    thw.save(optimizer.state_dict(), path)
    restored = optim.Adam(model.parameters(), lr=0.5)
    restored.load_state_dict(thw.load(path))
    assert restored.param_groups[0]["lr"] == 0.01 and restored.param_groups[0]["betas"] == (0.9, 0.999)
    state = restored.state[model.weight]
    assert state["step"] == 1
    np.testing.assert_array_equal(state["exp_avg"], optimizer.state[model.weight]["exp_avg"])


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_numpy_float64_hyperparameters_keep_float32_state(name):
    """lr=np.float64(0.01) (from np.logspace, say) must not make the update or the state float64."""
    cls, kwargs = OPTIMIZERS[name]
    w = thw.ones(4, requires_grad=True)
    optimizer = getattr(optim, cls)([w], **{k: np.float64(v) if type(v) is float else v for k, v in kwargs.items()})
    for _ in range(2):
        w.grad = thw.ones(4)
        optimizer.step()
    assert w.dtype == np.float32
    assert all(v.dtype == np.float32 for v in optimizer.state[w].values() if isinstance(v, np.ndarray))


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_state_arrays_keep_the_parameters_memory_layout(name):
    """Whatever order a parameter's array has (nn.Linear keeps column-major weights), its state
    arrays have the same strides, so the in-place updates stream through memory in step."""
    model = nn.Linear(7, 5)
    optimizer = _make(optim, name, model.parameters())
    for _ in range(2):
        optimizer.zero_grad()
        model(thw.ones(3, 7)).sum().backward()
        optimizer.step()
    for param in model.parameters():
        for value in optimizer.state[param].values():
            if isinstance(value, np.ndarray):
                assert value.strides == param.numpy().strides


@pytest.mark.parametrize("name", ["SGD", "Adam"])
def test_a_float32_training_step_stays_float32(name):
    model = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Flatten(), nn.Dropout(0.2), nn.Linear(4 * 4 * 4, 10))
    optimizer = getattr(optim, name)(model.parameters(), lr=0.01, weight_decay=1e-4)
    for _ in range(2):
        loss = F.cross_entropy(model(thw.randn(8, 1, 8, 8)), thw.randint(0, 10, (8,)))
        assert loss.dtype == np.float32
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    for param in model.parameters():
        assert param.dtype == np.float32 and param.grad.dtype == np.float32
    for state in optimizer.state.values():
        assert all(v.dtype == np.float32 for v in state.values() if isinstance(v, np.ndarray))
