"""asa2render: Amazon product boxes from ASA2-style shortcodes in any Markdown or HTML pipeline.

Importing this package is cheap: host packages (mkdocs, pelican, markdown), rich and the sandbox are
imported only by the modules that use them.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
