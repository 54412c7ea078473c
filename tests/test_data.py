"""Datasets in their official formats, the loader, transforms and downloads."""

from __future__ import annotations

import gzip
import hashlib
import http.server
import io
import tarfile
import threading

import numpy as np
import pytest
from PIL import Image

import tinygrad_hw as thw
from tinygrad_hw.data import (CIFAR10, MNIST, DataLoader, DatasetError, Digits, FashionMNIST,
                              ImageListDataset, RandomSampler, TensorDataset, download, random_split,
                              transforms)

from .conftest import shared_data


def write_idx(path, array, magic_dims=None, compress=True):
    dims = array.ndim if magic_dims is None else magic_dims
    raw = (0x800 + dims).to_bytes(4, "big") + b"".join(int(n).to_bytes(4, "big") for n in array.shape)
    raw += array.astype(np.uint8).tobytes()
    path.write_bytes(gzip.compress(raw) if compress else raw)


def make_mnist(folder, count=20, compress=True):
    rng = np.random.default_rng(0)
    images, labels = rng.integers(0, 256, (count, 28, 28)), rng.integers(0, 10, count)
    suffix = ".gz" if compress else ""
    for prefix in ("train", "t10k"):
        write_idx(folder / f"{prefix}-images-idx3-ubyte{suffix}", images, compress=compress)
        write_idx(folder / f"{prefix}-labels-idx1-ubyte{suffix}", labels, compress=compress)
    return images, labels


@pytest.mark.parametrize("compress", [True, False])
def test_mnist_reads_idx_files(tmp_path, compress):
    images, labels = make_mnist(tmp_path, compress=compress)
    train = MNIST(tmp_path)
    assert len(train) == 20 and train.data.shape == (20, 28, 28)
    np.testing.assert_array_equal(train.targets, labels)
    image, label = train[3]
    assert image.shape == (1, 28, 28) and image.dtype == np.float32 and label == labels[3]
    np.testing.assert_allclose(image[0], images[3] / 255, rtol=1e-6)


def test_mnist_in_torchvision_layout_and_fashion(tmp_path):
    raw = tmp_path / "FashionMNIST" / "raw"
    raw.mkdir(parents=True)
    make_mnist(raw)
    data = FashionMNIST(tmp_path, train=False)
    assert len(data) == 20 and data.classes[9] == "Ankle boot"


def test_mnist_bad_files_are_named(tmp_path):
    make_mnist(tmp_path)
    path = tmp_path / "train-labels-idx1-ubyte.gz"
    write_idx(path, np.zeros(20), magic_dims=3)
    with pytest.raises(DatasetError, match=r"train-labels-idx1-ubyte.gz: wrong magic number 0x00000803"):
        MNIST(tmp_path)
    raw = (0x803).to_bytes(4, "big") + b"".join(n.to_bytes(4, "big") for n in (20, 28, 28)) + bytes(100)
    (tmp_path / "train-images-idx3-ubyte.gz").write_bytes(gzip.compress(raw))
    with pytest.raises(DatasetError, match=r"train-images-idx3-ubyte.gz: header promises .*truncated"):
        MNIST(tmp_path)
    (tmp_path / "train-images-idx3-ubyte.gz").write_bytes(b"not gzip at all")
    with pytest.raises(DatasetError, match="cannot read or decompress"):
        MNIST(tmp_path)
    with pytest.raises(DatasetError, match=r"not found in .*download=True"):
        MNIST(tmp_path / "empty")



@pytest.mark.parametrize("sizes, message", [
    ((-1, 28, 28), "negative size"),
    ((2 ** 30, 2 ** 30, 2 ** 4), r"promises \(1073741824, 1073741824, 16\) = 18446744073709551616 values"),
])
def test_mnist_header_with_impossible_sizes_is_named(tmp_path, sizes, message):
    make_mnist(tmp_path)
    raw = (0x803).to_bytes(4, "big") + b"".join(n.to_bytes(4, "big", signed=True) for n in sizes)
    (tmp_path / "train-images-idx3-ubyte.gz").write_bytes(gzip.compress(raw))
    with pytest.raises(DatasetError, match="train-images-idx3-ubyte.gz: .*" + message):
        MNIST(tmp_path)

