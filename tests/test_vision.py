"""`tinygrad_hw.vision`: torchvision's datasets (on the real files, laid out as torchvision
does), transforms (against hand-computed values and Pillow) and utils."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageEnhance

import tinygrad_hw as thw
from tinygrad_hw.utils.data import DataLoader, default_collate
from tinygrad_hw.vision import datasets, transforms, utils
from tinygrad_hw.vision.transforms import functional as F

from .conftest import shared_data
from .test_data import make_mnist, write_cifar_batch


@pytest.fixture(scope="module")
def torchvision_root(tmp_path_factory):
    """The shared MNIST and CIFAR-10 files in torchvision's layout (symlinks)."""
    root = tmp_path_factory.mktemp("torchvision")
    for source, target in (("mnist", "MNIST/raw"), ("cifar10", "cifar-10-batches-bin")):
        (root / target).mkdir(parents=True)
        for path in shared_data(source).iterdir():
            (root / target / path.name).symlink_to(path)
    return root


MNIST_PIPELINE = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))])


def test_mnist_items_are_pil_images_and_ints(torchvision_root):
    train = datasets.MNIST(torchvision_root, train=True)
    image, label = train[0]
    assert isinstance(image, Image.Image) and image.mode == "L" and image.size == (28, 28) and label == 5
    assert type(label) is int and len(train) == 60000 and train.classes[5] == "5 - five"
    assert train.data.shape == (60000, 28, 28) and train.data.dtype == np.uint8
    assert train.targets.dtype == np.int64 and train.targets[:5].tolist() == [5, 0, 4, 1, 9]
    np.testing.assert_array_equal(np.asarray(image), train.data[0].numpy())
    assert datasets.MNIST(torchvision_root, train=False).targets[:3].tolist() == [7, 2, 1]
    tensor, _ = datasets.MNIST(torchvision_root, transform=transforms.ToTensor())[0]
    assert tensor.shape == (1, 28, 28) and tensor.dtype == np.float32
    np.testing.assert_allclose(tensor.numpy()[0], train.data[0].numpy() / 255, rtol=1e-6)


def test_cifar10_items_and_attributes(torchvision_root):
    test = datasets.CIFAR10(torchvision_root, train=False)
    image, label = test[0]
    assert isinstance(image, Image.Image) and image.mode == "RGB" and image.size == (32, 32) and label == 3
    assert test.data.shape == (10000, 32, 32, 3) and isinstance(test.targets, list) and test.targets[:3] == [3, 8, 8]
    assert test.classes[test.targets[0]] == "cat" and test.class_to_idx["cat"] == 3
    np.testing.assert_array_equal(np.asarray(image), test.data[0])


def test_fashion_mnist_layout_and_missing_files(tmp_path):
    raw = tmp_path / "FashionMNIST" / "raw"
    raw.mkdir(parents=True)
    images, labels = make_mnist(raw)
    data = datasets.FashionMNIST(tmp_path, train=False, target_transform=lambda y: y + 100)
    assert len(data) == 20 and data.classes[9] == "Ankle boot" and data[3][1] == labels[3] + 100
    with pytest.raises(RuntimeError, match="download=True"):
        datasets.MNIST(tmp_path / "nothing")
    folder = tmp_path / "cifar-10-batches-bin"
    folder.mkdir()
    write_cifar_batch(folder / "test_batch.bin", 3, 0)
    assert len(datasets.CIFAR10(tmp_path, train=False)) == 3


def test_batches_in_one_index_equal_item_by_item(torchvision_root):
    train = datasets.MNIST(torchvision_root, transform=MNIST_PIPELINE)
    assert train.get_batch is not None
    subset = thw.utils.data.Subset(train, range(300))
    fast = list(DataLoader(subset, batch_size=128))
    slow = list(DataLoader(subset, batch_size=128, collate_fn=lambda items: default_collate(items)))
    for (x_fast, y_fast), (x_slow, y_slow) in zip(fast, slow):
        np.testing.assert_array_equal(x_fast.numpy(), x_slow.numpy())
        assert x_fast.dtype == np.float32 and y_fast.dtype == y_slow.dtype == np.int64
        np.testing.assert_array_equal(y_fast.numpy(), y_slow.numpy())
    cifar = datasets.CIFAR10(torchvision_root, train=False, transform=transforms.ToTensor())
    x, y = next(iter(DataLoader(cifar, batch_size=4)))
    np.testing.assert_array_equal(x.numpy()[2], cifar[2][0].numpy())
    assert y.tolist() == cifar.targets[:4]


