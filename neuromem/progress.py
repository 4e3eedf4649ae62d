"""What a user waiting for a run sees: a progress bar, and the kernels' compile time apart.

* :class:`CompileWatch` counts the time Numba spends compiling kernels (cache misses only: a cached
  kernel loads in milliseconds) and announces the first compile, so the first run's wait is explained
  and reported apart from the simulation's time.
* :class:`Progress` is the command line's bar (tqdm, on stderr): the fraction a study reports, or the
  elapsed time for a study that reports none; quiet where stderr is not a terminal.
"""
from __future__ import annotations

import sys
import threading
import time

#: how long the kernels take to compile on a 2-core laptop, all of them (what the notice says)
COMPILE_ESTIMATE_S = 20


class CompileWatch:
    """Context manager: ``seconds`` spent compiling Numba kernels while it is active.

    ``notice()`` is called once, when the first kernel starts compiling.
    """

    def __init__(self, notice=None):
        self.notice = notice
        self.seconds = 0.0
        self.kernels = 0
        self._depth = 0
        self._start = 0.0
        self._listener = None
        self._ctx = None

    def __enter__(self):
        from numba.core import event

        watch = self

        class _Listener(event.Listener):
            def on_start(self, ev):
                if watch._depth == 0:
                    watch._start = time.perf_counter()
                    if watch.kernels == 0 and watch.notice is not None:
                        watch.notice()
                watch._depth += 1

            def on_end(self, ev):
                watch._depth -= 1
                if watch._depth == 0:
                    watch.seconds += time.perf_counter() - watch._start
                    watch.kernels += 1

        self._ctx = event.install_listener("numba:compile", _Listener())
        self._ctx.__enter__()
        return self

    def __exit__(self, *exc):
        self._ctx.__exit__(*exc)
        return False


class Progress:
    """A progress bar on stderr for one run: ``progress(fraction, t_ms)`` sets the fraction done; without
    any, the bar shows the elapsed time.  ``enabled=None``: on when stderr is a terminal."""

    def __init__(self, label: str, enabled=None, interval: float = 0.5):
        self.enabled = sys.stderr.isatty() if enabled is None else bool(enabled)
        self.bar = None
        self._stop = threading.Event()
        self._thread = None
        if not self.enabled:
            return
        from tqdm import tqdm
        self.bar = tqdm(total=1000, desc=label, file=sys.stderr, leave=False, dynamic_ncols=True,
                        bar_format="{desc}: {elapsed} elapsed")
        self._fraction_known = False
        self._thread = threading.Thread(target=self._tick, args=(interval,), daemon=True)
        self._thread.start()

    def notice(self):
        """Announce that kernels are compiling (above the bar when there is one)."""
        text = (f"neuromem: compiling kernels (first run only, about {COMPILE_ESTIMATE_S} s; they are cached "
                "afterwards)...")
        if self.bar is not None:
            self.bar.write(text, file=sys.stderr)
        else:
            print(text, file=sys.stderr, flush=True)

    def _tick(self, interval):
        while not self._stop.wait(interval):
            self.bar.refresh()

    def __call__(self, fraction, t_ms=None):
        if self.bar is None:
            return
        if not self._fraction_known:
            self._fraction_known = True
            self.bar.bar_format = "{desc}: {percentage:3.0f}%|{bar}| {elapsed}<{remaining}"
        self.bar.n = int(round(1000 * min(max(float(fraction), 0.0), 1.0)))
        self.bar.refresh()

    def close(self):
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        if self.bar is not None:
            self.bar.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False
