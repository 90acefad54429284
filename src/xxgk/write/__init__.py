"""Writing reports: fill-in templates (YAML/XLSX), the official layout (HTML, Markdown, DOCX, PDF), totals.

layout.py    the three tables as merged-cell grids derived from the format spec (all writers use it)
content.py   the blocks of a rendered report: title, headings, paragraphs, tables, signature
template.py  new_template / dump_yaml / dump_xlsx and load_template (YAML, XLSX, report JSON)
totals.py    fill_totals: derivable cells from the identities, conflicts reported, never overwritten
html.py markdown.py docx.py pdf.py   one writer per output format (PDF = HTML + WeasyPrint)
"""
