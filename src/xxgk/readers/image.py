"""Scanned pages as image files (PNG, JPEG, TIFF with one or more pages, GIF, WebP): OCR only.

Without `--ocr` an image is refused like a PDF of scanned pages (R005), with a message that says
how to read it. With `--ocr` its frames become the pages of an image-only PDF, made in memory at
the resolution the file records (else the one that makes a portrait page A4 wide), and the PDF
reader reads that by OCR: one pipeline for every scanned page, so tables, provenance (page = frame)
and the findings R010/R011 are the same as for a scanned PDF.
"""

from __future__ import annotations

import contextlib
import io
import warnings
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from xxgk.errors import ScannedPdfError, UnreadableInputError
from xxgk.readers import ocr
from xxgk.readers.base import OCR_HINT_ZH, RawDocument
from xxgk.readers.pdf import PdfReader
from xxgk.readers.sniff import IMAGE_READER as READER_NAME
from xxgk.readers.sniff import IMAGE_SUFFIXES, image_kind
from xxgk.settings import ReadSettings

A4_WIDTH_INCHES = 8.27
MIN_DPI, MAX_DPI = 72.0, 600.0  # a recorded or estimated resolution outside this is not believed
MAX_PIXELS = 60_000_000  # per frame: an A4 page at 600 dpi has 35 M; more is a decompression bomb
GREY_MODES = frozenset({"1", "L", "LA", "I", "I;16", "F"})  # Pillow modes without colour


class ImageReader:
    name = READER_NAME
    suffixes = IMAGE_SUFFIXES

    def sniff(self, head: bytes, suffix: str) -> bool:
        return image_kind(head) is not None

    def read(self, path: str, data: bytes, settings: ReadSettings) -> RawDocument:
        kind = image_kind(data[:16]) or "图片"
        if not settings.ocr:
            raise ScannedPdfError(
                f"这是{kind} 图片（扫描件或截图，没有文字层），无法直接读取；{OCR_HINT_ZH}", path=path
            )
        doc = PdfReader().read(path, image_pdf(data, path, kind), settings)
        doc.reader = READER_NAME
        doc.notes = [f"{kind} 图片已转为 PDF 页面后用 OCR 识别", *doc.notes]
        return doc


def read_picture(path: str, data: bytes, settings: ReadSettings, name: str = "") -> RawDocument:
    """A picture inside another document (a pasted screenshot; `name`: its file or part name) read
    by OCR: its first frame only (an animated banner has dozens; a table pasted as a picture is one)."""
    kind = image_kind(data[:16])
    if kind is None:
        suffix = name.rsplit(".", 1)[-1].upper() if "." in name[-6:] else "未知"
        raise UnreadableInputError(f"图片格式（{suffix}）无法识别，请另存为 PNG 后用 --ocr 识别", path=path)
    return PdfReader().read(path, image_pdf(data, path, kind, first_only=True), replace(settings, ocr=True))


@contextlib.contextmanager
def _truncated_images_refused() -> Iterator[None]:
    """Pillow refuses truncated images here, whatever the process set: WeasyPrint, once imported,
    makes Pillow pad them with grey for the whole process, and a cut-off scan would be read as if
    it were whole (the test suite found it)."""
    from PIL import ImageFile

    before = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = before


def image_pdf(data: bytes, path: str, kind: str, first_only: bool = False) -> bytes:
    """The frames of an image file (`first_only`: its first) as an image-only PDF (bytes). Raise
    UnreadableInputError (zh-CN) for a damaged image, one too large to decode safely, or one of
    more frames than OCR reads."""
    from PIL import Image, ImageSequence  # (Pillow comes with WeasyPrint; imported only for images)

    damaged = UnreadableInputError(f"该{kind} 图片已损坏或不完整，无法读取", path=path)
    try:
        with warnings.catch_warnings(), _truncated_images_refused():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            frames: list[Any] = []
            for frame in ImageSequence.Iterator(image):
                if frame.width * frame.height > MAX_PIXELS:
                    raise UnreadableInputError(
                        f"图片过大（{frame.width}×{frame.height} 像素），不像是一页扫描的报告", path=path
                    )
                if len(frames) == ocr.MAX_OCR_PAGES:
                    raise ocr.too_many_pages(path)  # (now, not after reading the first pages by OCR)
                # (colour kept: OCR drops red seals by their colour; see ocr.drop_red_ink)
                frames.append(frame.convert("L" if frame.mode in GREY_MODES else "RGB"))
                if first_only:
                    break
    except UnreadableInputError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise UnreadableInputError("图片过大（像素数超过安全上限），不像是一页扫描的报告", path=path) from None
    except Exception:  # Pillow raises many kinds (OSError, SyntaxError, ValueError …) for bad files
        raise damaged from None
    if not frames:
        raise damaged
    recorded = image.info.get("dpi")
    dpi = float(recorded[0]) if isinstance(recorded, tuple) and recorded and recorded[0] else 0.0
    if not MIN_DPI <= dpi <= MAX_DPI:
        dpi = min(MAX_DPI, max(MIN_DPI, min(frames[0].width, frames[0].height) / A4_WIDTH_INCHES))
    out = io.BytesIO()
    frames[0].save(out, "PDF", save_all=True, append_images=frames[1:], resolution=dpi)
    return out.getvalue()


__all__ = ["IMAGE_SUFFIXES", "ImageReader", "image_kind", "image_pdf"]
