"""A TCP proxy that a test starts and stops, standing in for a dependency that is
refused or hung. The shared PostgreSQL and Redis servers are never stopped: the code
under test is pointed at the proxy, and the proxy changes mode.

    with TcpProxy("127.0.0.1", 6379) as proxy:      # listens on 127.0.0.1:<proxy.port>
        url = f"redis://127.0.0.1:{proxy.port}/1"
        proxy.refuse()    # listener closed, live connections cut: connects are refused
        proxy.hang()      # connections accepted, bytes swallowed: every call hangs
        proxy.forward()   # back to a working dependency

`proxy.swallowed` counts the requests that reached it while it hung (reads it swallowed):
how many times the code under test waited on the dead dependency.
"""

from __future__ import annotations

import contextlib
import select
import socket
import threading

FORWARD, REFUSE, HANG = "forward", "refuse", "hang"


class TcpProxy:
    def __init__(self, target_host: str, target_port: int, port: int = 0) -> None:
        self.target = (target_host, target_port)
        self.mode = FORWARD
        self._requested_port = port
        self.port = 0
        self._listener: socket.socket | None = None
        self._sockets: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._accept_thread: threading.Thread | None = None
        self.swallowed = 0

    # lifecycle -------------------------------------------------------------
    def start(self) -> TcpProxy:
        self._listen()
        return self

    def stop(self) -> None:
        self._stopped.set()
        self._close_listener()
        self._cut_connections()

    def __enter__(self) -> TcpProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    # modes -----------------------------------------------------------------
    def refuse(self) -> None:
        """Connections are refused: the listener is closed and live ones are cut."""
        self.mode = REFUSE
        self._close_listener()
        self._cut_connections()

    def hang(self) -> None:
        """Connections are accepted (new and live) but nothing is forwarded either way."""
        self.mode = HANG
        if self._listener is None:
            self._listen()

    def forward(self) -> None:
        self.mode = FORWARD
        if self._listener is None:
            self._listen()

    # internals -------------------------------------------------------------
    def _swallow(self) -> None:
        with self._lock:
            self.swallowed += 1

    def _listen(self) -> None:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port or self._requested_port))
        listener.listen(128)
        self.port = listener.getsockname()[1]
        self._listener = listener
        self._accept_thread = threading.Thread(
            target=self._accept_loop, args=(listener,), name="tcp-proxy-accept", daemon=True
        )
        self._accept_thread.start()

    def _close_listener(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()

    def _cut_connections(self) -> None:
        with self._lock:
            sockets, self._sockets = self._sockets, set()
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.setsockopt(
                    socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
                )
            with contextlib.suppress(OSError):
                sock.close()

    def _accept_loop(self, listener: socket.socket) -> None:
        while not self._stopped.is_set():
            try:
                client, _ = listener.accept()
            except OSError:
                return
            if self.mode == REFUSE:
                client.close()
                continue
            threading.Thread(
                target=self._pipe, args=(client,), name="tcp-proxy-pipe", daemon=True
            ).start()

    def _pipe(self, client: socket.socket) -> None:
        upstream: socket.socket | None = None
        with self._lock:
            self._sockets.add(client)
        try:
            while self.mode == HANG and not self._stopped.is_set():
                # swallow whatever arrives; answer nothing
                readable, _, _ = select.select([client], [], [], 0.2)
                if readable:
                    if not client.recv(65536):
                        return
                    self._swallow()
            if self.mode != FORWARD:
                return
            upstream = socket.create_connection(self.target, timeout=5)
            upstream.settimeout(None)
            with self._lock:
                self._sockets.add(upstream)
            pair = {client: upstream, upstream: client}
            while not self._stopped.is_set():
                watched = [client] if self.mode == HANG else list(pair)
                readable, _, _ = select.select(watched, [], [], 0.2)
                if self.mode == HANG:  # (asked again: it may have changed during the wait)
                    # swallow what the client sends, answer nothing: the peer waits forever
                    if client in readable:
                        if not client.recv(65536):
                            return
                        self._swallow()
                    continue
                if self.mode == REFUSE:
                    return
                for sock in readable:
                    data = sock.recv(65536)
                    if not data:
                        return
                    pair[sock].sendall(data)
        except OSError:
            return
        finally:
            for sock in (client, upstream):
                if sock is not None:
                    with contextlib.suppress(OSError):
                        sock.close()
                    with self._lock:
                        self._sockets.discard(sock)
