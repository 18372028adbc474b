"""The reading room: the archive as researchers and journalists read it, built on Datasette's routes.

The hook module that registers it is `archive/datasette_plugins/reading_room.py` (Datasette loads every
`*.py` of the plugins folder); the pages' logic lives here, one module per concern, and their templates
in `archive/datasette_plugins/templates/`.
"""
