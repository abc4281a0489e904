"""How a command line run ends: cleanly on SIGTERM, and with warnings that quote no data."""

from __future__ import annotations

import contextlib
import signal
import threading
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from .errors import ExposureWarning

__all__ = ["terminate_cleanly", "warnings_to", "Terminated"]


class Terminated(BaseException):
    """SIGTERM, raised where the program stood so that temporary files are removed."""


def _raise_terminated(signum: int, frame: object) -> None:
    raise Terminated


@contextlib.contextmanager
def terminate_cleanly() -> Iterator[None]:
    """Turn SIGTERM (a batch scheduler's kill) into an exception while running.

    Python's default is to die on the spot, leaving temporary files behind;
    an exception unwinds through :func:`exposure.outputs.atomic_write`, which
    removes them. Signal handlers can only be set from the main thread.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def warnings_to(stderr: TextIO, *, verbose: bool, quiet: bool) -> Iterator[None]:
    """Print warnings as one line each, withholding other libraries' text.

    Our own warnings never carry a value; a library's may quote a cell (a
    date parser naming the string it could not parse), so only its category
    is shown unless ``--verbose``. ``--quiet`` prints none: only errors.
    """
    package = str(Path(__file__).resolve().parent)

    def show(message: Warning | str, category: type[Warning], filename: str, lineno: int,
             file: TextIO | None = None, line: str | None = None) -> None:
        if quiet:
            return
        if verbose or str(Path(filename).resolve()).startswith(package):
            text = " ".join(str(message).splitlines())
        else:
            text = (f"a {category.__name__} from a library; details withheld (they may quote "
                    "the input). Rerun with --verbose to see it")
        stderr.write(f"exposure: warning: {text}\n")

    with warnings.catch_warnings():
        warnings.simplefilter("always", ExposureWarning)
        warnings.showwarning = show
        yield
