"""Inline images: an image paragraph followed by a caption paragraph renders as a <figure>, credit split off."""

import pytest

from articles.markdown import render, render_markdown

BODY = (
    "# Title\n\nIntro.\n\n![Cranes](https://img.example/a.jpg \"Port\")\n\n"
    "Cranes at the port, the *busiest* one. PAS\n\nMore text.\n\n"
    "![](https://img.example/b.jpg)\n\n![](https://img.example/c.jpg)\n\nText with ![inline](https://img.example/d.jpg).\n"
)


def test_image_followed_by_a_caption_paragraph_renders_as_a_figure_with_credit():
    html = render_markdown(BODY, "Title")
    assert (
        '<figure><img src="https://img.example/a.jpg" alt="Cranes" title="Port"><figcaption>'
        "Cranes at the port, the <em>busiest</em> one. <small>PAS</small></figcaption></figure>"
    ) in html
    assert "<h1>" not in html and "<p>More text.</p>" in html


def test_an_image_followed_by_another_image_is_not_a_caption():
    html = render_markdown(BODY)
    assert '<p><img src="https://img.example/b.jpg" alt=""></p>' in html
    assert '<figure><img src="https://img.example/c.jpg" alt=""><figcaption>Text with' in html


def test_inline_images_are_extracted_in_order_with_caption_credit_and_line():
    images = render(BODY).images
    assert [image.url for image in images] == [f"https://img.example/{n}.jpg" for n in "abcdd"[:4]]
    first = images[0]
    assert (first.alt, first.caption, first.credit, first.line) == (
        "Cranes", "Cranes at the port, the *busiest* one.", "PAS", 5,
    )
    assert images[1].caption == "" and images[3].caption == ""


def test_captions_cannot_smuggle_markup():
    html = render_markdown(
        '![](https://img.example/a.jpg)\n\nA <b onclick="x()">quay</b> <script>alert(1)</script>. AFP\n'
    )
    assert "<figure>" in html and "<small>AFP</small>" in html
    assert "<script" not in html and "onclick" not in html


LONG = ("The ferry service resumed on Monday after a month of repairs, and " * 4).strip()


@pytest.mark.parametrize(
    ("body", "caption"),
    [
        ("![p](https://img.example/a.jpg)\n\nCranes at the port. PAS\n", "Cranes at the port."),
        (f"![p](https://img.example/a.jpg)\n\n{LONG}\n", None),  # a long paragraph is the story going on
        (f"![p](https://img.example/a.jpg)\n\n*{LONG}*\n", LONG),  # marked by emphasis
        (f'![p](https://img.example/a.jpg "Port")\n\n{LONG}\n', LONG),  # an image with a title
    ],
)
def test_a_caption_is_short_or_marked(body, caption):
    rendered = render(body)
    assert ("<figcaption>" in rendered.html) is (caption is not None)
    assert rendered.images[0].caption.strip("*") == (caption or "")
    if caption is None:
        assert f"<p>{LONG}</p>" in rendered.html


def test_raw_img_tags_are_images_of_the_article_in_reading_order():
    body = ('Text <img src="https://img.example/a.png" alt="A"> then ![b](https://img.example/b.png)\n\n'
            '<p>\n<img title="C" src=\'https://img.example/c.png\'>\n</p>\n')
    assert [(image.url, image.alt, image.title, image.line) for image in render(body).images] == [
        ("https://img.example/a.png", "A", "", 1), ("https://img.example/b.png", "b", "", 1),
        ("https://img.example/c.png", "", "C", 4),
    ]
