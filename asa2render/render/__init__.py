"""Rendering: the Jinja environment and ASA2 placeholders (``renderer``), the built-in templates and
stylesheet (``templates/``), and the standalone HTML site builder behind ``asa2render build`` (``site``)."""
