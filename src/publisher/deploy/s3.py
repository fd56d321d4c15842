"""S3 and S3-compatible object storage (AWS S3, Cloudflare R2, Alibaba Cloud OSS, Tencent COS, MinIO) via boto3.

Credentials come from boto3's own chain (environment variables, the shared
credentials and config files, a named profile, instance roles); nothing here
reads, prints or logs them. Uploads within a phase run a few at a time;
each object gets its Content-Type, Cache-Control and, when pre-compressed,
Content-Encoding.
"""

from __future__ import annotations

import json
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from typing import Callable

from ..config.deploy import DeployTarget
from .source import MANIFEST, LocalFile
from ..i18n import _
from .targets import DeployError

#: Objects uploaded at once (boto3 clients are thread-safe).
UPLOAD_THREADS = 8


class S3Target:
    def __init__(self, target: DeployTarget):
        try:
            import boto3
            from botocore.config import Config
        except ImportError:
            raise DeployError(_("deploying to s3:// needs boto3; install it with `pip install boto3`")) from None
        self.description = target.url
        self.bucket, _slash, prefix = target.url[len("s3://"):].partition("/")
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        try:
            session = boto3.session.Session(profile_name=target.profile, region_name=target.region)
            self.client = session.client("s3", endpoint_url=target.endpoint_url, config=Config(
                retries={"max_attempts": 5, "mode": "standard"}, connect_timeout=10, read_timeout=60))
        except Exception as exc:  # ProfileNotFound and the like: botocore's message names the profile
            raise DeployError(_("cannot set up the S3 client for {url}: {reason}; check `profile` and `region` in "
                                "[deploy.{target}]").format(url=target.url, reason=exc, target=target.name)) from None

    def _fail(self, exc: Exception, what: str) -> DeployError:
        """`what`: the action that failed, as the messages below take it (`read {file} from`)."""
        from botocore.exceptions import ClientError, NoCredentialsError, PartialCredentialsError

        if isinstance(exc, (NoCredentialsError, PartialCredentialsError)):
            return DeployError(_("no credentials for {target}: set AWS_ACCESS_KEY_ID and "
                                 "AWS_SECRET_ACCESS_KEY in the environment, or add them to ~/.aws/credentials "
                                 "(or name a profile with profile = \"...\"); they never go in publisher.toml").format(
                target=self.description))
        if isinstance(exc, ClientError):
            error = exc.response.get("Error", {})
            code, message = error.get("Code", "error"), error.get("Message", "")
            hint = {"NoSuchBucket": _("check the bucket name in url"),
                    "AccessDenied": _("the credentials in use may not write this bucket; check their policy"),
                    "InvalidAccessKeyId": _("the access key is not known to this service; check the credentials "
                                            "and endpoint_url"),
                    "SignatureDoesNotMatch": _("the secret key does not match the access key")}.get(code, "")
            if hint:
                return DeployError(_("S3 refused to {what} ({code}: {message}); {hint}").format(
                    what=what, code=code, message=message, hint=hint))
            return DeployError(_("S3 refused to {what} ({code}: {message})").format(what=what, code=code,
                                                                                   message=message))
        return DeployError(_("could not {what} {target} ({reason}); check endpoint_url and the network, "
                             "then deploy again: what was sent is sent again only if needed").format(
            what=what, target=self.description, reason=exc))

    def read_manifest(self) -> bytes | None:
        try:
            response = self.client.get_object(Bucket=self.bucket, Key=self.prefix + MANIFEST)
            return response["Body"].read()
        except Exception as exc:
            from botocore.exceptions import ClientError
            if isinstance(exc, ClientError) and exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                return None
            raise self._fail(exc, _("read {file} from").format(file=MANIFEST)) from None

    def inventory(self) -> set[str] | None:
        found = set()
        try:
            for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket,
                                                                              Prefix=self.prefix):
                for item in page.get("Contents", []):
                    relative = item["Key"][len(self.prefix):]
                    if relative and relative != MANIFEST:
                        found.add(relative)
        except Exception as exc:
            raise self._fail(exc, _("list")) from None
        return found

    def _put(self, file: LocalFile) -> LocalFile:
        extra = {"ContentType": file.content_type, "CacheControl": file.cache_control}
        if file.gzip:
            extra["ContentEncoding"] = "gzip"
        try:
            self.client.put_object(Bucket=self.bucket, Key=self.prefix + file.path, Body=file.body(), **extra)
        except Exception as exc:
            raise self._fail(exc, _("upload {file} to").format(file=file.path)) from None
        return file

    def upload(self, files: list[LocalFile], done: Callable[[LocalFile], None]) -> None:
        with ThreadPoolExecutor(max_workers=UPLOAD_THREADS) as pool:
            futures = [pool.submit(self._put, file) for file in files]
            try:
                for future in futures:
                    done(future.result())
            except BaseException:
                for future in futures:
                    future.cancel()
                raise
            finally:
                wait(futures, return_when=FIRST_EXCEPTION)

    def delete(self, paths: list[str]) -> None:
        for start in range(0, len(paths), 1000):
            batch = [{"Key": self.prefix + path} for path in paths[start:start + 1000]]
            try:
                response = self.client.delete_objects(Bucket=self.bucket, Delete={"Objects": batch, "Quiet": True})
            except Exception as exc:
                raise self._fail(exc, _("delete objects from")) from None
            if response.get("Errors"):
                first = response["Errors"][0]
                raise DeployError(_("S3 refused to delete {key} ({code}: {message}); check that the credentials "
                                    "may delete in this bucket").format(key=first.get("Key"), code=first.get("Code"),
                                                                        message=first.get("Message")))

    def write_manifest(self, data: bytes) -> None:
        try:
            json.loads(data)
            self.client.put_object(Bucket=self.bucket, Key=self.prefix + MANIFEST, Body=data,
                                   ContentType="application/json; charset=utf-8", CacheControl="no-store")
        except Exception as exc:
            raise self._fail(exc, _("write {file} to").format(file=MANIFEST)) from None
