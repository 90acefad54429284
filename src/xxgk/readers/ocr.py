"""Scanned pages (PDF pages without a text layer, image files) read by OCR: the optional extra
`pip install 'xxgk[ocr]'`, used with `--ocr`.

Engine: RapidOCR (`rapidocr-onnxruntime`): PaddleOCR's PP-OCRv4 Chinese text detection and
recognition models run by onnxruntime on the CPU. The models ship inside the wheel, so nothing is
downloaded at run time, and the same page gives the same text every time.

A page is rendered at `OCR_DPI` in grey, straightened when it was scanned askew (the angle of its
long horizontal rulings), and then read:

- rulings: dark runs at least `MIN_RULING_PT` long, found by a morphological opening with a long
  thin kernel (horizontal, then vertical), become the `Edge`s of the PDF reader;
- text: every character the engine recognises becomes one `Char` of the PDF reader, with the
  box the recogniser's alignment gives it;
- a second look at table cells with ink but no text box, or with one box read with low
  confidence: the detector cuts lone digits tightly ("0" cut short reads "n") or misses a thin
  "1" on grainy paper, so such a cell is cut out by its ink and recognised on its own
  (`reread_cells`).

From there the page is a text-layer page: `pdf.edges_to_tables` and `pdf.page_items` rebuild its
tables, merged cells, wrapped labels and continued tables by the very code that reads text PDFs.
Boxes recognised with a confidence below `LOW_CONFIDENCE` are returned as doubts: their table
cells are reported (R011) so that a reviewer checks them against the scan.
"""

from __future__ import annotations

import contextlib
import functools
import math
import os
from dataclasses import dataclass, field
from typing import Any

from xxgk.errors import UnreadableInputError
from xxgk.readers.pdf_geometry import Box, Char, Edge, TableGrid, TooManyRulingsError, edges_to_tables

OCR_DPI = 200  # PP-OCR reads 8-pt table digits reliably from here on; each step up costs time
MAX_PAGE_PIXELS = 40_000_000  # an A4 page at 200 dpi has 3.9 M; a poster-sized page is rendered coarser
MAX_OCR_PAGES = 30  # seconds per page: a longer scan is refused rather than read for many minutes
LOW_CONFIDENCE = 0.9  # a box recognised with less is reported for checking (R011)
MIN_SCORE = 0.3  # boxes below this are dropped by the engine (its default, 0.5, drops faint digits)
INK = 160  # grey level (0–255) below which a pixel is ink
MIN_RULING_PT = 20.0  # points: a shorter dark run is a character stroke, not a table ruling
MIN_CELL_INK = 15  # ink pixels in a table cell where no text was found: worth reading the cell alone
CELL_INSET_PX = 4  # pixels kept away from a cell's rulings when it is cut out
CELL_MARGIN_PX = 8  # white margin around the ink of a cell read alone
RULING_SHARE = 0.5  # an edge row/column of a cut-out cell with more ink than this is a ruling
MAX_VALUE_CHARS = 12  # a cell with more characters is a label or prose: not read again
MAX_CELL_REREADS = 200  # per page: bounds the second look at table cells (an OCR run each)
RED_MARGIN = 80  # a pixel whose red exceeds its green and blue by more than this is red ink
MIN_RED_SHARE = 0.0005  # a page with this share of red pixels has red ink (a seal covers ~1%)
MAX_SKEW_DEGREES = 5.0  # a page turned further is not straightened (it is not a table page askew)
MIN_SKEW_DEGREES = 0.05  # below this the page is taken as straight (rotating blurs it)

ENGINE_MISSING_ZH = "OCR 组件未安装，请先执行 pip install 'xxgk[ocr]'"


def too_many_pages(path: str) -> UnreadableInputError:
    """The error for a file with more than `MAX_OCR_PAGES` scanned pages (PDF pages or image frames)."""
    return UnreadableInputError(
        f"扫描页过多（超过 {MAX_OCR_PAGES} 页），OCR 识别耗时过长，不像是一份年度报告", path=path
    )


class OcrUnavailable(Exception):
    """The OCR extra is not installed (or cannot be loaded on this machine)."""


@dataclass
class OcrPage:
    """What OCR made of one page: characters (one per text box) and rulings in points from the
    page's top-left corner, and the characters recognised with low confidence."""

    chars: list[Char]
    edges: list[Edge]
    doubts: list[tuple[Char, float]] = field(default_factory=list)


