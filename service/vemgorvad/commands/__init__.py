"""The subcommands of `vemgorvad`, one module each, loaded only when named (cli.COMMANDS): `add` and
`build` never pay for the HTTP server, weasyprint or the gap check, `serve` never for the build.

Each module has `run(args) -> int` (the exit status) and `ERRORS`, the exceptions whose message is
one line for the user (anything else is reported as unexpected)."""
