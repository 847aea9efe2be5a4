"""The search's words marked in a hit's text: accents and case ignored, everything escaped."""

from search.highlight import highlight


def test_words_are_marked_whatever_their_accents_and_case():
    assert highlight("Éric Côté, Œuvres", ["eric", "cote", "oeuvre"]) == (
        "<mark>Éric</mark> <mark>Côté</mark>, <mark>Œuvre</mark>s")


def test_a_plural_query_marks_the_singular_and_a_verb_its_stem():
    assert highlight("Une relance", ["relances"]) == "Une <mark>relance</mark>"
    assert highlight("Une relance", ["relancer"]) == "Une <mark>relanc</mark>e"


def test_the_text_is_escaped_around_and_inside_the_marks():
    assert highlight("<b>a&b</b> rappel", ["rappel", "b>"]) == "&lt;<mark>b&gt;</mark>a&amp;b&lt;/<mark>b&gt;</mark> <mark>rappel</mark>"


def test_overlapping_words_make_one_mark():
    assert highlight("boulangerie", ["boulan", "angerie"]) == "<mark>boulangerie</mark>"


def test_a_text_without_the_words_is_left_as_it_is():
    assert highlight("Rien & tout", ["zzz"]) == "Rien &amp; tout"
    assert highlight("", ["zzz"]) == ""
