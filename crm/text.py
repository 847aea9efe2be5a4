import re
import unicodedata

# Letters that NFKD does not take apart, and look-alike punctuation typed
# from phones and word processors ("L’Atelier" must find "L'Atelier").
_SPELLED_OUT = str.maketrans({
    "œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d",
    "’": "'", "‘": "'", "ʼ": "'", "‐": "-", "‑": "-", "–": "-", "—": "-",
})


def _fold_char(char: str) -> str:
    decomposed = unicodedata.normalize("NFKD", char.translate(_SPELLED_OUT))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


class _FoldedChars(dict):
    """Code point → its folded form, worked out the first time the character is met.

    Folding is the same character by character (the accents NFKD reorders are
    all dropped, casefold has no context), so a text folds with one
    str.translate over this table: a dozen times faster than decomposing it.
    """

    def __missing__(self, code: int) -> str:
        folded = self[code] = _fold_char(chr(code))
        return folded


_FOLDED = _FoldedChars()


def fold(text: str) -> str:
    """Lower case without accents, so that 'eric' finds 'Éric' and 'oeuvre' finds 'Œuvre'."""
    if not text:
        return ""
    if text.isascii():  # most words: nothing to take apart (imports fold millions of them)
        return text.casefold()
    # Word by word, so that the ASCII words (e-mails, numbers...) take the fast way.
    return " ".join([word.casefold() if word.isascii() else word.translate(_FOLDED) for word in text.split(" ")])


_NOT_DIGITS = re.compile(r"[^0-9]+")


def digits(text: str) -> str:
    """Only the digits: '(514) 555-0101' → '5145550101'."""
    if not text:
        return ""
    if text.isascii():
        return _NOT_DIGITS.sub("", text)
    return "".join(c for c in text if c.isdigit())  # isdigit(): other scripts' digits too


def user_name(user) -> str:
    """The name people see for a user everywhere: their full name, else their user name.

    Templates write it {{ user|user_name }} (crm_format)."""
    return user.get_full_name() or user.get_username()
