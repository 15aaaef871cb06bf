"""The stand-in API server: a real HTTP GraphQL server on 127.0.0.1."""

from __future__ import annotations

import logging
import shutil
import socket
import sys
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path

from core.demo.fixtures import build_store
from core.demo.http_handler import StandInHandler
from core.demo.store import Failures, Store

log = logging.getLogger(__name__)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address, standin: StandInServer) -> None:
        self.standin = standin
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()
        super().__init__(address, StandInHandler)

    def process_request_thread(self, request, client_address) -> None:
        with self.connections_lock:
            self.connections.add(request)
        try:
            super().process_request_thread(request, client_address)
        finally:
            with self.connections_lock:
                self.connections.discard(request)

    def handle_error(self, request, client_address) -> None:
        """Log a failed request instead of printing a traceback over the TUI."""
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):
            log.info("stand-in: connection from %s dropped: %s", client_address, error)
        else:
            log.error("stand-in: request from %s failed", client_address, exc_info=True)

    def close_connections(self) -> None:
        with self.connections_lock:
            open_sockets = list(self.connections)
        for sock in open_sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class StandInServer:
    """Numerai's GraphQL API, presigned uploads and dataset files, on loopback.

    `url` is the GraphQL endpoint once started. `store` contains the account,
    uploads and pending failures; tests read and change it directly.
    `validation_seconds` is how long an upload takes to go from "pending"
    to its final validation status. With `run_pickles`, validation also runs
    the pickle in the sandbox for the chosen image's Python when that runner
    environment is ready, as Numerai runs it before accepting it.
    """

    def __init__(
        self,
        data_root: Path | None = None,
        *,
        port: int = 0,
        validation_seconds: float = 1.5,
        upload_url_seconds: float = 600.0,
        run_pickles: bool = False,
    ) -> None:
        self._spool = None
        self._port = port
        self.store: Store = build_store(
            Path(data_root) if data_root else None,
            validation_seconds=validation_seconds,
        )
        self.store.upload_url_seconds = upload_url_seconds
        self.store.run_pickles = run_pickles
        self._spool = self.store.spool_dir
        self.stopping = threading.Event()
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def failures(self) -> Failures:
        return self.store.failures

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("the stand-in server is not running")
        return self._httpd.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    @property
    def url(self) -> str:
        """Return the GraphQL endpoint."""
        return self.base_url

    def start(self) -> StandInServer:
        if self._httpd is not None:
            return self
        self.stopping.clear()
        self._httpd = _Server(("127.0.0.1", self._port), self)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="numerai-standin",
            daemon=True,
        )
        self._thread.start()
        log.info("stand-in API listening on %s", self.url)
        return self

    def stop(self) -> None:
        """Stop serving; stalled and idle connections are closed at once."""
        if self._httpd is None:
            return
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.close_connections()
        self._httpd.server_close()
        self._thread.join(timeout=5)
        log.info("stand-in API on port %s stopped", self._httpd.server_address[1])
        self._httpd = None
        self._thread = None

    def cleanup(self) -> None:
        """Stop and delete the uploaded files kept on disk."""
        self.stop()
        shutil.rmtree(self._spool, ignore_errors=True)

    def inject(self, failure: str, count: int = 1) -> None:
        """Make the next `count` requests fail.

        `failure` is one of "http_500", "html_502", "stall" (accept and send
        no response until stopped), "put_403" (presigned PUT rejected) and
        "expire_upload_urls" (the next upload URLs are already expired).
        """
        if not hasattr(self.store.failures, failure):
            raise ValueError(f"unknown failure kind: {failure}")
        with self.store.lock:
            setattr(self.store.failures, failure, count)

    def __enter__(self) -> StandInServer:
        return self.start()

    def __exit__(self, *_exc) -> None:
        self.cleanup()
