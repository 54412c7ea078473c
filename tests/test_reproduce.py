"""`tinygrad-hw reproduce`: every reproduction, short, on Digits (and a slice of the real MNIST)."""

from __future__ import annotations

import re

import numpy as np
import pytest

import tinygrad_hw as thw
from tinygrad_hw.cli import main
from tinygrad_hw.reproduce import Config, Section, fman45, run, uwimg, write_report

from .conftest import shared_data


def _column(section: Section, header: str) -> list:
    return [row[section.headers.index(header)] for row in section.rows]


@pytest.fixture(scope="module")
def digits_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("reproduce")
    thw.manual_seed(0)
    sections = run(["slides", "lectures", "uwimg", "fman45"], Config(out=out, scale=0.05, progress=False),
                   echo=lambda text: None)
    return out, sections, write_report(sections, out, "test")


def test_every_reproduction_runs_and_learns_on_digits(digits_run):
    _, sections, _ = digits_run
    by_title = {section.title: section for section in sections}
    assert {section.reproduction for section in sections} == {"slides", "lectures", "uwimg", "fman45"}
    assert all(section.seconds > 0 for section in sections)
    slides = by_title["the worked 2-layer example, one step of backprop"]
    assert all(float(d) < 1e-3 for d in _column(slides, "max difference"))
    assert any("Δw1" in line for line in by_title["the Δ tables of that step, by thw.autograd.explain"].notes)
    verdicts = by_title["gradient descent at four learning rates"]
    assert _column(verdicts, "ours") == _column(verdicts, "lecture")
    assert _column(by_title["two-layer net in 20 lines vs hand-written NumPy"],
                   "largest weight difference from hand-written NumPy") == ["0.00e+00"]
    assert _column(by_title["the AND neuron"], "rounded") == [0, 0, 0, 1]
    assert _column(by_title["softmax regression"], "test acc")[0] > 0.8
    activations = by_title["2-layer net, hidden activations"]
    assert [name.split()[-1] for name in _column(activations, "model")] == ["LINEAR", "LOGISTIC", "RELU", "LRELU",
                                                                             "SOFTMAX"]
    assert max(_column(by_title["3-layer net, weight-decay sweep, 150 iterations"], "test acc")) > 0.9  # --quick: 600
    cnn = by_title["MNIST starter CNN with the assignment's momentum rule"]
    assert _column(cnn, "test acc")[0] > 0.5


def test_the_report_has_every_table_and_embeds_every_picture(digits_run):
    out, sections, (markdown, page) = digits_run
    text, html = markdown.read_text(), page.read_text()
    pictures = [picture for section in sections for picture in section.pictures]
    assert len(pictures) >= 9 and all(picture.stat().st_size > 5_000 for picture in pictures)
    assert len(re.findall(r"src='data:image/png;base64,[A-Za-z0-9+/=]{1000,}'", html)) == len(pictures)
    assert "src='" + str(out) not in html  # nothing linked from outside the page
    for section in sections:
        assert section.title in text and section.question in text
    assert "| softmax | 0.01 | 0 |" in text and "uwimg 5.2.2.2" in text and "reported" in text
    table_lines = [line for line in text.split("```")[0::2] for line in line.splitlines()]
    assert not [line for line in table_lines if line.startswith(" [")], "a matrix cell broke a Markdown table"


