"""Error pages in Chinese (Django's own are English when the template is missing)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template import loader

MESSAGES = {
    400: "请求无效",
    403: "您没有权限进行此操作",
    404: "没有找到该页面或对象",
    500: "服务器内部错误，请稍后再试或联系管理员",
}


def _page(status: int, detail: str = "") -> HttpResponse:
    html = loader.render_to_string(
        "xxgk_web/error.html", {"status": status, "message": MESSAGES[status], "detail": detail}
    )
    return HttpResponse(html, status=status)


def _detail(exception: Any) -> str:
    # Only our own messages (Chinese) are shown; Django's internal ones ("No Report matches…") are not.
    text = str(exception or "")
    return text if text and not text.isascii() else ""


def bad_request(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _page(400)


def forbidden(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _page(403, _detail(exception))


def not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _page(404, _detail(exception))


def server_error(request: HttpRequest) -> HttpResponse:
    return _page(500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    html = loader.render_to_string(
        "xxgk_web/error.html",
        {"status": 403, "message": "页面已过期或来源无法验证，请刷新页面后重试", "detail": ""},
    )
    return HttpResponse(html, status=403)
