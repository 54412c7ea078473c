"""The Lund FMAN45 assignment 3 convolutional networks.

MNIST starter: conv 5×5×16 (padding 2), ReLU, max-pool 2×2, conv 5×5×16 (padding 2), ReLU,
max-pool 2×2, fully connected 784 → 10, softmax loss — 14,682 parameters, He-initialised; the
mean training intensity (one number) subtracted; 3000 iterations of batch 16 with the
assignment's momentum rule (below), learning rate 0.1, momentum 0.95, weight decay 0.005 on
every parameter (the assignment's training loop decays biases too); reported test accuracy
0.979. CIFAR-10 starter: conv 5×5×16, ReLU, max-pool, conv 5×5×16, ReLU, fully connected
4096 → 10 (48,602 parameters), 0–255 pixels less the mean RGB triplet, 5000 iterations of 16 at
learning rate 0.001, weight decay 0.001; reported ≈ 0.48. An improved CIFAR-10 network: 5 conv
layers with batch norm (24-48-96-96-192 channels), random crop and flip, SGD with Nesterov
momentum and a one-cycle learning rate, 8 epochs.
"""

from __future__ import annotations

import math
import time

import numpy as np

from .. import manual_seed, nn, optim, randn
from ..autograd.grad_mode import no_grad
from ..data import Subset, random_split, transforms
from ..metrics import confusion_matrix, precision_recall
from ..optim.optimizer import Optimizer
from ..plot import plot_confusion_matrix, plot_filters, plot_history, plot_misclassified
from ..train import evaluate, fit
from .common import NAMES, Config, labelled
from .report import Section


class FMAN45Momentum(Optimizer):
    """The assignment's update: m = μ·m + (1 − μ)·∇L;  w = w − α·(m + λ·w).

    An exponential average of the gradient (PyTorch's SGD with dampening = μ, apart from the
    first step, which PyTorch does not dampen); the weight decay acts on w directly, outside the
    average.

    >>> FMAN45Momentum(model.parameters(), lr=0.1, momentum=0.95, weight_decay=0.005)
    """

    def __init__(self, params, lr: float = 0.1, momentum: float = 0.95, weight_decay: float = 0.0):
        super().__init__(params, dict(lr=lr, momentum=momentum, weight_decay=weight_decay))

    def update(self, param, grad, group, state):
        m = state.setdefault("m", np.zeros_like(param))
        m *= group["momentum"]
        m += (1 - group["momentum"]) * grad
        step = m + group["weight_decay"] * param if group["weight_decay"] else m
        param -= group["lr"] * step


def _he_init(model: nn.Sequential, conv_gain: float = 1.0) -> nn.Sequential:
    """The starter code's initialisation: weights N(0, 2/fan_in) (conv weights times `conv_gain`), biases 0."""
    with no_grad():
        for layer in model:
            if isinstance(layer, (nn.Conv2d, nn.Linear)):
                fan_in = int(np.prod(layer.weight.shape[1:]))
                gain = conv_gain if isinstance(layer, nn.Conv2d) else 1.0
                layer.weight.copy_(randn(*layer.weight.shape) * (gain * math.sqrt(2 / fan_in)))
                layer.bias.zero_()
    return model


