import pytest
from django.core.exceptions import ValidationError

from articles.models import ArticleImage
from media.library import ImageInUse, articles_using, delete_image, set_focal_point
from media.models import Image, Rendition

pytestmark = pytest.mark.django_db


def test_articles_using_an_image_lists_cover_and_inline_uses_once(photo, article, category):
    from articles.models import Article

    other = Article.objects.create(title="Another story", category=category)
    article.cover_image = photo
    article.save()
    ArticleImage.objects.create(article=article, image=photo, position=1)
    ArticleImage.objects.create(article=other, image=photo, position=1)
    assert list(articles_using(photo)) == [other, article]


def test_delete_image_in_use_raises_with_the_articles(photo, article):
    article.cover_image = photo
    article.save()
    with pytest.raises(ImageInUse) as caught:
        delete_image(photo)
    assert caught.value.articles == [article]
    assert article.title in str(caught.value)
    assert Image.objects.filter(pk=photo.pk).exists() and Rendition.objects.filter(image=photo).exists()


def test_focal_point_must_lie_within_the_picture(photo):
    with pytest.raises(ValidationError):
        set_focal_point(photo, -0.1, 0.5)


def test_an_unchanged_focal_point_redraws_nothing(photo, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        set_focal_point(photo, 0.5, 0.5)
    assert callbacks == []
