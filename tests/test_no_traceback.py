"""What the command fuzzer (test_fuzz_commands.py) found, kept as plain cases:
each was a crash (exit 70, "failed unexpectedly") before it was a clear error."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kerjasama_cli.cli.app import app


def run(*args: str, input: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), input=input)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    return result.exit_code, result.output


@pytest.mark.parametrize("codec", ["rot13", "base64", "zip", "hex", "undefined", "\x00"])
def test_an_encoding_that_is_not_one_for_text_is_refused(tmp_path: Path, codec: str) -> None:
    (tmp_path / "a.csv").write_text("Nomor;Tentang\n1/KB;a\n", encoding="utf-8")
    for source, given in ((str(tmp_path / "a.csv"), None), ("-", "Nomor;Tentang\n1/KB;a\n")):
        code, output = run("--db", str(tmp_path / "r.db"), "import", source,
                           "--encoding", codec, input=given)
        assert code == 2 and "is not a text encoding Python knows" in output


def test_a_path_that_is_not_utf8_is_shown_escaped(tmp_path: Path) -> None:
    name = str(tmp_path / "\udcff.db")  # the byte 0xff in a file name, as Python holds it
    code, output = run("--db", name, "db", "upgrade")
    assert code == 0 and "\\udcff.db" in output


def test_a_nul_in_a_path_is_refused(tmp_path: Path) -> None:
    code, output = run("--db", str(tmp_path / "r.db"), "db", "copy", "--to", "a\x00b.db")
    assert code == 2 and "NUL character" in output


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root")
def test_a_device_is_not_a_register(tmp_path: Path) -> None:
    device = tmp_path / "full"
    try:
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 7))  # a copy of /dev/full
    except OSError as error:
        pytest.skip(f"cannot make a device node here: {error}")
    code, output = run("--db", str(device), "list")
    assert code == 5 and "it is not a file (a device or a pipe)" in output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["full"]  # no journal beside it


def test_a_pipe_is_not_a_register(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    code, output = run("--db", str(tmp_path / "pipe"), "list")
    assert code == 5 and "it is not a file" in output
