"""Downloads from misbehaving mirrors (a local server on 127.0.0.1) and archives with members that must not land."""

from __future__ import annotations

import hashlib
import http.server
import io
import os
import stat
import tarfile
import threading
import time

import numpy as np
import pytest

from tinygrad_hw.data import CIFAR10, MNIST, DatasetError, download, extract_tar

BODY = bytes(range(256)) * 40  # 10,240 bytes
MD5 = hashlib.md5(BODY).hexdigest()


class Mirror(http.server.BaseHTTPRequestHandler):
    """Each path is one way for a mirror to behave (badly)."""

    protocol_version = "HTTP/1.1"
    hits: list = []

    def do_GET(self):
        Mirror.hits.append(self.path)
        kind = self.path.strip("/").split("/")[0]
        if kind == "good":
            self.send_response(200)
            self.send_header("Content-Length", str(len(BODY)))
            self.end_headers()
            self.wfile.write(BODY)
        elif kind == "slow-good":  # half now, half a moment later, so two clients overlap
            self.send_response(200)
            self.send_header("Content-Length", str(len(BODY)))
            self.end_headers()
            self.wfile.write(BODY[:5000])
            self.wfile.flush()
            time.sleep(0.3)
            self.wfile.write(BODY[5000:])
        elif kind == "chunked-cut":  # closes inside a chunk: http.client.IncompleteRead
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            self.wfile.write(b"%x\r\n" % len(BODY) + BODY[:3000])
            self.wfile.flush()
            self.close_connection = True
        elif kind == "length-cut":
            self.send_response(200)
            self.send_header("Content-Length", str(len(BODY)))
            self.end_headers()
            self.wfile.write(BODY[:4000])
            self.close_connection = True
        elif kind == "no-response":  # http.client.RemoteDisconnected
            self.close_connection = True
        elif kind == "garbage":  # http.client.BadStatusLine
            self.wfile.write(b"SPAM SPAM SPAM\r\n\r\n")
            self.close_connection = True
        elif kind == "bad-length":
            self.send_response(200)
            self.send_header("Content-Length", "many")
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(BODY)
            self.close_connection = True
        elif kind == "trickle":  # a byte now and then, forever as far as the client knows
            self.send_response(200)
            self.send_header("Content-Length", str(len(BODY)))
            self.end_headers()
            try:
                for i in range(200):
                    self.wfile.write(BODY[i:i + 1])
                    self.wfile.flush()
                    time.sleep(0.02)
            except OSError:  # the client gave up
                pass
            self.close_connection = True
        elif kind == "corrupt":
            self.send_response(200)
            self.send_header("Content-Length", "7")
            self.end_headers()
            self.wfile.write(b"corrupt")
        else:
            self.send_error(404)

    def log_message(self, *args):
        pass


@pytest.fixture
def mirror():
    Mirror.hits = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Mirror)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


def fetch(urls, destination, **options):
    return download(urls, destination, md5=MD5, timeout=5, progress=False, **options)


BAD_MIRRORS = ["chunked-cut", "length-cut", "no-response", "garbage", "bad-length", "corrupt", "missing"]


@pytest.mark.parametrize("bad", BAD_MIRRORS)
def test_every_failing_mirror_is_skipped_for_the_next(tmp_path, mirror, bad):
    path = fetch([mirror + bad + "/file.bin", mirror + "good/file.bin"], tmp_path / "file.bin")
    assert path.read_bytes() == BODY and os.listdir(tmp_path) == ["file.bin"]


@pytest.mark.parametrize("bad", BAD_MIRRORS)
def test_when_every_mirror_fails_the_error_names_each_and_nothing_is_left(tmp_path, mirror, bad):
    with pytest.raises(DatasetError, match=rf"(?s)could not download file.bin:.*{bad}/file.bin: .*by hand"):
        fetch([mirror + bad + "/file.bin"], tmp_path / "file.bin")
    assert os.listdir(tmp_path) == []


def test_a_mirror_closing_inside_a_chunk_is_named_as_such(tmp_path, mirror):
    with pytest.raises(DatasetError, match="IncompleteRead"):
        fetch([mirror + "chunked-cut/file.bin"], tmp_path / "file.bin")


