"""Learning-rate schedulers: the same rates (and momenta) as torch.optim.lr_scheduler, step by step."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

import tinygrad_hw as thw
from tinygrad_hw import optim
from tinygrad_hw.optim import lr_scheduler

STEPS = 30
# a validation loss that improves, stalls, improves: ReduceLROnPlateau's input
METRICS = [1.0, 0.9, 0.8, 0.8, 0.81, 0.8, 0.85, 0.79, 0.79, 0.8, 0.8, 0.8, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.6, 0.6,
           0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6]


class Halving:
    """A callable object as lr_lambda: its attributes are saved in the scheduler's state_dict."""

    def __init__(self):
        self.every = 5

    def __call__(self, epoch):
        return 0.5 ** (epoch // self.every)


# name -> (optimizer class and options, scheduler factory taking (lr_scheduler module, optimizer))
SCHEDULERS = {
    "StepLR": ("SGD", lambda s, o: s.StepLR(o, step_size=4, gamma=0.5)),
    "MultiStepLR": ("SGD", lambda s, o: s.MultiStepLR(o, milestones=[3, 7, 7, 12], gamma=0.3)),
    "ExponentialLR": ("SGD", lambda s, o: s.ExponentialLR(o, gamma=0.9)),
    "CosineAnnealingLR": ("SGD", lambda s, o: s.CosineAnnealingLR(o, T_max=8, eta_min=0.001)),
    "CosineAnnealingWarmRestarts": ("SGD", lambda s, o: s.CosineAnnealingWarmRestarts(o, T_0=3, T_mult=2,
                                                                                      eta_min=1e-3)),
    "OneCycleLR": ("SGD", lambda s, o: s.OneCycleLR(o, max_lr=[0.5, 0.1], total_steps=STEPS + 1)),
    "OneCycleLR_three_phase_linear": ("Adam", lambda s, o: s.OneCycleLR(
        o, max_lr=0.3, epochs=4, steps_per_epoch=8, pct_start=0.25, anneal_strategy="linear", three_phase=True,
        div_factor=10.0, final_div_factor=100.0)),
    "CyclicLR": ("SGD", lambda s, o: s.CyclicLR(o, base_lr=0.01, max_lr=[0.1, 0.05], step_size_up=4)),
    "CyclicLR_triangular2": ("Adam", lambda s, o: s.CyclicLR(o, base_lr=0.01, max_lr=0.1, step_size_up=3,
                                                             step_size_down=5, mode="triangular2")),
    "CyclicLR_exp_range": ("SGD", lambda s, o: s.CyclicLR(o, base_lr=0.01, max_lr=0.1, step_size_up=4,
                                                          mode="exp_range", gamma=0.95, cycle_momentum=False)),
    "ReduceLROnPlateau": ("SGD", lambda s, o: s.ReduceLROnPlateau(o, factor=0.5, patience=2, cooldown=1,
                                                                  min_lr=[0.01, 0.0])),
    "ReduceLROnPlateau_max_abs": ("SGD", lambda s, o: s.ReduceLROnPlateau(o, mode="max", threshold=0.05,
                                                                          threshold_mode="abs", patience=1)),
    "LambdaLR": ("SGD", lambda s, o: s.LambdaLR(o, lr_lambda=[lambda epoch: 1 / (1 + epoch), Halving()])),
    "MultiplicativeLR": ("SGD", lambda s, o: s.MultiplicativeLR(o, lr_lambda=lambda epoch: 0.95)),
    "LinearLR": ("SGD", lambda s, o: s.LinearLR(o, start_factor=0.25, end_factor=0.9, total_iters=6)),
    "ConstantLR": ("SGD", lambda s, o: s.ConstantLR(o, factor=0.5, total_iters=4)),
    "PolynomialLR": ("SGD", lambda s, o: s.PolynomialLR(o, total_iters=10, power=2.0)),
    "SequentialLR": ("SGD", lambda s, o: s.SequentialLR(o, [s.LinearLR(o, start_factor=0.1, total_iters=5),
                                                            s.CosineAnnealingLR(o, T_max=10),
                                                            s.ExponentialLR(o, gamma=0.8)], milestones=[5, 15])),
    "ChainedScheduler": ("SGD", lambda s, o: s.ChainedScheduler([s.ConstantLR(o, factor=0.5, total_iters=3),
                                                                 s.ExponentialLR(o, gamma=0.9)])),
}


def _optimizer(library, kind):
    """Two parameter groups with different rates, as the schedulers must handle."""
    a, b = library.zeros(2, requires_grad=True), library.zeros(3, requires_grad=True)
    if kind == "SGD":
        return library.optim.SGD([{"params": [a]}, {"params": [b], "lr": 0.02}], lr=0.1, momentum=0.9)
    return library.optim.Adam([{"params": [a]}, {"params": [b], "lr": 0.02}], lr=0.1)


def _schedule(library, name, steps=STEPS):
    """Per step: the rates, each group's lr and momentum (or beta1), and last_epoch."""
    kind, make = SCHEDULERS[name]
    optimizer = _optimizer(library, kind)
    scheduler = make(library.optim.lr_scheduler, optimizer)
    records = []
    for epoch in range(steps):
        optimizer.step()
        if "Plateau" in name:
            scheduler.step(METRICS[epoch])
        else:
            scheduler.step()
        records.append(_record(optimizer, scheduler))
    return records, optimizer, scheduler


def _record(optimizer, scheduler):
    momenta = [group["betas"][0] if "betas" in group else group["momentum"] for group in optimizer.param_groups]
    return (list(scheduler.get_last_lr()), [group["lr"] for group in optimizer.param_groups], momenta,
            getattr(scheduler, "last_epoch", None))


@pytest.mark.parametrize("name", SCHEDULERS)
def test_scheduler_matches_torch_for_30_steps(name, torch):
    ours, _, _ = _schedule(thw, name)
    theirs, _, _ = _schedule(torch, name)
    for step, (own, their) in enumerate(zip(ours, theirs)):
        for own_values, their_values in zip(own[:3], their[:3]):
            np.testing.assert_allclose(own_values, their_values, rtol=1e-12, atol=1e-15, err_msg=f"step {step}")
        assert own[3] == their[3]


CLOSED_FORMS = ["StepLR", "MultiStepLR", "ExponentialLR", "CosineAnnealingLR", "LinearLR", "ConstantLR",
                "PolynomialLR"]


@pytest.mark.parametrize("name", SCHEDULERS)
def test_scheduler_state_dict_resumes_the_same_schedule(name, tmp_path):
    """Stop after 12 steps, save optimizer and scheduler, rebuild both, load, go on: the same
    rates as never stopping (through thw.save/thw.load where the state holds no functions)."""
    uninterrupted, _, _ = _schedule(thw, name)
    _, optimizer, scheduler = _schedule(thw, name, steps=12)
    optimizer_state, scheduler_state = optimizer.state_dict(), scheduler.state_dict()
    if name not in ("SequentialLR", "ChainedScheduler"):
        thw.save({"optimizer": optimizer_state, "scheduler": scheduler_state}, tmp_path / "checkpoint.safetensors")
        loaded = thw.load(tmp_path / "checkpoint.safetensors")
        optimizer_state, scheduler_state = loaded["optimizer"], loaded["scheduler"]
    kind, make = SCHEDULERS[name]
    optimizer = _optimizer(thw, kind)
    scheduler = make(lr_scheduler, optimizer)  # as PyTorch asks: the scheduler first, then the loads
    optimizer.load_state_dict(optimizer_state)
    scheduler.load_state_dict(scheduler_state)
    for epoch in range(12, STEPS):
        optimizer.step()
        scheduler.step(METRICS[epoch]) if "Plateau" in name else scheduler.step()
        assert _record(optimizer, scheduler) == uninterrupted[epoch], f"step {epoch}"
    if name in CLOSED_FORMS:  # what came back from the file still works in the closed form
        np.testing.assert_allclose(scheduler._get_closed_form_lr(), uninterrupted[-1][0], rtol=1e-12)


@pytest.mark.parametrize("name", CLOSED_FORMS)
def test_chainable_rates_equal_the_closed_form(name):
    """Each step multiplies the current rate; the product must be the formula of the epoch."""
    records, _, scheduler = _schedule(thw, name)
    for epoch, (rates, _, _, _) in enumerate(records, start=1):
        scheduler.last_epoch = epoch
        np.testing.assert_allclose(rates, scheduler._get_closed_form_lr(), rtol=1e-12)


def _rates(name, group=0):
    return [record[0][group] for record in _schedule(thw, name)[0]]


def test_hand_computed_schedules():
    assert _rates("StepLR") == pytest.approx([0.1 * 0.5 ** (epoch // 4) for epoch in range(1, STEPS + 1)])
    multi_step = [0.1] * 2 + [0.03] * 4 + [0.03 * 0.09] * 5 + [0.1 * 0.3 ** 4] * 2  # milestone 7 counts twice
    assert _rates("MultiStepLR")[:13] == pytest.approx(multi_step)
    cosine = _rates("CosineAnnealingLR")
    assert cosine[7] == pytest.approx(0.001) and cosine[15] == pytest.approx(0.1)  # bottom at T_max, back at 2·T_max
    restarts = _rates("CosineAnnealingWarmRestarts")  # periods 3, 6, 12: restarts at epochs 3 and 9
    assert restarts[2] == pytest.approx(0.1) and restarts[8] == pytest.approx(0.1) and restarts[7] < 0.01
    one_cycle = [0.02] + _rates("OneCycleLR")  # max_lr 0.5 / div_factor 25, peak at 0.3·31 - 1 = 8.3
    assert one_cycle[0] == pytest.approx(0.02) and max(one_cycle) == pytest.approx(0.5, rel=0.01)
    assert one_cycle[-1] == pytest.approx(0.02 / 1e4)
    cyclic = _rates("CyclicLR")  # up over 4 steps, down over 4
    assert cyclic[3] == pytest.approx(0.1) and cyclic[7] == pytest.approx(0.01) and cyclic[1] == pytest.approx(0.055)
    linear = _rates("LinearLR")
    assert linear[:6] == pytest.approx([0.1 * (0.25 + 0.65 * e / 6) for e in range(1, 7)])
    assert linear[-1] == pytest.approx(0.09)
    sequential = _rates("SequentialLR")
    assert sequential[4] == pytest.approx(0.1) and sequential[14] == pytest.approx(0.1)
    assert sequential[15] == pytest.approx(0.08)


def test_reduce_lr_on_plateau_by_hand():
    records, _, scheduler = _schedule(thw, "ReduceLROnPlateau")
    rates = [record[0] for record in records]
    # best 0.8 at the 3rd step; the 4th, 5th and 6th are not 1e-4 better: 3 > patience, halve at the 6th
    assert rates[4] == [0.1, 0.02] and rates[5] == [0.05, 0.01] and rates[6] == [0.05, 0.01]  # then a cooldown
    assert min(rate[0] for rate in rates) == 0.01  # the first group's floor (min_lr)
    assert scheduler.best == 0.6 and scheduler.last_epoch == STEPS


def test_scheduler_refusals_as_torch():
    optimizer = _optimizer(thw, "SGD")
    cases = [
        (lambda: lr_scheduler.StepLR("not an optimizer", 3), TypeError, "str is not an Optimizer"),
        (lambda: lr_scheduler.ReduceLROnPlateau(optimizer, factor=1.0), ValueError, "Factor should be < 1.0."),
        (lambda: lr_scheduler.ReduceLROnPlateau(optimizer, mode="up"), ValueError, "mode up is unknown!"),
        (lambda: lr_scheduler.LinearLR(optimizer, start_factor=0), ValueError, "Starting multiplicative factor"),
        (lambda: lr_scheduler.CosineAnnealingWarmRestarts(optimizer, T_0=0), ValueError,
         "Expected positive integer T_0, but got 0"),
        (lambda: lr_scheduler.OneCycleLR(optimizer, max_lr=0.1), ValueError,
         "You must define either total_steps OR (epochs AND steps_per_epoch)"),
        (lambda: lr_scheduler.OneCycleLR(optimizer, max_lr=[0.1], total_steps=5), ValueError,
         "max_lr must have the same length as optimizer.param_groups. max_lr has 1 values, param_groups has 2."),
        (lambda: lr_scheduler.LambdaLR(optimizer, [lambda e: 1.0]), ValueError, "Expected 2 lr_lambdas, but got 1"),
        (lambda: lr_scheduler.SequentialLR(optimizer, [lr_scheduler.StepLR(optimizer, 2)], milestones=[3]),
         ValueError, "Sequential Schedulers expects number of schedulers provided to be one more"),
        (lambda: lr_scheduler.CyclicLR(optim.Adagrad([thw.zeros(1, requires_grad=True)]), 0.01, 0.1), ValueError,
         "optimizer must support momentum or beta1 with `cycle_momentum` option enabled"),
    ]
    for build, error, message in cases:
        with pytest.raises(error) as caught:
            build()
        assert str(caught.value).startswith(message)
    scheduler = lr_scheduler.OneCycleLR(optimizer, max_lr=0.1, total_steps=2)
    optimizer.step()
    scheduler.step()
    scheduler.step()
    with pytest.raises(ValueError, match="Tried to step 3 times. The specified number of total steps is 2"):
        scheduler.step()


def test_a_scheduler_stepped_before_the_optimizer_warns_as_torch(torch):
    for library in (thw, torch):
        scheduler = library.optim.lr_scheduler.StepLR(_optimizer(library, "SGD"), step_size=2)
        with pytest.warns(UserWarning, match=r"Detected call of `lr_scheduler.step\(\)` before `optimizer.step\(\)`"):
            scheduler.step()
        scheduler = library.optim.lr_scheduler.StepLR(_optimizer(library, "SGD"), step_size=2)
        scheduler.optimizer.step()
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            scheduler.step()


def test_step_with_an_epoch_uses_the_closed_form_and_warns():
    scheduler = lr_scheduler.StepLR(_optimizer(thw, "SGD"), step_size=3, gamma=0.1)
    scheduler.optimizer.step()
    with pytest.warns(UserWarning, match="The epoch parameter in `scheduler.step\\(\\)` was not necessary"):
        scheduler.step(7)
    assert scheduler.get_last_lr() == pytest.approx([0.1 * 0.01, 0.02 * 0.01]) and scheduler.last_epoch == 7
    with pytest.warns(UserWarning, match="please use `get_last_lr\\(\\)`"):
        scheduler.get_lr()


def test_a_new_scheduler_is_a_short_subclass():
    class HalfEveryEpoch(lr_scheduler.LRScheduler):
        def get_lr(self):
            return [g["lr"] if self.last_epoch == 0 else g["lr"] / 2 for g in self.optimizer.param_groups]

    optimizer = _optimizer(thw, "SGD")
    scheduler = HalfEveryEpoch(optimizer)
    for _ in range(3):
        optimizer.step()
        scheduler.step()
    assert scheduler.get_last_lr() == [0.1 / 8, 0.02 / 8] and scheduler.last_epoch == 3


def test_a_cosine_schedule_drives_gradient_descent():
    """w ← w·(1 - 2·lr_e) with the cosine rates lr_e, ending at eta_min."""
    w = thw.tensor([3.0], requires_grad=True)
    optimizer = optim.SGD([w], lr=0.1)
    scheduler = lr_scheduler.CosineAnnealingLR(optimizer, T_max=20, eta_min=0.0)
    for _ in range(20):
        optimizer.zero_grad()
        (w * w).sum().backward()
        optimizer.step()
        scheduler.step()
    expected = 3.0 * math.prod(1 - 2 * (1 + math.cos(math.pi * e / 20)) / 2 * 0.1 for e in range(20))
    assert w.item() == pytest.approx(expected, rel=1e-6) and scheduler.get_last_lr()[0] == pytest.approx(0.0)
