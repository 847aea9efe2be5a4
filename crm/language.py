"""Which of our two languages is active: the one test the bilingual labels and parsers share."""

from django.utils.translation import get_language


def is_english(language: str | None = None) -> bool:
    """True when `language` (default: the active one) is English; French otherwise, as the site is."""
    return (language or get_language() or "fr").startswith("en")
