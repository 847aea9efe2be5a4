"""fold() and digits(), which imports run on every contact's search text."""

import unicodedata

from crm.text import _SPELLED_OUT, digits, fold


def fold_by_decomposing(text: str) -> str:
    """fold() as it was first written: decompose the whole text, drop the accents, casefold."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_SPELLED_OUT))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def test_fold_gives_what_decomposing_the_whole_text_gives():
    for code in range(0x30000):  # the planes that hold letters
        if not 0xD800 <= code <= 0xDFFF:
            assert fold(chr(code)) == fold_by_decomposing(chr(code)), hex(code)
    for text in ["Émilie Bélanger-Côté", "L’Œuvre\u00a0d’Art  Straße", "e\u0301cole \u0130stanbul ﬁn", "İ\u0327\u0301x",
                 "p0.entreprise1@example.com 514 555-0001 poste 10", "\tÉric\n"]:
        assert fold(text) == fold_by_decomposing(text)


def test_digits_keeps_every_digit_of_any_script():
    assert digits("(514) 555-0101 poste 12") == "514555010112"
    assert digits("٠١٢ 3") == "٠١٢3"
    assert digits("") == digits(None) == ""
