"""`xxgk web`: the web app on this machine (server and task worker in one process), `xxgk web worker`
(the task worker alone, for a deployment), `xxgk web user` (accounts from the command line)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

web_app = typer.Typer(
    help="网页版：审查人员和公开专员在浏览器中审查、填报（本机端口 8000）。",
    invoke_without_command=True,
    no_args_is_help=False,
    add_completion=False,
)


def _ready() -> None:
    from xxgk.ledger.store.errors import StoreError
    from xxgk.web import serve

    try:
        serve.setup()
        serve.migrate()
    except StoreError as e:
        err.print(f"错误：{e}")
        raise typer.Exit(2) from None


def _first_admin() -> None:
    from xxgk.web import serve

    if serve.has_admin():
        return
    given = serve.admin_from_environment()
    if given is None:
        out.print("首次运行：请创建管理员账号（也可用环境变量 XXGK_ADMIN_USER、XXGK_ADMIN_PASSWORD 提供）。")
        user = typer.prompt("管理员用户名", default="admin")
        password = typer.prompt("密码", hide_input=True, confirmation_prompt="再次输入密码")
        given = (user, password)
    try:
        serve.create_user(given[0], given[1], organisation="政务公开办", role="admin", superuser=True)
    except ValueError as e:
        err.print(f"错误：{e}")
        raise typer.Exit(2) from None
    out.print(f"已创建管理员「{given[0]}」。")


@web_app.callback()
def web(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", help="监听地址")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="端口", min=1, max=65535)] = 8000,
) -> None:
    """启动网页版（服务器和后台任务在同一进程）。数据库与命令行相同（XXGK_DATABASE_URL 或 XXGK_HOME）。"""
    if ctx.invoked_subcommand is not None:
        return
    from xxgk.web import serve

    _ready()
    _first_admin()
    serve.start_worker_thread()
    serve.start_reminder_thread()
    out.print(f"网页版已启动：http://{host}:{port}/ （按 Ctrl-C 停止）")
    try:
        serve.serve(host, port)
    except OSError as e:
        err.print(f"错误：无法在 {host}:{port} 上启动（{e.strerror or e}）；请用 --port 换一个端口")
        raise typer.Exit(2) from None
    except KeyboardInterrupt:
        out.print("已停止。")


@web_app.command("worker")
def worker() -> None:
    """只运行后台任务（读取、核查上传的文件）：部署时与网页服务器分开运行。"""
    from xxgk.web import serve

    _ready()
    out.print("后台任务已启动（按 Ctrl-C 停止）。")
    worker = serve.make_worker()
    worker.configure_signals()  # (SIGTERM from systemd: the task in hand finishes, then the worker stops)
    try:
        worker.run()
    except KeyboardInterrupt:
        out.print("已停止。")


@web_app.command("remind")
def remind() -> None:
    """发送今天的台账到期提醒邮件（每天一次；部署时由定时任务运行，已发送过则不再发送）。"""
    from xxgk.web import serve

    _ready()
    sent = serve.remind_once_a_day()
    out.print("今天的提醒已发送过。" if sent is None else f"已发送 {sent} 封提醒邮件。")


@web_app.command("user")
def user(
    username: Annotated[str, typer.Argument(help="用户名")],
    organisation: Annotated[str, typer.Option("--org", help="单位名称（不存在时新建）")],
    role: Annotated[str, typer.Option("--role", help="角色：管理员、审核人员、填报人员或只读")],
    kind: Annotated[str, typer.Option("--kind", help="新建单位的类型：政务公开办或机关")] = "政务公开办",
    parent: Annotated[str | None, typer.Option("--parent", help="新建单位的上级单位")] = None,
) -> None:
    """新建账号（密码在提示时输入，或由环境变量 XXGK_NEW_PASSWORD 提供）。"""
    import os

    from xxgk.web import serve

    _ready()
    password = os.environ.get("XXGK_NEW_PASSWORD") or typer.prompt(
        "密码", hide_input=True, confirmation_prompt="再次输入密码"
    )
    try:
        serve.create_user(username, password, organisation=organisation, kind=kind, role=role, parent=parent)
    except ValueError as e:
        err.print(f"错误：{e}")
        raise typer.Exit(2) from None
    out.print(f"已创建账号「{username}」（{organisation}）。")


def register(app: typer.Typer) -> None:
    app.add_typer(web_app, name="web")
