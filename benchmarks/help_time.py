"""`kerjasama --help` wall time against a one-command Typer app's, in the same run.

    python benchmarks/help_time.py [--runs 15]

Prints the median of each and their ratio (goal: at most 1.5x). Both run as a
fresh process, as a user's shell would start them.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASELINE = '''
import typer

app = typer.Typer(rich_markup_mode=MODE)


@app.command()
def hello(name: str = "world") -> None:
    """Say hello."""
    print(name)


if __name__ == "__main__":
    app()
'''


def median_seconds(command: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    ours = [sys.executable, "-m", "kerjasama_cli", "--help"]
    with tempfile.TemporaryDirectory() as folder:
        # Typer's default help is drawn with Rich; kerjasama uses plain help
        # (rich_markup_mode=None), so both baselines are shown.
        baselines = {}
        for label, mode in (("Rich help (default)", '"rich"'), ("plain help", "None")):
            path = Path(folder) / f"one_command_{len(baselines)}.py"
            path.write_text(BASELINE.replace("MODE", mode))
            baselines[label] = [sys.executable, str(path), "--help"]
        for command in (ours, *baselines.values()):
            median_seconds(command, 2)  # warm the file cache and .pyc files
        ours_s = median_seconds(ours, runs)
        print(f"kerjasama --help                           median {ours_s * 1000:7.1f} ms")
        for label, command in baselines.items():
            seconds = median_seconds(command, runs)
            print(
                f"one-command Typer app, {label:<20}median {seconds * 1000:7.1f} ms"
                f"   ratio {ours_s / seconds:.2f}x (goal <= 1.5x)"
            )
    print(f"({runs} runs each, {sys.version.split()[0]})")


if __name__ == "__main__":
    main()
