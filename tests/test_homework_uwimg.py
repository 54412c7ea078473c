"""The uwimg homework's Python API on tinygrad_hw: its reference matrices and its driver."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

import tinygrad_hw as thw
from tinygrad_hw.data import Digits
from tinygrad_hw.homework import uwimg
from tinygrad_hw.homework.uwimg import (LINEAR, LOGISTIC, LRELU, RELU, SOFTMAX, accuracy_model, activate_matrix,
                                        backward_layer, forward_layer, gradient_matrix, make_layer, make_model,
                                        train_model, update_layer)

from .conftest import uwimg_matrix

TOLERANCE = 0.002  # the homework's own test.c


@pytest.mark.parametrize("activation, expected", [(LOGISTIC, "alog"), (RELU, "arelu"), (LRELU, "alrelu"),
                                                  (SOFTMAX, "asoft")])
def test_activate_matrix_gives_the_reference(activation, expected):
    np.testing.assert_allclose(activate_matrix(uwimg_matrix("a"), activation), uwimg_matrix(expected),
                               atol=TOLERANCE)


@pytest.mark.parametrize("activation, expected", [(LOGISTIC, "glog"), (RELU, "grelu"), (LRELU, "glrelu"),
                                                  (SOFTMAX, "gsoft")])
def test_gradient_matrix_gives_the_reference(activation, expected):
    result = gradient_matrix(uwimg_matrix("y"), activation, uwimg_matrix("a"))
    np.testing.assert_allclose(result, uwimg_matrix(expected), atol=TOLERANCE)


def _reference_layer():
    layer = make_layer(64, 16, LRELU)
    with thw.no_grad():
        layer.w.copy_(thw.tensor(uwimg_matrix("w").astype(np.float32)))
    return layer


def test_forward_backward_update_layer_give_the_reference_by_backward_and_sgd():
    layer = _reference_layer()
    np.testing.assert_allclose(forward_layer(layer, uwimg_matrix("a")), uwimg_matrix("out"), atol=TOLERANCE)
    dx = backward_layer(layer, uwimg_matrix("delta"))
    np.testing.assert_allclose(layer.dw, uwimg_matrix("truth_dw"), atol=TOLERANCE)
    np.testing.assert_allclose(dx, uwimg_matrix("truth_dx"), atol=TOLERANCE)
    layer.v = uwimg_matrix("v")  # the update uses the dw that backward_layer left (as test.c does)
    w_before = layer._w64.detach().numpy().copy()
    update_layer(layer, 0.01, 0.9, 0.01)
    np.testing.assert_allclose(layer.v, uwimg_matrix("updated_v"), atol=TOLERANCE)
    np.testing.assert_allclose(layer.w.numpy(), uwimg_matrix("updated_w"), atol=TOLERANCE)
    np.testing.assert_allclose(layer.dw, uwimg_matrix("updated_dw"), atol=TOLERANCE)
    # and the rule itself, written out, on the same numbers
    v = uwimg_matrix("truth_dw") - 0.01 * w_before + 0.9 * uwimg_matrix("v")
    np.testing.assert_allclose(layer.v, v, atol=1e-4)  # w was float32


def test_linear_activation_and_bad_activation():
    np.testing.assert_array_equal(activate_matrix([[-1.0, 2.0]], LINEAR), [[-1.0, 2.0]])
    with pytest.raises(ValueError, match="unknown activation 7"):
        make_layer(3, 2, 7)
    with pytest.raises(ValueError, match="feeds a layer of 5 inputs"):
        make_model([make_layer(3, 4, RELU), make_layer(5, 2, SOFTMAX)])


def _write_image_lists(tmp_path):
    """Digits as the homework's PNG files and image lists (mnist.train / mnist.test / mnist.labels)."""
    (tmp_path / "digits").mkdir()
    lists = {}
    for split, dataset in (("train", Digits(train=True)), ("test", Digits(train=False))):
        lines = []
        for i, (image, label) in enumerate(zip(dataset.data, dataset.targets)):
            path = tmp_path / "digits" / f"{split}_{i}_num{label}.png"
            Image.fromarray((image.astype(np.uint16) * 255 // 16).astype(np.uint8)).save(path)
            lines.append(str(path))
        lists[split] = tmp_path / f"digits.{split}"
        lists[split].write_text("\n".join(lines) + "\n")
    (tmp_path / "digits.labels").write_text("\n".join(f"num{d}" for d in range(10)) + "\n")
    return lists["train"], lists["test"], tmp_path / "digits.labels"


def test_the_homeworks_driver_runs_with_one_import_changed(tmp_path):
    train_list, test_list, labels = _write_image_lists(tmp_path)
    driver = f"""
from tinygrad_hw.homework.uwimg import *

def softmax_model(inputs, outputs):
    l = [make_layer(inputs, outputs, SOFTMAX)]
    return make_model(l)

def neural_net(inputs, outputs):
    print(inputs)
    l = [make_layer(inputs, 32, LRELU),
            make_layer(32, outputs, SOFTMAX)]
    return make_model(l)

print("loading data...")
train = load_classification_data({str(train_list).encode()!r}, {str(labels).encode()!r}, 1)
test  = load_classification_data({str(test_list).encode()!r}, {str(labels).encode()!r}, 1)
print("done")
print()

print("training model...")
batch = 128
iters = 300
rate = .1
momentum = .9
decay = .0

m = neural_net(train.X.cols, train.y.cols)
train_model(m, train, batch, iters, rate, momentum, decay)
print("done")
print()

print("evaluating model...")
print("training accuracy: %f", accuracy_model(m, train))
print("test accuracy:     %f", accuracy_model(m, test))
RESULT = accuracy_model(m, test)
"""
    namespace: dict = {}
    exec(compile(driver, "tryhw5.py", "exec"), namespace)
    assert namespace["train"].X.cols == 65 and namespace["train"].y.cols == 10
    assert namespace["RESULT"] > 0.9


def test_train_model_is_sgd_with_decay_over_batch():
    data = uwimg.data_from_arrays(Digits(train=True).get_batch(slice(None))[0], Digits(train=True).targets,
                                  Digits.classes)
    model = make_model([make_layer(65, 10, SOFTMAX)])
    history = train_model(model, data, 64, 200, 0.1, 0.9, 0.01)
    assert accuracy_model(model, data) > 0.9 and history["loss"][-1] < history["loss"][0]
    with pytest.raises(ValueError, match="SOFTMAX last layer"):
        train_model(make_model([make_layer(65, 10, RELU)]), data, 64, 1, 0.1, 0.9, 0)
