"""parse(): one file -> ParsedPost, pure; every bad input is one `PATH:LINE: message`."""

from datetime import UTC, datetime

import pytest

from articles.importing import ImportOptions, PostError, parse
from articles.importing.fields import parse_date, title_from_file_name
from articles.importing.run import find_files
from articles.markdown import split_credit

SAMPLE = "2024-11-11-jan-oct-international-trade-almost-matches-2023-total.md"


def write(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


def test_sample_maps_to_the_expected_fields(samples):
    post = parse(samples / SAMPLE, samples)
    assert post.code == "ART2411111106IYO003"
    assert post.import_key == "code:ART2411111106IYO003"
    assert post.title == "Jan-Oct international trade almost matches 2023 total"
    assert post.category.slug == "business" and post.category.name == "Business"
    assert post.language == "en"
    assert post.published_at == datetime(2024, 11, 11, 11, 15, 24, 197000, tzinfo=UTC)
    assert post.status == "published"
    assert post.layout == "post"
    assert post.origin_url.startswith("https://www.phnompenhpost.com/business/jan-oct")
    assert post.cover.url == "https://github.com/user-attachments/assets/679f9e74-e265-414e-bfa8-8cad6e64c5c0"
    assert len(post.images) == 1
    image = post.images[0]
    assert image.url == "https://github.com/user-attachments/assets/feebef65-5542-4888-a4d7-9c17acbbf4b6"
    assert image.caption.endswith("the Kingdom’s busiest port.") and image.credit == "PAS"
    assert post.extra == {}
    assert post.body_markdown.startswith("\n# Jan-Oct international trade")
    assert "<h1>" not in post.body_html and "<figure>" in post.body_html


def test_title_and_date_come_from_a_jekyll_file_name(tmp_path):
    post = parse(write(tmp_path, "2016-05-20-my-example-post.md", "---\nlayout: post\n---\nHello there.\n"), tmp_path)
    assert post.title == "My Example Post"
    assert post.published_at == datetime(2016, 5, 20, tzinfo=UTC)
    assert post.description == "Hello there."
    assert post.import_key == "path:2016-05-20-my-example-post.md"
    assert title_from_file_name("index.md") is None


def test_toml_front_matter_with_tables_and_categories(tmp_path):
    post = parse(write(tmp_path, "post.md", '+++\ntitle = "T"\ndate = 2020-09-21\ncategories = ["a", "b"]\n'
                       'tags = ["x"]\n[extra]\nteam = "core"\n+++\nBody\n'), tmp_path)
    assert (post.title, post.category.slug, [t.slug for t in post.tags]) == ("T", "a", ["b", "x"])
    assert post.published_at == datetime(2020, 9, 21, tzinfo=UTC)
    assert post.extra == {"extra": {"team": "core"}}


def test_unmodelled_keys_go_to_extra_untouched_and_dates_stay_text(tmp_path):
    post = parse(write(tmp_path, "p.md", "---\ntitle: T\nteam: [A, B]\nlast_modified_at: 2017-03-09T12:43:31-05:00\n"
                       "toc: {enable: false}\n---\n"), tmp_path)
    assert post.extra == {"team": ["A", "B"], "last_modified_at": "2017-03-09T12:43:31-05:00",
                          "toc": {"enable": False}}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-11-11T11:15:24.197Z", datetime(2024, 11, 11, 11, 15, 24, 197000, tzinfo=UTC)),
        ("2016-10-06 11:10:38 -0700", datetime(2016, 10, 6, 18, 10, 38, tzinfo=UTC)),
        ("2017-04-25T17:53:58-04:00", datetime(2017, 4, 25, 21, 53, 58, tzinfo=UTC)),
        ("2019-01-11 22:13", datetime(2019, 1, 11, 22, 13, tzinfo=UTC)),
        ("2017-08-07", datetime(2017, 8, 7, tzinfo=UTC)),
    ],
)
def test_date_forms_are_stored_in_utc(raw, expected):
    assert parse_date(raw) == expected


