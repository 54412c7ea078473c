"""Random generators: `thw.Generator` and the default one behind `thw.manual_seed`.

Every random draw of the library (rand/randn, init, dropout, shuffling) comes from the
default generator unless a `generator=` is passed, so `thw.manual_seed(0)` makes a run
repeatable. The streams are NumPy's PCG64, not PyTorch's: the same seed gives the same
numbers here run after run, but not the numbers PyTorch would draw.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

import numpy as np


class Generator:
    """A random number generator with PyTorch's interface.

    >>> g = thw.Generator().manual_seed(2147483647)
    >>> thw.randn(3, generator=g)
    """

    def __init__(self, device: Any = "cpu") -> None:
        from .device import check_device  # devices are described next to the tensors
        self.device = check_device(device)
        self._seed = secrets.randbits(63)
        self.rng = np.random.default_rng(self._seed)

    def manual_seed(self, seed: int) -> "Generator":
        """Reseed; returns the generator so `Generator().manual_seed(42)` reads as in PyTorch."""
        seed = int(seed)
        self._seed = seed
        self.rng = np.random.default_rng(seed & 0xFFFF_FFFF_FFFF_FFFF)
        return self

    def seed(self) -> int:
        """Reseed from the operating system's entropy; returns the new seed."""
        self.manual_seed(secrets.randbits(63))
        return self._seed

    def initial_seed(self) -> int:
        return self._seed

    def get_state(self) -> Any:
        """The generator's state as a uint8 Tensor (give it back to `set_state`)."""
        from .tensor import Tensor  # tensors are built on this module's users, not the reverse
        text = json.dumps({"seed": self._seed, "state": self.rng.bit_generator.state})
        return Tensor._make(np.frombuffer(text.encode(), dtype=np.uint8).copy(), False, None)

    def set_state(self, state: Any) -> "Generator":
        array = np.asarray(getattr(state, "_data", state), dtype=np.uint8)
        try:
            saved = json.loads(array.tobytes().decode())
            self.rng.bit_generator.state = saved["state"]
        except (ValueError, KeyError, TypeError) as error:
            raise RuntimeError(f"set_state: not a state made by Generator.get_state ({error})") from None
        self._seed = saved["seed"]
        return self


default_generator = Generator().manual_seed(0)


def manual_seed(seed: int) -> Generator:
    """Reseed every random draw of the library (init, dropout, shuffling, rand/randn).

    >>> thw.manual_seed(0); a = thw.randn(3)
    >>> thw.manual_seed(0); bool((a == thw.randn(3)).all())
    True
    """
    return default_generator.manual_seed(seed)


def seed() -> int:
    """Reseed the default generator from the operating system; returns the seed."""
    return default_generator.seed()


def initial_seed() -> int:
    """The seed the default generator was last given."""
    return default_generator.initial_seed()


def get_rng_state() -> Any:
    return default_generator.get_state()


def set_rng_state(state: Any) -> None:
    default_generator.set_state(state)


def numpy_generator(generator: Generator | None = None) -> np.random.Generator:
    """The NumPy generator to draw from: `generator`'s, or the default one's.

    >>> numpy_generator().random()
    """
    if generator is None:
        return default_generator.rng
    if not isinstance(generator, Generator):
        raise TypeError(f"generator must be a thw.Generator, got {type(generator).__name__}")
    return generator.rng


def generator() -> np.random.Generator:
    """The default NumPy generator (after `manual_seed`, a fresh one)."""
    return default_generator.rng
