"""Mutation fuzzing of the readers: damaged files must give a zh-CN refusal (XxgkError), never an
internal error or a hang. A developer tool, run by hand after changing a reader (CI runs 60 cases,
in tests/test_bad_input.py):

    python3 -m tests.fuzz_readers [--cases 2000] [--seed 1] [--keep DIR]
        [--forms html,docx,pdf,pdfforms,mht,txt,oneline,broken,attack,blanks]

Inputs are made here, as the tests make them: web pages in every CMS style (`tests/htmlgen.py`),
Word files written by python-docx (`tests/docxgen.py`), two PDFs rendered by WeasyPrint with plain
streams (`tests/pdfgen.py`), single-file pages (MHTML), and the seed and corpus text reports
re-encoded (GBK, GB18030, UTF-16, UTF-8 with BOM; some turned into Markdown tables). Each case
damages one of them: bytes flipped, cut, doubled or inserted; tags deleted, repeated or given absurd
spans; a Word file's XML parts edited inside the zip; a PDF's page content (text positions, font
sizes, rulings) edited in place. Each case is read and checked in this process; any other
exception, or a case over `--slow` seconds, is printed and its file kept in `--keep` to reproduce
it. Exits 1 when any case failed.

The form `oneline` (issue 19 §2.4) is a whole page's textContent on one line, as a crawler stores
it: the generated web pages' body text with the whitespace removed or made single spaces, and the
real one-line reports (tests/fixtures/one_line/). Each case damages the line's numbers and labels
(digits dropped, doubled or changed, labels cut, spaces added, long digit runs, signs and decimal
points inserted), then its bytes now and then: the digit-splitting search must stay bounded.

The form `broken` (issue 19 §2.5, §2.6) is broken text extraction of PDFs and OCR/LLM Markdown
(`tests/test_broken_extractions.py`): `pdftotext -layout` text with notes in 表二's cells
(`17（其中修订 5 件）`), numbers printed after or before their labels, footnotes after 表四, stray
numbers; 表三 as one Markdown table per row group under generic or misleading headers. Each case
damages the numbers and labels as `oneline` does, or the notes' parentheses (cut, doubled, nested,
a note with no number before it), then its bytes now and then.

The form `pdfforms` (issue 19 §2.1, §2.2) is the PDFs reports are really published as beyond the
ruled tables of `pdf`: a CMS page printed without rulings (columns only by the text's positions;
1 px padding, centred labels, a blank first page) and 表三 as WPS 文字 draws it (the vertical
三、本年度办理结果 upright or turned in its merged cell). Their page content is damaged as `pdf`'s:
text positions, font sizes and rulings moved, so the text-alignment table finder sees ragged
columns and cut rows.

The form `attack` (issue 24) is the hostile uploader's files, small on disk and huge once read
(`tests/bombs.py`): altChunk fan-out, PDF content-stream and path-segment bombs, a PDF of too many
pages, HTML cell and span bombs, nested MHTML; and hostile file names (bytes that are not UTF-8,
ESC, newlines) given to every form. The closing line reports, for the N cases: tracebacks, hangs,
the peak RSS of this process, and network attempts (every connect and name lookup is refused and
counted while the cases run).

The form `blanks` (issue 24 §1) blanks cells at random in every reader's layout (`tests/blanking.py`:
the seed texts where they stand, TAB, one cell per line, ` |` rows, Markdown, web pages, Word, PDF),
one case in ten, and counts the blanked cells read as numbers and the values read in another cell.
Goal (issue 24 §6): tracebacks 0 / hangs 0 / peak RSS ≤ 500 MB / network attempts 0 / blanks read
as numbers 0 / values moved 0.

Found so far: control characters after tags in a web page (fixed: see `readers.html.xml_compatible`).
"""

from __future__ import annotations

import argparse
import io
import os
import random
import re
import resource
import signal
import socket
import sys
import time
import traceback
import zipfile
from pathlib import Path

from tests import bombs
from tests.blanking import LAYOUTS, Tally, real_reports, run
from tests.conftest import CORPUS, FIXTURES, SEEDS
from tests.docxgen import mht_page, python_docx_report
from tests.generate import random_consistent_tables
from tests.htmlgen import STYLES, write_html
from xxgk.api import check_report, read_report
from xxgk.errors import XxgkError