def test_a_trickling_mirror_meets_the_deadline(tmp_path, mirror):
    with pytest.raises(DatasetError, match=r"trickle/file.bin: .*deadline"):
        fetch([mirror + "trickle/file.bin"], tmp_path / "file.bin", deadline=0.2)
    assert os.listdir(tmp_path) == []
    path = fetch([mirror + "trickle/file.bin", mirror + "good/file.bin"], tmp_path / "file.bin", deadline=0.2)
    assert path.read_bytes() == BODY


def test_an_existing_file_is_checked_and_fetched_again_when_it_differs(tmp_path, mirror):
    path = tmp_path / "file.bin"
    path.write_bytes(BODY)
    assert fetch([mirror + "good/file.bin"], path) == path and Mirror.hits == []  # matches: not fetched
    path.write_bytes(BODY[:-1] + b"!")
    assert fetch([mirror + "good/file.bin"], path).read_bytes() == BODY and len(Mirror.hits) == 1
    path.write_bytes(b"stale")
    with pytest.raises(DatasetError, match=r"(?s)already at .*file.bin does not match its md5 checksum"):
        fetch([mirror + "missing/file.bin"], path)


def test_concurrent_downloads_of_one_file_do_not_share_a_temporary(tmp_path, mirror):
    stale = tmp_path / "file.bin.part"  # what another process's transfer might be writing
    stale.write_bytes(b"someone else's")
    results, errors = [], []

    def worker():
        try:
            results.append(fetch([mirror + "slow-good/file.bin"], tmp_path / "file.bin").read_bytes())
        except Exception as error:  # reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == [] and results == [BODY] * 3
    assert sorted(os.listdir(tmp_path)) == ["file.bin", "file.bin.part"] and stale.read_bytes() == b"someone else's"


def test_mnist_with_download_refetches_a_corrupt_cached_file(tmp_path, mirror, monkeypatch):
    labels = (0x801).to_bytes(4, "big") + (3).to_bytes(4, "big") + bytes([7, 8, 9])
    images = (0x803).to_bytes(4, "big") + b"".join(n.to_bytes(4, "big") for n in (3, 2, 2)) + bytes(12)
    import gzip
    good = {"train-labels-idx1-ubyte": gzip.compress(labels), "train-images-idx3-ubyte": gzip.compress(images)}
    raw = tmp_path / "MNIST" / "raw"
    raw.mkdir(parents=True)
    for stem, content in good.items():
        (raw / (stem + ".gz")).write_bytes(content)
    (raw / "train-labels-idx1-ubyte.gz").write_bytes(gzip.compress(labels[:-1] + bytes([1])))  # damaged copy

    class Served(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = good[self.path.strip("/").removesuffix(".gz")]
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Served)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    try:
        monkeypatch.setattr(MNIST, "mirrors", [f"http://127.0.0.1:{server.server_address[1]}/"])
        monkeypatch.setattr(MNIST, "files", {stem: hashlib.md5(content).hexdigest() for stem, content in good.items()})
        assert MNIST(tmp_path).targets.tolist() == [7, 8, 1]  # without download=True: the files as they are
        assert MNIST(tmp_path, download=True).targets.tolist() == [7, 8, 9]
    finally:
        server.shutdown()
        server.server_close()


# --- archives ---------------------------------------------------------------------------------

def _archive(path, *members):
    """A .tar.gz of (TarInfo, bytes or None) members, built in memory: no real device nodes needed."""
    with tarfile.open(path, "w:gz") as tar:
        for info, data in members:
            if data is not None:
                info.size = len(data)
            tar.addfile(info, io.BytesIO(data) if data is not None else None)
    return path


def _member(name, kind=tarfile.REGTYPE, mode=0o644, uid=None, **attributes):
    info = tarfile.TarInfo(name)
    info.type, info.mode = kind, mode
    if uid is not None:
        info.uid, info.gid, info.uname, info.gname = uid, uid, "someone", "someone"
    for key, value in attributes.items():
        setattr(info, key, value)
    return info


