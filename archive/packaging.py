"""The build step that ships `datasette_metadata.json` inside the package (pyproject's cmdclass).

The file stays at the repository's top level, where the schema's documentation is kept and reviewed;
a wheel has no top level to hold it, so `build_py` copies it next to the plugins, where
`archive.publish` looks first. Only setuptools runs this module.
"""

from __future__ import annotations

from pathlib import Path

from setuptools.command.build_py import build_py

METADATA = "datasette_metadata.json"


class BuildPy(build_py):
    def run(self) -> None:
        super().run()
        source = Path(METADATA)
        if not source.is_file():
            raise FileNotFoundError(f"{METADATA} must be at the top of the source tree to build the package")
        target = Path(self.build_lib) / "archive" / "datasette_plugins" / METADATA
        target.parent.mkdir(parents=True, exist_ok=True)
        self.copy_file(str(source), str(target))
