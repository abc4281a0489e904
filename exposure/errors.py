"""Exceptions raised by the library.

The CLI turns every :class:`ExposureError` into a one-line message on stderr and
an exit status; nothing else in the package prints. Messages name a file, a
1-based row and a column, never a cell value: the data is leaked health data.
"""

from __future__ import annotations


class ExposureError(Exception):
    """Base class: an error the user can fix by changing input or options."""


class InputError(ExposureError):
    """The input file cannot be read as a leaked table."""


class ColumnMappingError(ExposureError):
    """No usable role could be given to the columns, or a mapping file is wrong."""


class ConfigError(ExposureError):
    """An incident, policy or column-mapping file is invalid."""


class ParameterError(ExposureError, ValueError):
    """A function was called with a parameter outside its domain.

    The message has one shape everywhere: "The 'threshold' parameter of
    score_records must be a float in the range [0, 1]. Got 1.5 instead."
    """


class ModelError(ExposureError):
    """The shipped model is missing, tampered with, or from another version."""


class ExposureWarning(UserWarning):
    """A result that holds but needs a person's attention (e.g. an SMS over two parts).

    The CLI prints it as one line on stderr; the message never carries a value
    read from the leak.
    """