def starter_cnn(channels: int = 1, side: int = 28) -> nn.Sequential:
    """The MNIST starter network, He-initialised as the starter code does. (The starter code's first
    layer divides by sqrt(5·5·3/2), a 3-channel fan-in on 1-channel MNIST; we use the true fan-in.)

    >>> parameter_count(starter_cnn())
    14682
    """
    return _he_init(nn.Sequential(
        nn.Conv2d(channels, 16, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 16, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(16 * (side // 4) ** 2, 10)))


def cifar_starter_cnn() -> nn.Sequential:
    """The CIFAR-10 starter network: conv 5×5×16, ReLU, max-pool, conv 5×5×16, ReLU, fully
    connected 4096 → 10; conv weights 0.1 × He, as the starter code has them.

    >>> parameter_count(cifar_starter_cnn())
    48602
    """
    return _he_init(nn.Sequential(
        nn.Conv2d(3, 16, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 16, 5, padding=2), nn.ReLU(),
        nn.Flatten(), nn.Linear(16 * 16 * 16, 10)), conv_gain=0.1)


def improved_cifar_cnn(width: int = 24) -> nn.Sequential:
    """5 conv layers (3×3) with batch norm: width, 2w, 4w, 4w, 8w channels, three max-pools, a
    global max-pool, one linear layer. Width 24 (about 30 M multiply-adds per image) trains
    8 epochs in about 20 minutes on 2 cores; width 16 is half the work, width 32 almost twice.

    >>> improved_cifar_cnn()(thw.randn(2, 3, 32, 32)).shape
    (2, 10)
    """
    def block(inputs, outputs, pool):
        return [nn.Conv2d(inputs, outputs, 3, padding=1, bias=False), nn.BatchNorm2d(outputs), nn.ReLU()] + \
            ([nn.MaxPool2d(2)] if pool else [])

    w = width
    return nn.Sequential(*block(3, w, False), *block(w, 2 * w, True), *block(2 * w, 4 * w, True),
                         *block(4 * w, 4 * w, True), *block(4 * w, 8 * w, False), nn.MaxPool2d(4), nn.Flatten(),
                         nn.Linear(8 * w, 10))


def one_cycle(total_steps: int, warmup: float = 0.25, start: float = 0.1, end: float = 0.002):
    """A one-cycle factor for LambdaLR: linear from `start` to 1 over the warm-up, cosine down to `end`."""
    def factor(step: int) -> float:
        rise = max(int(total_steps * warmup), 1)
        if step < rise:
            return start + (1 - start) * step / rise
        progress = min((step - rise) / max(total_steps - rise, 1), 1.0)
        return end + (1 - end) * 0.5 * (1 + math.cos(math.pi * progress))
    return factor


def parameter_count(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def _split(config: Config, train):
    """(training part, validation): the assignment holds out 2,000 images (10% of a small set)."""
    held_out = min(2000, max(len(train) // 10, 100))
    manual_seed(0)
    return random_split(train, [len(train) - held_out, held_out])


def _pictures(config: Config, section: Section, tag: str, title: str, model, history, test,
              val_label: str = "validation (held out from training)", images=None) -> None:
    result = evaluate(model, test)
    confusion = confusion_matrix(test.targets, result["predictions"], len(test.classes))
    precision, recall = precision_recall(confusion)
    section.notes.append("class        precision  recall")
    section.notes += [f"  {name:<10} {p:9.3f} {r:7.3f}" for name, p, r in zip(test.classes, precision, recall)]
    folder = config.folder("fman45")
    images = labelled(test)[0] if images is None else images  # pictures show the images as they were read
    section.pictures += [
        plot_history(history, folder / f"{tag}_curves.png", title=title, val_label=val_label),
        plot_filters(model[0].weight.numpy(), folder / f"{tag}_filters.png",
                     title=f"{title}: first-layer filters"),
        plot_misclassified(images, test.targets, result["predictions"], folder / f"{tag}_mistakes.png",
                           classes=test.classes, title=f"{title}: misclassified test images"),
        plot_confusion_matrix(confusion, folder / f"{tag}_confusion.png", classes=test.classes,
                              title=f"{title}: confusion"),
    ]


def _starter(config: Config, section: Section, dataset: str, network, input_transform,
             iterations: int, lr: float, weight_decay: float, reported: str, preprocessing: str) -> None:
    """Train `network()` the assignment's way: random batches of 16, its momentum rule
    (μ 0.95), 2,000 training images held out for validation."""
    train, test = config.data(dataset, input_transform, input_transform, key="fman45")
    train_part, validation = _split(config, train)
    manual_seed(0)
    model = network()
    optimizer = FMAN45Momentum(model.parameters(), lr=lr, momentum=0.95, weight_decay=weight_decay)
    steps = config.iterations(iterations)
    start = time.perf_counter()
    history = fit(model, train_part, optimizer, iterations=steps, batch_size=16, val_data=validation,
                  log_every=max(steps // 25, 1), progress=config.progress)
    seconds = time.perf_counter() - start
    result = evaluate(model, test)
    section.headers = ["dataset", "parameters", "iterations × batch", "validation acc", "test acc", "reported",
                       "training seconds"]
    count = parameter_count(model)
    section.rows.append([dataset, f"{count:,}" + (" (assignment: 14,682)" if dataset == "mnist" else ""),
                         f"{steps} × 16", history["val_accuracy"][-1] if history["val_accuracy"] else float("nan"),
                         result["accuracy"], reported, f"{seconds:.1f}"])
    section.notes.append(f"{len(train_part)} training images, {len(validation)} held out for validation, "
                         f"{len(test)} test images; {preprocessing}; learning rate {lr}, momentum 0.95, "
                         f"weight decay {weight_decay}.")
    name = NAMES[dataset]
    _pictures(config, section, f"{dataset}_starter", f"FMAN45 starter CNN on {name}, {steps} iterations", model,
              history, test, images=labelled(config.data(dataset)[1])[0])


def _channel_means(config: Config, dataset: str) -> list:
    """The mean training intensity of each channel (the assignment's 'mean RGB triplet')."""
    return [float(m) for m in labelled(config.data(dataset)[0])[0].mean(axis=(0, 2, 3))]


def mnist_starter(config: Config, section: Section) -> None:
    dataset = "digits" if config.dataset == "digits" else "mnist"
    means = _channel_means(config, dataset)
    channels, side = config.data(dataset)[0][0][0].shape[::2]  # (C, H, W) → C, W
    _starter(config, section, dataset, lambda: starter_cnn(channels, side), transforms.SubtractMean(means[0]),
             iterations=3000, lr=0.1, weight_decay=0.005, reported="0.979 (MNIST)",
             preprocessing="the mean training intensity subtracted")


def cifar_starter(config: Config, section: Section) -> None:
    means = _channel_means(config, "cifar10")
    # The assignment's images are 0–255: subtract the mean RGB triplet and scale by 255.
    to_assignment_scale = transforms.Normalize(means, [1 / 255] * 3)
    _starter(config, section, "cifar10", cifar_starter_cnn, to_assignment_scale, iterations=5000, lr=1e-3,
             weight_decay=0.001, reported="≈ 0.48",
             preprocessing="pixels 0–255 as in the assignment, the mean RGB triplet subtracted")


def cifar_improved(config: Config, section: Section, epochs: int = 8, batch: int = 128, lr: float = 0.1,
                   width: int = 24) -> None:
    normalize = transforms.Normalize(transforms.CIFAR10_MEAN, transforms.CIFAR10_STD)
    augment = transforms.Compose([transforms.RandomCrop(32, padding=4), transforms.RandomHorizontalFlip(), normalize])
    train, test = config.data("cifar10", augment, normalize, key="improved")
    manual_seed(0)
    model = improved_cifar_cnn(width)
    decay = [p for name, p in model.named_parameters() if name.endswith("weight") and p.ndim > 1]
    rest = [p for name, p in model.named_parameters() if not (name.endswith("weight") and p.ndim > 1)]
    optimizer = optim.SGD([{"params": decay, "weight_decay": 5e-4}, {"params": rest}], lr=lr, momentum=0.9,
                          nesterov=True)
    steps = config.iterations(epochs * len(train) // batch)
    scheduler = optim.lr_scheduler.LambdaLR(optimizer, one_cycle(steps))
    start = time.perf_counter()
    history = fit(model, train, optimizer, iterations=steps, batch_size=batch, scheduler=scheduler,
                  val_data=Subset(test, range(min(1000, len(test)))), log_every=max(steps // 25, 1),
                  progress=config.progress)
    seconds = time.perf_counter() - start
    result = evaluate(model, test)
    section.headers = ["network", "parameters", "steps × batch", "test acc", "target", "training minutes"]
    section.rows.append(["5-conv batch-norm net", f"{parameter_count(model):,}", f"{steps} × {batch}",
                         result["accuracy"], "≥ 0.85 in 30 min", f"{seconds / 60:.1f}"])
    section.notes.append("Random crop (padding 4) and horizontal flip; SGD Nesterov momentum 0.9, weight decay 5e-4 "
                         f"on conv/linear weights; one-cycle learning rate peaking at {lr} (LambdaLR).")
    _pictures(config, section, "cifar10_improved", f"Improved CIFAR-10 network, {steps} steps", model, history,
              test, val_label="test (first 1,000 images)", images=labelled(config.data("cifar10")[1])[0])


def experiments(config: Config) -> list:
    if config.dataset == "cifar10":
        return [("CIFAR-10 starter CNN", "FMAN45 A3, exercise 7 (starter)", cifar_starter),
                ("improved CIFAR-10 network", "FMAN45 A3, exercise 7", cifar_improved)]
    return [("MNIST starter CNN with the assignment's momentum rule", "FMAN45 A3, exercises 5–6", mnist_starter)]
