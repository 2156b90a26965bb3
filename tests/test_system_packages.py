"""`make test` sets up a fresh machine itself: .ci/system-packages installs Chromium and a CJK font
where it can, and names the command where it cannot."""

import os
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / ".ci" / "system-packages"


@pytest.fixture
def bare_path(tmp_path):
    """A PATH with the shell's basics but without chromium, fonts or apt-get."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("bash", "grep", "id", "cat"):
        found = subprocess.run(["bash", "-c", f"command -v {tool}"], capture_output=True, text=True).stdout.strip()
        (bin_dir / tool).symlink_to(found)
    return bin_dir


def run(bin_dir: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(bin_dir / "bash"), str(SCRIPT)],
        env={"PATH": str(bin_dir)},
        capture_output=True,
        text=True,
        timeout=30,
    )


def fake(bin_dir: Path, name: str, body: str) -> None:
    tool = bin_dir / name
    tool.write_text(f"#!{bin_dir / 'bash'}\n{body}\n")
    tool.chmod(0o755)


def test_without_apt_it_names_the_command_and_fails(bare_path):
    result = run(bare_path)

    assert result.returncode == 1
    assert "chromium" in result.stdout
    assert "apt-get install chromium fonts-wqy-microhei" in result.stderr


@pytest.mark.skipif(os.geteuid() != 0, reason="the install path is taken as root")
def test_on_debian_as_root_it_installs_what_is_missing_and_says_so(bare_path, tmp_path):
    calls = tmp_path / "apt-calls"
    fake(bare_path, "apt-get", f'echo "$*" >> {calls}')

    result = run(bare_path)

    assert result.returncode == 0, result.stderr
    assert "Installing them with apt-get: chromium fonts-wqy-microhei" in result.stdout
    assert calls.read_text().splitlines()[-1] == "install -y -qq chromium fonts-wqy-microhei"


def test_nothing_happens_when_all_is_there(bare_path, tmp_path):
    fake(bare_path, "chromium", "true")
    fake(bare_path, "fc-list", "echo 'WenQuanYi Micro Hei'")
    fake(bare_path, "apt-get", "exit 9")

    result = run(bare_path)

    assert result.returncode == 0
    assert result.stdout == ""
