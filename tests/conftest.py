"""Fixtures shared by every test module."""

import socket

import pandas as pd
import pytest


class NetworkUsed(BaseException):
    """Raised by any attempt to use the network; no ``except Exception`` can swallow it."""


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any socket, connection or name lookup fails the test."""
    class Refused(socket.socket):
        def __init__(self, *args, **kwargs):
            raise NetworkUsed("a socket was opened")

    def refuse(*args, **kwargs):
        raise NetworkUsed("a network call was made")

    monkeypatch.setattr(socket, "socket", Refused)
    for name in ("create_connection", "getaddrinfo", "gethostbyname", "socketpair"):
        monkeypatch.setattr(socket, name, refuse)


@pytest.fixture
def worked_example() -> pd.DataFrame:
    """The 10-record example of reference/reidentification.md, with sdcMicro 5.8.1's outputs.

    Record 10 has a missing age; ``w`` are sampling weights, ``diag`` a
    sensitive attribute (for l-diversity).
    """
    return pd.DataFrame(
        {
            "age": ["30-39", "30-39", "30-39", "40-49", "40-49", "50-59", "50-59", "50-59",
                    "60-69", None],
            "sex": ["F", "F", "M", "M", "M", "F", "F", "F", "M", "F"],
            "zip3": ["101", "101", "101", "102", "102", "103", "103", "104", "105", "101"],
            "dept": ["card", "card", "onco", "card", "card", "derm", "derm", "derm", "psy", "card"],
            "w": [50, 40, 100, 20, 30, 60, 80, 10, 5, 25],
            "diag": ["I10", "E11", "C50", "I10", "I10", "L40", "L20", "L40", "F32", "I10"],
        },
        index=pd.RangeIndex(1, 11, name="record"),
    )
