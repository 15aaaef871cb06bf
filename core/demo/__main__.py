"""Run the stand-in API alone: `python -m core.demo [--port N] [--data-root DIR]`."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m core.demo", description=__doc__)
    parser.add_argument(
        "--port",
        type=int,
        default=0,
        help="TCP port on 127.0.0.1 (default: a free one)",
    )
    parser.add_argument(
        "--data-root", type=Path, help="serve dataset files from DIR/<version>/..."
    )
    parser.add_argument(
        "--validation-seconds",
        type=float,
        default=1.5,
        help="time an upload takes to validate, in seconds",
    )
    args = parser.parse_args(argv)
    return serve(args.port, args.data_root, args.validation_seconds)


def serve(port: int, data_root: Path | None, validation_seconds: float = 1.5) -> int:
    """Start the stand-in, print its address and keys, and serve until interrupted."""
    from core.demo import DEMO_PUBLIC_ID, DEMO_SECRET_KEY
    from core.demo.server import StandInServer

    server = StandInServer(
        data_root, port=port, validation_seconds=validation_seconds, run_pickles=True
    )
    try:
        server.start()
    except OSError as error:
        print(
            f"Could not listen on 127.0.0.1:{port}: {error.strerror}", file=sys.stderr
        )
        return 1
    print(f"Numerai API stand-in listening on {server.url}", flush=True)
    print(f"NUMERAI_PUBLIC_ID={DEMO_PUBLIC_ID}")
    print(f"NUMERAI_SECRET_KEY={DEMO_SECRET_KEY}", flush=True)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.cleanup()
    return 0


def _interrupt(_signum, _frame) -> None:
    raise KeyboardInterrupt


if __name__ == "__main__":
    sys.exit(main())
