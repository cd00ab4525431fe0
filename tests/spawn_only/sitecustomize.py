"""Makes this Python look like Windows to briefgen: no fork, no timer signals, spawn only.

Put this folder on PYTHONPATH (the portability tests do) and every process started from it,
workers included, runs without `os.fork`, `signal.SIGALRM` and `signal.setitimer`, and
multiprocessing starts processes the way it does on Windows and macOS.
"""

import multiprocessing
import os
import signal

for name in ("fork", "forkpty"):
    if hasattr(os, name):
        delattr(os, name)
for name in ("SIGALRM", "setitimer", "getitimer", "alarm", "ITIMER_REAL"):
    if hasattr(signal, name):
        delattr(signal, name)
multiprocessing.set_start_method("spawn", force=True)
