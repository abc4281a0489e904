"""Say what a long run is doing, without the library ever printing.

The pipeline announces its stages (read, normalise, enrich, link, assess,
write) to a :class:`Progress` object; it never writes to a stream itself. The
CLI picks the display: on a terminal each stage shows as it runs and then
with its count and rate; for a batch job (stderr not a terminal) one summary
line at the end; with ``--quiet`` nothing. Only counts and timings are shown,
never data.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TextIO

__all__ = ["Progress", "TerminalProgress", "SummaryProgress", "StageTiming"]


@dataclass(frozen=True)
class StageTiming:
    """How long a stage took, and over how many records."""

    name: str
    records: int
    seconds: float

    @property
    def rate(self) -> float:
        """Records per second (0 for an instantaneous stage)."""
        return self.records / self.seconds if self.seconds > 0 else 0.0


@dataclass
class _Running:
    records: int


@dataclass
class Progress:
    """Collects stage timings; subclasses decide what to show.

    Examples
    --------
    >>> progress = Progress()
    >>> with progress.stage("normalise", 10):
    ...     pass
    >>> [t.name for t in progress.timings]
    ['normalise']
    """

    timings: list[StageTiming] = field(default_factory=list)

    @contextmanager
    def stage(self, name: str, records: int = 0) -> Iterator[_Running]:
        """Time the ``with`` block as stage ``name`` over ``records`` records.

        The block may set ``.records`` on what it receives when the count is
        only known at the end (reading a file).
        """
        self.started(name, records)
        running = _Running(records)
        start = time.perf_counter()
        yield running
        timing = StageTiming(name, running.records, time.perf_counter() - start)
        self.timings.append(timing)
        self.finished(timing)

    def started(self, name: str, records: int) -> None:
        """Called when a stage begins."""

    def finished(self, timing: StageTiming) -> None:
        """Called when a stage ends."""

    @property
    def total_seconds(self) -> float:
        """Time spent in all stages so far."""
        return sum(t.seconds for t in self.timings)


def _line(timing: StageTiming) -> str:
    return (f"  {timing.name:<10} {timing.records:>12,} records  {timing.seconds:7.2f} s  "
            f"{timing.rate:>12,.0f}/s")


@dataclass
class TerminalProgress(Progress):
    """One line per stage on an interactive terminal, updated when it ends."""

    stream: TextIO | None = None

    def started(self, name: str, records: int) -> None:
        assert self.stream is not None
        self.stream.write(f"  {name:<10} {records:>12,} records  ...\r")
        self.stream.flush()

    def finished(self, timing: StageTiming) -> None:
        assert self.stream is not None
        self.stream.write("\x1b[2K" + _line(timing) + "\n")
        self.stream.flush()


@dataclass
class SummaryProgress(Progress):
    """For batch jobs: nothing while running, one line when :meth:`report` is called."""

    stream: TextIO | None = None

    def report(self) -> None:
        """Write the one summary line (stage names and seconds)."""
        assert self.stream is not None
        records = max((t.records for t in self.timings), default=0)
        stages = ", ".join(f"{t.name} {t.seconds:.1f}s" for t in self.timings)
        self.stream.write(f"exposure: {records:,} records in {self.total_seconds:.1f} s "
                          f"({stages})\n")