def test_batch_form_only_where_it_means_the_same(torchvision_root):
    train = datasets.MNIST(torchvision_root)
    assert train.get_batch is None  # PIL images
    train.transform = transforms.Compose([transforms.ToTensor(), transforms.Lambda(lambda x: x * 2)])
    assert train.get_batch is None
    train.transform, train.target_transform = MNIST_PIPELINE, lambda y: y
    assert train.get_batch is None
    train.target_transform = None
    train.transform = transforms.Compose([transforms.RandomCrop(28, padding=4), transforms.RandomHorizontalFlip(),
                                          transforms.ToTensor()])
    images, labels = train.get_batch(np.arange(8))
    assert images.shape == (8, 1, 28, 28) and labels.tolist() == [5, 0, 4, 1, 9, 2, 1, 3]
    for image, original in zip(images, train.data.numpy()[:8] / np.float32(255)):  # a shifted window, maybe flipped
        padded = np.pad(original, 4)
        windows = [padded[i:i + 28, j:j + 28] for i in range(9) for j in range(9)]
        assert any(np.allclose(image[0], w) or np.allclose(image[0], w[:, ::-1]) for w in windows)
    train.transform = transforms.Compose([transforms.Resize(14), transforms.ToTensor()])
    assert train.get_batch is None


def grey_image(height=4, width=6):
    return Image.fromarray(np.arange(height * width, dtype=np.uint8).reshape(height, width) * 10)


def rgb_array(height=4, width=6, seed=0):
    return np.random.default_rng(seed).integers(0, 256, (height, width, 3)).astype(np.uint8)


def test_to_tensor_and_back():
    pixels = rgb_array()
    for pic in (Image.fromarray(pixels), pixels):
        tensor = transforms.ToTensor()(pic)
        assert tensor.shape == (3, 4, 6) and tensor.dtype == np.float32
        np.testing.assert_array_equal(tensor.numpy(), pixels.transpose(2, 0, 1).astype(np.float32) / np.float32(255))
    assert transforms.ToTensor()(np.zeros((2, 2), np.float64)).dtype == np.float64  # not scaled, as torchvision
    assert transforms.ToTensor()(Image.new("1", (2, 2), 1)).numpy().max() == 1.0
    raw = transforms.PILToTensor()(Image.fromarray(pixels))
    assert raw.dtype == np.uint8 and raw.numpy().tolist() == pixels.transpose(2, 0, 1).tolist()
    back = transforms.ToPILImage()(transforms.ToTensor()(Image.fromarray(pixels)))
    assert back.mode == "RGB" and np.abs(np.asarray(back).astype(int) - pixels).max() <= 1
    assert transforms.ToPILImage()(thw.zeros(1, 3, 3)).mode == "L"
    assert F.convert_image_dtype(thw.tensor([[[255, 0]]], dtype=thw.uint8)).tolist() == [[[1.0, 0.0]]]
    assert transforms.ConvertImageDtype(thw.uint8)(thw.tensor([[[1.0, 0.5]]])).tolist() == [[[255, 127]]]
    with pytest.raises(TypeError, match="pic should be PIL Image or ndarray"):
        transforms.ToTensor()([1, 2])
    with pytest.raises(ValueError, match="pic should be 2/3 dimensional. Got 4 dimensions."):
        transforms.ToTensor()(np.zeros((1, 2, 2, 1), np.uint8))


