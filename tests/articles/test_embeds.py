"""Embeds: an allow-listed player stays sandboxed, any other video or iframe becomes a link, and the run says so."""

import pytest

from articles.importing import parse
from articles.markdown import render

SANDBOX = 'sandbox="allow-scripts allow-same-origin allow-presentation allow-popups"'


def test_an_allow_listed_player_is_kept_in_a_sandboxed_figure():
    html = render('<iframe src="https://www.youtube.com/embed/abc" title="Launch" onload="x()"></iframe>\n').html
    assert html.startswith('<figure><iframe src="https://www.youtube.com/embed/abc" title="Launch"')
    assert SANDBOX in html and "onload" not in html


@pytest.mark.parametrize(
    ("body", "link"),
    [
        ('<video controls src="https://cdn.example/v.mp4"></video>\n', "https://cdn.example/v.mp4"),
        ('<video controls>\n<source src="https://cdn.example/v.webm" type="video/webm">\n</video>\n',
         "https://cdn.example/v.webm"),
        ('<iframe src="https://maps.example/embed?q=port"></iframe>\n', "https://maps.example/embed?q=port"),
        ('<iframe src="http://www.youtube.com/embed/abc"></iframe>\n', "http://www.youtube.com/embed/abc"),
    ],
)
def test_other_embeds_become_a_link_to_what_they_showed(body, link):
    html = render(body).html
    assert f'<a href="{link.replace("&", "&amp;")}"' in html
    assert "<iframe" not in html and "<video" not in html


@pytest.mark.parametrize("body", [
    '<iframe src="https://evil.example/x">\n',  # unclosed: the sanitiser still sees an iframe
    '<iframe src="javascript:alert(1)"></iframe>\n',
    "<IFRAME SRC='https://evil.example/y' sandbox='allow-top-navigation'></IFRAME>\n",
])
def test_no_iframe_outside_the_allow_list_keeps_a_source(body):
    html = render(body).html
    assert "evil.example/x\"" not in html and "javascript" not in html and "allow-top-navigation" not in html
    assert "<iframe src" not in html


def test_each_embed_gives_a_warning_with_its_line(tmp_path):
    path = tmp_path / "p.md"
    path.write_text("---\ntitle: T\n---\nIntro\n\n<iframe src=\"https://player.vimeo.com/video/1\"></iframe>\n\n"
                    "<video src=\"https://cdn.example/v.mp4\"></video>\n", encoding="utf-8")
    warnings = parse(path, tmp_path).warnings
    assert warnings == [
        f"{path}:6: the <iframe> 'https://player.vimeo.com/video/1' is kept, sandboxed",
        f"{path}:8: the <video> 'https://cdn.example/v.mp4' is not an allow-listed player: a link stands in its place",
    ]
