"""Downloads against a Range-capable file server on 127.0.0.1."""

from __future__ import annotations

import hashlib
import http.server
import os
import threading

import pytest

from core.data import download
from core.data.download import DownloadError, download_files, sidecar_path
from core.errors import Cancelled

PAYLOAD = os.urandom(3 * 1024 * 1024 + 123)


class FileHandler(http.server.BaseHTTPRequestHandler):
    """Serves PAYLOAD at /<name>; the server's settings pick failures to inject."""

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        server = self.server
        server.requests.append((self.path, self.headers.get("Range")))
        if self.path.endswith("missing.parquet"):
            self.send_error(404)
            return
        start = 0
        range_header = self.headers.get("Range")
        if range_header and server.honor_range:
            start = int(range_header.split("=")[1].split("-")[0])
            end = len(PAYLOAD) - 1
            if range_header.endswith("-0"):
                end = 0
            if start >= len(PAYLOAD):
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{len(PAYLOAD)}")
                self.end_headers()
                return
            body = PAYLOAD[start : end + 1]
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{end}/{len(PAYLOAD)}")
        else:
            body = PAYLOAD
            self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if server.cuts_left > 0 and len(body) > server.cut_at:
            server.cuts_left -= 1
            self.wfile.write(body[: server.cut_at])
            self.wfile.flush()
            self.connection.shutdown(2)
            return
        self.wfile.write(body)


@pytest.fixture
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FileHandler)
    httpd.requests = []
    httpd.honor_range = True
    httpd.cuts_left = 0
    httpd.cut_at = 1024 * 1024
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(autouse=True)
def no_retry_delay(monkeypatch):
    monkeypatch.setattr(download, "RETRY_DELAY_S", 0.0)


def _url_for(server):
    return lambda name: f"http://127.0.0.1:{server.server_address[1]}/{name}"


def _sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_download_complete_file(server, tmp_path):
    updates = []
    [path] = download_files(
        _url_for(server), ["v5.2/train.parquet"], tmp_path, progress=updates.append
    )
    assert path == tmp_path / "v5.2" / "train.parquet"
    assert _sha(path) == hashlib.sha256(PAYLOAD).hexdigest()
    assert not path.with_name("train.parquet.part").exists()
    assert updates[-1].done_bytes == len(PAYLOAD)
    assert updates[-1].total_bytes == len(PAYLOAD)
    assert updates[-1].name == "v5.2/train.parquet"


def test_cut_connection_resumes_with_range(server, tmp_path):
    server.cuts_left = 1
    [path] = download_files(_url_for(server), ["v5.2/train.parquet"], tmp_path)
    assert _sha(path) == hashlib.sha256(PAYLOAD).hexdigest()
    ranges = [r for _, r in server.requests]
    assert ranges[0] is None
    assert ranges[1] == f"bytes={server.cut_at}-"


def test_server_ignoring_range_restarts(server, tmp_path):
    server.cuts_left = 1
    server.honor_range = False
    [path] = download_files(_url_for(server), ["v5.2/train.parquet"], tmp_path)
    assert _sha(path) == hashlib.sha256(PAYLOAD).hexdigest()


def test_repeated_cuts_fail_keeping_part(server, tmp_path, monkeypatch):
    monkeypatch.setattr(download, "MAX_ATTEMPTS", 2)
    server.cuts_left = 5
    server.cut_at = 300 * 1024
    with pytest.raises(DownloadError, match="failed after 2 attempts") as caught:
        download_files(_url_for(server), ["v5.2/train.parquet"], tmp_path)
    assert "resumed" in caught.value.hint
    # Each attempt keeps the whole chunks it read: 256 KiB twice.
    assert (
        tmp_path / "v5.2" / "train.parquet.part"
    ).stat().st_size == 2 * download.CHUNK_BYTES
    assert not (tmp_path / "v5.2" / "train.parquet").exists()


def test_cancel_keeps_only_part(server, tmp_path):
    cancel = threading.Event()

    def on_progress(update):
        if update.done_bytes > 0:
            cancel.set()

    with pytest.raises(Cancelled):
        download_files(
            _url_for(server),
            ["v5.2/train.parquet"],
            tmp_path,
            progress=on_progress,
            cancel=cancel,
        )
    names = sorted(p.name for p in (tmp_path / "v5.2").iterdir())
    assert names == ["train.parquet.part"]

    cancel.clear()
    [path] = download_files(_url_for(server), ["v5.2/train.parquet"], tmp_path)
    assert _sha(path) == hashlib.sha256(PAYLOAD).hexdigest()
    assert any(r and r != "bytes=0-0" for _, r in server.requests[1:])


def test_complete_file_not_downloaded_again(server, tmp_path):
    download_files(_url_for(server), ["v5.2/train.parquet"], tmp_path)
    assert sidecar_path(tmp_path / "v5.2" / "train.parquet").is_file()
    server.requests.clear()
    download_files(_url_for(server), ["v5.2/train.parquet"], tmp_path)
    assert server.requests == [("/v5.2/train.parquet", "bytes=0-0")]


def test_changed_remote_size_downloads_again(server, tmp_path):
    target = tmp_path / "v5.2" / "train.parquet"
    target.parent.mkdir(parents=True)
    target.write_bytes(b"old and shorter")
    [path] = download_files(_url_for(server), ["v5.2/train.parquet"], tmp_path)
    assert _sha(path) == hashlib.sha256(PAYLOAD).hexdigest()


def test_full_part_file_finishes_on_416(server, tmp_path):
    part = tmp_path / "v5.2" / "train.parquet.part"
    part.parent.mkdir(parents=True)
    part.write_bytes(PAYLOAD)
    [path] = download_files(_url_for(server), ["v5.2/train.parquet"], tmp_path)
    assert _sha(path) == hashlib.sha256(PAYLOAD).hexdigest()


def test_http_error_names_file(server, tmp_path):
    with pytest.raises(
        DownloadError, match=r"v5.2/missing.parquet failed with HTTP 404"
    ):
        download_files(_url_for(server), ["v5.2/missing.parquet"], tmp_path)
