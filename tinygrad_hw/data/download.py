"""Downloads into a cache with checksums, progress bars and no partial files left behind.

A file is written to a temporary name of its own (`.<name>.<pid>.<random>.part`) beside its
destination and renamed only when its checksum matches, so an interrupted or corrupt download
leaves nothing in the cache, and two processes fetching the same file never share a temporary.
Every failure of a mirror (refused connection, HTTP error, a transfer cut short, a server too
slow to finish within the deadline) moves on to the next mirror. A file already at the
destination is checked against its checksum and fetched again when it does not match.
Archives are extracted with Python's "data" filter: only regular files and folders, inside
the target, without setuid bits or foreign owners.
"""

from __future__ import annotations

import copy
import hashlib
import http.client
import os
import secrets
import tarfile
import time
import urllib.request
from pathlib import Path

from tqdm import tqdm

CACHE_ENV = "TINYGRAD_HW_CACHE"
_FILTER_ERROR = getattr(tarfile, "FilterError", ())  # Pythons without the "data" filter lack it


class DatasetError(RuntimeError):
    """A dataset file that is missing, truncated, corrupt or cannot be fetched."""


class DatasetNotFoundError(DatasetError):
    """The dataset's files are not in the folder given (and download=False)."""


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
             timeout: float = 60, progress: bool = True, deadline: float = 3600) -> Path:
    """Fetch the first mirror that answers into `destination`, checked against md5/sha256.

    `timeout` bounds each network operation, `deadline` the whole transfer of one file from
    one mirror (a server that sends a byte now and then is given up on).

    >>> download(["https://example.org/train.gz"], cache_dir() / "mnist" / "train.gz", md5="...")
    """
    destination = Path(destination)
    checks = [(algorithm, expected) for algorithm, expected in (("md5", md5), ("sha256", sha256)) if expected]
    errors = []
    if destination.is_file():
        mismatched = [algorithm for algorithm, expected in checks if file_digest(destination, algorithm) != expected]
        if not mismatched:
            return destination
        errors.append(f"  the file already at {destination} does not match its {mismatched[0]} checksum")
    destination.parent.mkdir(parents=True, exist_ok=True)
    for url in urls:
        partial = destination.with_name(f".{destination.name}.{os.getpid()}.{secrets.token_hex(4)}.part")
        try:
            _fetch(url, partial, destination.name, timeout, deadline, progress)
            for algorithm, expected in checks:
                if file_digest(partial, algorithm) != expected:
                    raise DatasetError(f"{algorithm} checksum mismatch (expected {expected}); "
                                       "the download was discarded")
            os.replace(partial, destination)
            return destination
        # Every HTTP-level failure (http.client.IncompleteRead is not an OSError) means: try the next mirror.
        except (OSError, ValueError, http.client.HTTPException, DatasetError) as error:
            errors.append(f"  {url}: {type(error).__name__}: {error}")
        finally:
            partial.unlink(missing_ok=True)
    raise DatasetError(f"could not download {destination.name}:\n" + "\n".join(errors) +
                       f"\nIf this machine is offline, put the file by hand at {destination}")


def _fetch(url: str, partial: Path, name: str, timeout: float, deadline: float, progress: bool) -> None:
    give_up = time.monotonic() + deadline
    with urllib.request.urlopen(url, timeout=timeout) as response:
        total = int(response.headers.get("Content-Length") or 0) or None
        read = getattr(response, "read1", response.read)  # read1: return what has arrived, do not wait for more
        received = 0
        handle = os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_BINARY", 0), 0o666)
        with os.fdopen(handle, "wb") as file, tqdm(total=total, unit="B", unit_scale=True, unit_divisor=1024,
                                                   desc=name, disable=not progress) as bar:
            while chunk := read(1 << 16):
                file.write(chunk)
                received += len(chunk)
                bar.update(len(chunk))
                if time.monotonic() > give_up:
                    raise DatasetError(f"gave up after the {deadline:g} s deadline with {received} bytes received "
                                       "(the server is too slow)")
    if total is not None and received != total:
        raise DatasetError(f"transfer interrupted after {received} of {total} bytes")


def extract_tar(archive: Path, target: Path) -> None:
    """Extract a tar archive's regular files and folders into `target`, and nothing else.

    Members that would land outside `target`, links, device nodes and FIFOs are refused before
    anything is written; modes lose setuid/setgid and group/other write bits, and files belong
    to the user who extracts (Python's "data" filter, or the same rules where Python lacks it).
    """
    target = Path(target).resolve()
    try:
        with tarfile.open(archive) as tar:
            members = tar.getmembers()
            for member in members:
                destination = (target / member.name).resolve()
                if target != destination and target not in destination.parents:
                    raise DatasetError(f"{archive}: member {member.name!r} would be written outside {target}")
                if not (member.isfile() or member.isdir()):
                    kind = "a link" if member.issym() or member.islnk() else "a device, FIFO or other special file"
                    raise DatasetError(f"{archive}: member {member.name!r} is {kind}; only regular files and "
                                       "folders are extracted")
            if hasattr(tarfile, "data_filter"):
                tar.extractall(target, members=members, filter="data")
            else:
                tar.extractall(target, members=[_data_member(member) for member in members])
    except _FILTER_ERROR as error:
        raise DatasetError(f"{archive}: refused to extract ({error})") from None
    except (tarfile.TarError, EOFError, OSError) as error:
        raise DatasetError(f"{archive} is not a readable tar archive ({error})") from None


def _data_member(member: tarfile.TarInfo) -> tarfile.TarInfo:
    """What the "data" filter keeps of a regular file or folder (for Pythons without it)."""
    member = copy.copy(member)
    if member.isfile():
        member.mode &= 0o755  # no setuid/setgid/sticky, no group or other write
        if not member.mode & 0o100:
            member.mode &= ~0o111
        member.mode |= 0o600
    else:
        member.mode = 0o755
    if hasattr(os, "getuid"):  # owned by whoever extracts (as root, extractall would chown to the archive's)
        member.uid, member.gid, member.uname, member.gname = os.getuid(), os.getgid(), "", ""
    return member
