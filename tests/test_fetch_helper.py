"""tests/browser.py's ``fetch``, which the serve tests poll with: a response cut short
(``mkdocs serve`` restarting mid-response) is "not yet", never an error that fails the
test that polls."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest

from .browser import fetch


@pytest.fixture
def cut_short() -> Iterator[str]:
    """A loopback server that promises 100 bytes, sends 5 and closes the connection."""
    listener = socket.create_server(("127.0.0.1", 0))

    def answer() -> None:
        connection, _ = listener.accept()
        with connection:
            connection.recv(65536)
            connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nhello")

    thread = threading.Thread(target=answer, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/"
    thread.join(timeout=10)
    listener.close()


def test_a_response_cut_short_is_not_yet(cut_short: str) -> None:
    assert fetch(cut_short, timeout=10) is None


def test_nothing_listening_is_not_yet() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # bound, not listening: connections are refused
        assert fetch(f"http://127.0.0.1:{port}/", timeout=10) is None
