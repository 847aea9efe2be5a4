import unicodedata


def fold(text: str) -> str:
    """Lower case without accents, so that 'eric' finds 'Éric'."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
