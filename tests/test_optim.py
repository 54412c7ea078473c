"""Optimizers and schedulers step for step with torch.optim; the homework update rules."""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_hw as thw
import tinygrad_hw.nn.functional as F
from tinygrad_hw import nn, optim

from .conftest import uwimg_matrix

OPTIMIZERS = {
    "sgd": ("SGD", dict(lr=0.1)),
    "sgd_momentum": ("SGD", dict(lr=0.05, momentum=0.9)),
    "sgd_all": ("SGD", dict(lr=0.05, momentum=0.8, dampening=0.1, weight_decay=0.01)),
    "sgd_nesterov": ("SGD", dict(lr=0.05, momentum=0.9, nesterov=True, weight_decay=1e-3)),
    "adam": ("Adam", dict(lr=0.01)),
    "adam_decay": ("Adam", dict(lr=0.01, betas=(0.8, 0.99), weight_decay=0.1)),
    "adamw": ("AdamW", dict(lr=0.01)),
}


def _pair_of_models(torch):
    model = nn.Sequential(nn.Linear(6, 5), nn.Tanh(), nn.Linear(5, 3)).double()
    torch_model = torch.nn.Sequential(torch.nn.Linear(6, 5), torch.nn.Tanh(), torch.nn.Linear(5, 3)).double()
    with torch.no_grad():
        for param, torch_param in zip(model.parameters(), torch_model.parameters()):
            torch_param.copy_(torch.from_numpy(param.numpy()))
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(8, 6)), rng.integers(0, 3, 8)
    return model, torch_model, x, y


def _train_side_by_side(torch, make, make_torch, steps=20, schedule=None):
    model, torch_model, x, y = _pair_of_models(torch)
    optimizer, torch_optimizer = make(model.parameters()), make_torch(torch_model.parameters())
    scheduler = torch_scheduler = None
    if schedule:
        scheduler, torch_scheduler = schedule[0](optimizer), schedule[1](torch_optimizer)
    for _ in range(steps):
        optimizer.zero_grad()
        F.cross_entropy(model(thw.tensor(x)), thw.tensor(y)).backward()
        optimizer.step()
        torch_optimizer.zero_grad()
        torch.nn.functional.cross_entropy(torch_model(torch.tensor(x)), torch.tensor(y)).backward()
        torch_optimizer.step()
        if scheduler:
            scheduler.step()
            torch_scheduler.step()
            np.testing.assert_allclose(scheduler.get_last_lr(), torch_scheduler.get_last_lr(), atol=1e-12)
    for param, torch_param in zip(model.parameters(), torch_model.parameters()):
        np.testing.assert_allclose(param.numpy(), torch_param.detach().numpy(), atol=1e-9)
    return optimizer


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_optimizer_matches_torch_for_20_steps(name, torch):
    cls, kwargs = OPTIMIZERS[name]
    _train_side_by_side(torch, lambda p: getattr(optim, cls)(p, **kwargs),
                        lambda p: getattr(torch.optim, cls)(p, **kwargs))


SCHEDULERS = {
    "StepLR": dict(step_size=4, gamma=0.5),
    "MultiStepLR": dict(milestones=[3, 7, 12], gamma=0.3),
    "ExponentialLR": dict(gamma=0.9),
    "CosineAnnealingLR": dict(T_max=6, eta_min=0.001),
    "LambdaLR": dict(lr_lambda=lambda epoch: 1 / (1 + epoch)),
}


@pytest.mark.parametrize("name", SCHEDULERS)
def test_scheduler_matches_torch_step_by_step(name, torch):
    kwargs = SCHEDULERS[name]
    _train_side_by_side(
        torch, lambda p: optim.SGD(p, lr=0.1, momentum=0.9), lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9),
        steps=16, schedule=(lambda o: getattr(optim.lr_scheduler, name)(o, **kwargs),
                            lambda o: getattr(torch.optim.lr_scheduler, name)(o, **kwargs)))


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
