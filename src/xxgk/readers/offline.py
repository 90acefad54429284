"""Programs the readers run (LibreOffice for legacy .doc) run with no network at all.

A legacy Word file may link pictures or documents by URL (`INCLUDEPICTURE "http://…"`, linked
OLE objects); LibreOffice fetches them while it converts, so a stranger's file could make the
machine that reads it call any address. The conversion therefore runs in a network namespace of
its own (`unshare -n`, or `unshare -rn` for a user without privileges), where no interface but a
loopback that is down exists: every connect and every DNS lookup fails. Where namespaces cannot be
made (not Linux, or forbidden by a container), the program runs as it is, and LibreOffice's own
settings for link updates are still off (`write_profile`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

# LibreOffice settings (registrymodifications.xcu of a fresh profile): never update links, never
# load linked graphics on demand from the web, no update check, no macros.
_SETTINGS = (  # (item path, property, value)
    ("/org.openoffice.Office.Writer/Content/Update", "Link", "2"),  # 2: never update links
    ("/org.openoffice.Office.Calc/Content/Update", "Link", "2"),
    ("/org.openoffice.Office.Common/Security/Scripting", "MacroSecurityLevel", "3"),
    ("/org.openoffice.Office.Common/Security/Scripting", "DisableMacrosExecution", "true"),
    ("/org.openoffice.Office.Common/Misc", "BlockUntrustedRefererLinks", "true"),
    (
        "/org.openoffice.Office.Jobs/Jobs/org.openoffice.Office.Jobs:Job['UpdateCheck']/Arguments",
        "AutoCheckEnabled",
        "false",
    ),
)
_PROFILE = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
    'xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
    + "".join(
        f'<item oor:path="{path}"><prop oor:name="{name}" oor:op="fuse"><value>{value}</value></prop></item>\n'
        for path, name, value in _SETTINGS
    )
    + "</oor:items>\n"
)


def write_profile(profile: Path) -> None:
    """A LibreOffice user profile at `profile` with link updates and the update check off."""
    user = profile / "user"
    user.mkdir(parents=True, exist_ok=True)
    (user / "registrymodifications.xcu").write_text(_PROFILE, encoding="utf-8")


@lru_cache(maxsize=1)
def namespace_prefix() -> tuple[str, ...]:
    """The command prefix that runs a program without network, () when none can be made here."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return ()
    flags = ("-n",) if hasattr(os, "geteuid") and os.geteuid() == 0 else ("-rn",)
    for prefix in ((unshare, *flags), (unshare, "-rn")):
        try:
            done = subprocess.run([*prefix, "true"], capture_output=True, timeout=10, check=False)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if done.returncode == 0:
            return prefix
    return ()


def offline(command: list[str]) -> list[str]:
    """`command` run in a network namespace of its own where one can be made (see the module)."""
    return [*namespace_prefix(), *command]