def test_normalize():
    image = thw.tensor(np.stack([np.full((2, 2), v, np.float32) for v in (0.2, 0.5, 1.0)]))
    result = transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.25, 0.5))(image)
    assert result.dtype == np.float32
    np.testing.assert_allclose(result.numpy()[:, 0, 0], [-0.6, 0.0, 1.0], rtol=1e-6)
    batch = transforms.Normalize((0.5,), (0.5,))(thw.ones(4, 1, 2, 2))  # (..., C, H, W)
    assert batch.shape == (4, 1, 2, 2) and batch.numpy().max() == 1.0
    with pytest.raises(TypeError, match="Input tensor should be a torch tensor"):
        transforms.Normalize((0.5,), (0.5,))(np.zeros((1, 2, 2)))
    with pytest.raises(TypeError, match="Input tensor should be a float tensor"):
        transforms.Normalize((0.5,), (0.5,))(thw.zeros(1, 2, 2, dtype=thw.uint8))
    with pytest.raises(ValueError, match="std evaluated to zero after conversion to float32"):
        transforms.Normalize((0.5,), (0.0,))(thw.zeros(1, 2, 2))
    with pytest.raises(ValueError, match=r"Expected tensor to be a tensor image of size \(..., C, H, W\)"):
        transforms.Normalize((0.5,), (0.5,))(thw.zeros(2, 2))


def test_resize():
    image = Image.fromarray(rgb_array(32, 64))
    assert transforms.Resize(16)(image).size == (32, 16)  # the smaller edge to 16, PIL sizes are (w, h)
    assert transforms.Resize((10, 12))(image).size == (12, 10)
    assert transforms.Resize(16, max_size=20)(image).size == (20, 10)
    expected = np.asarray(image.resize((32, 16), Image.Resampling.BILINEAR))
    np.testing.assert_array_equal(np.asarray(transforms.Resize(16)(image)), expected)
    tensor = transforms.Resize(16)(transforms.PILToTensor()(image))  # uint8 tensor: close to PIL
    assert tensor.shape == (3, 16, 32) and tensor.dtype == np.uint8
    assert np.abs(tensor.numpy().astype(int) - expected.transpose(2, 0, 1)).max() <= 1
    floats = transforms.Resize(16)(transforms.ToTensor()(image))
    assert floats.dtype == np.float32 and np.abs(floats.numpy() * 255 - expected.transpose(2, 0, 1)).max() <= 1
    nearest = transforms.Resize((2, 3), interpolation=transforms.InterpolationMode.NEAREST)
    nearest = nearest(thw.arange(24).reshape(1, 4, 6))
    assert nearest.tolist() == [[[0, 2, 4], [12, 14, 16]]]


@pytest.mark.parametrize("size", [(16, 24), (20, 13), (64, 80)])
@pytest.mark.parametrize("mode", ["bilinear", "bicubic", "nearest"])
def test_tensor_resize_matches_torch_interpolate(torch, size, mode):
    """torchvision resizes tensors with F.interpolate(antialias=True) (nearest: without)."""
    image = np.random.default_rng(0).random((3, 32, 48)).astype(np.float32)
    ours = transforms.Resize(size, interpolation=transforms.InterpolationMode(mode))(thw.tensor(image))
    options = {"mode": mode} if mode == "nearest" else {"mode": mode, "align_corners": False, "antialias": True}
    theirs = torch.nn.functional.interpolate(torch.from_numpy(image)[None], size=size, **options)[0]
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), atol=1e-5)


def test_center_crop_and_pad():
    tensor = thw.arange(1 * 4 * 6).reshape(1, 4, 6)
    assert transforms.CenterCrop(2)(tensor).tolist() == [[[8, 9], [14, 15]]]
    assert transforms.CenterCrop((2, 4))(grey_image()).size == (4, 2)
    np.testing.assert_array_equal(np.asarray(transforms.CenterCrop(2)(grey_image())), [[80, 90], [140, 150]])
    grown = transforms.CenterCrop((6, 7))(tensor)  # larger than the image: zeros around, torchvision's offsets
    assert grown.shape == (1, 6, 7) and grown.numpy()[0, 1:5, :6].tolist() == tensor.numpy()[0].tolist()
    assert grown.numpy()[0, [0, 5]].sum() == 0 and grown.numpy()[0, :, 6].sum() == 0
    padded = transforms.Pad((1, 2))(tensor)
    assert padded.shape == (1, 8, 8) and padded.numpy()[0, 2, 1] == 0 and padded.numpy()[0, 0].sum() == 0
    reflect = F.pad(tensor, [1, 0, 0, 0], padding_mode="reflect")
    assert reflect.numpy()[0, 0, :3].tolist() == [1, 0, 1]
    pil = F.pad(Image.fromarray(rgb_array()), 2, fill=(255, 0, 0))
    assert pil.size == (10, 8) and np.asarray(pil)[0, 0].tolist() == [255, 0, 0]
    assert F.pad(grey_image(), [1, 1, 1, 1], padding_mode="edge").getpixel((0, 0)) == 0
    with pytest.raises(ValueError, match="Padding must be an int or a 1, 2, or 4 element tuple, not a 3 element"):
        F.pad(tensor, [1, 2, 3])


