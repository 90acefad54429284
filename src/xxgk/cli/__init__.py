"""The `xxgk` command line (typer + rich). Messages are zh-CN."""
