"""The page of an official document (GB/T 9704-2012 党政机关公文格式): A4, the margins, the sizes of the
title and the body, the line pitch. One set of values for every writer of a document: the report writers
(xxgk.write) and the ledger's letters (xxgk.ledger.letters)."""

from __future__ import annotations

A4_MM = (210, 297)
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}  # GB/T 9704-2012 7.1
TYPE_WIDTH_MM = A4_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"]  # 156 mm
TITLE_PT = 22  # 二号
BODY_PT = 16  # 三号
LINE_PT = 28.95  # 22 lines on the 225 mm type height


def css_margin() -> str:
    """The margins as CSS `@page { margin: … }` wants them (top right bottom left)."""
    return " ".join(f"{MARGINS_MM[side]}mm" for side in ("top", "right", "bottom", "left"))
