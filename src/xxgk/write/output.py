"""Writing an output file: through a temporary file in the target directory and os.replace, so a
failed run never leaves a half-written file, and a reader never sees one."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path


def write_output(path: Path, data: bytes) -> None:
    """Write `data` to `path` atomically.

    An existing file keeps its permission bits (a report kept 0600 stays private after it is
    rendered again); a new file gets the mode a plain open() would give it (0666 less the umask).
    mkstemp creates 0600 whatever the umask, so the mode is always set explicitly.
    """
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        mask = os.umask(0)  # the only portable way to read the umask is to set it and put it back
        os.umask(mask)
        mode = 0o666 & ~mask
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
