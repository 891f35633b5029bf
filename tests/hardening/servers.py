"""Loopback servers that play the attacker's targets for the outbound-gate tests."""

from __future__ import annotations

import socket
import threading
import time


class TcpServer:
    """Counts connections; `behaviour(conn)` decides what each one gets."""

    def __init__(self, behaviour=None) -> None:
        self.connections = 0
        self.stop = threading.Event()
        self.behaviour = behaviour or (lambda conn: conn.close())
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _addr = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        try:
            self.behaviour(conn)
        except OSError:
            pass
        finally:
            conn.close()

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def close(self) -> None:
        self.stop.set()
        self.sock.close()
        self.thread.join(timeout=2)


OK_RESPONSE = (
    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 46\r\n"
    b'Connection: close\r\n\r\n{"client_id": "id", "client_secret": "secret"}'
)


def answer_ok(conn: socket.socket) -> None:
    conn.recv(65536)
    conn.sendall(OK_RESPONSE)


def redirect_to(location: str):
    def behaviour(conn: socket.socket) -> None:
        conn.recv(65536)
        conn.sendall(
            b"HTTP/1.1 302 Found\r\nLocation: "
            + location.encode()
            + b"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        )

    return behaviour


def slow_headers(stop: threading.Event):
    """A status line, then one header byte at a time: each read is quick, the whole never ends."""

    def behaviour(conn: socket.socket) -> None:
        conn.recv(65536)
        conn.sendall(b"HTTP/1.1 200 OK\r\n")
        while not stop.is_set():
            conn.sendall(b"X")
            time.sleep(0.05)

    return behaviour


def silent(stop: threading.Event):
    """Accepts and never says a word (an open port that is not HTTP)."""

    def behaviour(conn: socket.socket) -> None:
        stop.wait()

    return behaviour


def closed_port() -> int:
    """A port with nothing listening (connections are refused)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port