@pytest.mark.parametrize("make", [lambda a: Image.fromarray(a), lambda a: transforms.PILToTensor()(Image.fromarray(a))])
def test_random_crop_is_a_window_of_the_padded_image(make):
    pixels = rgb_array(8, 8)
    padded = np.pad(pixels, ((2, 2), (2, 2), (0, 0)))
    seen = set()
    for _ in range(20):
        result = transforms.RandomCrop(8, padding=2)(make(pixels))
        crop = np.asarray(result) if isinstance(result, Image.Image) else result.numpy().transpose(1, 2, 0)
        positions = [(i, j) for i in range(5) for j in range(5) if np.array_equal(crop, padded[i:i + 8, j:j + 8])]
        assert positions
        seen.add(positions[0])
    assert len(seen) > 3
    with pytest.raises(ValueError, match=r"Required crop size \(10, 10\) is larger than input image size \(8, 8\)"):
        transforms.RandomCrop(10)(make(pixels))
    assert F.get_dimensions(transforms.RandomCrop(10, pad_if_needed=True)(make(pixels))) == [3, 10, 10]


def test_random_resized_crop():
    image = Image.fromarray(rgb_array(20, 30))
    for _ in range(5):
        assert transforms.RandomResizedCrop(8)(image).size == (8, 8)
    assert transforms.RandomResizedCrop((4, 6))(thw.rand(3, 20, 30)).shape == (3, 4, 6)
    top, left, height, width = transforms.RandomResizedCrop.get_params(image, (0.5, 0.5), (1.0, 1.0))
    assert height == width == round(np.sqrt(300)) and 0 <= top <= 20 - height and 0 <= left <= 30 - width
    whole = transforms.RandomResizedCrop.get_params(image, (1.0, 1.0), (1.0, 1.0))  # cannot fit: the central fallback
    assert whole == (0, 5, 20, 20)
    with pytest.raises(ValueError, match=r"Scale and ratio should be of kind \(min, max\)"):
        transforms.RandomResizedCrop(8, scale=(1.0, 0.5))


def test_random_crop_follows_manual_seed():
    image = thw.rand(3, 16, 16)
    thw.manual_seed(4)
    first = transforms.RandomCrop(8)(image)
    thw.manual_seed(4)
    assert np.array_equal(first.numpy(), transforms.RandomCrop(8)(image).numpy())


def test_flips_and_rotation():
    tensor = thw.arange(6).reshape(1, 2, 3)
    assert transforms.RandomHorizontalFlip(1.0)(tensor).tolist() == [[[2, 1, 0], [5, 4, 3]]]
    assert transforms.RandomHorizontalFlip(0.0)(tensor).tolist() == tensor.tolist()
    assert transforms.RandomVerticalFlip(1.0)(tensor).tolist() == [[[3, 4, 5], [0, 1, 2]]]
    image = grey_image()
    assert np.array_equal(np.asarray(transforms.RandomHorizontalFlip(1.0)(image)), np.asarray(image)[:, ::-1])
    square = thw.rand(2, 5, 5)
    turned = transforms.RandomRotation((90, 90))(square)  # counter-clockwise, as torchvision
    np.testing.assert_allclose(turned.numpy(), np.rot90(square.numpy(), 1, axes=(1, 2)), atol=1e-6)
    pil = Image.fromarray(rgb_array(5, 5))
    np.testing.assert_array_equal(np.asarray(transforms.RandomRotation((90, 90))(pil)),
                                  np.asarray(pil.rotate(90)))
    rotated = transforms.RandomRotation((45, 45), fill=7)(Image.fromarray(np.full((9, 9, 3), 200, np.uint8)))
    assert rotated.size == (9, 9) and np.asarray(rotated)[0, 0].tolist() == [7, 7, 7]  # corners leave the image
    assert np.asarray(rotated)[4, 4].tolist() == [200, 200, 200]
    turned = transforms.RandomRotation((45, 45), fill=0.5)(thw.ones(1, 9, 9))
    assert turned.numpy()[0, 0, 0] == 0.5 and turned.numpy()[0, 4, 4] == 1.0
    with pytest.raises(ValueError, match="If degrees is a single number, it must be positive."):
        transforms.RandomRotation(-3)


