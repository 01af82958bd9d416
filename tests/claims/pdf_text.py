"""The text of a PDF that headless Chromium printed, without a PDF library: Skia writes each font
as Type0 with a ToUnicode map and draws text with `<hex> Tj` and `[...] TJ`, in Flate streams.
Enough to assert that printed words survive; not a general PDF reader."""

from __future__ import annotations

import re
import unicodedata
import zlib
from pathlib import Path

_OBJ = re.compile(rb"(\d+) 0 obj(.*?)endobj", re.S)
_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)


def _objects(data: bytes) -> dict[int, tuple[bytes, bytes]]:
    """Object number -> (dictionary text, decompressed stream or b'')."""
    out = {}
    for m in _OBJ.finditer(data):
        body = m.group(2)
        s = _STREAM.search(body)
        stream = b""
        if s:
            try:
                stream = zlib.decompress(s.group(1))
            except zlib.error:
                stream = s.group(1)
        out[int(m.group(1))] = (body[: s.start()] if s else body, stream)
    return out


def _cmap(text: bytes) -> dict[int, str]:
    """A ToUnicode CMap's code -> text."""
    out: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", text, re.S):
        for code, uni in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            out[int(code, 16)] = bytes.fromhex(uni.decode()).decode("utf-16-be", "replace")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", text, re.S):
        for lo, hi, uni in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            start = int(uni, 16)
            for k, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                out[code] = chr(start + k)
    return out


def pdf_text(path: Path) -> str:
    """All text drawn in the PDF, in drawing order, text objects separated by spaces."""
    objs = _objects(Path(path).read_bytes())
    fonts: dict[bytes, dict[int, str]] = {}
    for head, _ in objs.values():
        for name, num in re.findall(rb"/(F\d+) (\d+) 0 R", head):
            font = objs.get(int(num), (b"", b""))[0]
            m = re.search(rb"/ToUnicode (\d+) 0 R", font)
            if m:
                fonts[name] = _cmap(objs[int(m.group(1))][1])
    parts: list[str] = []
    for _, stream in objs.values():
        if b"BT" not in stream or b"Tj" not in stream and b"TJ" not in stream:
            continue
        cmap: dict[int, str] = {}
        for tok in re.finditer(rb"/(F\d+) [\d.]+ Tf|<([0-9A-Fa-f]+)>|\bET\b", stream):
            if tok.group(1):
                cmap = fonts.get(tok.group(1), {})
            elif tok.group(2):
                h = tok.group(2)
                parts.append("".join(cmap.get(int(h[i:i + 4], 16), "") for i in range(0, len(h), 4)))
            else:
                parts.append(" ")
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", "".join(parts)))  # ligatures ("ﬁ") as letters
