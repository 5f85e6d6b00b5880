"""Jekyll's Liquid, Hugo's shortcodes and kramdown's attribute lists: resolved where known, else out of the HTML."""

import re

import pytest

from articles.importing import parse
from articles.markdown import render

HIGHLIGHT = "{% highlight ruby linenos %}\n# a comment\nputs 1\n\n# another\n{% endhighlight %}\n"

CASES = [
    # (body, HTML that must be there, text that must not)
    (HIGHLIGHT, ['<pre><code class="language-ruby"># a comment\nputs 1\n\n# another\n</code></pre>'], ["<h1>"]),
    ("{{< highlight go >}}\nfunc main() {}\n{{< /highlight >}}\n", ['<code class="language-go">func main() {}'], []),
    ("{% raw %}Use {{ page.title }} here{% endraw %}\n", ["Use {{ page.title }} here"], ["raw"]),
    ('{{< figure src="https://img.example/a.jpg" alt="Port" caption="The port at dawn. AKP" >}}\n',
     ['<figure><img src="https://img.example/a.jpg" alt="Port"><figcaption>The port at dawn. <small>AKP</small>'],
     ["{{"]),
    ("See {{ site.url }}/about and {% include note.html %} now.\n", ["<p>See /about and  now.</p>"], ["{", "}"]),
    ("{% comment %}\nnot for readers\n{% endcomment %}\nText\n", ["<p>Text</p>"], ["readers"]),
    ("{{< admonition note >}}\nInside\n{{< /admonition >}}\n", ["<p>Inside</p>"], ["{{", "admonition"]),
    ("A lead paragraph.\n{: .lead}\n\n{::options parse_block_html=\"true\" /}\n", ["<p>A lead paragraph.</p>"],
     ["{:", ".lead"]),
    ("```go\n{{ .Title }}\n```\n\nInline `{{ .Content }}` too.\n", ["{{ .Title }}", "<code>{{ .Content }}</code>"], []),
    ("![x]({{ site.baseurl }}/img/a.png)\n", ['<img src="/img/a.png" alt="x">'], ["site"]),
]


@pytest.mark.parametrize(("body", "present", "absent"), CASES, ids=[f"case-{n}" for n in range(len(CASES))])
def test_template_syntax_renders_as_what_it_meant(body, present, absent):
    html = render(body).html
    for fragment in present:
        assert fragment in html
    for fragment in absent:
        assert fragment not in html


def test_a_figure_shortcode_is_an_image_of_the_article_with_its_caption():
    images = render('{{< figure src="https://img.example/a.jpg" caption="Cranes. PAS" >}}\n').images
    assert [(image.url, image.caption, image.credit) for image in images] == [("https://img.example/a.jpg",
                                                                                 "Cranes.", "PAS")]


def test_dropped_tags_give_one_warning_per_file_with_the_first_tags_line(tmp_path):
    path = tmp_path / "p.md"
    path.write_text("---\ntitle: T\n---\nIntro\n\n{% include a.html %} {{ site.url }}\n", encoding="utf-8")
    post = parse(path, tmp_path)
    assert len(post.warnings) == 1
    assert post.warnings[0].startswith(f"{path}:6: ") and "{% include a.html %} and 1 more" in post.warnings[0]
    assert "{% include a.html %}" in post.body_markdown  # the source stays as written


def test_no_real_post_shows_a_template_tag_in_its_prose(real_posts):
    code = re.compile(r"<(pre|code)[^>]*>.*?</\1>", re.DOTALL)  # examples of template syntax stay in code
    shown = {}
    for path in sorted(p for p in real_posts.rglob("*") if p.suffix in (".md", ".markdown") and p.name != "SOURCES.md"):
        post = parse(path, real_posts)
        tags = re.findall(r"\{%|%\}|\{\{|\}\}", code.sub("", post.body_html))
        if tags:
            shown[path.name] = tags
    assert shown == {}
