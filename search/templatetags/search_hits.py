from django import template

from search import highlight as marking

register = template.Library()


@register.filter
def highlight(text, words):
    """{{ note.description|highlight:words }}: the search's words marked, everything escaped."""
    return marking.highlight(str(text or ""), words)


@register.filter
def snippet(text, words):
    """Like highlight, a long text cut around its first match."""
    return marking.highlight(str(text or ""), words, snippet=True)