@functools.cache
def engine() -> Any:
    """The OCR engine, loaded once per process (loading the models is slow)."""
    try:
        import onnxruntime  # type: ignore[import-untyped]
        from rapidocr_onnxruntime import RapidOCR  # type: ignore[import-untyped]
    except Exception as e:  # not installed, or a shared library it needs is missing
        raise OcrUnavailable(str(e)) from e
    # onnxruntime reports telemetry events (and looks up their host) unless told not to: a file
    # read here must never make this machine reach the network.
    disable = getattr(onnxruntime, "disable_telemetry_events", None)
    if disable is not None:
        disable()
    # No angle classifier: report pages are upright (a page turned by 90°/180° is not a table page).
    threads = ocr_threads()
    return RapidOCR(use_cls=False, text_score=MIN_SCORE, print_verbose=False, intra_op_num_threads=threads)


OCR_THREADS_ENV = "XXGK_OCR_THREADS"


def ocr_threads() -> int:
    """Threads of one OCR run: every core (-1) by default; 1 where several processes share the cores
    (batch workers set it): onnxruntime's threads spin while they wait, so two workers with two
    threads each on two cores burn CPU time waiting on each other instead of reading."""
    try:
        return max(1, int(os.environ[OCR_THREADS_ENV]))
    except (KeyError, ValueError):
        return -1


def page_grey(page: Any, dpi: float = OCR_DPI) -> Any:
    """The page rendered in grey as a 2-D uint8 array (white 255), red ink left out (`drop_red_ink`)."""
    bitmap = page.render(scale=dpi / 72, rev_byteorder=True)  # (RGB, or RGBA: channels in that order)
    return drop_red_ink(bitmap.to_numpy())


def only_regions(grey: Any, regions: list[Box], dpi: float = OCR_DPI) -> Any:
    """`grey` with everything outside the `regions` (boxes in points) made paper: the text layer
    around a picture is read from the PDF itself, not again by OCR."""
    import numpy as np

    scale = dpi / 72
    kept = np.full_like(grey, 255)
    height, width = grey.shape
    for x0, top, x1, bottom in regions:
        c0, r0 = max(0, int(x0 * scale)), max(0, int(top * scale))
        c1, r1 = min(width, math.ceil(x1 * scale)), min(height, math.ceil(bottom * scale))
        kept[r0:r1, c0:c1] = grey[r0:r1, c0:c1]
    return kept


def drop_red_ink(rgb: Any) -> Any:
    """A colour page image in grey, without its red ink.

    Official seals (公章) are red and stamped over the signature and date, and at times over table
    cells: read in grey, a seal's ring and star cover the characters under them (a value under a
    seal was lost in a measured case). In the red channel red ink is nearly white while black and
    grey ink keep their darkness, also where the seal overlaps them; so a page with red ink is read
    in its red channel, any other page in luminance (ITU-R BT.601, as a grey scan).
    """
    import numpy as np

    channels = rgb[:, :, :3].astype(np.int32)
    red, green, blue = channels[:, :, 0], channels[:, :, 1], channels[:, :, 2]
    reddish = (red - np.maximum(green, blue)) > RED_MARGIN
    if np.count_nonzero(reddish) >= MIN_RED_SHARE * reddish.size:
        grey = rgb[:, :, 0].copy()
        # (a seal's faint ghost in the red channel is still found by the text detector: paper)
        grey[reddish & (red >= INK)] = 255
        return grey
    return ((299 * red + 587 * green + 114 * blue + 500) // 1000).astype(np.uint8)


def _ruling_mask(grey: Any, length_px: int, horizontal: bool) -> Any:
    import cv2

    ink = (grey < INK).astype("uint8") * 255
    shape = (length_px, 1) if horizontal else (1, length_px)
    return cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, shape))


def skew_degrees(grey: Any, dpi: float = OCR_DPI) -> float:
    """The angle (degrees, clockwise positive in image coordinates) of the page's long horizontal
    rulings, 0.0 when it has none. Measured on rulings found with a short kernel (a line askew
    breaks into short level runs), joined along their row band by a wider closing."""
    import cv2
    import numpy as np

    length = max(8, int(MIN_RULING_PT * dpi / 72 / 2))
    mask = _ruling_mask(grey, length, horizontal=True)
    # Join the staircase of a sloping line into one component.
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (length, 3)))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    width = grey.shape[1]
    angles: list[float] = []
    weights: list[float] = []
    for i in range(1, n):
        x, y, w, h, _ = stats[i]
        if w < width / 4:
            continue
        ys, xs = np.nonzero(labels[y : y + h, x : x + w] == i)
        if len(xs) < 2:
            continue
        slope = np.polyfit(xs.astype(float), ys.astype(float), 1)[0]
        angles.append(math.degrees(math.atan(slope)))
        weights.append(float(w))
    if not angles:
        return 0.0
    order = sorted(range(len(angles)), key=angles.__getitem__)
    half, acc = sum(weights) / 2, 0.0
    for k in order:  # the weighted median: one stray line does not turn the page
        acc += weights[k]
        if acc >= half:
            return angles[k]
    return angles[order[-1]]


