"""The web app: the reviewer's and the 公开专员's workspace, on the corpus and ledger stores.

A Django project (settings in `xxgk.web.settings`) whose views only parse requests and render
templates: what a page shows comes from `xxgk.api`, the corpus and ledger services, and the web's
own application modules here (`access` for who may see what, `review`, `uploads`, `pages`, `audit`).
`xxgk web` (cli/web.py → `serve`) starts it with the CLI's store; the read/check/render core never
imports this package.
"""
