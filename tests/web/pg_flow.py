"""The reviewer's loop on the database named by XXGK_DATABASE_URL, in a process of its own (run by
tests/web/test_web_postgresql.py: Django's settings are per process). Prints what it saw as JSON."""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path


def main(report: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "xxgk.web.settings"
    import django
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.test.utils import setup_test_environment

    django.setup()
    setup_test_environment()
    from xxgk.web import serve

    serve.migrate()
    serve.create_user("reviewer", "Xxgk-test-2026!", organisation="某市政务公开办", role="审核人员")
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.get(username="reviewer"))
    posted = client.post("/upload/", {"files": [SimpleUploadedFile(report.name, report.read_bytes())]})
    serve.run_pending_tasks()
    batch = client.get(posted["Location"]).content.decode()
    report_id = int(re.findall(r'href="/reports/(\d+)/"', batch)[0])
    page = client.get(f"/reports/{report_id}/").content.decode()
    finding = re.findall(r'id="finding-(\d+)"', page)[0]
    url = f"/reports/{report_id}/findings/{finding}/"
    decided = client.post(url, {"state": "confirmed"}, headers={"HX-Request": "true"})
    found = client.get("/reports/", {"text": "拆迁补偿"}).content.decode()
    print(
        json.dumps(
            {
                "vendor": django.db.connection.vendor,
                "done": "全部完成" in batch,
                "decided": decided.status_code,
                "confirmed": "确认" in decided.content.decode(),
                "search": re.findall(r'href="/reports/(\d+)/"', found),
                "dashboard": client.get("/region/").status_code,
            }
        )
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
