"""Standalone Django for the ledger: `settings.configure(...)` + `django.setup()`, no project directory.

Where the ledger lives (`target`): `--db PATH` (SQLite), else `XXGK_DATABASE_URL=postgresql://…`, else
SQLite at `$XXGK_HOME/ledger.sqlite3` (`~/.xxgk/ledger.sqlite3`). Each target is registered as its own
database alias, so one process (a test run, a web app that already configured Django) can use several;
a web project that lists `xxgk.ledger.store` in INSTALLED_APPS simply uses its "default" alias.

SQLite connections get WAL journaling, a busy timeout and `BEGIN IMMEDIATE` transactions (Django ≥ 5.1),
so concurrent writers wait for each other instead of failing or corrupting the file.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote

from xxgk.ledger.store.errors import StoreError

HOME_ENV = "XXGK_HOME"
URL_ENV = "XXGK_DATABASE_URL"
DEFAULT_DB_NAME = "ledger.sqlite3"
APP = "xxgk.ledger.store"
APP_LABEL = "xxgk_ledger"
# The report corpus (xxgk.corpus.store) lives in the same database as the ledger.
CORPUS_APP = "xxgk.corpus.store"
# How long a writer waits for another one's transaction before giving up (SQLite busy timeout).
DEFAULT_BUSY_TIMEOUT_S = 30.0
# cache_size: 64 MB of page cache (the default 2 MB spills to disk in the middle of a large import and makes
# counting 100,000 cases read the same pages again).
SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA cache_size=-65536",
)
_PG_SCHEMES = ("postgresql", "postgres", "pgsql")
_PG_PARAMS = {"host": "HOST", "port": "PORT", "user": "USER", "password": "PASSWORD", "dbname": "NAME"}


@dataclass(frozen=True)
class DatabaseTarget:
    """Where a ledger lives: an SQLite file or a PostgreSQL database (Django DATABASES entry in `config`)."""

    engine: str  # "sqlite" | "postgresql"
    config: dict[str, Any] = field(hash=False, compare=False)
    display: str  # for messages: the path, or the URL without its password
    key: str  # stable identity of the target (path or URL), used to name the alias

    @property
    def alias(self) -> str:
        return f"xxgk_ledger_{hashlib.sha1(self.key.encode()).hexdigest()[:12]}"


def default_home() -> Path:
    home = os.environ.get(HOME_ENV)
    return Path(home).expanduser() if home else Path.home() / ".xxgk"


def sqlite_target(path: str | Path, *, busy_timeout: float = DEFAULT_BUSY_TIMEOUT_S) -> DatabaseTarget:
    p = Path(path).expanduser().resolve()
    options: dict[str, Any] = {"timeout": busy_timeout}
    if _django_version() >= (5, 1):
        options["transaction_mode"] = "IMMEDIATE"
    config = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(p), "OPTIONS": options}
    return DatabaseTarget("sqlite", config, str(p), f"sqlite:{p}")


def parse_database_url(url: str) -> DatabaseTarget:
    """`postgresql://user:password@host:port/dbname?sslmode=require` → a target (no third-party parser).

    The host may also be a Unix-socket directory, percent-encoded (`%2Fvar%2Frun%2Fpostgresql`) or given as
    `?host=/var/run/postgresql`; other query parameters go to the driver (`OPTIONS`)."""
    scheme, sep, rest = url.strip().partition("://")
    if not sep or scheme.lower() not in _PG_SCHEMES:
        raise StoreError(f"{URL_ENV} 应写作 postgresql://用户:密码@主机:端口/数据库名，实际为「{_mask(url)}」")
    rest, _, query = rest.partition("?")
    netloc, _, path = rest.partition("/")
    userinfo, at, hostport = netloc.rpartition("@")
    if not at:
        userinfo, hostport = "", netloc
    user, _, password = userinfo.partition(":")
    if hostport.startswith("["):
        host, _, tail = hostport[1:].partition("]")
        port = tail.removeprefix(":")
    else:
        host, _, port = hostport.partition(":")
    config: dict[str, Any] = {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(path),
        "USER": unquote(user),
        "PASSWORD": unquote(password),
        "HOST": unquote(host),
        "PORT": port,
        "OPTIONS": {},
    }
    for name, value in parse_qsl(query, keep_blank_values=True):
        if name in _PG_PARAMS:
            config[_PG_PARAMS[name]] = value
        else:
            config["OPTIONS"][name] = value
    if config["PORT"] and not str(config["PORT"]).isdigit():
        raise StoreError(f"{URL_ENV} 中的端口应为数字：「{config['PORT']}」")
    if not config["NAME"]:
        raise StoreError(f"{URL_ENV} 缺少数据库名（postgresql://…/数据库名）")
    shown = _mask(url)
    key = f"pg:{config['USER']}@{config['HOST']}:{config['PORT']}/{config['NAME']}"
    return DatabaseTarget("postgresql", config, shown, key)


def _mask(url: str) -> str:
    scheme, sep, rest = url.partition("://")
    netloc, slash, tail = rest.partition("/")
    userinfo, at, hostport = netloc.rpartition("@")
    if at and ":" in userinfo:
        userinfo = userinfo.partition(":")[0] + ":***"
    return f"{scheme}{sep}{userinfo}{at}{hostport}{slash}{tail}"


def resolve_target(db: str | Path | None = None, url: str | None = None) -> DatabaseTarget:
    """`db` (an SQLite path) wins, then `url`, then $XXGK_DATABASE_URL, then $XXGK_HOME/ledger.sqlite3."""
    if db is not None:
        return sqlite_target(db)
    url = url or os.environ.get(URL_ENV) or None
    if url:
        return parse_database_url(url)
    return sqlite_target(default_home() / DEFAULT_DB_NAME)


def _django_version() -> tuple[int, int]:
    import django

    return (int(django.VERSION[0]), int(django.VERSION[1]))


def setup_django() -> None:
    """Configure Django for the ledger app alone, unless the process (a web project) already did."""
    import django
    from django.conf import settings

    # (a process that names a settings module, the web app, is configured from it by django.setup())
    if not settings.configured and not os.environ.get("DJANGO_SETTINGS_MODULE"):
        settings.configure(
            INSTALLED_APPS=[APP, CORPUS_APP],
            DATABASES={},  # a dummy "default": every ledger query names its target's alias
            USE_TZ=True,
            TIME_ZONE="Asia/Shanghai",
            DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
        )
    from django.apps import apps

    if not apps.ready:
        django.setup()
    if not apps.is_installed(APP):
        raise StoreError(f"Django 已由其他程序配置，但 INSTALLED_APPS 中没有 {APP}")


def _on_sqlite_connect(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor != "sqlite" or not connection.alias.startswith("xxgk_ledger_"):
        return
    with connection.cursor() as cursor:
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
        cursor.execute(f"PRAGMA busy_timeout={int(connection.settings_dict['OPTIONS']['timeout'] * 1000)}")


def connect(target: DatabaseTarget, *, create_dir: bool = False) -> str:
    """Set Django up, register `target` as a database alias (once) and return the alias."""
    setup_django()
    from django.db import connections
    from django.db.backends.signals import connection_created

    connection_created.connect(_on_sqlite_connect, dispatch_uid="xxgk_ledger_sqlite_pragmas")
    alias = target.alias
    if alias not in connections.settings:
        if target.engine == "postgresql":
            _require_psycopg()
        connections.settings[alias] = connections.configure_settings({"default": {}, alias: dict(target.config)})[alias]
    if target.engine == "sqlite":
        path = Path(target.config["NAME"])
        if create_dir:
            path.parent.mkdir(parents=True, exist_ok=True)
        elif not path.exists():
            raise StoreError(f"台账数据库不存在：{path}；请先运行 xxgk ledger init --agency 机关名称")
    return alias


def _require_psycopg() -> None:
    try:
        import psycopg  # noqa: F401  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        raise StoreError("使用 PostgreSQL 需要安装 psycopg：pip install 'xxgk[postgres]'") from None


def migrate(alias: str) -> None:
    """Create or upgrade the ledger tables of `alias` (idempotent)."""
    from django.core.management import call_command

    call_command("migrate", APP_LABEL, database=alias, verbosity=0, interactive=False)


@contextmanager
def schema_lock(alias: str, name: str = "xxgk") -> Iterator[None]:
    """Serialise schema changes (migrate, and the first rows written after it) on one database across
    processes, so that eight `init`s started at once all succeed instead of racing to create the same tables.
    SQLite: an exclusive lock on a file beside the database (never on the database file itself, whose POSIX
    locks SQLite owns); PostgreSQL: a session advisory lock. Reusable by any store (`name` keeps stores apart).
    """
    from django.db import connections

    conn = connections[alias]
    if conn.vendor == "sqlite":
        db = str(conn.settings_dict["NAME"])
        if db == ":memory:" or "mode=memory" in db:
            yield
            return
        with _file_lock(Path(f"{db}.{name}-lock")):
            yield
    elif conn.vendor == "postgresql":
        digest = hashlib.sha1(f"{name}:schema:{conn.settings_dict['NAME']}".encode()).digest()
        key = int.from_bytes(digest[:8], "big", signed=True)
        with conn.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [key])
        try:
            yield
        finally:
            with conn.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
    else:
        yield


@contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    try:
        import fcntl
    except ImportError:  # not POSIX: SQLite's own busy timeout is all there is
        yield
        return
    with open(path, "a+b") as f:
        fcntl.flock(f.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f.fileno(), fcntl.LOCK_UN)


def restore_advice(display: str) -> str:
    return (
        f"请勿继续使用该文件。恢复办法：把 {display} 改名保存（以备检查），"
        "用 xxgk ledger init --agency 机关名称 新建台账，"
        "再用 xxgk ledger import 导入最近一次 xxgk ledger export 导出的 Excel 台账；或从备份恢复该文件"
    )


def check_integrity(alias: str, display: str) -> None:
    """Refuse a damaged SQLite ledger (`PRAGMA quick_check`) before anything reads or writes it."""
    from django.db import DatabaseError, connections

    conn = connections[alias]
    if conn.vendor != "sqlite":
        return
    db = Path(str(conn.settings_dict["NAME"]))
    if not db.is_file() or db.stat().st_size == 0:
        return  # a new ledger
    try:
        with conn.cursor() as cursor:
            cursor.execute("PRAGMA quick_check")
            rows = [str(r[0]) for r in cursor.fetchmany(5)]
    except DatabaseError as e:
        conn.close()
        raise StoreError(f"台账数据库 {display} 已损坏，无法打开（{e}）。{restore_advice(display)}") from None
    if rows != ["ok"]:
        conn.close()
        detail = "；".join(rows[:3])
        raise StoreError(f"台账数据库 {display} 已损坏（完整性检查：{detail}）。{restore_advice(display)}")


def is_migrated(alias: str) -> bool:
    """Whether every migration of the app is applied to `alias`."""
    from django.db import connections
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[alias])
    targets = [key for key in executor.loader.graph.leaf_nodes() if key[0] == APP_LABEL]
    return not executor.migration_plan(targets)


def close(alias: str) -> None:
    from django.conf import settings
    from django.db import connections

    if not settings.configured:
        return  # nothing was ever opened
    if alias in connections.settings:
        connections[alias].close()
