"""The operating system's error texts (English, from strerror) in zh-CN, in one place.

Readers and writers name an OS error by `os_error_zh` ("无法读取文件：没有访问权限"), so no English
system text reaches a user of the library or the web app; the CLI also passes every message through
`zh_message`, which replaces the common English texts that other code may still carry.
"""

from __future__ import annotations

import errno
import os

ERRNO_ZH = {
    errno.ENOENT: "文件或目录不存在",
    errno.EACCES: "没有访问权限",
    errno.EPERM: "操作不被允许",
    errno.EISDIR: "这是目录，不是文件",
    errno.ENOTDIR: "路径中有一段不是目录",
    errno.ENAMETOOLONG: "文件名太长",
    errno.ELOOP: "符号链接循环",
    errno.EIO: "输入/输出错误（磁盘或网络盘读取失败）",
    errno.ENOSPC: "磁盘空间不足",
    errno.EROFS: "文件系统只读",
    errno.EMFILE: "打开的文件太多",
    errno.ENFILE: "系统打开的文件太多",
    errno.ENOMEM: "内存不足",
    errno.EEXIST: "文件已存在",
    errno.EBUSY: "文件正被占用",
    errno.ETIMEDOUT: "连接超时",
    errno.EINVAL: "参数无效",
    errno.ENXIO: "设备不存在",
    errno.ESTALE: "网络文件句柄已失效",
}
# (the English texts as this system words them, longest first so that none is cut by a shorter one)
_ENGLISH = sorted(((os.strerror(n), zh) for n, zh in ERRNO_ZH.items()), key=lambda pair: -len(pair[0]))


def os_error_zh(e: OSError) -> str:
    """What went wrong, in zh-CN: the errno's text, else the system's own text."""
    if e.errno in ERRNO_ZH:
        return ERRNO_ZH[e.errno]
    return zh_message(e.strerror or str(e))


def zh_message(message: str) -> str:
    """`message` with the common English OS error texts replaced by their zh-CN."""
    for english, zh in _ENGLISH:
        if english in message:
            message = message.replace(english, zh)
    return message
