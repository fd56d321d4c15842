"""`publish preview` and `publish build --preview` as writers run them: the installed command, real signals."""

from __future__ import annotations

import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from support.fixture_site import Links, copy_fixture, pages
from support.preview import raw_request

PUBLISH = str(Path(sys.executable).with_name("publish"))


class Preview:
    """`publish preview` in its own process group, its output read line by line as it comes."""

    def __init__(self, *arguments: str, tmp_path: Path):
        self.tmp = tmp_path / "tmp"
        self.tmp.mkdir(exist_ok=True)
        env = dict(os.environ, TMPDIR=str(self.tmp))
        self.process = subprocess.Popen([PUBLISH, "preview", "--no-open", *arguments], stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True, env=env, start_new_session=True)
        self.lines: "queue.Queue[tuple[str, str]]" = queue.Queue()
        self.stdout: list[str] = []
        self.stderr: list[str] = []
        self._readers = [threading.Thread(target=self._read, args=(name, stream), daemon=True)
                         for name, stream in (("out", self.process.stdout), ("err", self.process.stderr))]
        for reader in self._readers:
            reader.start()

    def _read(self, name: str, stream) -> None:
        for line in stream:
            (self.stdout if name == "out" else self.stderr).append(line.rstrip("\n"))
            self.lines.put((name, line.rstrip("\n")))

    def wait_for(self, prefix: str, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        while True:
            try:
                _, line = self.lines.get(timeout=max(0.05, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"no line starting {prefix!r}; stdout={self.stdout} stderr={self.stderr}")
            if line.startswith(prefix):
                return line

    def interrupt(self, timeout: float = 30) -> int:
        os.killpg(self.process.pid, signal.SIGINT)  # what a terminal sends the foreground group on Ctrl-C
        code = self.process.wait(timeout=timeout)
        for reader in self._readers:
            reader.join(timeout=5)
        return code

    def kill(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def _port_of(line: str) -> int:
    return int(line.rsplit(":", 1)[1].strip("/"))


def test_ctrl_c_stops_cleanly(tmp_path):
    config_path = copy_fixture(tmp_path)
    preview = Preview("--config", str(config_path), "--port", "0", tmp_path=tmp_path)
    try:
        port = _port_of(preview.wait_for("preview on http://127.0.0.1:"))
        assert preview.wait_for("  ja ") .endswith(f"http://127.0.0.1:{port}/ja/")
        assert raw_request(port, "/ja/delta/").status == 200  # a draft
        assert raw_request(port, "/_preview/").status == 200  # the dashboard
        assert any(line.startswith("  dashboard  http://127.0.0.1:") for line in preview.stdout)
        folders = list(preview.tmp.iterdir())
        assert len(folders) == 1 and folders[0].name.startswith("publish-preview-")
        code = preview.interrupt()
    finally:
        preview.kill()
    assert code == 0, preview.stderr
    assert preview.stdout[-1] == "stopped"
    assert "Traceback" not in "\n".join(preview.stdout + preview.stderr)
    assert list(preview.tmp.iterdir()) == []  # the temporary output is gone
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    assert not (config_path.parent / "dist").exists()  # nothing went to the production output


def test_ctrl_c_pressed_again_while_stopping_still_removes_the_temporary_output(tmp_path):
    """People press Ctrl-C again when stopping seems slow; that must not cut the clean-up short."""
    config_path = copy_fixture(tmp_path)
    preview = Preview("--config", str(config_path), "--port", "0", tmp_path=tmp_path)
    try:
        preview.wait_for("watching ")
        deadline = time.monotonic() + 30
        # Ctrl-C pressed again and again (every 10 ms) until the preview says it stopped.
        while preview.process.poll() is None and "stopped" not in preview.stdout and time.monotonic() < deadline:
            try:
                os.killpg(preview.process.pid, signal.SIGINT)
            except ProcessLookupError:
                break
            time.sleep(0.01)
        code = preview.process.wait(timeout=30)
        for reader in preview._readers:
            reader.join(timeout=5)
    finally:
        preview.kill()
    assert "stopped" in preview.stdout, preview.stderr
    assert list(preview.tmp.iterdir()) == []
    # A press that lands after "stopped" may still end the exit itself early (status 130 or -SIGINT,
    # at worst Python's own note about it), but never in the preview's code.
    assert code in (0, 130, -signal.SIGINT), preview.stderr
    assert "publisher/" not in "\n".join(preview.stderr), preview.stderr


def test_the_output_of_a_killed_preview_is_removed_by_the_next_one_and_a_running_ones_is_not(tmp_path):
    config_path = copy_fixture(tmp_path)
    killed = Preview("--config", str(config_path), "--port", "0", tmp_path=tmp_path)
    try:
        killed.wait_for("watching ")
    finally:
        killed.kill()  # SIGKILL: no clean-up
    (abandoned,) = list(killed.tmp.iterdir())
    previews = [Preview("--config", str(config_path), "--port", "0", tmp_path=tmp_path) for _ in range(2)]
    try:
        for preview in previews:
            preview.wait_for("watching ")
        folders = set(killed.tmp.iterdir())
        assert abandoned not in folders  # removed by the first new preview
        assert len(folders) == 2  # the two running previews keep theirs
        codes = [preview.interrupt() for preview in previews]
    finally:
        for preview in previews:
            preview.kill()
    assert codes == [0, 0]
    assert list(killed.tmp.iterdir()) == []


def test_port_in_use_is_a_clear_error(tmp_path):
    config_path = copy_fixture(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([PUBLISH, "preview", "--no-open", "--config", str(config_path), "--port", str(port)],
                                capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert f"port {port} on 127.0.0.1 is already in use" in result.stderr
    assert "--port" in result.stderr
    assert "Traceback" not in result.stderr


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_port_from_config_and_the_exposed_warning(tmp_path):
    config_path = copy_fixture(tmp_path)
    port = _free_port()
    config_path.write_text(config_path.read_text("utf-8") + f'\n[preview]\nport = {port}\nhost = "0.0.0.0"\n',
                           "utf-8")
    preview = Preview("--config", str(config_path), tmp_path=tmp_path)
    try:
        assert _port_of(preview.wait_for("preview on http://127.0.0.1:")) == port
        assert raw_request(port, "/ja/").status == 200
        code = preview.interrupt()
    finally:
        preview.kill()
    assert code == 0
    warning = next(line for line in preview.stderr if line.startswith("warning:"))
    assert "0.0.0.0" in warning and "anyone" in warning and "drafts" in warning and "--host 127.0.0.1" in warning


def test_bad_preview_config_is_reported(tmp_path):
    config_path = copy_fixture(tmp_path)
    config_path.write_text(config_path.read_text("utf-8") + '\n[preview]\nport = "eighty"\nhots = "x"\n', "utf-8")
    result = subprocess.run([PUBLISH, "check", "--config", str(config_path)], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 1
    assert "preview.port: must be a port number" in result.stderr
    assert "preview.hots: unknown key `hots` in [preview]" in result.stderr


def _build(config_path: Path, *arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run([PUBLISH, "build", "--config", str(config_path), "--now", "2026-01-10T12:00", "--quiet",
                           *arguments], capture_output=True, text=True, timeout=120, cwd=config_path.parent)


def test_build_preview_writes_a_shareable_preview(tmp_path):
    config_path = copy_fixture(tmp_path)
    out = tmp_path / "shared-preview"
    result = _build(config_path, "--preview", "--out", str(out))
    assert result.returncode == 0, result.stderr
    built = pages(out)
    assert {"ja/delta/index.html", "ja/gamma/index.html", "zh/beta/index.html"} <= set(built)  # draft, scheduled
    for page in built:
        text = (out / page).read_text("utf-8")
        assert "noindex" in (Links(text).robots or ""), page
        assert "publish-preview" not in text, page  # no reload script in the files
    assert (out / "robots.txt").read_text("utf-8").splitlines()[1:] == ["Disallow: /"]
    assert not (config_path.parent / "dist").exists()
    assert (out / "_preview" / "index.html").is_file()  # the dashboard, side-by-side and phone pages
    assert (out / "_preview" / "beta" / "phone.html").is_file()


@pytest.mark.parametrize("arguments, why", [
    (["--preview", "--out", "dist"], "is the production output"),
    (["--preview", "--out", "dist/preview"], "is inside the production output"),
    (["--drafts"], "is the production output"),
    (["--future"], "is the production output"),
    (["--drafts", "--future", "--out", "dist/"], "is the production output"),
])
def test_previews_never_go_into_the_production_output(tmp_path, arguments, why):
    config_path = copy_fixture(tmp_path)
    result = _build(config_path, *arguments)
    assert result.returncode == 1
    assert why in result.stderr
    assert "give --out a folder of its own" in result.stderr
    assert not (config_path.parent / "dist").exists()


def test_preview_into_a_folder_holding_the_production_output_is_refused(tmp_path):
    config_path = copy_fixture(tmp_path)
    config_path.write_text(config_path.read_text("utf-8").replace('output_dir = "dist"', 'output_dir = "public/dist"'),
                           "utf-8")
    result = _build(config_path, "--preview", "--out", "public")
    assert result.returncode == 1
    assert "contains the production output" in result.stderr


def test_preview_needs_out(tmp_path):
    result = _build(copy_fixture(tmp_path), "--preview")
    assert result.returncode == 2
    assert "--preview needs --out DIR" in result.stderr


def test_drafts_with_an_out_folder_still_build(tmp_path):
    config_path = copy_fixture(tmp_path)
    result = _build(config_path, "--drafts", "--out", str(tmp_path / "drafts"))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "drafts" / "ja" / "delta" / "index.html").is_file()
    assert not (tmp_path / "drafts" / "_preview").exists()  # the dashboard pages come with --preview only