def straighten(grey: Any, dpi: float = OCR_DPI) -> tuple[Any, float]:
    """(the page turned level, the angle it was turned by in degrees)."""
    import cv2

    angle = skew_degrees(grey, dpi)
    if abs(angle) < MIN_SKEW_DEGREES or abs(angle) > MAX_SKEW_DEGREES:
        return grey, 0.0
    h, w = grey.shape
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    turned = cv2.warpAffine(grey, matrix, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)
    return turned, angle


def find_rulings(grey: Any, dpi: float = OCR_DPI) -> list[Edge]:
    """Horizontal and vertical rulings of a (level) page, in points."""
    import cv2

    scale = 72 / dpi
    length = max(8, int(MIN_RULING_PT / scale))
    edges: list[Edge] = []
    for horizontal in (True, False):
        mask = _ruling_mask(grey, length, horizontal)
        n, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
        for x, y, w, h, _ in stats[1:n].tolist():  # (plain ints: positions end up in Provenance)
            if horizontal:
                edges.append(Edge(True, (y + h / 2) * scale, x * scale, (x + w) * scale))
            else:
                edges.append(Edge(False, (x + w / 2) * scale, y * scale, (y + h) * scale))
    return edges


def recognise(grey: Any, dpi: float = OCR_DPI) -> list[tuple[Char, float]]:
    """(a Char per recognised character, its confidence), in points.

    The engine finds text boxes and recognises each; its per-character boxes (from the
    recogniser's alignment) make one Char per character, so a box that the detector ran over
    several table cells ("结果 结果 其他尚未" over three narrow header cells, "0 0 0 0" over a row of
    zeros) still puts each character in its own cell. Spaces are left to the PDF reader, which
    puts them where characters stand apart.
    """
    import cv2

    scale = 72 / dpi
    result, _ = engine()(cv2.cvtColor(grey, cv2.COLOR_GRAY2BGR), return_word_box=True)
    chars: list[tuple[Char, float]] = []
    for entry in result or ():
        quad, text, confidence = entry[0], entry[1], entry[2]
        parts = list(zip(entry[3], entry[4], entry[5], strict=True)) if len(entry) >= 6 else []
        if not parts or "".join(w for _, w, _ in parts) != text:
            parts = [(quad, text, confidence)]  # (no usable character boxes: the box as one)
        for part_quad, part, part_confidence in parts:
            part = part.strip()
            if part:
                chars.append((_char(part, part_quad, scale), float(part_confidence)))
    return chars


def _char(text: str, quad: Any, scale: float) -> Char:
    xs = [float(p[0]) for p in quad]
    ys = [float(p[1]) for p in quad]
    return Char(text, min(xs) * scale, min(ys) * scale, max(xs) * scale, max(ys) * scale)


def _cell_ink(grey: Any, cell: Any, scale: float) -> tuple[Any, tuple[float, float, float, float]] | None:
    """The ink of a table cell cut out on a white margin (what the text detector would have cut
    out), and the cell's inner bounds in points; None for a cell without ink."""
    import cv2
    import numpy as np

    y0, y1 = int(cell.top * scale) + CELL_INSET_PX, int(cell.bottom * scale) - CELL_INSET_PX
    x0, x1 = int(cell.x0 * scale) + CELL_INSET_PX, int(cell.x1 * scale) - CELL_INSET_PX
    if y1 <= y0 or x1 <= x0:
        return None
    crop = grey[y0:y1, x0:x1]
    ink = crop < INK
    # Rulings left inside the cut (thick lines, a page straightened by a rounded angle): the
    # outermost rows and columns that are mostly ink.
    top, bottom, left, right = 0, ink.shape[0], 0, ink.shape[1]
    while bottom - top > 2 and ink[top, left:right].mean() > RULING_SHARE:
        top += 1
    while bottom - top > 2 and ink[bottom - 1, left:right].mean() > RULING_SHARE:
        bottom -= 1
    while right - left > 2 and ink[top:bottom, left].mean() > RULING_SHARE:
        left += 1
    while right - left > 2 and ink[top:bottom, right - 1].mean() > RULING_SHARE:
        right -= 1
    crop = crop[top:bottom, left:right]
    ys, xs = np.nonzero(ink[top:bottom, left:right])
    if len(xs) < MIN_CELL_INK:
        return None  # a blank cell
    m = CELL_MARGIN_PX
    alone = cv2.copyMakeBorder(
        crop[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1], m, m, m, m, cv2.BORDER_CONSTANT, value=255
    )
    return alone, (x0 / scale, y0 / scale, x1 / scale, y1 / scale)