FORMS = ("html", "docx", "pdf", "pdfforms", "mht", "txt", "oneline", "broken", "attack", "blanks")
# File names a stranger may upload (bytes: not all of them are UTF-8), used for a share of the cases.
HOSTILE_NAMES = (b"bad\xff\xfe", b"esc\x1b[31m", b"new\nline", b"\xe6\x8a\xa5\xe5\x91", b"-rf --format")
ENCODINGS = ("utf-8", "gb18030", "gbk", "utf-16", "utf-8-sig")
SPANS = (' rowspan="0"', ' colspan="999"', ' rowspan="x"', ' colspan="-1"', ' w:val="999"', ' gridSpan="0"')
_TAG = re.compile(r"<[^<>]{0,200}>")
_STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.DOTALL)
_NUMBER = re.compile(rb"-?\d+(?:\.\d+)?")


def sources(forms: list[str], rng: random.Random) -> dict[str, list[tuple[str, bytes]]]:
    """(suffix, bytes) of the clean inputs of each form."""
    made: dict[str, list[tuple[str, bytes]]] = {}
    pages = [write_html(random_consistent_tables(rng), style, seed=i) for i, style in enumerate(STYLES)]
    if "html" in forms:
        made["html"] = [(".html", page) for page in pages]
    if "mht" in forms:
        made["mht"] = [(".mht", mht_page(page)) for page in pages]
    if "docx" in forms:
        made["docx"] = [(".docx", python_docx_report(random_consistent_tables(rng))) for _ in range(3)]
    if "attack" in forms:
        made["attack"] = attacks(rng)
    if "pdf" in forms:  # (streams uncompressed, so that edits reach the text and rulings)
        from tests.pdfgen import render_pdf, report_html

        made["pdf"] = [
            (".pdf", render_pdf(report_html(random_consistent_tables(rng), narrow_labels=wrap), uncompressed=True))
            for wrap in (False, True)
        ]
    if "pdfforms" in forms:
        from tests.pdfgen import borderless_html, render_pdf, report_html, wps_html

        pages = [
            borderless_html(report_html(random_consistent_tables(rng)), padding="1px", centred=True),
            borderless_html(report_html(random_consistent_tables(rng), long_prose=True), blank_first_page=True),
            wps_html(report_html(random_consistent_tables(rng)), rotated=False),
            wps_html(report_html(random_consistent_tables(rng)), rotated=True, own_page=True),
        ]
        made["pdfforms"] = [(".pdf", render_pdf(page, uncompressed=True)) for page in pages]
    if "txt" in forms:
        texts = [p.read_bytes() for p in [*SEEDS, *sorted(CORPUS.glob("*.txt"))]]
        made["txt"] = [(".txt", t) for t in texts]
    if "oneline" in forms:
        made["oneline"] = [(".txt", one_line_text(page, sep)) for page in pages for sep in ("", " ")] + [
            (".txt", p.read_bytes()) for p in sorted((FIXTURES / "one_line").glob("*.txt"))
        ]
    if "broken" in forms:
        from tests.test_broken_extractions import MD_STYLES, broken_text, ocr_markdown

        made["broken"] = [
            (".txt", broken_text(random_consistent_tables(rng), frozenset(), seed).encode("utf-8")) for seed in range(7)
        ] + [(".md", ocr_markdown(random_consistent_tables(rng), style).encode("utf-8")) for style in MD_STYLES]
    return made


def one_line_text(page: bytes, sep: str) -> bytes:
    """A web page's body text on one line, as a crawler stores `element.textContent`."""
    import lxml.html

    body = lxml.html.fromstring(page).find("body")
    return sep.join((body.text_content() if body is not None else "").split()).encode("utf-8")


