from xxgk.cli.main import run

run()