def _recognise_line(image: Any) -> tuple[str, float] | None:
    """(text, confidence) of an image holding one line of text, by the recogniser alone."""
    import cv2

    result, _ = engine()(cv2.cvtColor(image, cv2.COLOR_GRAY2BGR), use_det=False, use_cls=False, use_rec=True)
    for text, confidence in result or ():
        text = text.strip()
        if text and confidence >= MIN_SCORE:
            return text, float(confidence)
    return None


def _crosses_cells(char: Char, tables: list[TableGrid]) -> bool:
    """Whether a text box runs over a vertical ruling into the next cell: the detector joins a row
    of lone digits ("0 0 0 0 0") into one box when the rulings between them are faint or thin."""
    inset = (char.bottom - char.top) / 2  # (a box may overlap a ruling by a little)
    for table in tables:
        if table.contains(char.xc, char.yc):
            if char.x1 - char.x0 <= 2 * inset:
                return False
            return table.cell_at(char.x0 + inset, char.yc) is not table.cell_at(char.x1 - inset, char.yc)
    return False


def reread_cells(
    grey: Any, tables: list[TableGrid], boxes: list[tuple[Char, float]], dpi: float = OCR_DPI
) -> list[tuple[Char, float]]:
    """The page's characters after a second look at the table cells the first pass read badly.

    The text detector cuts a lone digit tightly, and now and then not at all: a "0" cut short at
    its foot reads "n" (confidence 0.66), a thin "1" on grainy paper is missed. So a cell that
    holds ink but no character, or one short line with a character read with less than
    `LOW_CONFIDENCE`, is cut out by its ink and recognised on its own (measured on such cells: "0"
    at 0.99); the new reading replaces the cell's characters when it is sure (≥ `LOW_CONFIDENCE`)
    and surer than they were. A box still running over a cell border (one without character
    boxes) is dropped first, so its cells are read one by one. Wrapped labels and prose are left
    as read.
    """
    scale = dpi / 72
    out = [box for box in boxes if not _crosses_cells(box[0], tables)]
    tried = 0
    for table in tables:
        for cell in table.cells:
            inside = [
                i for i, (c, _) in enumerate(out) if cell.x0 <= c.xc <= cell.x1 and cell.top <= c.yc <= cell.bottom
            ]
            if inside and not _doubtful_value([out[i] for i in inside]):
                continue
            if tried >= MAX_CELL_REREADS:
                break
            cut = _cell_ink(grey, cell, scale)
            if cut is None:
                continue
            tried += 1
            reading = _recognise_line(cut[0])
            if reading is None:
                continue
            text, confidence = reading
            # (a first reading is replaced only by a sure one: recognising "11" alone gave "Ⅱ1" at
            # 0.67, "surer" than its first "1" at 0.59, and wrong)
            if inside and (confidence < LOW_CONFIDENCE or confidence <= min(out[i][1] for i in inside)):
                continue
            for i in reversed(inside):
                del out[i]
            out.append((Char(text, *cut[1]), confidence))
    return out


def _doubtful_value(chars: list[tuple[Char, float]]) -> bool:
    """A cell worth reading again: one short line of text (a value, not a wrapped label) with a
    character read with less than `LOW_CONFIDENCE`."""
    if len(chars) > MAX_VALUE_CHARS or min(conf for _, conf in chars) >= LOW_CONFIDENCE:
        return False
    tops = [c.top for c, _ in chars]
    height = max(c.bottom - c.top for c, _ in chars)
    return max(tops) - min(tops) < height / 2


def read_page(page: Any, dpi: float = OCR_DPI, regions: list[Box] | None = None) -> OcrPage:
    """OCR of one PDF page (a pypdfium2 page): its characters as Chars and its rulings; with
    `regions` (boxes in points), of those parts of it only (the pictures on a page of text). A page
    too large to render at `dpi` within `MAX_PAGE_PIXELS` is rendered at the resolution that fits."""
    engine()  # first: without the extra, OcrUnavailable before anything imports OpenCV or NumPy
    width, height = page.get_size()
    if width * height * (dpi / 72) ** 2 > MAX_PAGE_PIXELS:
        dpi = math.floor(72 * math.sqrt(MAX_PAGE_PIXELS / (width * height)) * 100) / 100  # (rounded down)
    grey = page_grey(page, dpi)
    if regions is not None:
        grey = only_regions(grey, regions, dpi)
    grey, _ = straighten(grey, dpi)
    boxes = recognise(grey, dpi)
    edges = find_rulings(grey, dpi)
    with contextlib.suppress(TooManyRulingsError):  # (the PDF reader reads such a page as text only)
        boxes = reread_cells(grey, edges_to_tables(edges), boxes, dpi)
    return OcrPage(
        chars=[c for c, _ in boxes],
        edges=edges,
        doubts=[(c, conf) for c, conf in boxes if conf < LOW_CONFIDENCE],
    )