# Damage of a one-line text: what a crawler or an editor does to its numbers and labels.
_ONE_LINE_EDITS = (
    lambda t, r: re.sub(r"\d", lambda m: "" if r.random() < 0.05 else m.group(), t),  # digits dropped
    lambda t, r: re.sub(r"\d", lambda m: m.group() * 2 if r.random() < 0.05 else m.group(), t),  # doubled
    lambda t, r: re.sub(r"\d", lambda m: str(r.randrange(10)) if r.random() < 0.1 else m.group(), t),  # changed
    lambda t, r: re.sub(r"\d+", lambda m: m.group() * r.randint(2, 12) if r.random() < 0.05 else m.group(), t),
    lambda t, r: re.sub(r"(?<=\d)(?=\d)", lambda m: r.choice(("-", "+", ".", " ")) if r.random() < 0.03 else "", t),
    lambda t, r: re.sub(r"[一二三四五六（）、.]", lambda m: "" if r.random() < 0.1 else m.group(), t),  # labels cut
    lambda t, r: re.sub(r"(?<=\D)(?=\d)", lambda m: "9" * r.randint(30, 300) if r.random() < 0.01 else "", t),
)


# Damage of the notes in cells: parentheses cut, doubled or nested, a note with no number before it,
# a long note, a note in a Markdown cell.
_NOTE_EDITS = (
    lambda t, r: re.sub(r"[（）()]", lambda m: "" if r.random() < 0.3 else m.group(), t),
    lambda t, r: re.sub(r"（", lambda m: "（（" if r.random() < 0.3 else m.group(), t),
    lambda t, r: re.sub(r"\d+（", lambda m: "（" if r.random() < 0.3 else m.group(), t),
    lambda t, r: re.sub(
        r"(?<=\d)(?=\s)", lambda m: "（其中" + "5 件" * r.randint(1, 40) + "）" if r.random() < 0.02 else "", t
    ),
    lambda t, r: re.sub(
        r"(?<=\| )(\d+)(?= \|)", lambda m: m.group(1) + "（含 3 件）" if r.random() < 0.05 else m.group(1), t
    ),
)


def mutate_broken(data: bytes, rng: random.Random) -> bytes:
    text = data.decode("utf-8", "replace")
    for _ in range(rng.randint(1, 3)):
        text = rng.choice(_ONE_LINE_EDITS + _NOTE_EDITS)(text, rng)
    out = text.encode("utf-8")
    return mutate_bytes(out, rng) if rng.random() < 0.3 else out


def mutate_one_line(data: bytes, rng: random.Random) -> bytes:
    text = data.decode("utf-8", "replace")
    for _ in range(rng.randint(1, 3)):
        text = rng.choice(_ONE_LINE_EDITS)(text, rng)
    out = text.encode("utf-8")
    return mutate_bytes(out, rng) if rng.random() < 0.3 else out


def attacks(rng: random.Random) -> list[tuple[str, bytes]]:
    """(suffix, bytes) of hostile files, each kind at a size drawn at random (small to make)."""
    return [
        (".docx", bombs.altchunk_fanout(rng.randint(20, 60), rng.uniform(0.5, 1.0))),
        (".mhtml", bombs.nested_mhtml(rng.randint(50, 3000))),
        (".html", bombs.html_cells(rng.randint(200_000, 1_800_000))),
        (".html", bombs.html_spans(rng.randint(100, 3000))),
        (".pdf", bombs.pdf_path_bomb(rng.randint(1_000_001, 3_000_000))),
        (".pdf", bombs.pdf_stream_bomb(rng.randint(17, 64))),
        (".pdf", bombs.pdf_many_pages(rng.randint(301, 800))),
    ]


class NetworkGuard:
    """Every connect and name lookup in this process refused and counted (what a reader must never do)."""

    def __init__(self) -> None:
        self.attempts: list[str] = []

    def install(self) -> dict[tuple[object, str], object]:
        """Install the guard; returns what it replaced (see `restore`)."""
        replaced: dict[tuple[object, str], object] = {}

        def refuse(what: str):  # type: ignore[no-untyped-def]
            def guard(*args: object, **kwargs: object) -> object:
                self.attempts.append(what)
                raise OSError(f"network refused by the fuzzer ({what})")

            return guard

        for owner, names in ((socket.socket, ("connect", "connect_ex")), (socket, _LOOKUPS)):
            for name in names:
                replaced[owner, name] = getattr(owner, name)
                setattr(owner, name, refuse(f"{getattr(owner, '__name__', owner)}.{name}"))
        return replaced

    @staticmethod
    def restore(replaced: dict[tuple[object, str], object]) -> None:
        for (owner, name), original in replaced.items():
            setattr(owner, name, original)