def test_command_line_reproduce_writes_the_report(tmp_path, capsys):
    assert main(["reproduce", "slides", "--out", str(tmp_path), "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert out.count("Δw1 = xᵀ Δo1") == 1 and "0.6106 0.3894" in out  # printed once, not again at the end
    assert (tmp_path / "report.md").exists() and (tmp_path / "report.html").exists()
    assert "tinygrad-hw reproduce slides --out" in (tmp_path / "report.md").read_text()


@pytest.mark.parametrize("argv, message", [
    (["reproduce", "everything"], "argument what: invalid choice: 'everything'"),
    (["reproduce", "--dataset", "imagenet"], "argument --dataset: invalid choice"),
    (["reproduce", "--dataset", "mnist", "--data-dir", "/nonexistent/h9"], "there is no folder"),
])
def test_bad_reproduce_arguments_exit_2_with_one_line(capsys, argv, message):
    with pytest.raises(SystemExit) as info:
        main(argv)
    err = capsys.readouterr().err
    assert info.value.code == 2 and "Traceback" not in err
    assert [line for line in err.splitlines() if "error:" in line][0].endswith(message) or message in err


def test_a_missing_dataset_is_one_error_before_anything_runs(tmp_path, capsys):
    assert main(["reproduce", "all", "--dataset", "mnist", "--data-dir", str(tmp_path), "--out",
                 str(tmp_path / "out"), "--no-progress"]) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and "Traceback" not in captured.err
    assert captured.err.startswith("tinygrad-hw: error: MNIST: train-images-idx3-ubyte(.gz) not found")


def test_a_file_as_out_or_a_folder_where_the_report_goes_is_refused(tmp_path, capsys):
    (tmp_path / "file").write_text("x")
    with pytest.raises(SystemExit):
        main(["reproduce", "slides", "--out", str(tmp_path / "file")])
    assert "exists and is not a folder" in capsys.readouterr().err
    (tmp_path / "run" / "report.html").mkdir(parents=True)
    with pytest.raises(SystemExit):
        main(["reproduce", "slides", "--out", str(tmp_path / "run")])
    assert "report.html is a folder" in capsys.readouterr().err


def test_fman45_starter_has_the_assignments_parameter_count_and_momentum_rule():
    assert fman45.parameter_count(fman45.starter_cnn()) == 14_682
    w = thw.tensor([1.0, -2.0], dtype=thw.float64, requires_grad=True)
    optimizer = fman45.FMAN45Momentum([w], lr=0.1, momentum=0.9, weight_decay=0.01)
    m, expected = np.zeros(2), np.array([1.0, -2.0])
    for grad in ([0.5, 1.0], [-1.0, 2.0]):
        w.grad = thw.tensor(grad, dtype=thw.float64)
        optimizer.step()
        m = 0.9 * m + 0.1 * np.array(grad)
        expected = expected - 0.1 * (m + 0.01 * expected)
    np.testing.assert_allclose(w.numpy(), expected, rtol=1e-12)


def test_improved_cifar_network_trains_one_step_with_its_schedule():
    model = fman45.improved_cifar_cnn()
    optimizer = thw.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, nesterov=True)
    scheduler = thw.optim.lr_scheduler.LambdaLR(optimizer, fman45.one_cycle(100))
    rates = [fman45.one_cycle(100)(step) for step in (0, 25, 100)]
    assert rates[0] == pytest.approx(0.1) and rates[1] == pytest.approx(1.0) and rates[2] == pytest.approx(0.002)
    images, labels = thw.randn(4, 3, 32, 32), thw.tensor([0, 1, 2, 3])
    loss = thw.nn.functional.cross_entropy(model(images), labels)
    loss.backward()
    optimizer.step()
    scheduler.step()
    assert model(images).shape == (4, 10) and np.isfinite(loss.item())


def test_on_a_slice_of_the_real_mnist(tmp_path):
    config = Config(dataset="mnist", data_dir=shared_data("mnist"), out=tmp_path, scale=0.03, train_limit=3000,
                    progress=False)  # 30 softmax steps of batch 128, 90 CNN steps of batch 16
    softmax, cnn = Section("softmax"), Section("cnn")
    uwimg.softmax_regression(config, softmax)
    fman45.mnist_starter(config, cnn)
    assert _column(softmax, "test acc")[0] > 0.7
    assert _column(cnn, "test acc")[0] > 0.5 and "14,682" in _column(cnn, "parameters")[0]  # chance: 0.1


def test_the_cifar10_reproductions_on_a_slice_of_the_real_cifar10(tmp_path):
    config = Config(dataset="cifar10", data_dir=shared_data("cifar10"), out=tmp_path, scale=0.03,
                    train_limit=3000, progress=False)  # 150 starter steps of 16
    starter, improved = Section("starter"), Section("improved")
    fman45.cifar_starter(config, starter)
    fman45.cifar_improved(config, improved, width=8, epochs=40)  # 28 steps of 128 of a narrow version
    assert "48,602" in _column(starter, "parameters")[0]
    assert _column(starter, "test acc")[0] > 0.2 and _column(improved, "test acc")[0] > 0.25  # chance: 0.1
    assert len(improved.pictures) == 4 and all(picture.exists() for picture in improved.pictures)
