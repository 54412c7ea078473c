"""The training helper: learns, records history, stops on NaN, evaluates."""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_hw as thw
from tinygrad_hw import nn, optim
from tinygrad_hw.data import Digits, TensorDataset
from tinygrad_hw.train import evaluate, fit, predict


def _mlp():
    return nn.Sequential(nn.Flatten(), nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10))


def test_fit_by_epochs_learns_digits_with_validation_and_scheduler():
    model = _mlp()
    optimizer = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    scheduler = optim.lr_scheduler.StepLR(optimizer, step_size=3, gamma=0.5)
    history = fit(model, Digits(), optimizer, epochs=6, batch_size=32, val_data=Digits(train=False),
                  scheduler=scheduler, progress=False)
    assert history["epoch"] == [1, 2, 3, 4, 5, 6] and history["lr"] == [0.1, 0.1, 0.1, 0.05, 0.05, 0.05]
    assert history["loss"][-1] < history["loss"][0] / 3
    assert history["val_accuracy"][-1] > 0.9
    result = evaluate(model, Digits(train=False))
    assert result["accuracy"] == history["val_accuracy"][-1] and len(result["predictions"]) == 360
    assert predict(model, Digits(train=False)).shape == (360, 10)
    assert model.training


def test_fit_by_iterations_with_random_batches():
    model = _mlp()
    history = fit(model, Digits(), optim.SGD(model.parameters(), lr=0.1), iterations=100, batch_size=16,
                  log_every=25, progress=False)
    assert history["step"] == [25, 50, 75, 100] and history["epoch"] == []


def test_fit_stops_on_nan_with_a_clear_message():
    x = np.random.default_rng(0).normal(size=(64, 4)).astype(np.float32)
    x[20, 1] = np.nan  # one bad sample
    data = TensorDataset(x, np.arange(64) % 3)
    model = nn.Sequential(nn.Linear(4, 3))
    with pytest.warns(RuntimeWarning, match=r"loss became nan at step 3 \(epoch 1\) with learning rate 0.5"):
        history = fit(model, data, optim.SGD(model.parameters(), lr=0.5), epochs=5, batch_size=8, progress=False)
    assert "stopped_early" in history and history["loss"] == []
    assert np.isfinite(model[0].weight.numpy()).all()  # the bad step was not applied


def test_progress_bar_shows_loss(capsys):
    model = _mlp()
    thw.manual_seed(0)
    fit(model, Digits(), optim.SGD(model.parameters(), lr=0.1), epochs=1, batch_size=64, progress=True)
    assert "loss=" in capsys.readouterr().err


def test_fit_with_a_validation_split():
    model = _mlp()
    history = fit(model, Digits(), optim.SGD(model.parameters(), lr=0.1, momentum=0.9), epochs=2,
                  batch_size=32, val_split=0.2, progress=False)
    assert len(history["val_accuracy"]) == 2 and history["val_accuracy"][-1] > 0.8
    with pytest.raises(ValueError, match="val_split"):
        fit(model, Digits(), optim.SGD(model.parameters(), lr=0.1), val_split=0.2, val_data=Digits(train=False))
