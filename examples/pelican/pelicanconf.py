"""Pelican settings for the asa2render example.

Run: `cd examples/pelican && pelican content -s pelicanconf.py -o output`.
"""

AUTHOR = "asa2render"
SITENAME = "asa2render + Pelican"
SITEURL = ""
PATH = "content"
TIMEZONE = "Europe/Berlin"
DEFAULT_LANG = "en"
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
DEFAULT_PAGINATION = False

PLUGINS = ["asa2render.integrations.pelican"]
ASA2RENDER_CONFIG = "asa2render.toml"
# sandbox "auto": the in-process demo API; remove it for real credentials.
ASA2RENDER_OPTIONS = {"sandbox": "auto", "strict": False, "country": "de"}
