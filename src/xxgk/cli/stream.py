"""Results written as each file's outcome arrives, so the parent holds none of them to the end.

The JSON array is written piece by piece with plain `json` in exactly the layout of
`json.dumps(records, ensure_ascii=False, indent=2)`: a reader of the whole output cannot tell it
from one dump, and it is valid JSON as soon as `close()` has run (also after Ctrl-C).
"""

from __future__ import annotations

import json
from typing import IO, Any

INDENT = "  "


def dumps(obj: Any) -> str:
    """One JSON document, indented, in zh-CN characters (not \\u escapes)."""
    return json.dumps(obj, ensure_ascii=False, indent=2, default=str)


class JsonArray:
    """`[`, the records one by one, `]`: the bytes of one `dumps(list_of_records)` and a newline."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream
        self._count = 0

    def write(self, record: dict[str, object]) -> None:
        # (an item of an indented list is its own dump indented one level: no line of a JSON dump
        # holds a raw newline inside a string, so the lines can be indented as they are)
        item = "\n".join(INDENT + line for line in dumps(record).split("\n"))
        self._stream.write(("[\n" if self._count == 0 else ",\n") + item)
        self._stream.flush()
        self._count += 1

    def close(self) -> None:
        self._stream.write("\n]\n" if self._count else "[]\n")
        self._stream.flush()


class JsonLines:
    """One compact JSON object per line (JSON Lines), flushed as each file is done."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream

    def write(self, record: dict[str, object]) -> None:
        self._stream.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
        self._stream.flush()

    def close(self) -> None:
        self._stream.flush()