def test_drafts_and_undated_posts_are_drafts_and_status_option_wins(tmp_path):
    drafted = write(tmp_path, "a.md", "---\ntitle: A\ndate: 2020-01-01\ndraft: true\n---\n")
    assert parse(drafted, tmp_path).status == "draft"
    undated = parse(write(tmp_path, "b.md", "---\ntitle: B\n---\n"), tmp_path)
    assert (undated.status, undated.published_at) == ("draft", None)
    future = write(tmp_path, "c.md", "---\ntitle: C\ndate: 9999-12-31\n---\n")
    assert parse(future, tmp_path).status == "draft"
    assert parse(future, tmp_path, ImportOptions(status="published")).status == "published"


def test_categories_list_first_is_category_rest_are_tags(tmp_path):
    post = parse(write(tmp_path, "p.md", "---\ntitle: T\ncategories: [Blogging, Demo]\ntags: [typography]\n---\n"),
                 tmp_path)
    assert (post.category.slug, post.category.name) == ("blogging", "Blogging")
    assert [t.name for t in post.tags] == ["Demo", "typography"]
    single = parse(write(tmp_path, "r.md", "---\ntitle: T\ncategory: Edge Case\n---\n"), tmp_path)
    assert (single.category.slug, single.tags) == ("edge-case", [])
    spaced = parse(write(tmp_path, "q.md", "---\ntitle: T\ncategories: misc junk\n---\n"), tmp_path)
    assert spaced.category.slug == "misc" and [t.slug for t in spaced.tags] == ["junk"]


def test_category_map_renames_source_categories(tmp_path):
    path = write(tmp_path, "p.md", "---\ntitle: T\ncategory: BUSINESS\n---\n")
    assert parse(path, tmp_path, ImportOptions(category_map={"business": "economy"})).category.slug == "economy"


def test_language_is_normalised_and_defaults_from_hugo_file_names(tmp_path, settings):
    assert parse(write(tmp_path, "p.md", "---\ntitle: T\nlang: zh_Hant\n---\n"), tmp_path).language == "zh-hant"
    assert parse(write(tmp_path, "index.zh-cn.md", "---\ntitle: T\n---\n"), tmp_path).language == "zh-cn"
    assert parse(write(tmp_path, "q.md", "---\ntitle: T\n---\n"), tmp_path).language == settings.LANGUAGE_CODE


def test_relative_images_stay_in_the_body_and_are_not_image_records(tmp_path):
    post = parse(write(tmp_path, "p.md", "---\ntitle: T\nimage: /img/cover.png\n---\n![a](/img/x.png)\n\n"
                       "![b](https://img.example/y.png)\n"), tmp_path)
    assert post.cover is None and post.extra == {"image": "/img/cover.png"}
    assert [image.url for image in post.images] == ["https://img.example/y.png"]


def test_raw_html_and_scripts_are_sanitised(tmp_path):
    post = parse(write(tmp_path, "p.md", "---\ntitle: T\n---\n<script>alert(1)</script>\n\n"
                       '<img src=x onerror="alert(1)">\n\n[x](javascript:alert(1))\n'), tmp_path)
    for forbidden in ("<script", "onerror", 'href="javascript'):
        assert forbidden not in post.body_html
    assert "<script>alert(1)</script>" in post.body_markdown  # stored verbatim, never rendered raw


@pytest.mark.parametrize(
    ("caption", "expected"),
    [
        ("Cranes at the port. PAS", ("Cranes at the port.", "PAS")),
        ("Students at work. Photo: Newsroom Staff", ("Students at work.", "Photo: Newsroom Staff")),
        ("Traders at the quay. Hong Menea/AFP", ("Traders at the quay.", "Hong Menea/AFP")),
        ("Just a caption.", ("Just a caption.", "")),
        ("A caption with no full stop", ("A caption with no full stop", "")),
        ("Prices rose. and then they fell", ("Prices rose. and then they fell", "")),
    ],
)
def test_trailing_credit_is_split_from_the_caption(caption, expected):
    assert split_credit(caption) == expected