def _without_data_filter(monkeypatch, use_filter):
    if not use_filter:
        monkeypatch.delattr(tarfile, "data_filter", raising=False)
    elif not hasattr(tarfile, "data_filter"):
        pytest.skip("this Python has no 'data' extraction filter")


SPECIAL = {
    "character device": _member("cifar-10-batches-bin/null", tarfile.CHRTYPE, 0o666, devmajor=1, devminor=3),
    "block device": _member("cifar-10-batches-bin/disk", tarfile.BLKTYPE, 0o660, devmajor=8, devminor=0),
    "fifo": _member("cifar-10-batches-bin/pipe", tarfile.FIFOTYPE, 0o644),
    "symlink": _member("cifar-10-batches-bin/link", tarfile.SYMTYPE, linkname="/etc/passwd"),
    "hard link": _member("cifar-10-batches-bin/hard", tarfile.LNKTYPE, linkname="cifar-10-batches-bin/a"),
    "absolute path": _member("/tmp/thw-absolute-evil.bin"),
    "traversal": _member("cifar-10-batches-bin/../../evil.bin"),
}


@pytest.mark.parametrize("use_filter", [True, False], ids=["data-filter", "fallback"])
@pytest.mark.parametrize("kind", list(SPECIAL))
def test_archives_with_special_members_are_refused_before_anything_is_written(tmp_path, monkeypatch, use_filter,
                                                                             kind):
    _without_data_filter(monkeypatch, use_filter)
    info = SPECIAL[kind]
    data = None if info.type in (tarfile.CHRTYPE, tarfile.BLKTYPE, tarfile.FIFOTYPE, tarfile.SYMTYPE,
                                 tarfile.LNKTYPE) else b"x"
    archive = _archive(tmp_path / "cifar-10-binary.tar.gz", (_member("cifar-10-batches-bin/a"), b"a"),
                       (info, data))
    target = tmp_path / "target"
    target.mkdir()
    with pytest.raises(DatasetError, match=rf"cifar-10-binary.tar.gz: member '{info.name}'"):
        extract_tar(archive, target)
    assert list(target.iterdir()) == []
    assert not (tmp_path / "evil.bin").exists() and not os.path.exists("/tmp/thw-absolute-evil.bin")


@pytest.mark.parametrize("use_filter", [True, False], ids=["data-filter", "fallback"])
def test_setuid_bits_writable_modes_and_foreign_owners_are_dropped(tmp_path, monkeypatch, use_filter):
    _without_data_filter(monkeypatch, use_filter)
    archive = _archive(tmp_path / "a.tar.gz",
                       (_member("d", tarfile.DIRTYPE, 0o7777, uid=4242), None),
                       (_member("d/setuid", mode=0o4777, uid=4242), b"#!/bin/sh\n"),
                       (_member("d/plain", mode=0o666, uid=4243), b"data"))
    extract_tar(archive, tmp_path / "out")
    for name, mode in (("setuid", 0o755), ("plain", 0o644)):
        info = os.stat(tmp_path / "out" / "d" / name)
        assert stat.S_IMODE(info.st_mode) == mode, name
        assert (info.st_uid, info.st_gid) == (os.getuid(), os.getgid()), name
    folder = os.stat(tmp_path / "out" / "d")
    assert not stat.S_IMODE(folder.st_mode) & (stat.S_ISUID | stat.S_ISGID | stat.S_ISVTX | stat.S_IWOTH)
    assert folder.st_uid == os.getuid()


def test_cifar_archive_with_a_fifo_is_a_dataset_error(tmp_path):
    records = np.zeros((2, 3073), np.uint8).tobytes()
    _archive(tmp_path / "cifar-10-binary.tar.gz", (_member("cifar-10-batches-bin/test_batch.bin"), records),
             (_member("cifar-10-batches-bin/pipe", tarfile.FIFOTYPE), None))
    with pytest.raises(DatasetError, match="'cifar-10-batches-bin/pipe' is a device, FIFO or other special file"):
        CIFAR10(tmp_path, train=False)
    assert not (tmp_path / "cifar-10-batches-bin").exists()
