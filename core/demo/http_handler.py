"""HTTP side of the stand-in: the GraphQL endpoint, presigned PUTs, downloads."""

from __future__ import annotations

import hashlib
import json
import logging
import re
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import TYPE_CHECKING

from core.demo import graphql_layer, resolvers
from core.demo.store import StoredUpload

if TYPE_CHECKING:
    from core.demo.server import StandInServer

log = logging.getLogger(__name__)
CHUNK = 1 << 20
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
BAD_GATEWAY_PAGE = (
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    b"<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n"
)


def _s3_error(code: str, message: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<Error><Code>{code}</Code><Message>{message}</Message></Error>"
    ).encode()


class StandInHandler(BaseHTTPRequestHandler):
    """Serves one connection; `server.standin` is the owning `StandInServer`."""

    protocol_version = "HTTP/1.1"
    server_version = "NumeraiStandIn/1.0"

    @property
    def standin(self) -> StandInServer:
        return self.server.standin  # type: ignore[attr-defined]

    def log_message(self, format: str, *args) -> None:  # noqa: A002
        log.debug("%s %s", self.address_string(), format % args)

    def _send(self, status: int, body: bytes, content_type: str, headers=()) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _injected_failure(self) -> bool:
        """Apply a pending 500, 502 or stall; return True when one was applied."""
        failures = self.standin.store.failures
        with self.standin.store.lock:
            stall = failures.take("stall")
            error_500 = not stall and failures.take("http_500")
            error_502 = not stall and not error_500 and failures.take("html_502")
        if stall:
            log.info("stand-in: stalling %s %s until stopped", self.command, self.path)
            self.close_connection = True
            self.standin.stopping.wait()
            return True
        if error_500:
            self._drain_body()
            self._send(500, b"Internal Server Error", "text/plain")
            return True
        if error_502:
            self._drain_body()
            self._send(502, BAD_GATEWAY_PAGE, "text/html")
            return True
        return False

    def _drain_body(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        while length > 0:
            chunk = self.rfile.read(min(CHUNK, length))
            if not chunk:
                break
            length -= len(chunk)

    # GraphQL ------------------------------------------------------------

    def do_POST(self) -> None:  # noqa: N802
        if self._injected_failure():
            return
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        try:
            body = json.loads(raw or b"null")
        except ValueError:
            reply = {
                "errors": [{"message": "Could not parse the request body as JSON"}]
            }
            self._send(400, json.dumps(reply).encode(), "application/json")
            return

        try:
            reply = graphql_layer.run_query(body, resolvers.ROOT, self._context())
        except Exception:
            log.exception("stand-in: request failed: %s", raw[:200])
            self._send(500, b"Internal Server Error", "text/plain")
            return
        self._send(200, json.dumps(reply).encode(), "application/json")

    def _context(self) -> resolvers.RequestContext:
        store = self.standin.store
        header = self.headers.get("Authorization")
        token, error = None, None
        if header:
            scheme, _, credentials = header.partition(" ")
            public_id, _, secret = credentials.partition("$")
            if scheme == "Token":
                token = store.token_for(public_id, secret)
            if token is None:
                error = resolvers.INVALID_SESSION
        return resolvers.RequestContext(store, self.standin.base_url, token, error)

    # Presigned upload ----------------------------------------------------

    def do_PUT(self) -> None:  # noqa: N802
        if self._injected_failure():
            return
        store = self.standin.store
        parts = urllib.parse.urlsplit(self.path).path.strip("/").split("/")
        slot = (
            store.slots.get(parts[1])
            if len(parts) == 3 and parts[0] == "uploads"
            else None
        )
        rejection = self._put_rejection(slot)
        if rejection:
            self._drain_body()
            self._send(403, _s3_error(*rejection), "application/xml")
            return
        if self.headers.get("Content-Length") is None:
            self.close_connection = True
            message = "You must provide the Content-Length HTTP header."
            self._send(
                411, _s3_error("MissingContentLength", message), "application/xml"
            )
            return

        stored = self._receive(slot)
        with store.lock:
            store.uploads[slot.token] = stored
            del store.slots[slot.token]
        log.info(
            "stand-in: stored %s (%d bytes) for model %s",
            stored.filename,
            stored.size,
            stored.model_id,
        )
        self._send(200, b"", "application/xml", [("ETag", f'"{stored.sha256[:32]}"')])

    def _put_rejection(self, slot) -> tuple[str, str] | None:
        if self.standin.store.failures.take("put_403"):
            return ("AccessDenied", "Access Denied")
        if slot is None:
            return (
                "SignatureDoesNotMatch",
                "The request signature we calculated does not match the "
                "signature you provided.",
            )
        if time.time() > slot.expires_at:
            return ("AccessDenied", "Request has expired")
        return None

    def _receive(self, slot) -> StoredUpload:
        length = int(self.headers["Content-Length"])
        path = self.standin.store.spool_dir / f"{slot.token}.bin"
        digest = hashlib.sha256()
        received = 0
        with open(path, "wb") as handle:
            while received < length:
                chunk = self.rfile.read(min(CHUNK, length - received))
                if not chunk:
                    break
                digest.update(chunk)
                handle.write(chunk)
                received += len(chunk)
        return StoredUpload(
            token=slot.token,
            filename=slot.filename,
            model_id=slot.model_id,
            path=path,
            size=received,
            sha256=digest.hexdigest(),
        )

    # Dataset downloads ---------------------------------------------------

    def do_GET(self) -> None:  # noqa: N802
        if self._injected_failure():
            return
        path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
        if path in ("", "/"):
            self._send(200, b"Numerai API stand-in: POST GraphQL here.\n", "text/plain")
            return
        name = path.removeprefix("/datasets/")
        store = self.standin.store
        if not path.startswith("/datasets/") or name not in resolvers.dataset_names(
            store
        ):
            self._send(
                404,
                _s3_error("NoSuchKey", "The specified key does not exist."),
                "application/xml",
            )
            return
        self._send_file(store.data_root / name)

    do_HEAD = do_GET

    def _send_file(self, file: Path) -> None:
        total = file.stat().st_size
        span = _parse_range(self.headers.get("Range"), total)
        if span == "invalid":
            self._send(
                416,
                b"",
                "application/octet-stream",
                [("Content-Range", f"bytes */{total}")],
            )
            return
        start, end = span or (0, total - 1)
        self.send_response(206 if span else 200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Content-Length", str(end - start + 1))
        if span:
            self.send_header("Content-Range", f"bytes {start}-{end}/{total}")
        self.end_headers()
        if self.command == "HEAD":
            return
        with open(file, "rb") as handle:
            handle.seek(start)
            remaining = end - start + 1
            while remaining > 0:
                chunk = handle.read(min(CHUNK, remaining))
                if not chunk:
                    break
                self.wfile.write(chunk)
                remaining -= len(chunk)


def _parse_range(header: str | None, total: int):
    """Return (start, end) for a single byte range, None for none, or "invalid"."""
    if not header:
        return None
    match = _RANGE.match(header.strip())
    if not match or match.groups() == ("", ""):
        return "invalid"
    first, last = match.groups()
    if first == "":
        length = int(last)
        return (max(total - length, 0), total - 1) if length and total else "invalid"
    start = int(first)
    end = min(int(last), total - 1) if last else total - 1
    if start >= total or start > end:
        return "invalid"
    return start, end
