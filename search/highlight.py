"""The words of a search marked in a hit's text, the text escaped (format_html, no mark_safe)."""

from django.utils.html import format_html, format_html_join

from crm.text import fold
from search.matching import singular

LONGEST = 5000  # characters of a text looked at
SNIPPET = 240  # characters shown of a long text, around its first match
BEFORE = 60  # of them before the match


def _folded_with_origins(text: str) -> tuple[str, list[int]]:
    """The folded text, and for each of its characters the index of the character it came from."""
    folded, origins = [], []
    for index, char in enumerate(text):
        for folded_char in fold(char) if not char.isascii() else char.lower():
            folded.append(folded_char)
            origins.append(index)
    return "".join(folded), origins


def _needles(word: str) -> list[str]:
    """What to look for: the word, its singular, its start (« relancer » found by its stem in « relance »)."""
    candidates = [word, singular(word)]
    if len(word) >= 6:
        candidates.append(word[:-2])
    return candidates


def spans(text: str, words: list[str]) -> list[tuple[int, int]]:
    """(start, end) in `text` of every occurrence of the words, merged, in order."""
    folded, origins = _folded_with_origins(text)
    found = []
    for word in words:
        needle = next((needle for needle in _needles(word) if needle and needle in folded), None)
        if needle is None:
            continue
        start = folded.find(needle)
        while start != -1:
            end = start + len(needle)
            found.append((origins[start], origins[end - 1] + 1))
            start = folded.find(needle, end)
    merged = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, words: list[str], *, snippet: bool = False):
    """The text with <mark> around the words; a long text cut around its first match when `snippet`."""
    text = (text or "")[:LONGEST]
    marks = spans(text, words or [])
    first, last = 0, len(text)
    if snippet and len(text) > SNIPPET:
        first = max(0, (marks[0][0] if marks else 0) - BEFORE)
        last = min(len(text), first + SNIPPET)
    pieces, position = [], first
    for start, end in marks:
        if end <= first or start >= last:
            continue
        start, end = max(start, first), min(end, last)
        pieces.append((text[position:start], text[start:end]))
        position = end
    return format_html(
        "{}{}{}{}",
        "…" if first > 0 else "",
        format_html_join("", "{}<mark>{}</mark>", pieces),
        text[position:last],
        "…" if last < len(text) else "",
    )
