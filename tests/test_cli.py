"""The tinygrad-hw command line: good runs, and bad input answered with one line, never a traceback."""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_hw.cli as cli
from tinygrad_hw import load
from tinygrad_hw.cli import main
from tinygrad_hw.data import MNIST

from .test_data import make_mnist


def test_train_on_digits_writes_model_and_pictures(tmp_path, capsys):
    assert main(["train", "--model", "softmax", "--epochs", "3", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert float(out.split("test accuracy ")[1].split(",")[0]) > 0.85
    state = load(tmp_path / "model.safetensors")
    assert state["1.weight"].shape == (10, 64) and state["1.weight"].dtype == np.float32
    assert (tmp_path / "curves.png").exists() and (tmp_path / "confusion.png").exists()


def _refused(capsys, argv, message):
    """The run exits 2 before any work, with argparse's one error line and no traceback."""
    with pytest.raises(SystemExit) as info:
        main(argv)
    captured = capsys.readouterr()
    assert info.value.code == 2
    assert captured.out == ""  # nothing was trained (the model is printed first thing)
    errors = [line for line in captured.err.splitlines() if "error:" in line]
    assert len(errors) == 1 and "Traceback" not in captured.err, captured.err
    assert errors[0].startswith("tinygrad-hw train: error: ") or errors[0].startswith("tinygrad-hw download")
    assert message in errors[0], errors[0]


@pytest.mark.parametrize("option, value, message", [
    ("--batch-size", "0", "argument --batch-size: must be a whole number at least 1, got '0'"),
    ("--batch-size", "-5", "must be a whole number at least 1"),
    ("--batch-size", "2.5", "got '2.5'"),
    ("--lr", "-1", "argument --lr: must be a number greater than 0, got '-1'"),
    ("--lr", "0", "greater than 0"),
    ("--lr", "nan", "got 'nan'"),
    ("--lr", "inf", "got 'inf'"),
    ("--lr", "fast", "got 'fast'"),
    ("--epochs", "0", "argument --epochs: must be a whole number at least 1, got '0'"),
    ("--epochs", "-1", "got '-1'"),
    ("--momentum", "-0.5", "argument --momentum: must be a number at least 0"),
    ("--weight-decay", "-1e-4", "argument --weight-decay"),
    ("--seed", "-3", "argument --seed: must be a whole number at least 0"),
    ("--dataset", "imagenet", "argument --dataset: invalid choice"),
])
def test_bad_arguments_exit_2_with_one_line(tmp_path, capsys, option, value, message):
    _refused(capsys, ["train", option, value, "--out", str(tmp_path / "out")], message)


def test_an_unusable_output_folder_is_refused_before_training(tmp_path, capsys):
    (tmp_path / "file").write_text("x")
    _refused(capsys, ["train", "--out", str(tmp_path / "file")], "exists and is not a folder")
    _refused(capsys, ["train", "--out", str(tmp_path / "file" / "sub")], "cannot create the folder")
    (tmp_path / "run" / "model.safetensors").mkdir(parents=True)
    _refused(capsys, ["train", "--out", str(tmp_path / "run")], "model.safetensors is a folder")


def test_an_unusable_data_folder_is_refused_up_front(tmp_path, capsys):
    (tmp_path / "file").write_text("x")
    _refused(capsys, ["train", "--dataset", "mnist", "--data-dir", str(tmp_path / "file")], "is not a folder")
    _refused(capsys, ["train", "--dataset", "mnist", "--data-dir", str(tmp_path / "nowhere")],
             "there is no folder")
    _refused(capsys, ["train", "--dataset", "mnist", "--data-dir", str(tmp_path / "nowhere")], "add --download")
    _refused(capsys, ["download", "mnist", "--data-dir", str(tmp_path / "file")], "is not a folder")


@pytest.mark.parametrize("layout", ["root", "own-folder", "torchvision"])
def test_data_dir_is_the_data_root_or_the_datasets_own_folder(tmp_path, capsys, layout):
    folder = {"root": tmp_path / "mnist", "own-folder": tmp_path / "mnist",
              "torchvision": tmp_path / "MNIST" / "raw"}[layout]
    folder.mkdir(parents=True)
    make_mnist(folder)
    data_dir = tmp_path / "mnist" if layout == "own-folder" else tmp_path
    argv = ["train", "--dataset", "mnist", "--data-dir", str(data_dir), "--model", "softmax", "--epochs", "1",
            "--out", str(tmp_path / "out")]
    assert main(argv) == 0
    assert "test accuracy" in capsys.readouterr().out


def test_missing_dataset_says_how_to_download_it(tmp_path, capsys):
    assert main(["train", "--dataset", "mnist", "--data-dir", str(tmp_path), "--out", str(tmp_path / "o")]) == 1
    err = capsys.readouterr().err
    assert "--download" in err and "Traceback" not in err and err.startswith("tinygrad-hw: error: ")


def test_corrupt_dataset_is_one_error_naming_the_file(tmp_path, capsys):
    make_mnist(tmp_path)
    (tmp_path / "train-images-idx3-ubyte.gz").write_bytes(b"not gzip")
    assert main(["train", "--dataset", "mnist", "--data-dir", str(tmp_path), "--out", str(tmp_path / "o")]) == 1
    err = capsys.readouterr().err
    assert "train-images-idx3-ubyte.gz: cannot read or decompress" in err and "Traceback" not in err


def test_failed_download_is_one_error(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(MNIST, "mirrors", ["http://127.0.0.1:9/"])  # the discard port: connection refused
    assert main(["download", "mnist", "--data-dir", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "could not download train-images-idx3-ubyte.gz" in err and "Traceback" not in err


def test_a_failing_write_after_training_is_one_error(tmp_path, capsys, monkeypatch):
    def full_disk(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cli, "save", full_disk)
    assert main(["train", "--model", "softmax", "--epochs", "1", "--out", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err.splitlines()[-1] == "tinygrad-hw: error: [Errno 28] No space left on device" and "Traceback" not in err


def test_train_curves_use_a_held_out_validation_split(tmp_path, capsys):
    _refused(capsys, ["train", "--val-split", "1.5", "--out", str(tmp_path / "o")],
             "argument --val-split: must be a number from 0 up to (not including) 1, got '1.5'")
    assert main(["train", "--model", "softmax", "--epochs", "1", "--val-split", "0.2", "--out", str(tmp_path)]) == 0
    assert (tmp_path / "curves.png").stat().st_size > 20_000
