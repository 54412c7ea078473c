"""ImageListDataset (the uwimg homework's format) on names and files that could fool it."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from tinygrad_hw.data import DatasetError, ImageListDataset


def make_list(tmp_path, names, labels, pixels=None, encoding="utf-8"):
    folder = tmp_path / "train"
    folder.mkdir(exist_ok=True)
    for i, name in enumerate(names):
        image = np.full((4, 4), 10 * i, np.uint8) if pixels is None else pixels[i]
        Image.fromarray(image).save(folder / name)
    (tmp_path / "train.list").write_text("".join(f"train/{name}\n" for name in names), encoding=encoding)
    (tmp_path / "labels.txt").write_text("\n".join(labels) + "\n", encoding=encoding)
    return tmp_path / "train.list", tmp_path / "labels.txt"


@pytest.mark.parametrize("labels, names, expected", [
    ([str(d) for d in range(10)], ["img1000_5.png", "img1000_0.png", "7.png", "x-10-3.png"], ["5", "0", "7", "3"]),
    ([f"num{d}" for d in range(13)], ["1-num10.png", "2-num1.png", "3-num12.png"], ["num10", "num1", "num12"]),
    (["Ankle boot", "boot", "Bag"], ["3_Ankle boot.png", "4_boot.png", "5_Bag.png"], ["Ankle boot", "boot", "Bag"]),
    (["deer", "png"], ["32270_deer.png"], ["deer"]),  # the extension is not part of the name
    (["dog", "cat"], ["1_cat.png", "2_dog.png", "hotdog_3_dog.png"], ["cat", "dog", "dog"]),
])
def test_labels_are_whole_words_of_the_file_name(tmp_path, labels, names, expected):
    data = ImageListDataset(*make_list(tmp_path, names, labels))
    assert [data.classes[t] for t in data.targets] == expected


@pytest.mark.parametrize("name, labels, candidates", [
    ("cat_and_dog.png", ["dog", "cat"], "dog, cat"),
    ("x-1-3.png", [str(d) for d in range(10)], "1, 3"),
    ("a_num1_num2.png", ["num1", "num2", "num12"], "num1, num2"),
])
def test_unrelated_labels_in_one_name_are_an_error_naming_file_and_candidates(tmp_path, name, labels, candidates):
    with pytest.raises(DatasetError, match=rf"{name}: its file name matches several labels of "
                                           rf".*labels.txt \({candidates}\)"):
        ImageListDataset(*make_list(tmp_path, [name], labels))


def test_no_label_as_a_whole_word_is_named(tmp_path):
    with pytest.raises(DatasetError, match=r"img1000.png: its file name contains none of the 10 labels"):
        ImageListDataset(*make_list(tmp_path, ["img1000.png"], [str(d) for d in range(10)]))


def test_duplicate_labels_are_an_error(tmp_path):
    with pytest.raises(DatasetError, match=r"labels.txt lists the same label more than once \(cat, dog\)"):
        ImageListDataset(*make_list(tmp_path, ["1_cat.png"], ["cat", "dog", "cat", "bird", "dog"]))


def test_byte_order_mark_is_ignored(tmp_path):
    data = ImageListDataset(*make_list(tmp_path, ["1_cat.png", "2_dog.png"], ["cat", "dog"], encoding="utf-8-sig"))
    assert data.classes == ["cat", "dog"] and data.targets.tolist() == [0, 1]


@pytest.mark.parametrize("which", ["train.list", "labels.txt"])
def test_undecodable_text_file_is_a_dataset_error_naming_it(tmp_path, which):
    make_list(tmp_path, ["1_cat.png"], ["cat"])
    (tmp_path / which).write_bytes(b"train/1_cat.png\n\xff\xfe\xc3(\n")
    with pytest.raises(DatasetError, match=which + " is not a UTF-8 text file"):
        ImageListDataset(tmp_path / "train.list", tmp_path / "labels.txt")


def test_sixteen_bit_images_are_scaled_not_clipped(tmp_path):
    deep = np.array([[0, 1000], [32768, 65535]], np.uint16)
    shallow = np.array([[0, 20], [128, 255]], np.uint8)
    data = ImageListDataset(*make_list(tmp_path, ["1_cat.png", "2_dog.png"], ["cat", "dog"], [deep, shallow]))
    assert Image.open(tmp_path / "train" / "1_cat.png").mode.startswith("I")  # really a 16-bit file
    image, _ = data[0]
    assert image.dtype == np.float32
    np.testing.assert_allclose(image[0], deep / 65535, rtol=1e-6)
    np.testing.assert_allclose(data[1][0][0], shallow / 255, rtol=1e-6)  # 8-bit images keep their values
    alone = ImageListDataset(*make_list(tmp_path / "..", ["1_cat.png"], ["cat"], [deep]))
    np.testing.assert_allclose(alone[0][0][0], deep / 65535, rtol=1e-6)
