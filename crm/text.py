import unicodedata

# Letters that NFKD does not take apart, and look-alike punctuation typed
# from phones and word processors ("L’Atelier" must find "L'Atelier").
_SPELLED_OUT = str.maketrans({
    "œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d",
    "’": "'", "‘": "'", "ʼ": "'", "‐": "-", "‑": "-", "–": "-", "—": "-",
})


def fold(text: str) -> str:
    """Lower case without accents, so that 'eric' finds 'Éric' and 'oeuvre' finds 'Œuvre'."""
    if not text:
        return ""
    if text.isascii():  # most words: nothing to take apart (imports fold millions of them)
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", (text or "").translate(_SPELLED_OUT))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def digits(text: str) -> str:
    """Only the digits: '(514) 555-0101' → '5145550101'."""
    return "".join(c for c in text or "" if c.isdigit())
