"""The tinygrad-hw command line."""

from __future__ import annotations

import numpy as np

from tinygrad_hw import load
from tinygrad_hw.cli import main


def test_train_on_digits_writes_model_and_pictures(tmp_path, capsys):
    assert main(["train", "--model", "softmax", "--epochs", "3", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert float(out.split("test accuracy ")[1].split(",")[0]) > 0.85
    state = load(tmp_path / "model.safetensors")
    assert state["1.weight"].shape == (10, 64) and state["1.weight"].dtype == np.float32
    assert (tmp_path / "curves.png").exists() and (tmp_path / "confusion.png").exists()


def test_missing_dataset_is_a_clear_error(tmp_path, capsys):
    assert main(["train", "--dataset", "mnist", "--data-dir", str(tmp_path)]) == 1
    assert "download=True" in capsys.readouterr().err