def test_grayscale():
    pixels = rgb_array()
    grey = transforms.Grayscale()(thw.tensor(pixels.transpose(2, 0, 1).astype(np.float32) / 255))
    expected = (0.2989 * pixels[..., 0] + 0.587 * pixels[..., 1] + 0.114 * pixels[..., 2]) / 255
    assert grey.shape == (1, 4, 6)
    np.testing.assert_allclose(grey.numpy()[0], expected, rtol=1e-5)
    assert transforms.Grayscale(3)(thw.rand(3, 2, 2)).shape == (3, 2, 2)
    pil = transforms.Grayscale(num_output_channels=3)(Image.fromarray(pixels))
    assert pil.mode == "RGB"
    assert np.array_equal(np.asarray(pil)[..., 0], np.asarray(Image.fromarray(pixels).convert("L")))
    with pytest.raises(TypeError, match=r"permitted channel values are \[1, 3\], but found 4"):
        transforms.Grayscale()(thw.rand(4, 2, 2))


def test_color_jitter():
    image = thw.tensor(rgb_array().transpose(2, 0, 1).astype(np.float32) / 255)
    brighter = transforms.ColorJitter(brightness=(1.5, 1.5))(image)
    np.testing.assert_allclose(brighter.numpy(), np.clip(image.numpy() * 1.5, 0, 1), rtol=1e-6)
    flat = transforms.ColorJitter(contrast=(0.0, 0.0))(image)
    grey_mean = F.rgb_to_grayscale(image).numpy().mean()
    np.testing.assert_allclose(flat.numpy(), np.full(image.shape, grey_mean), rtol=1e-5)
    assert np.allclose(transforms.ColorJitter(saturation=(0.0, 0.0))(image).numpy(),
                       np.repeat(F.rgb_to_grayscale(image).numpy(), 3, axis=0))
    red = thw.tensor(np.array([1.0, 0.0, 0.0], np.float32).reshape(3, 1, 1))
    np.testing.assert_allclose(F.adjust_hue(red, 0.5).numpy().ravel(), [0.0, 1.0, 1.0], atol=1e-6)  # cyan
    np.testing.assert_allclose(F.adjust_hue(image, 0.0).numpy(), image.numpy(), atol=1e-6)
    red_pil = Image.new("RGB", (2, 2), (255, 0, 0))
    cyan = np.asarray(F.adjust_hue(red_pil, 0.5))[0, 0].astype(int)  # PIL's 8-bit hue (+127/256 turn), as torchvision
    assert np.abs(cyan - [0, 255, 255]).max() <= 4
    assert np.asarray(F.adjust_hue(red_pil, -1 / 3))[0, 0].tolist()[2] > 200  # red turned a third back: blue
    pil = Image.fromarray(rgb_array())
    np.testing.assert_array_equal(np.asarray(transforms.ColorJitter(brightness=(0.5, 0.5))(pil)),
                                  np.asarray(ImageEnhance.Brightness(pil).enhance(0.5)))
    jittered = transforms.ColorJitter(0.4, 0.4, 0.4, 0.1)(pil)
    assert jittered.mode == "RGB" and jittered.size == pil.size
    assert transforms.ColorJitter(0.4, 0.4, 0.4, 0.1)(image).shape == (3, 4, 6)
    assert transforms.ColorJitter(brightness=0).brightness is None
    with pytest.raises(ValueError, match="If brightness is a single number, it must be non negative."):
        transforms.ColorJitter(brightness=-1)
    with pytest.raises(ValueError, match=r"hue values should be between \(-0.5, 0.5\)"):
        transforms.ColorJitter(hue=0.7)


def test_compose_lambda_and_the_shared_classes():
    pipeline = transforms.Compose([transforms.ToTensor(), transforms.Lambda(lambda x: x * 2)])
    assert pipeline(grey_image()).numpy().max() == pytest.approx(2 * 230 / 255)
    assert "ToTensor()" in repr(pipeline)
    assert repr(transforms.Normalize((0.5,), (0.5,))) == "Normalize(mean=(0.5,), std=(0.5,))"
    with pytest.raises(TypeError, match="Argument lambd should be callable, got 'int'"):
        transforms.Lambda(3)
    assert transforms.Compose is thw.data.transforms.Compose and transforms.Lambda is thw.data.transforms.Lambda