BAD_INPUTS = [
    ("no_front_matter", "# Just a title\n\nBody\n", 1, "no front matter"),
    ("unterminated", "---\ntitle: T\nbody without end\n", 1, "unterminated front matter"),
    ("yaml_syntax", "---\ntitle: T\ndate: [2024\n---\nBody\n", 4, "YAML syntax error"),
    ("not_a_mapping", "---\n- a\n- b\n---\nBody\n", 2, "must be a mapping"),
    ("scalar_front_matter", "---\njust text\n---\n", 2, "must be a mapping"),
    ("alias_bomb", "---\ntitle: T\na: &a [x, x, x]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b]\n---\n", 3, "aliases"),
    ("python_tag", "---\ntitle: !!python/object/apply:os.system [echo hi]\n---\n", 2, "tag"),
    ("binary_tag", "---\ntitle: T\nblob: !!binary aGVsbG8=\n---\n", 3, "tag"),
    ("custom_tag", "---\ntitle: !secret T\n---\n", 2, "tag"),
    ("toml_syntax", "+++\ntitle = \"T\"\ndate = = 3\n+++\n", 3, "TOML syntax error"),
    ("missing_title", "---\nlayout: post\n---\nBody\n", 1, "missing title"),
    ("bad_date", "---\ntitle: T\ndate: 2023-01-29 18:30:22 2022 -0800\n---\n", 3, "unparsable date"),
    ("bad_language", "---\ntitle: T\nlanguage: english!\n---\n", 3, "invalid language tag"),
    ("ftp_origin", "---\ntitle: T\norigin_url: ftp://example.com/a\n---\n", 3, "origin_url must be an http(s) URL"),
    ("js_origin", "---\ntitle: T\norigin_url: javascript:alert(1)\n---\n", 3, "origin_url must be an http(s) URL"),
    ("ftp_cover", "---\ntitle: T\nimage: ftp://example.com/a.png\n---\n", 3, "image URL must be an http(s) URL"),
    ("nul_character", "---\ntitle: T\n---\nA\0B\n", 4, "NUL character"),
    ("bad_code", "---\ntitle: T\ncode: ART241111110IYO003\n---\n", 3, "ART2411111106IYO003"),
]


@pytest.mark.parametrize(("name", "content", "line", "message"), BAD_INPUTS, ids=[case[0] for case in BAD_INPUTS])
def test_bad_input_is_one_path_line_message(tmp_path, name, content, line, message):
    path = write(tmp_path, f"{name}.md", content)
    with pytest.raises(PostError) as caught:
        parse(path, tmp_path)
    assert str(caught.value).startswith(f"{path}:{line}: ")
    assert message in str(caught.value)


def test_non_utf8_bytes_are_reported_at_their_line(tmp_path):
    path = write(tmp_path, "latin1.md", b"---\ntitle: T\n---\nCaf\xe9\n")
    with pytest.raises(PostError, match=rf"^{path}:4: not valid UTF-8"):
        parse(path, tmp_path)


def test_file_over_the_size_limit_is_refused_unread(tmp_path, settings):
    settings.IMPORT_MAX_FILE_BYTES = 100
    path = write(tmp_path, "big.md", "---\ntitle: T\n---\n" + "x" * 200)
    with pytest.raises(PostError, match=rf"^{path}:1: the file is larger than the 100-byte limit"):
        parse(path, tmp_path)


def test_a_file_of_exactly_the_size_limit_is_read_whole(tmp_path, settings):
    content = "---\ntitle: T\n---\n" + "x" * 83
    settings.IMPORT_MAX_FILE_BYTES = len(content)
    assert parse(write(tmp_path, "edge.md", content), tmp_path).body_markdown == "x" * 83


