"""The OS error texts in zh-CN live in the core (`xxgk.oserrors`): readers and writers use them too."""

from __future__ import annotations

from xxgk.oserrors import ERRNO_ZH, os_error_zh, zh_message

__all__ = ["ERRNO_ZH", "os_error_zh", "zh_message"]
