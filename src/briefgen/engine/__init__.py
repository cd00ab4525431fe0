"""Running specs: the one path of `build`, `email`, `check`, `--watch` and `preview`.

`batch.run_specs` plans each spec (`plan`), skips what did not change (`build_state`), and
builds the rest (`pool`, `build`), stopping cleanly on request (`stopping`); `watch` reports
each save of an input.
"""
