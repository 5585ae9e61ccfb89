"""Moving from WordPress: a WXR export in, Markdown or HTML files with intact ASA2 shortcodes out.

::

    from asa2render.wordpress import read_export, migrate

    export = read_export(Path("export.xml"))
    for entry in export.entries:
        migrated = migrate(entry, "markdown", "hugo")
        migrated.path, migrated.found, migrated.kept, migrated.problems

The command is ``asa2render import-wordpress export.xml -o content/``. Needs the ``wordpress`` extra
(markdownify, defusedxml), imported only when used.
"""

from __future__ import annotations

from .autop import wpautop
from .layout import HOSTS, Format, Host
from .migration import Body, Migrated, convert_body, migrate
from .wxr import Entry, Export, read_export

__all__ = [
    "HOSTS",
    "Body",
    "Entry",
    "Export",
    "Format",
    "Host",
    "Migrated",
    "convert_body",
    "migrate",
    "read_export",
    "wpautop",
]
