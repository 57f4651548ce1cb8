"""What the tests need from outside the repository (Debian's Chromium, the seed text in
../shared/seed): on a developer's machine a missing one skips its tests with the reason; in CI
(CI=true) it fails them, since there its absence means a broken set-up, not a smaller one."""

from __future__ import annotations

import os
from typing import NoReturn

import pytest


def in_ci() -> bool:
    """True when the environment says CI (CI=true, as GitHub Actions, GitLab and .ci/run set it)."""
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


def missing(reason: str) -> NoReturn:
    """Skip the current test with `reason`, or fail it in CI."""
    if in_ci():
        pytest.fail(f"CI=true and a test prerequisite is missing: {reason}", pytrace=False)
    pytest.skip(reason)
