"""The `briefgen` command: parse arguments, run the pipeline, map errors to exit codes.

`app` registers the commands, one module each (`build`, `check`, `preview`, `starter`,
`take_back`, `translate`); `exits` maps every error to its exit code; `summary` prints what
a build wrote.
"""

from briefgen.cli.app import app, main

__all__ = ["app", "main"]
