"""The public shape of an image, shared by the cover and the inline images of an article."""

from rest_framework import serializers

from media.models import Image


class ImageSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Image
        fields = ["url", "width", "height", "alt", "caption", "credit"]

    def get_url(self, image) -> str:
        """Absolute URL: the stored file when there is one, else the remote source URL."""
        url = image.url
        request = self.context.get("request")
        if url and request is not None and url.startswith("/"):
            return request.build_absolute_uri(url)
        return url
