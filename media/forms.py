"""Forms of the media library: several image files at once, with the text they share."""

from django import forms


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """A list of uploaded files; the bytes are validated by media.validation, never by name or declared type."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleImageField, self).clean(item, initial) for item in files if item] or self._required()

    def _required(self):
        raise forms.ValidationError(self.error_messages["required"], code="required")


class ImageUploadForm(forms.Form):
    files = MultipleImageField(label="Images", help_text="JPEG, PNG, WebP, GIF or AVIF; select several at once.")
    alt = forms.CharField(max_length=500, required=False, help_text="Applied to every image in this upload.")
    caption = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    credit = forms.CharField(max_length=255, required=False)
