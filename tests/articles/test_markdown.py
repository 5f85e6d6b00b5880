import re

import pytest

from articles.markdown import render_markdown

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    '<img src="x.png" onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<a href="javascript&#58;alert(1)">x</a>',
    "<!-- <script>alert(1)</script> -->",
    "<div><p>unclosed <b>nesting</div><script>alert(1)</script>",
    '<svg onload="alert(1)"><circle/></svg>',
    '<iframe src="https://evil.example"></iframe>',
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<a href="https://ok.example" onclick="alert(1)">ok</a>',
    "<style>body{display:none}</style>",
    '<object data="evil.swf"></object>',
]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_dangerous_markup_never_survives(payload):
    html = render_markdown(payload).lower()
    for forbidden in ["<script", "onerror=", "onload=", "onclick=", "<!--", "<iframe", "<svg", "<style", "<object",
                      "style="]:
        assert forbidden not in html
    for url in re.findall(r'(?:href|src)="([^"]*)"', html):
        assert url.startswith(("https:", "http:", "mailto:")) or "://" not in url and ":" not in url


def test_safe_markup_is_kept():
    html = render_markdown(
        "## Heading\n\nSome *em* and [a link](https://example.com) and [mail](mailto:desk@example.com).\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n> quote\n\n```\ncode\n```\n\n![alt](https://img.example/x.jpg)"
    )
    assert "<h2>Heading</h2>" in html
    assert '<a href="https://example.com" rel="noopener noreferrer nofollow">a link</a>' in html
    assert 'href="mailto:desk@example.com"' in html
    assert "<table>" in html and "<td>1</td>" in html
    assert "<blockquote>" in html and "<pre><code>code" in html
    assert '<img src="https://img.example/x.jpg" alt="alt">' in html


def test_leading_title_heading_is_not_repeated():
    assert "<h1>" not in render_markdown("# My Title\n\nBody", title="My Title")
    assert "<h1>Another</h1>" in render_markdown("# Another\n\nBody", title="My Title")
