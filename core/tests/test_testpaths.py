"""A module whose tests pytest never collects would pass CI silently."""

import tomllib
from pathlib import Path

from django.apps import apps
from django.conf import settings


def test_every_project_app_with_tests_is_in_pytest_testpaths() -> None:
    base = Path(settings.BASE_DIR)
    testpaths = set(tomllib.loads((base / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]["testpaths"])
    missing = [
        config.name
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(base)
        and (Path(config.path) / "tests").is_dir()
        and config.name not in testpaths
    ]
    assert not missing, f"add to [tool.pytest.ini_options] testpaths in pyproject.toml: {missing}"
