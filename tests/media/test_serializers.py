import pytest
from django.db.models import Prefetch
from django.test import RequestFactory

from articles.models import Article, ArticleImage
from media.ingest import ingest_image_bytes
from media.models import Image
from media.prefetch import renditions_prefetch
from media.renditions import specs
from media.serializers import ImageSerializer
from tests.media.pictures import jpeg_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_():
    return RequestFactory().get("/api/v1/articles/", HTTP_HOST="localhost")


@pytest.fixture
def many_images(django_capture_on_commit_callbacks):
    """Twelve images with all their renditions: distinct bytes, so distinct rows."""
    with django_capture_on_commit_callbacks(execute=True):
        return [ingest_image_bytes(jpeg_bytes(size=(400 + n, 300), color=(n * 20, 0, 0))) for n in range(12)]


def test_image_shape_has_absolute_urls_renditions_and_srcsets(photo, request_):
    data = ImageSerializer(photo, context={"request": request_}).data
    assert set(data) == {"url", "width", "height", "alt", "caption", "credit", "renditions", "srcset", "srcset_webp"}
    assert data["url"].startswith("http://localhost/media/images/")
    expected_keys = {key for name in specs() for key in (name, f"{name}_webp")}
    assert set(data["renditions"]) == expected_keys
    thumb = data["renditions"]["thumb"]
    stored = photo.renditions.get(spec="thumb", format="JPEG")
    assert thumb == {
        "url": f"http://localhost{stored.file.url}",
        "width": 320,
        "height": 160,
        "format": "jpeg",
    }
    assert data["renditions"]["og_webp"]["format"] == "webp"
    assert data["srcset"] == ", ".join(
        f"{data['renditions'][name]['url']} {width}w"
        for name, width in (("thumb", 320), ("small", 640), ("medium", 1024), ("large", 1600))
    )
    assert data["srcset_webp"].count(".webp ") == 4


def test_srcset_lists_each_width_once_when_the_original_is_small(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        image = ingest_image_bytes(jpeg_bytes(size=(500, 400)))
    srcset = ImageSerializer(image).data["srcset"]
    assert [entry.rsplit(" ", 1)[1] for entry in srcset.split(", ")] == ["320w", "500w"]


def test_a_rendition_not_drawn_yet_points_at_the_on_demand_url_with_its_size(photo):
    photo.renditions.filter(spec="medium").delete()
    medium = ImageSerializer(Image.objects.get(pk=photo.pk)).data["renditions"]["medium_webp"]
    assert medium == {"url": f"/renditions/{photo.pk}/medium.webp", "width": 1024, "height": 512, "format": "webp"}


def test_remote_image_not_fetched_yet_has_no_renditions():
    remote = Image.objects.create(source_url="https://img.example/c.jpg")
    data = ImageSerializer(remote).data
    assert data["url"] == "https://img.example/c.jpg"
    assert (data["renditions"], data["srcset"]) == ({}, "")


def test_renditions_cost_no_query_per_image_when_prefetched(many_images, django_assert_num_queries):
    with django_assert_num_queries(2):  # the images, then all their renditions
        images = list(Image.objects.prefetch_related(renditions_prefetch()))
        data = ImageSerializer(images, many=True).data
    assert len(data) == 12
    assert all(len(item["renditions"]) == 10 and item["srcset"] for item in data)


def test_inline_images_of_an_article_cost_a_fixed_number_of_queries(
    article, many_images, django_assert_num_queries
):
    article.cover_image = many_images[0]
    article.save()
    for position, image in enumerate(many_images):
        ArticleImage.objects.create(article=article, image=image, position=position)
    queryset = Article.objects.select_related("cover_image").prefetch_related(
        renditions_prefetch("cover_image"),
        Prefetch("inline_images", queryset=ArticleImage.objects.select_related("image")),
        renditions_prefetch("inline_images__image"),
    )
    with django_assert_num_queries(4):  # articles+cover, cover renditions, inline images, their renditions
        loaded = queryset.get(pk=article.pk)
        cover = ImageSerializer(loaded.cover_image).data
        inline = ImageSerializer([item.image for item in loaded.inline_images.all()], many=True).data
    assert cover["renditions"]["thumb"]["width"] == 320
    assert [item["width"] for item in inline] == [image.width for image in many_images]


def test_an_image_of_an_unknown_format_serialises_without_renditions():
    odd = Image.objects.create(file="images/legacy.bmp", width=10, height=10, format="BMP")
    assert ImageSerializer(odd).data["renditions"] == {}
