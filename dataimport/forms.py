from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from dataimport.importers import targets

ENCODINGS = [("", _("Detected")), ("utf-8-sig", "UTF-8"), ("cp1252", _("Windows-1252 (Excel, Windows)")),
             ("latin-1", "ISO-8859-1 (Latin-1)"), ("mac_roman", _("Mac Roman"))]
DELIMITERS = [("", _("Detected")), (";", _("semicolon ;")), (",", _("comma ,")), ("\t", _("tab")),
              ("|", _("vertical bar |"))]
IGNORE = ""


class UploadForm(forms.Form):
    target = forms.ChoiceField(label=_("Import as"))
    file = forms.FileField(label=_("File"), help_text=_("CSV or TSV (UTF-8 or Windows-1252), Excel workbook (.xlsx) "
                                                        "or, for contacts, vCard (.vcf)."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = targets()

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > settings.IMPORT_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(too_big_message(file.size))
        if not file.size:
            raise forms.ValidationError(_("The file is empty."))
        return file


def too_big_message(size) -> str:
    return _("The file holds %(size)s, more than the %(limit)s the import page takes (IMPORT_MAX_UPLOAD_BYTES): "
             "import it in parts, or with the import command.") % {
        "size": filesizeformat(size), "limit": filesizeformat(settings.IMPORT_MAX_UPLOAD_BYTES)}


def column_label(column) -> str:
    """A field of the menu, by its first French and English names: « Courriel / e-mail »."""
    names = [column.names[0] if column.names else column.key] + [name for name in column.names[1:2]]
    text = " / ".join(dict.fromkeys(names))
    return text[:1].upper() + text[1:]


class MappingForm(forms.Form):
    """A menu per column of the file, the encoding, the separator and the --update choice."""

    encoding = forms.ChoiceField(label=_("Encoding"), choices=ENCODINGS, required=False)
    delimiter = forms.ChoiceField(label=_("Column separator"), choices=DELIMITERS, required=False)
    update = forms.BooleanField(label=_("Update the records that already exist (else they are refused)"),
                                required=False)

    def __init__(self, *args, inspection, text_file: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not text_file:
            del self.fields["encoding"], self.fields["delimiter"]
        choices = [(IGNORE, _("Ignore this column"))] + [(column.key, column_label(column))
                                                          for column in inspection.columns]
        self.column_fields = []
        for index, name in enumerate(inspection.header):
            field_name = f"column_{index}"
            self.fields[field_name] = forms.ChoiceField(label=name or _("(no name)"), choices=choices,
                                                        required=False, initial=inspection.matched[index])
            self.column_fields.append((index, name, field_name))

    def mapping(self) -> dict:
        return {str(index): self.cleaned_data.get(field_name, "") for index, _name, field_name in self.column_fields}
