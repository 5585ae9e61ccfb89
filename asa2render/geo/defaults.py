"""The built-in fallback map: visitor country → the Amazon store to send them to.

Keys are ISO 3166 country codes as browsers and CDNs report them (``gb`` for the United Kingdom);
values are store codes (``uk``). An entry is used when the visitor's own country has no Amazon store,
or has one the site does not offer (``[geo] stores``). ``[geo] fallbacks`` entries are merged over
this map. The choice follows language first, then delivery: a German-speaking country goes to
amazon.de, a French-speaking one to amazon.fr, Ireland to amazon.co.uk (Amazon's own advice), New
Zealand to amazon.com.au.
"""

from __future__ import annotations

from types import MappingProxyType

DEFAULT_FALLBACKS = MappingProxyType(
    {
        # German-speaking neighbours and central Europe: amazon.de ships there.
        "at": "de",
        "ch": "de",
        "li": "de",
        "lu": "de",
        "dk": "de",
        "cz": "de",
        "sk": "de",
        "hu": "de",
        "si": "de",
        "hr": "de",
        "ro": "de",
        "bg": "de",
        "gr": "de",
        "ee": "de",
        "lv": "de",
        "lt": "de",
        "pl": "de",
        "nl": "de",
        "se": "de",
        "tr": "de",
        # French-speaking countries.
        "be": "fr",
        "mc": "fr",
        "ma": "fr",
        "tn": "fr",
        "dz": "fr",
        # Spanish, Portuguese, Italian.
        "pt": "es",
        "ad": "es",
        "sm": "it",
        "va": "it",
        "mt": "it",
        # English-speaking: Ireland and the rest go to the UK store; the Americas to amazon.com.
        "ie": "uk",
        "gb": "uk",
        "is": "uk",
        "cy": "uk",
        "no": "se",
        "fi": "se",
        "za": "uk",
        "ng": "uk",
        "ke": "uk",
        "ca": "us",
        "mx": "us",
        "br": "us",
        "pr": "us",
        "ar": "mx",
        "cl": "mx",
        "co": "mx",
        "pe": "mx",
        # Asia-Pacific and the Gulf.
        "nz": "au",
        "sg": "au",
        "hk": "sg",
        "my": "sg",
        "id": "sg",
        "th": "sg",
        "ph": "sg",
        "kr": "jp",
        "tw": "jp",
        "pk": "in",
        "bd": "in",
        "lk": "in",
        "np": "in",
        "qa": "ae",
        "kw": "ae",
        "bh": "ae",
        "om": "ae",
        "jo": "sa",
        "eg": "sa",
        "sa": "ae",
        "ae": "sa",
    }
)
"""Visitor country → store, for countries whose store is missing or not offered."""

GEO_MODES = ("exact", "close", "search")

__all__ = ["DEFAULT_FALLBACKS", "GEO_MODES"]
