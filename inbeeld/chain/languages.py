"""ISO 639-1 language codes: the two-letter codes a partner service's languages are given in.

The list is the standard's (183 codes, without the withdrawn ``sh``). Language names come from Django's
own catalogue where it knows the language (translated into the page's language), else the code itself.
"""

from __future__ import annotations

from django.conf.locale import LANG_INFO
from django.utils.translation import gettext

_CODES = """
    aa ab ae af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv
    dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie
    ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv
    mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm
    rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts
    tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu
"""
ISO_639_1 = frozenset(_CODES.split())


def english_name(code: str) -> str:
    """The language's English name where Django knows it (for exports), else empty."""
    info = LANG_INFO.get(code)
    return str(info["name"]) if info and "name" in info else ""


def display_name(code: str) -> str:
    """The language's name in the active language where Django knows it, else the code."""
    name = english_name(code)
    return gettext(name) if name else code
