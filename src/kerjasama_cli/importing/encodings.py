"""Which encoding a text file is in: decided from all of it, never guessed by hand.

What offices' CSV files are written in besides UTF-8: Excel on Windows saves
"CSV (Comma delimited)" in the ANSI code page (Windows-1252 where Indonesian
is set), Excel on a Mac "CSV (Macintosh)" in Mac Roman, older systems Latin-9
or the DOS code page; "Unicode Text" is UTF-16.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from kerjasama_cli.importing.summary import ImportFailed

SINGLE_BYTE = ("cp1252", "iso8859_15", "mac_roman", "cp850", "latin_1")
ENCODING_NAMES = {
    "utf_8": "UTF-8",
    "utf_8_sig": "UTF-8 (with BOM)",
    "utf_16": "UTF-16",
    "utf_32": "UTF-32",
    "cp1252": "Windows-1252 (ANSI)",
    "iso8859_15": "ISO-8859-15 (Latin-9)",
    "mac_roman": "Mac Roman",
    "cp850": "DOS (cp850)",
    "latin_1": "ISO-8859-1 (Latin-1)",
}
_BLOCK = 1 << 20


def _known_encoding(name: str) -> str:
    try:
        info = codecs.lookup(name)
        # rot13, base64, zip turn bytes into bytes; 'undefined' refuses everything
        "".encode(info.name)
    except (LookupError, ValueError, UnicodeError):  # ValueError: a NUL in the name
        raise ImportFailed(
            f"--encoding: {name!r} is not a text encoding Python knows",
            hint="for Excel's 'CSV (Comma delimited)' on Windows use --encoding cp1252",
        ) from None
    return info.name.replace("-", "_")


def encoding_name(codec: str) -> str:
    return ENCODING_NAMES.get(codec, codec)


def _decodes(blocks: Iterable[bytes], codec: str) -> bool:
    decoder = codecs.getincrementaldecoder(codec)("strict")
    try:
        for block in blocks:
            decoder.decode(block)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _blocks(file: Path) -> Iterator[bytes]:
    with file.open("rb") as handle:
        while block := handle.read(_BLOCK):
            yield block


def _bom(start: bytes) -> str | None:
    if start.startswith(codecs.BOM_UTF8):
        return "utf_8_sig"
    if start.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):  # before UTF-16's
        return "utf_32"
    if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf_16"
    return None


def detect_encoding(start: bytes, blocks: Callable[[], Iterable[bytes]]) -> str:
    """The codec a text file is in, decided from all of it, not from its start.

    A BOM decides; else UTF-8 if every byte of the file decodes as UTF-8; else
    charset-normalizer chooses among the single-byte code pages offices' files
    come in, looking at the lines that hold non-ASCII bytes, and the choice
    must decode the whole file.
    """
    if (bom := _bom(start)) is not None:
        return bom
    if _binary(start):
        raise ImportFailed(
            "the file holds binary data, not text",
            hint="give a CSV file saved from Excel (or the workbook itself, .xlsx)",
        )
    if _decodes(blocks(), "utf_8"):
        return "utf_8"
    if (row := _mixed_utf8(blocks())) is not None:
        raise ImportFailed(
            f"the file is UTF-8 but for some bytes that are not (from row {row}): parts "
            "of it were saved by different programs, and any one reading would garble "
            "part of it",
            hint="open it in Excel and save it again as 'CSV UTF-8', or name the encoding "
            "with --encoding (cp1252 or utf-8)",
        )
    import charset_normalizer

    sample = _non_ascii_lines(blocks())
    ranked = [
        m.encoding for m in charset_normalizer.from_bytes(sample, cp_isolation=list(SINGLE_BYTE))
    ]
    for codec in [*ranked, *(c for c in SINGLE_BYTE if c not in ranked)]:
        if codec in SINGLE_BYTE and codec != "latin_1" and _decodes(blocks(), codec):
            return codec
    raise ImportFailed(
        "cannot tell which encoding the file is written in",
        hint="save it from Excel as 'CSV UTF-8', or name the encoding with --encoding cp1252",
    )


# A multi-byte UTF-8 character: a lead byte and its continuation bytes.
_UTF8_CHARACTER = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


def _mixed_utf8(blocks: Iterable[bytes]) -> int | None:
    """The line where a file that is otherwise UTF-8 has a byte that is not; None when
    it holds (almost) no UTF-8 character: then it is in a single-byte code page."""
    decoder = codecs.getincrementaldecoder("utf_8")("strict")
    characters = lines = 0
    bad_line = None
    for block in blocks:
        characters += len(_UTF8_CHARACTER.findall(block))
        if bad_line is None:
            try:
                decoder.decode(block)
            except UnicodeDecodeError as error:
                bad_line = lines + block.count(b"\n", 0, max(error.start, 0)) + 1
        lines += block.count(b"\n")
    # One UTF-8 character and one byte that is not: a file that two programs wrote.
    return bad_line if characters >= 1 else None


def _binary(start: bytes) -> bool:
    """NUL bytes, or many control bytes, at the start: not a text file."""
    if b"\x00" in start:
        return True
    controls = sum(byte < 32 and byte not in (9, 10, 12, 13) for byte in start)
    return controls > max(8, len(start) // 100)


def _non_ascii_lines(blocks: Iterable[bytes], limit: int = 1 << 16) -> bytes:
    """The lines of the file that hold non-ASCII bytes (up to ``limit`` bytes):
    what tells one code page from another, wherever in the file it is."""
    found: list[bytes] = []
    size = 0
    rest = b""
    for block in blocks:
        lines = (rest + block).split(b"\n")
        rest = lines.pop()
        for line in lines:
            if not line.isascii():
                found.append(line)
                size += len(line)
                if size >= limit:
                    return b"\n".join(found)
    if rest and not rest.isascii():
        found.append(rest)
    return b"\n".join(found)