def write_cifar_batch(path, count, seed):
    rng = np.random.default_rng(seed)
    labels, pixels = rng.integers(0, 10, count), rng.integers(0, 256, (count, 3072))
    raw = np.concatenate([labels[:, None], pixels], axis=1).astype(np.uint8).tobytes()
    path.write_bytes(gzip.compress(raw) if path.suffix == ".gz" else raw)
    return labels, pixels


def test_cifar_reads_batch_files_folder_and_archive(tmp_path):
    folder = tmp_path / "cifar-10-batches-bin"
    folder.mkdir()
    expected = [write_cifar_batch(folder / f"data_batch_{i}.bin", 4, i) for i in range(1, 6)]
    labels, pixels = write_cifar_batch(folder / "test_batch.bin", 3, 9)
    train = CIFAR10(tmp_path)
    assert len(train) == 20
    np.testing.assert_array_equal(train.targets[:4], expected[0][0])
    test = CIFAR10(tmp_path, train=False)
    image, label = test[1]
    assert image.shape == (3, 32, 32) and label == labels[1]
    np.testing.assert_allclose(image[2].ravel(), pixels[1, 2048:] / 255, rtol=1e-6)  # blue plane
    archive_root = tmp_path / "from_archive"
    archive_root.mkdir()
    with tarfile.open(archive_root / "cifar-10-binary.tar.gz", "w:gz") as tar:
        tar.add(folder, arcname="cifar-10-batches-bin")
    assert len(CIFAR10(archive_root, train=False)) == 3
    gz_root = tmp_path / "gz"
    gz_root.mkdir()
    write_cifar_batch(gz_root / "test_batch.bin.gz", 2, 1)
    assert len(CIFAR10(gz_root, train=False)) == 2


def test_cifar_truncated_file_is_named(tmp_path):
    write_cifar_batch(tmp_path / "test_batch.bin", 3, 0)
    raw = (tmp_path / "test_batch.bin").read_bytes()
    (tmp_path / "test_batch.bin").write_bytes(raw[:-10])
    with pytest.raises(DatasetError, match=r"test_batch.bin: 9209 bytes is not a whole number"):
        CIFAR10(tmp_path, train=False)


def test_archive_with_path_outside_target_is_refused(tmp_path):
    archive = tmp_path / "cifar-10-binary.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        data = b"x"
        info = tarfile.TarInfo("../evil.bin")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    with pytest.raises(DatasetError, match="outside"):
        CIFAR10(tmp_path, train=False)
    assert not (tmp_path.parent / "evil.bin").exists()


def write_image_list(tmp_path, names, labels=("num0", "num1", "num2")):
    folder = tmp_path / "train"
    folder.mkdir(exist_ok=True)
    for i, name in enumerate(names):
        Image.fromarray(np.full((8, 8), i * 20, np.uint8)).save(folder / name)
    (tmp_path / "train.list").write_text("".join(f"train/{n}\n" for n in names))
    (tmp_path / "labels.txt").write_text("\n".join(labels) + "\n")


def test_image_list_dataset(tmp_path):
    write_image_list(tmp_path, ["000001-num2.png", "000002-num0.png", "000003-num1.png"])
    data = ImageListDataset(tmp_path / "train.list", tmp_path / "labels.txt")
    assert data.targets.tolist() == [2, 0, 1] and data.classes == ["num0", "num1", "num2"]
    image, label = data[1]
    assert image.shape == (1, 8, 8) and np.isclose(image.max(), 20 / 255) and label == 0


