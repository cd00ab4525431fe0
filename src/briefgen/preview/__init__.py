"""Live preview in the browser: every audience's page and the spec's problems, updated on save.

    briefgen preview SPEC -> run_specs (as `build`) -> page images of the written PDFs
      -> a snapshot (JSON) -> a web server on 127.0.0.1 -> the page, updated by server-sent
         events each time watch_inputs sees a save

`session` builds and keeps the snapshot, `pages` reads the written PDFs (pypdfium2),
`server` answers the browser, `command` starts and stops it all; the page itself (HTML, CSS,
JavaScript) is in `static/` and loads nothing from anywhere else.
"""
