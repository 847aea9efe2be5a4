from django import forms
from django.utils.translation import gettext_lazy as _

from search.matching import MAX_LENGTH, MIN_LENGTH


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        min_length=MIN_LENGTH,
        max_length=MAX_LENGTH,
        error_messages={
            "required": _("Type what you are looking for."),
            "min_length": _("Type at least %(limit_value)d characters."),
            "max_length": _("Type at most %(limit_value)d characters."),
        },
    )