_LOOKUPS = ("getaddrinfo", "gethostbyname", "gethostbyname_ex", "create_connection")


def mutate_bytes(data: bytes, rng: random.Random) -> bytes:
    b = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        if len(b) < 10:
            break
        i = rng.randrange(len(b))
        op = rng.choice(("flip", "cut", "delete", "double", "insert"))
        if op == "flip":
            b[i] = rng.randrange(256)
        elif op == "cut" and rng.random() < 0.3:
            del b[i:]
        elif op == "delete":
            del b[i : i + rng.randint(1, 2000)]
        elif op == "double":
            b[i:i] = b[i : i + rng.randint(1, 2000)]
        elif op == "insert":
            b[i:i] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 20)))
    return bytes(b)


def mutate_markup(text: str, rng: random.Random) -> str:
    for _ in range(rng.randint(1, 25)):
        tags = [m.span() for m in _TAG.finditer(text)]
        if not tags:
            break
        a, b = rng.choice(tags)
        op = rng.choice(("delete tag", "repeat", "span", "delete text", "swap"))
        if op == "delete tag":
            text = text[:a] + text[b:]
        elif op == "repeat":
            text = text[:a] + text[a : b + rng.randint(0, 500)] + text[a:]
        elif op == "span":
            text = text[: b - 1] + rng.choice(SPANS) + text[b - 1 :]
        elif op == "delete text":
            text = text[:b] + text[b + rng.randint(1, 300) :]
        else:
            c, d = rng.choice(tags)
            if b <= c:
                text = text[:a] + text[c:d] + text[b:c] + text[a:b] + text[d:]
    return text


def mutate_pdf_content(data: bytes, rng: random.Random) -> bytes:
    """The PDF with numbers of its page content (text positions, font sizes, rulings) replaced,
    each by one of the same length, so that the file's cross-reference offsets stay right."""
    b = bytearray(data)
    pages = [m.span(1) for m in _STREAM.finditer(data) if b" Tf" in m.group(1) or b" re" in m.group(1)]
    numbers = [m.span() for start, end in pages for m in _NUMBER.finditer(data, start, end)]
    for _ in range(rng.randint(1, 40) if numbers else 0):
        a, z = rng.choice(numbers)
        new = rng.choice((b"0", b"-1", b"9999", b"0.001", bytes(b[a : z - 1]) or b"1", bytes(b[a:z]) + b"7"))
        b[a:z] = (new + b" " * (z - a))[: z - a]
    return bytes(b)


