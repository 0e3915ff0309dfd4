"""Start-up of one command under two installs of kerjasama, measured interleaved.

    python benchmarks/startup_compare.py BEFORE_VENV AFTER_VENV [--runs 21] [-- ARGS...]

Each venv holds kerjasama installed non-editable (``pip install PATH``: the
bytecode is compiled at install, as a user's install has it; an editable
install under PYTHONDONTWRITEBYTECODE recompiles every module on every run).
Without ARGS it builds the sample register (examples/) with the AFTER install
and runs ``kerjasama --db SAMPLE show 1``. The two installs run alternately,
one run each per round, so a busy moment of the machine weighs on both; it
prints the median and the minimum of each and their ratio (issue 14: the
after install no slower than 1.10x by median).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _script(venv: Path) -> str:
    script = venv / ("Scripts/kerjasama.exe" if sys.platform == "win32" else "bin/kerjasama")
    if not script.exists():
        sys.exit(f"{script} does not exist: pip install kerjasama into {venv} first")
    return str(script)


def _sample(kerjasama: str, folder: Path) -> Path:
    db = folder / "sample.db"
    subprocess.run(
        [kerjasama, "-q", "--db", str(db), "import",
         str(EXAMPLES / "register-2021.csv"), str(EXAMPLES / "evaluasi-2021.csv")],
        check=True, capture_output=True,
    )  # fmt: skip
    return db


def _once(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("args", nargs="*", help="the command's arguments (after --)")
    options = parser.parse_args()
    before, after = _script(options.before), _script(options.after)
    with tempfile.TemporaryDirectory() as name:
        args = options.args or ["--db", str(_sample(after, Path(name))), "show", "1"]
        _once([before, *args]), _once([after, *args])  # warm the file cache
        times: dict[str, list[float]] = {"before": [], "after": []}
        for _ in range(options.runs):
            times["before"].append(_once([before, *args]))
            times["after"].append(_once([after, *args]))
    medians = {key: statistics.median(values) for key, values in times.items()}
    for key, values in times.items():
        print(f"{key:6}  median {medians[key] * 1000:6.0f} ms  min {min(values) * 1000:6.0f} ms")
    ratio = medians["after"] / medians["before"]
    print(f"after / before: {ratio:.3f}x by median, "
          f"{min(times['after']) / min(times['before']):.3f}x by minimum")  # fmt: skip


if __name__ == "__main__":
    main()
