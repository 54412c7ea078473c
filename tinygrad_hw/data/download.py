"""Downloads into a cache with checksums, progress bars and no partial files left behind.

A file is written to `<name>.part` beside its destination and renamed only when its
checksum matches, so an interrupted or corrupt download leaves nothing in the cache.
Archives are extracted only when every member stays inside the target folder.
"""

from __future__ import annotations

import hashlib
import os
import tarfile
import urllib.error
import urllib.request
from pathlib import Path

from tqdm import tqdm

CACHE_ENV = "TINYGRAD_HW_CACHE"


class DatasetError(RuntimeError):
    """A dataset file that is missing, truncated, corrupt or cannot be fetched."""


def cache_dir() -> Path:
    """Where downloads go: $TINYGRAD_HW_CACHE, else ~/.cache/tinygrad_hw.

    >>> thw.data.cache_dir()
    PosixPath('/home/me/.cache/tinygrad_hw')
    """
    return Path(os.environ.get(CACHE_ENV) or Path.home() / ".cache" / "tinygrad_hw")


def file_digest(path: Path, algorithm: str = "md5") -> str:
    digest = hashlib.new(algorithm)
    with open(path, "rb") as file:
        for chunk in iter(lambda: file.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def download(urls: list[str], destination: Path, md5: str | None = None, sha256: str | None = None,
             timeout: float = 60, progress: bool = True) -> Path:
    """Fetch the first mirror that answers into `destination`, checked against md5/sha256.

    >>> download(["https://example.org/train.gz"], cache_dir() / "mnist" / "train.gz", md5="...")
    """
    destination = Path(destination)
    if destination.exists():
        return destination
    destination.parent.mkdir(parents=True, exist_ok=True)
    errors = []
    for url in urls:
        partial = destination.with_name(destination.name + ".part")
        try:
            _fetch(url, partial, timeout, progress)
            for algorithm, expected in (("md5", md5), ("sha256", sha256)):
                if expected and file_digest(partial, algorithm) != expected:
                    raise DatasetError(f"{algorithm} checksum mismatch (expected {expected}); "
                                       "the download was discarded")
            os.replace(partial, destination)
            return destination
        except (OSError, urllib.error.URLError, DatasetError) as error:
            errors.append(f"  {url}: {error}")
        finally:
            partial.unlink(missing_ok=True)
    raise DatasetError(f"could not download {destination.name}:\n" + "\n".join(errors) +
                       f"\nIf this machine is offline, put the file by hand at {destination}")


def _fetch(url: str, partial: Path, timeout: float, progress: bool) -> None:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        total = int(response.headers.get("Content-Length") or 0) or None
        received = 0
        with open(partial, "wb") as file, tqdm(total=total, unit="B", unit_scale=True, unit_divisor=1024,
                                              desc=partial.name[:-5], disable=not progress) as bar:
            for chunk in iter(lambda: response.read(1 << 16), b""):
                file.write(chunk)
                received += len(chunk)
                bar.update(len(chunk))
    if total is not None and received != total:
        raise DatasetError(f"transfer interrupted after {received} of {total} bytes")


def extract_tar(archive: Path, target: Path) -> None:
    """Extract a tar archive, refusing members that would land outside `target`."""
    target = Path(target).resolve()
    try:
        with tarfile.open(archive) as tar:
            for member in tar.getmembers():
                destination = (target / member.name).resolve()
                if target != destination and target not in destination.parents:
                    raise DatasetError(f"{archive}: member {member.name!r} would be written outside {target}")
                if member.issym() or member.islnk():
                    raise DatasetError(f"{archive}: member {member.name!r} is a link; refusing to extract")
            tar.extractall(target)
    except (tarfile.TarError, EOFError, OSError) as error:
        raise DatasetError(f"{archive} is not a readable tar archive ({error})") from None
