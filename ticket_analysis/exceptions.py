"""Every error the package raises on purpose.

Each message says what went wrong, where, and what to do; entry points show it
as one line (a traceback only with ``--log-level DEBUG``) and exit with::

    TicketAnalysisError                 exit_code 1
    ├── InputError (ValueError)         exit_code 2  unusable input file
    ├── UsageError (ValueError)         exit_code 2  bad flag, setting or variable
    ├── OutputError (OSError)           exit_code 2  output cannot be written
    ├── NotebookError                   exit_code 1  a notebook cell failed
    └── WeatherError                    never fatal: the report shows "unavailable"
        ├── WeatherConfigError (ValueError)
        ├── WeatherNetworkError (ConnectionError)
        │   └── WeatherTimeoutError (TimeoutError)
        ├── WeatherHTTPError
        └── WeatherResponseError (ValueError)
"""

from __future__ import annotations


class TicketAnalysisError(Exception):
    """Base class of the package's own errors."""

    exit_code: int = 1


class InputError(TicketAnalysisError, ValueError):
    """The input file cannot be used at all (missing, empty, binary, no columns)."""

    exit_code = 2


class UsageError(TicketAnalysisError, ValueError):
    """A command-line flag, setting or environment variable has a bad value."""

    exit_code = 2


class OutputError(TicketAnalysisError, OSError):
    """The output directory or a report file cannot be written."""

    exit_code = 2


class NotebookError(TicketAnalysisError):
    """A notebook cell failed (or the kernel died) while producing the report.

    ``ename`` is the exception class raised in the cell (or the failure kind).
    """

    def __init__(
        self, message: str, *, cell_index: int | None, ename: str, evalue: str
    ) -> None:
        super().__init__(message)
        self.cell_index = cell_index
        self.ename = ename
        self.evalue = evalue


class WeatherError(TicketAnalysisError):
    """The weather could not be fetched; the message (redacted) is the reason shown."""


class WeatherConfigError(WeatherError, ValueError):
    """The weather settings are unusable (bad coordinates, unknown place name)."""


class WeatherNetworkError(WeatherError, ConnectionError):
    """The weather service could not be reached (DNS, refused, reset)."""


class WeatherTimeoutError(WeatherNetworkError, TimeoutError):
    """The weather service did not answer within the configured timeout."""


class WeatherHTTPError(WeatherError):
    """The weather service answered with an HTTP error status."""

    def __init__(self, message: str, *, status_code: int) -> None:
        super().__init__(message)
        self.status_code = status_code


class WeatherResponseError(WeatherError, ValueError):
    """The weather service answered 200 but the body is not what was expected."""
