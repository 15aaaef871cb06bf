"""Time from process start to the wizard's first frame, against a minimal Textual app.

Each measurement runs in a fresh interpreter in headless mode and stops at
Textual's `Ready` event, which the app receives once the first frame is
drawn. The wizard starts as `--demo` does: the start-up screen is shown at
once and the stand-in is opened by a worker (here one that never finishes,
so only the first frame is timed). Prints the medians and their ratio; the
goal is a ratio of at most 1.5.

    .venv/bin/python benchmarks/bench_startup.py --repeats 7
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

MINIMAL_APP = """
import sys, time
from textual.app import App
from textual.widgets import Footer, Header, Static

class Minimal(App):
    def compose(self):
        yield Header()
        yield Static("Hello")
        yield Footer()

    def on_ready(self):
        print(time.time() - float(sys.argv[1]))
        self.exit()

Minimal().run(headless=True, size=(80, 24))
"""

WIZARD_APP = """
import sys, threading, time
from pathlib import Path
import tui.app
from tui.app import WizardApp

never = threading.Event()

class Timed(WizardApp):
    # Textual resolves a relative CSS_PATH from the class's source file, which
    # code run with -c does not have.
    CSS_PATH = str(Path(tui.app.__file__).with_name("wizard.tcss"))

    def on_ready(self):
        print(time.time() - float(sys.argv[1]))
        never.set()
        self.exit()

def open_environment():
    never.wait()
    raise RuntimeError("benchmark: the demo is not started")

Timed(open_environment=open_environment).run(headless=True, size=(80, 24))
"""


def first_frame_seconds(code: str, home: str) -> float:
    """Run `code` in a new interpreter; return its seconds to the first frame."""
    env = {"NUMERAI_WIZARD_HOME": home, "PATH": "/usr/bin:/bin", "HOME": home}
    started = time.time()
    result = subprocess.run(
        [sys.executable, "-c", code, repr(started)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return float(result.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--repeats", type=int, default=7, help="runs per app (default 7)"
    )
    args = parser.parse_args()

    home = tempfile.mkdtemp(prefix="wizard-bench-startup-")
    # One unmeasured run of each warms the file cache and bytecode.
    first_frame_seconds(MINIMAL_APP, home)
    first_frame_seconds(WIZARD_APP, home)
    minimal, wizard = [], []
    for _ in range(args.repeats):
        minimal.append(first_frame_seconds(MINIMAL_APP, home))
        wizard.append(first_frame_seconds(WIZARD_APP, home))
    minimal_median = statistics.median(minimal)
    wizard_median = statistics.median(wizard)
    print(f"python {sys.version.split()[0]}, {args.repeats} runs each, headless 80x24")
    print(f"minimal Textual app, first frame: median {minimal_median:.3f} s")
    print(f"wizard (--demo start-up screen), first frame: median {wizard_median:.3f} s")
    print(f"ratio wizard / minimal: {wizard_median / minimal_median:.2f} (goal <= 1.5)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
