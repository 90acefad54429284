"""Every file the web app sends as a download: one content type table and one Content-Disposition."""

from __future__ import annotations

from urllib.parse import quote

from django.http import HttpResponse

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
}


def attach(response: HttpResponse, name: str) -> HttpResponse:
    """Make `response` a download named `name` (UTF-8 file names: RFC 6266 `filename*`)."""
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


def download(data: bytes, name: str, content_type: str | None = None) -> HttpResponse:
    """`data` as a download; the content type from the name's suffix unless given."""
    kind = name.rsplit(".", 1)[-1].lower()
    return attach(
        HttpResponse(data, content_type=content_type or CONTENT_TYPES.get(kind, "application/octet-stream")), name
    )