def test_folders_are_searched_recursively_in_path_order_skipping_hidden_and_other_files(tmp_path):
    for name in ["b.md", "a/z.md", "a/b/c.markdown", "a/NOTES.MD", "readme.txt", ".hidden.md", ".drafts/x.md",
                 "a/.git/y.md", "elsewhere/d.md"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("---\ntitle: T\n---\n")
    root = tmp_path / "root"
    (tmp_path / "a").rename(root)
    (tmp_path / "b.md").rename(root / "b.md")
    (root / "linked.md").symlink_to(tmp_path / "elsewhere" / "d.md")  # a linked file is read
    (root / "linked-folder").symlink_to(tmp_path / "elsewhere")  # a linked folder is not entered
    (root / "not-markdown").mkdir()
    found = find_files([root, tmp_path / "readme.txt"])
    assert [(file.relative_to(tmp_path).as_posix(), folder) for file, folder in found] == [
        ("root/NOTES.MD", root), ("root/b/c.markdown", root), ("root/b.md", root), ("root/linked.md", root),
        ("root/z.md", root), ("readme.txt", tmp_path),
    ]
    with pytest.raises(FileNotFoundError, match="missing: no such file or folder"):
        find_files([tmp_path / "missing"])


def test_front_matter_over_its_size_cap_is_refused(tmp_path, settings):
    settings.IMPORT_MAX_FRONT_MATTER_BYTES = 50
    path = write(tmp_path, "fm.md", "---\ntitle: T\nnotes: " + "y" * 100 + "\n---\n")
    with pytest.raises(PostError, match=rf"^{path}:1: front matter is larger than 50 bytes"):
        parse(path, tmp_path)


def test_deeply_nested_front_matter_is_refused(tmp_path):
    path = write(tmp_path, "deep.md", "---\ntitle: T\nx: " + "[" * 50 + "]" * 50 + "\n---\n")
    with pytest.raises(PostError, match="nested more than"):
        parse(path, tmp_path)


def test_blank_lines_before_front_matter_and_dashes_in_values_are_fine(tmp_path):
    post = parse(write(tmp_path, "p.md", '\n---\ntitle: "A&nbsp;---&nbsp;B"\n---\nBody\n'), tmp_path)
    assert post.title == "A&nbsp;---&nbsp;B"


def test_every_real_post_parses(real_posts):
    failures = {}
    files = sorted(p for p in real_posts.rglob("*") if p.suffix in (".md", ".markdown") and p.name != "SOURCES.md")
    assert len(files) == 76
    for path in files:
        try:
            parse(path, real_posts)
        except PostError as exc:
            failures[path.relative_to(real_posts).as_posix()] = str(exc)
    assert failures == {}


def test_crlf_line_endings_and_a_bom_are_accepted_and_the_body_kept_verbatim(tmp_path):
    path = write(tmp_path, "p.md", "\ufeff---\r\ntitle: T\r\ndate: 2020-01-02\r\n---\r\nLine one.\r\n")
    post = parse(path, tmp_path)
    assert (post.title, post.body_markdown) == ("T", "Line one.\r\n")
    assert post.published_at == datetime(2020, 1, 2, tzinfo=UTC)


def test_front_matter_scalars_keep_their_yaml_types_and_a_repeated_key_keeps_its_last_value(tmp_path):
    post = parse(write(tmp_path, "p.md", "---\ntitle: T\ncount: 0x1F\nratio: 1.5\nflag: yes\nnone: ~\nquoted: '7'\n"
                       "nested: {list: [1, 'a', null, [true]]}\nrepeat: 1\nrepeat: 2\n---\n"), tmp_path)
    assert post.extra == {"count": 31, "ratio": 1.5, "flag": True, "none": None, "quoted": "7",
                          "nested": {"list": [1, "a", None, [True]]}, "repeat": 2}


@pytest.mark.parametrize(("content", "line", "message"), [
    ("---\ntitle: T\nbase: {a: 1}\nmerged:\n  <<: {b: 2}\n---\n", 5, "tag"),
    ("---\ntitle: T\n? [a, b]\n: value\n---\n", 3, "keys must be plain strings"),
    ("---\ntitle: T\nlinks: [&x a, *x]\n---\n", 3, "aliases"),
])
def test_merge_keys_complex_keys_and_scalar_aliases_are_refused(tmp_path, content, line, message):
    path = write(tmp_path, "p.md", content)
    with pytest.raises(PostError) as caught:
        parse(path, tmp_path)
    assert str(caught.value).startswith(f"{path}:{line}: ") and message in str(caught.value)


def test_identity_path_is_relative_to_the_resolved_root_and_a_file_outside_it_keeps_its_name(tmp_path):
    (tmp_path / "real" / "news").mkdir(parents=True)
    (tmp_path / "link").symlink_to(tmp_path / "real")
    inside = write(tmp_path / "real" / "news", "p.md", "---\ntitle: T\n---\n")
    assert parse(tmp_path / "link" / "news" / "p.md", tmp_path / "link").import_key == "path:news/p.md"
    assert parse(inside, tmp_path / "real" / "new").import_key == "path:p.md"  # a prefix of a name is not a folder