def test_image_list_colour_and_cifar_names(tmp_path):
    folder = tmp_path / "cifar" / "train"
    folder.mkdir(parents=True)
    Image.fromarray(np.zeros((32, 32, 3), np.uint8)).save(folder / "32270_deer.png")
    Image.fromarray(np.full((32, 32, 3), 255, np.uint8)).save(folder / "1_cat.png")
    (tmp_path / "cifar.train").write_text("cifar/train/32270_deer.png\ncifar/train/1_cat.png\n")
    (tmp_path / "labels.txt").write_text("\n".join(CIFAR10.classes))
    data = ImageListDataset(tmp_path / "cifar.train", tmp_path / "labels.txt")
    assert data.targets.tolist() == [4, 3] and data[1][0].shape == (3, 32, 32) and data[1][0].max() == 1


def test_image_list_label_matching_no_path_is_named(tmp_path):
    write_image_list(tmp_path, ["000001-num7.png"])
    with pytest.raises(DatasetError, match=r"000001-num7.png: its file name contains none of the 3 labels"):
        ImageListDataset(tmp_path / "train.list", tmp_path / "labels.txt")


def test_image_list_missing_image_is_named(tmp_path):
    write_image_list(tmp_path, ["000001-num1.png"])
    (tmp_path / "train.list").write_text("train/000001-num1.png\ntrain/missing-num2.png\n")
    with pytest.raises(DatasetError, match="missing-num2.png: cannot read the image"):
        ImageListDataset(tmp_path / "train.list", tmp_path / "labels.txt")


def test_digits_offline_fixed_split():
    train, test = Digits(train=True), Digits(train=False)
    assert (len(train), len(test)) == (1437, 360)
    assert train.data.shape == (1437, 8, 8) and set(np.unique(train.targets)) == set(range(10))
    assert np.array_equal(Digits().targets, train.targets)  # fixed, whatever the seed
    image, _ = train[0]
    assert image.shape == (1, 8, 8) and image.dtype == np.float32 and 0 <= image.min() and image.max() <= 1


def test_loader_batches_shuffle_and_drop_last():
    data = TensorDataset(np.arange(10, dtype=np.float32).reshape(10, 1), np.arange(10))
    batches = list(DataLoader(data, batch_size=4))
    assert [len(y) for _, y in batches] == [4, 4, 2] and isinstance(batches[0][0], thw.Tensor)
    assert len(DataLoader(data, batch_size=4, drop_last=True)) == 2
    thw.manual_seed(1)
    first = np.concatenate([y.numpy() for _, y in DataLoader(data, batch_size=3, shuffle=True)])
    thw.manual_seed(1)
    again = np.concatenate([y.numpy() for _, y in DataLoader(data, batch_size=3, shuffle=True)])
    assert sorted(first) == list(range(10)) and np.array_equal(first, again)
    assert not np.array_equal(first, np.arange(10))
    sampler = RandomSampler(data, replacement=True, num_samples=50)
    drawn = np.concatenate([y.numpy() for _, y in DataLoader(data, batch_size=25, sampler=sampler)])
    counts = np.bincount(drawn, minlength=10)
    assert len(drawn) == 50 and len(counts) == 10 and drawn.min() >= 0  # only the dataset's 10 items
    assert counts.max() > 5  # independent draws, not five shuffled passes (which give each item 5 times)
    train, val = random_split(data, [7, 3])
    assert sorted(np.concatenate([train.indices, val.indices])) == list(range(10))


def test_loader_gathers_batches_with_one_index():
    data = Digits()
    calls = []
    original = data.get_batch
    data.get_batch = lambda indices: calls.append(len(indices)) or original(indices)
    x, y = next(iter(DataLoader(data, batch_size=64)))
    assert calls == [64] and x.shape == (64, 1, 8, 8)


