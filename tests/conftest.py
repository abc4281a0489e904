"""Fixtures shared by every test module."""

import socket

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
