"""Load on loopback: a gunicorn server, wrk when installed, else a Python load generator.

Both generators report requests per second and the 99th percentile latency.
`exact_run` is a bounded number of requests whose every answer is read, so
the click ids it collects can be compared with what was stored.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing import Pool
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _wait_until_listening(port: int, process: subprocess.Popen) -> None:
    for _ in range(300):
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            with socket.create_connection((HOST, port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("gunicorn did not start listening")


@contextmanager
def gunicorn(app: str, *, workers: int, env: dict[str, str]):
    """A gunicorn with sync workers on a free loopback port; yields the base URL."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        app,
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--log-level",
        "warning",
        "--backlog",
        "2048",
        # Load the application before forking, so every worker answers from the first request.
        "--preload",
    ]
    log_path = ROOT / "bench" / "results" / f"gunicorn-{app.split(':')[0].replace('.', '-')}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log = open(log_path, "w")
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env}, stdout=log, stderr=log)
    try:
        _wait_until_listening(port, process)
        yield f"http://{HOST}:{port}"
    finally:
        process.terminate()
        process.wait()
        log.close()


@dataclass
class LoadResult:
    tool: str
    requests: int
    seconds: float
    p99_ms: float
    errors: int

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def have_wrk() -> bool:
    return shutil.which("wrk") is not None


_WRK_SCRIPT = """
local paths = {%s}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
"""


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def wrk_run(
    base_url: str, paths: list[str], *, seconds: int, threads: int, connections: int
) -> LoadResult:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_WRK_SCRIPT % ", ".join(f'"{p}"' for p in paths))
    try:
        output = subprocess.run(
            [
                "wrk",
                f"-t{threads}",
                f"-c{connections}",
                f"-d{seconds}s",
                "--latency",
                "-s",
                script.name,
                base_url,
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        os.unlink(script.name)
    total = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m)", output)
    p99 = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s|m)", output, re.MULTILINE)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    failed = int(errors.group(1)) if errors else 0
    if socket_errors:
        failed += sum(int(n) for n in socket_errors.groups())
    return LoadResult(
        tool=f"wrk -t{threads} -c{connections}",
        requests=int(total.group(1)),
        seconds=_ms(total.group(2), total.group(3)) / 1000,
        p99_ms=_ms(p99.group(1), p99.group(2)),
        errors=failed,
    )


def _one(conn_target: tuple[str, int], path: str, user_agent: str) -> tuple[int, str, float]:
    started = time.perf_counter()
    connection = http.client.HTTPConnection(*conn_target, timeout=30)
    try:
        connection.request("GET", path, headers={"User-Agent": user_agent})
        response = connection.getresponse()
        response.read()
        return response.status, response.getheader("Location", ""), time.perf_counter() - started
    finally:
        connection.close()


def _worker(args) -> list[tuple[int, str, float]]:
    host, port, jobs, deadline = args
    answers = []
    for path, user_agent in jobs:
        if deadline and time.monotonic() > deadline:
            break
        answers.append(_one((host, port), path, user_agent))
    return answers


def python_run(
    base_url: str, jobs: list[tuple[str, str]], *, processes: int, seconds: float | None = None
) -> tuple[LoadResult, list[tuple[int, str, float]]]:
    """Send `jobs` ((path, user agent) pairs) from several processes; every answer is read."""
    host, port = base_url.removeprefix("http://").split(":")
    deadline = time.monotonic() + seconds if seconds else None
    shares = [(host, int(port), jobs[n::processes], deadline) for n in range(processes)]
    started = time.perf_counter()
    with Pool(processes) as pool:
        answers = [answer for part in pool.map(_worker, shares) for answer in part]
    elapsed = time.perf_counter() - started
    latencies = sorted(answer[2] for answer in answers)
    p99 = latencies[int(len(latencies) * 0.99) - 1] * 1000 if latencies else 0.0
    errors = sum(1 for status, _location, _t in answers if status != 302)
    return LoadResult(f"python x{processes}", len(answers), elapsed, p99, errors), answers
