"""Helpers shared by the importer tests: fixture bytes, archives built in memory, the import folder."""

from __future__ import annotations

import io
import tarfile
import zipfile
from pathlib import Path


FIXTURES = Path(__file__).parent / "fixtures"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def tar_bz2(payload: bytes, member: str) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:bz2") as tar:
        info = tarfile.TarInfo(member)
        info.size = len(payload)
        tar.addfile(info, io.BytesIO(payload))
    return buf.getvalue()


def zip_of(payload: bytes, member: str, *, method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as archive:
        archive.writestr(member, payload)
    return buf.getvalue()

