"""Cyrillic and Greek letters that look like Latin ones, as data.

:func:`faultkit.feedback.text.fold` maps them to their Latin look-alike inside a word
that also holds a Latin letter (``\u0441rash`` with a Cyrillic es is ``crash``), so that a
keyword is not dodged by a letter of another script; a word of Cyrillic or Greek
letters only (Russian, Greek text) is left as it is.

Source: Unicode Technical Standard #39, "Unicode Security Mechanisms", section 4
(confusable detection) and its data file ``confusables.txt``: the single letters of
the Cyrillic and Greek blocks whose prototype there is one basic Latin letter, a
hand-picked subset (the common ones, each checked against the file; Greek lowercase
``κ``, whose prototype is ``ĸ``, and the letters whose prototype is a small capital,
such as Cyrillic ``в`` -> ``ʙ``, are left out). Three letters are mapped to
the letter they are drawn as rather than to the file's prototype, which is one letter
for all upright strokes: the file maps the Cyrillic capital I (U+0406) and Greek
capital iota (U+0399), as Latin ``I`` itself, to ``l``, and the Cyrillic small
palochka (U+04CF) to ``i`` (through the dotless i, U+0131); here the capitals are
``I`` and the palochka is ``l``.
"""

from __future__ import annotations

__all__ = ["CONFUSABLES"]

CONFUSABLES: dict[str, str] = {
    # Cyrillic small letters
    "\u0430": "a",  # small letter a
    "\u0441": "c",  # small letter es
    "\u0435": "e",  # small letter ie
    "\u043e": "o",  # small letter o
    "\u0440": "p",  # small letter er
    "\u0445": "x",  # small letter ha
    "\u0443": "y",  # small letter u
    "\u0456": "i",  # small letter byelorussian-ukrainian i
    "\u0458": "j",  # small letter je
    "\u0455": "s",  # small letter dze
    "\u04bb": "h",  # small letter shha
    "\u0501": "d",  # small letter komi de
    "\u051b": "q",  # small letter qa
    "\u051d": "w",  # small letter we
    "\u04cf": "l",  # small letter palochka (the file: i, through dotless i)
    # Cyrillic capital letters
    "\u0410": "A",  # capital letter a
    "\u0412": "B",  # capital letter ve
    "\u0421": "C",  # capital letter es
    "\u0415": "E",  # capital letter ie
    "\u041d": "H",  # capital letter en
    "\u0406": "I",  # capital letter byelorussian-ukrainian i
    "\u0408": "J",  # capital letter je
    "\u041a": "K",  # capital letter ka
    "\u041c": "M",  # capital letter em
    "\u041e": "O",  # capital letter o
    "\u0420": "P",  # capital letter er
    "\u0405": "S",  # capital letter dze
    "\u0422": "T",  # capital letter te
    "\u0425": "X",  # capital letter ha
    "\u04ae": "Y",  # capital letter straight u
    "\u051a": "Q",  # capital letter qa
    "\u051c": "W",  # capital letter we
    # Greek small letters
    "\u03b1": "a",  # small letter alpha
    "\u03bf": "o",  # small letter omicron
    "\u03c1": "p",  # small letter rho
    "\u03bd": "v",  # small letter nu
    "\u03b9": "i",  # small letter iota
    "\u03c5": "u",  # small letter upsilon
    "\u03b3": "y",  # small letter gamma
    # Greek capital letters
    "\u0391": "A",  # capital letter alpha
    "\u0392": "B",  # capital letter beta
    "\u0395": "E",  # capital letter epsilon
    "\u0396": "Z",  # capital letter zeta
    "\u0397": "H",  # capital letter eta
    "\u0399": "I",  # capital letter iota
    "\u039a": "K",  # capital letter kappa
    "\u039c": "M",  # capital letter mu
    "\u039d": "N",  # capital letter nu
    "\u039f": "O",  # capital letter omicron
    "\u03a1": "P",  # capital letter rho
    "\u03a4": "T",  # capital letter tau
    "\u03a5": "Y",  # capital letter upsilon
    "\u03a7": "X",  # capital letter chi
}
"""Each Cyrillic or Greek letter mapped to the basic Latin letter it looks like (UTS #39
``confusables.txt``), before case folding: capitals to capitals."""