def test_transforms_on_batches():
    batch = np.random.default_rng(0).random((6, 3, 8, 8)).astype(np.float32)
    normal = transforms.Normalize((0.5, 0.4, 0.3), (0.2, 0.2, 0.2))(batch)
    assert normal.dtype == np.float32
    np.testing.assert_allclose(normal[:, 1], (batch[:, 1] - 0.4) / 0.2, rtol=1e-5)
    assert transforms.Flatten()(batch).shape == (6, 192)
    np.testing.assert_allclose(transforms.SubtractMean(batch.mean(0))(batch).mean(0), 0, atol=1e-6)
    assert transforms.OneHot(4)(np.array([3, 0])).tolist() == [[0, 0, 0, 1], [1, 0, 0, 0]]
    cropped = transforms.RandomCrop(8, padding=2)(batch)
    assert cropped.shape == batch.shape
    for image, original in zip(cropped, batch):  # each crop is a shifted window of its own image
        padded = np.pad(original, ((0, 0), (2, 2), (2, 2)))
        assert any(np.array_equal(image, padded[:, i:i + 8, j:j + 8]) for i in range(5) for j in range(5))
    flipped = transforms.RandomHorizontalFlip(1.0)(batch)
    np.testing.assert_array_equal(flipped, batch[..., ::-1])
    data = Digits(transform=transforms.Compose([transforms.Flatten()]))
    assert data[0][0].shape == (64,)


def test_real_mnist_and_cifar_files():
    mnist = shared_data("mnist")
    train, test = MNIST(mnist), MNIST(mnist, train=False)
    assert (len(train), len(test)) == (60000, 10000)
    assert train.targets[:5].tolist() == [5, 0, 4, 1, 9] and test.targets[:3].tolist() == [7, 2, 1]
    cifar = shared_data("cifar10")
    train, test = CIFAR10(cifar), CIFAR10(cifar, train=False)
    assert (len(train), len(test)) == (50000, 10000)
    assert train.targets[:3].tolist() == [6, 9, 9] and test.targets[:3].tolist() == [3, 8, 8]
    assert test.classes[test.targets[0]] == "cat"


class _Server:
    """A local HTTP server on 127.0.0.1 serving given bytes, optionally cut short."""

    def __init__(self, files, cut=None):
        files_, cut_ = files, cut

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                body = files_.get(self.path.lstrip("/"))
                if body is None:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body[:cut_] if cut_ else body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def test_download_success_checks_the_checksum(tmp_path):
    body = bytes(range(256)) * 100
    with _Server({"file.bin": body}) as server:
        path = download([server.url + "file.bin"], tmp_path / "cache" / "file.bin",
                        md5=hashlib.md5(body).hexdigest(), sha256=hashlib.sha256(body).hexdigest(), progress=False)
    assert path.read_bytes() == body and list(path.parent.iterdir()) == [path]


def test_download_checksum_mismatch_leaves_nothing(tmp_path):
    with _Server({"file.bin": b"corrupt"}) as server:
        with pytest.raises(DatasetError, match=r"(?s)md5 checksum mismatch.*put the file by hand"):
            download([server.url + "file.bin"], tmp_path / "file.bin", md5="0" * 32, progress=False)
    assert list(tmp_path.iterdir()) == []


def test_download_interrupted_transfer_leaves_nothing(tmp_path):
    with _Server({"file.bin": b"x" * 10000}, cut=4000) as server:
        with pytest.raises(DatasetError, match="interrupted|IncompleteRead|4000"):
            download([server.url + "file.bin"], tmp_path / "file.bin", progress=False)
    assert list(tmp_path.iterdir()) == []


def test_download_tries_the_next_mirror_and_mnist_downloads(tmp_path, monkeypatch):
    files = {}
    images, labels = np.zeros((2, 28, 28)), np.array([3, 4])
    for stem, array in (("train-images-idx3-ubyte", images), ("train-labels-idx1-ubyte", labels)):
        write_idx(tmp_path / "src.gz", array)
        files[stem + ".gz"] = (tmp_path / "src.gz").read_bytes()
    with _Server(files) as server:
        monkeypatch.setattr(MNIST, "mirrors", [server.url + "missing/", server.url])
        monkeypatch.setattr(MNIST, "files", {stem: hashlib.md5(files[stem + ".gz"]).hexdigest()
                                             for stem in ("train-images-idx3-ubyte", "train-labels-idx1-ubyte")})
        data = MNIST(tmp_path / "root", download=True)
    assert data.targets.tolist() == [3, 4]
    assert (tmp_path / "root" / "MNIST" / "raw" / "train-images-idx3-ubyte.gz").exists()
