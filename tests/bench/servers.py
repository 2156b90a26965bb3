"""uvicorn app servers as subprocesses on free 127.0.0.1 ports, and their memory."""

from __future__ import annotations

import socket
import subprocess
import tempfile
import time
from pathlib import Path

import httpx

from tests.bench.env import PYTHON, ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``workers`` uvicorn processes behind one port (``--workers``), started and stopped by us.

    ``app``: the product (default) or the bench's floor app (``tests.bench.floor_app:app``)."""

    def __init__(
        self, env: dict[str, str], *, workers: int = 1, label: str = "server", app: str = "marketplace.asgi:application"
    ):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.label = label
        self.log = Path(tempfile.gettempdir()) / f"legalaid-bench-{label}-{self.port}.log"
        cmd = [
            PYTHON,
            "-m",
            "uvicorn",
            app,
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--ws",
            "websockets",
            "--no-access-log",
            "--log-level",
            "warning",
            "--timeout-graceful-shutdown",
            "5",
            # The load client keeps connections open across bursts; uvicorn's default closes
            # a keep-alive connection idle for 5 s, which the next burst would find dead.
            "--timeout-keep-alive",
            "300",
        ]
        if workers > 1:
            cmd += ["--workers", str(workers)]
        self._log_file = self.log.open("w")
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=self._log_file, stderr=subprocess.STDOUT)  # noqa: S603
        self.workers = workers

    def wait_ready(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.label} exited with {self.proc.returncode}: {self.tail()}")
            try:
                # With --workers, wait until every worker process is up.
                up = httpx.get(f"{self.base}/healthz", timeout=2).status_code == 200
                if up and (self.workers == 1 or len(self.worker_pids()) >= self.workers):
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"{self.label} not ready after {timeout}s: {self.tail()}")

    def tail(self, n: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""

    def worker_pids(self) -> list[int]:
        """The processes that serve requests: the children of a --workers supervisor, else itself."""
        if self.workers == 1:
            return [self.proc.pid]
        pids = []
        try:
            for task in Path(f"/proc/{self.proc.pid}/task").iterdir():
                children = (task / "children").read_text().split()
                pids.extend(int(c) for c in children)
        except OSError:
            pass
        # multiprocessing spawn also starts a resource tracker; keep only uvicorn workers.
        workers = []
        for pid in pids:
            try:
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
            except OSError:
                continue
            if b"resource_tracker" not in cmdline:
                workers.append(pid)
        return workers

    def memory(self, pid: int | None = None) -> dict[str, float]:
        """VmRSS and VmHWM (peak) in MB of a serving process (the first, unless ``pid``)."""
        pid = pid or self.worker_pids()[0]
        out = {}
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(("VmRSS:", "VmHWM:")):
                key, value = line.split(":", 1)
                out[key] = round(int(value.split()[0]) / 1024, 1)
        return out

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        self._log_file.close()

    def __enter__(self) -> Server:
        try:
            self.wait_ready()
        except Exception:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
