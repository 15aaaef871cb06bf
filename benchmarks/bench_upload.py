"""Upload a large file to the stand-in: client memory and time against plain requests.

Run: `.venv/bin/python benchmarks/bench_upload.py [--size-mb 500] [--runs 2]`.
The stand-in runs in a child process so that only the client's memory is
measured here. Prints the peak RSS above the baseline during `upload_pickle`
(goal: under 50 MB) and the ratio of its time to a plain streamed
`requests.put` of the same file (goal: at most 1.1).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil
import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.api import NumeraiClient  # noqa: E402
from core.demo import DEMO_MODEL, DEMO_PUBLIC_ID, DEMO_SECRET_KEY  # noqa: E402
from core.keys import Keys  # noqa: E402
from core.upload import upload_pickle  # noqa: E402


class PeakRss:
    """Samples this process's resident memory every 5 ms in a thread."""

    def __init__(self) -> None:
        self.process = psutil.Process()
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.process.memory_info().rss)
            time.sleep(0.005)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._stop.set()
        self._thread.join()


def start_standin() -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "core.demo", "--validation-seconds", "0"],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    url = process.stdout.readline().rsplit(" ", 1)[-1].strip()
    return process, url


def make_file(size_mb: int) -> Path:
    path = Path(tempfile.mkdtemp(prefix="bench-upload-")) / "model.pkl"
    block = os.urandom(1 << 20)
    with open(path, "wb") as handle:
        for _ in range(size_mb):
            handle.write(block)
    return path


def time_plain_put(client: NumeraiClient, model_id: str, path: Path) -> float:
    _name, url = client.upload_auth(path.name, model_id)
    started = time.perf_counter()
    with open(path, "rb") as handle:
        response = requests.put(url, data=handle, timeout=600)
    response.raise_for_status()
    return time.perf_counter() - started


def time_wizard_upload(
    client: NumeraiClient, model_id: str, path: Path, ids
) -> tuple[float, int]:
    baseline = psutil.Process().memory_info().rss
    with PeakRss() as sampler:
        started = time.perf_counter()
        upload_pickle(
            client, path, model_id, data_version_id=ids[0], docker_image_id=ids[1]
        )
        elapsed = time.perf_counter() - started
    return elapsed, sampler.peak - baseline


def control_full_read(path: Path) -> int:
    """Return the peak RSS delta of reading the whole file, as numerapi 3.1.1 does."""
    baseline = psutil.Process().memory_info().rss
    with PeakRss() as sampler:
        data = path.read_bytes()
        time.sleep(0.05)
    del data
    return sampler.peak - baseline


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size-mb", type=int, default=500)
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()

    path = make_file(args.size_mb)
    process, url = start_standin()
    try:
        client = NumeraiClient(Keys(DEMO_PUBLIC_ID, DEMO_SECRET_KEY), url)
        model_id = next(m.id for m in client.classic_models() if m.name == DEMO_MODEL)
        ids = (client.data_versions()[0].id, client.docker_images()[0].id)
        plain, wizard, peaks = [], [], []
        for _ in range(args.runs):
            plain.append(time_plain_put(client, model_id, path))
            elapsed, peak = time_wizard_upload(client, model_id, path, ids)
            wizard.append(elapsed)
            peaks.append(peak)
        control = control_full_read(path)
    finally:
        process.terminate()
        process.wait(timeout=30)
        path.unlink()
        path.parent.rmdir()

    mb = 1 << 20
    print(f"file: {args.size_mb} MB, runs: {args.runs}")
    print(f"plain requests.put: best {min(plain):.2f} s")
    print(
        f"upload_pickle:      best {min(wizard):.2f} s ({args.size_mb / min(wizard):.0f} MB/s)"
    )
    print(
        f"time ratio upload_pickle / requests.put: {min(wizard) / min(plain):.3f} (goal <= 1.1)"
    )
    print(f"peak RSS above baseline: {max(peaks) / mb:.1f} MB (goal < 50 MB)")
    print(f"control, whole file read into memory: {control / mb:.0f} MB above baseline")


if __name__ == "__main__":
    main()
