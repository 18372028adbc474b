"""Datasette plugins of the archive, loaded with `datasette --plugins-dir` by archive.publish."""