def test_make_grid():
    images = thw.tensor(np.arange(5, dtype=np.float32).reshape(5, 1, 1, 1) * np.ones((1, 1, 2, 3), np.float32))
    grid = utils.make_grid(images, nrow=3, padding=1, pad_value=9)
    assert grid.shape == (3, 2 * 3 + 1, 3 * 4 + 1)  # 2 rows of 3, 1-pixel borders; grey -> 3 channels
    row = grid.numpy()[0]
    assert row[0].tolist() == [9] * 13 and row[1, :5].tolist() == [9, 0, 0, 0, 9] and row[4, 5:8].tolist() == [4] * 3
    assert row[4, 8:].tolist() == [9] * 5  # the empty sixth cell
    assert utils.make_grid(thw.rand(16, 3, 32, 32), nrow=4).shape == (3, 138, 138)
    normalized = utils.make_grid(images, normalize=True, padding=0)
    assert normalized.numpy().min() == 0 and normalized.numpy().max() == 1
    each = utils.make_grid([thw.full((1, 2, 2), 5.0), thw.full((1, 2, 2), 7.0)], normalize=True, scale_each=True)
    assert np.allclose(each.numpy()[:, 2:4, 2:4], 0)  # constant images: (x - min) / 1e-5 = 0
    ranged = utils.make_grid(thw.tensor([[[-1.0, 0.0, 3.0]]]), normalize=True, value_range=(-1.0, 1.0))
    assert ranged.shape == (3, 1, 3) and ranged.numpy()[0, 0].tolist() == [0.0, 0.5, 1.0]


def test_save_image(tmp_path):
    images = thw.rand(4, 3, 8, 8)
    utils.save_image(images, tmp_path / "grid.png", nrow=2)
    with Image.open(tmp_path / "grid.png") as saved:
        assert saved.size == (2 * 10 + 2, 2 * 10 + 2) and saved.mode == "RGB"
        expected = np.clip(utils.make_grid(images, nrow=2).numpy() * 255 + 0.5, 0, 255).astype(np.uint8)
        np.testing.assert_array_equal(np.asarray(saved), expected.transpose(1, 2, 0))


def test_image_folder(tmp_path):
    for name, count in (("dog", 2), ("cat", 1)):
        (tmp_path / name).mkdir()
        for i in range(count):
            Image.fromarray(rgb_array(5, 7, seed=i)).save(tmp_path / name / f"{i}.png")
    (tmp_path / "cat" / "notes.txt").write_text("not an image")
    data = datasets.ImageFolder(tmp_path, transform=transforms.ToTensor())
    assert data.classes == ["cat", "dog"] and data.class_to_idx == {"cat": 0, "dog": 1}
    assert data.targets == [0, 1, 1] and len(data) == 3 and data.imgs[1][0].endswith("0.png")
    image, label = data[2]
    assert image.shape == (3, 5, 7) and label == 1
    x, y = next(iter(DataLoader(data, batch_size=3)))
    assert x.shape == (3, 3, 5, 7) and y.tolist() == [0, 1, 1]
    assert isinstance(datasets.ImageFolder(tmp_path)[0][0], Image.Image)
    (tmp_path / "empty").mkdir()
    with pytest.raises(FileNotFoundError, match="Found no valid file for the classes empty"):
        datasets.ImageFolder(tmp_path)
    with pytest.raises(FileNotFoundError, match="Couldn't find any class folder"):
        datasets.ImageFolder(tmp_path / "cat")


def test_torchvision_import_swap(torchvision_root):
    import tinygrad_hw.vision as torchvision
    data = torchvision.datasets.MNIST(torchvision_root, train=False, download=False,
                                      transform=torchvision.transforms.ToTensor())
    images, labels = next(iter(thw.utils.data.DataLoader(data, batch_size=4)))
    assert images.shape == (4, 1, 28, 28) and labels.tolist() == [7, 2, 1, 0]
    assert torchvision.utils.make_grid(images).shape == (3, 32, 122)