def mutate_docx(data: bytes, rng: random.Random) -> bytes:
    """The Word file with its main part's XML edited (and now and then another part's, or a part dropped)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            part = zin.read(item)
            if item.filename == "word/document.xml" or (item.filename.endswith(".xml") and rng.random() < 0.1):
                part = mutate_markup(part.decode("utf-8"), rng).encode("utf-8")
            if rng.random() >= 0.03:
                zout.writestr(item, part)
    return out.getvalue()


def mutate_text(data: bytes, rng: random.Random) -> tuple[str, bytes]:
    """A text report, maybe as Markdown table rows, re-encoded and then damaged byte by byte."""
    text, suffix = data.decode("utf-8"), ".txt"
    if rng.random() < 0.3:
        suffix = ".md"
        text = "\n".join(
            "| " + " | ".join(line.split()) + " |" if line.strip() and rng.random() < 0.5 else line
            for line in text.splitlines()
        )
    return suffix, mutate_bytes(text.encode(rng.choice(ENCODINGS), "replace"), rng)


def mutate(form: str, suffix: str, data: bytes, rng: random.Random) -> tuple[str, bytes]:
    if form == "attack":  # (as made, or damaged a little: a bomb must be refused either way)
        return suffix, data if rng.random() < 0.7 else mutate_bytes(data, rng)
    if form == "txt":
        return mutate_text(data, rng)
    if form == "oneline":
        return suffix, mutate_one_line(data, rng)
    if form == "broken":
        return suffix, mutate_broken(data, rng)
    if form == "docx" and rng.random() < 0.7:
        return suffix, mutate_docx(data, rng)
    if form in ("pdf", "pdfforms") and rng.random() < 0.7:
        return suffix, mutate_pdf_content(data, rng)
    if form == "html" and rng.random() < 0.6:
        return suffix, mutate_markup(data.decode("utf-8", "replace"), rng).encode("utf-8")
    return suffix, mutate_bytes(data, rng)


def _timeout(*_: object) -> None:
    raise TimeoutError("no answer within the time limit")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--forms", default=",".join(FORMS))
    ap.add_argument("--keep", type=Path, default=Path("fuzz-failures"))
    ap.add_argument("--slow", type=float, default=10.0, help="seconds after which a case counts as a hang")
    args = ap.parse_args(argv)
    rng = random.Random(args.seed)
    forms = [f for f in args.forms.split(",") if f in FORMS]
    made = sources([f for f in forms if f != "blanks"], rng)
    args.keep.mkdir(parents=True, exist_ok=True)
    signal.signal(signal.SIGALRM, _timeout)
    guard = NetworkGuard()
    replaced = guard.install()
    try:
        return _run(args, rng, made, guard, blanks="blanks" in forms)
    finally:
        guard.restore(replaced)


def _run(
    args: argparse.Namespace,
    rng: random.Random,
    made: dict[str, list[tuple[str, bytes]]],
    guard: NetworkGuard,
    blanks: bool = False,
) -> int:
    failures = tracebacks = hangs = 0
    start = time.perf_counter()
    blanked = _blank_cells(args.cases // 10, rng) if blanks else None
    for case in range(args.cases - (args.cases // 10 if blanks else 0) if made else 0):
        form = rng.choice(sorted(made))
        suffix, data = mutate(form, *rng.choice(made[form]), rng)
        stem = rng.choice(HOSTILE_NAMES) if rng.random() < 0.2 else b"case"
        path = Path(os.fsdecode(os.path.join(os.fsencode(args.keep), stem + suffix.encode())))
        path.write_bytes(data)
        began = time.perf_counter()
        signal.alarm(int(args.slow * 6) + 1)  # (a real hang is stopped; a slow case is reported below)
        problem = None
        try:
            check_report(read_report(path))
        except XxgkError:
            pass  # a zh-CN refusal: what damaged input should get
        except TimeoutError:
            problem = "hang: stopped by the alarm"
            hangs += 1
        except Exception as e:  # (the point: anything else is a bug)
            problem = f"{type(e).__name__}: {e}\n{traceback.format_exc(limit=8)}"
            tracebacks += 1
        finally:
            signal.alarm(0)
        took = time.perf_counter() - began
        if problem is None and took > args.slow:
            problem = f"took {took:.1f} s"
            hangs += 1
        if problem is not None:
            failures += 1
            kept = args.keep / f"failure-{args.seed}-{case}{suffix}"
            path.replace(kept)
            print(f"case {case} ({form}) -> {kept}: {problem}", file=sys.stderr)
        else:
            path.unlink(missing_ok=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    failures += len(guard.attempts)
    blank_line = ""
    if blanked is not None:
        failures += blanked.as_number + blanked.moved
        for example in blanked.examples[:20]:
            print(example, file=sys.stderr)
        blank_line = (
            f", blanks read as numbers {blanked.as_number} of {blanked.blanked}, values moved {blanked.moved}"
            f" ({blanked.variants} blanked reports)"
        )
    print(
        f"{args.cases} cases in {time.perf_counter() - start:.0f} s: tracebacks {tracebacks}, hangs {hangs}, "
        f"peak RSS {peak:.0f} MB, network attempts {len(guard.attempts)}{blank_line}; {failures} failed",
        file=sys.stderr,
    )
    return 1 if failures else 0


def _blank_cells(n: int, rng: random.Random) -> Tally:
    """`n` reports with cells blanked, spread over every layout (PDF, the slowest, one in ten of them)."""
    tally = Tally()
    reals = real_reports()
    layouts = [layout for layout in LAYOUTS if layout != "pdf"]
    pdfs = n // 10 if "pdf" in LAYOUTS else 0
    share, extra = divmod(n - pdfs, len(layouts))
    for i, layout in enumerate(layouts):
        run(layout, share + (1 if i < extra else 0), rng, reals, tally)
    run("pdf", pdfs, rng, reals, tally)
    return tally


if __name__ == "__main__":
    sys.exit(main())
