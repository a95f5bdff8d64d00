from pathlib import Path

import pytest

from reader.core.articles import ArticleError, load_article, load_corpus, load_files

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def test_seed_corpus_loads_all_five_articles_in_file_name_order():
    corpus = load_corpus(SEEDS)
    assert [a.id for a in corpus.articles] == sorted(p.stem for p in SEEDS.glob("*.txt"))
    assert corpus.problems == ()
    article = corpus.article("003_6be4897fac851f08")
    assert article.title.startswith("Russian president Putin receives warm welcome")
    assert article.word_count > 400
    assert article.path.name == "003_6be4897fac851f08.txt"


def test_sentence_offsets_index_the_article_text(tmp_path):
    article = load_article(SEEDS / "004_d641075c740f0b50.txt")
    for sentence in article.sentences:
        assert article.text[sentence.start : sentence.end] == sentence.text
    assert any(s.text == "Read More" for s in article.sentences)


def test_bom_is_stripped_and_newlines_normalized(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeffHeadline\r\nFirst line.\rSecond line.\r\n".encode("utf-8"))
    article = load_article(path)
    assert article.text == "Headline\nFirst line.\nSecond line.\n"
    assert article.title == "Headline"
    assert article.warnings == ()


def test_invalid_utf8_falls_back_to_cp1252_with_a_warning(tmp_path):
    path = tmp_path / "legacy.txt"
    path.write_bytes("Caf\u00e9 \u201cquoted\u201d".encode("cp1252"))
    article = load_article(path)
    assert article.text == "Caf\u00e9 \u201cquoted\u201d"
    assert len(article.warnings) == 1
    assert "cp1252" in article.warnings[0] or "Windows-1252" in article.warnings[0]


def test_one_latin1_line_does_not_garble_the_utf8_lines_around_it(tmp_path):
    path = tmp_path / "mixed.txt"
    lines = [
        "Caf\u00e9 owners meet",
        "\u201cWe are na\u00efve,\u201d one said.",
        "M\u00fcller in Z\u00fcrich \u00e0 la carte",  # written by a Latin-1 editor
        "Fin \u2014 end",
    ]
    raw = b"\r\n".join(
        line.encode("cp1252") if number == 3 else line.encode("utf-8")
        for number, line in enumerate(lines, start=1)
    )
    path.write_bytes(raw)
    article = load_article(path)
    assert article.text == "\n".join(lines)
    assert len(article.warnings) == 1
    warning = article.warnings[0]
    assert "line 3" in warning and ("cp1252" in warning or "Windows-1252" in warning)


def test_many_latin1_lines_are_named_in_a_short_warning(tmp_path):
    path = tmp_path / "legacy.txt"
    path.write_bytes(b"\n".join("Line %d caf\u00e9".encode("cp1252") % n for n in range(1, 501)))
    article = load_article(path)
    assert article.text.splitlines()[499] == "Line 500 caf\u00e9"
    (warning,) = article.warnings
    assert "lines 1, 2, 3" in warning and "500 lines" in warning
    assert len(warning) < 200


def test_html_article_is_its_visible_text(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(
        "<html><head><title>Tab</title><style>p{}</style><script>var x = 1;</script></head>"
        "<body><h1>Putin &amp; Kim</h1><p>They met on the <b>tarmac</b>.</p><p>Then talks.</p></body></html>",
        encoding="utf-8",
    )
    article = load_article(path)
    assert article.title == "Putin & Kim"
    assert "var x" not in article.text and "Tab" not in article.text
    assert [s.text for s in article.sentences] == [
        "Putin & Kim",
        "They met on the tarmac.",
        "Then talks.",
    ]


@pytest.mark.parametrize(
    "make, reason",
    [
        (lambda p: p.write_bytes(b"\x00\x01\x02binary\x00"), "binary"),
        (lambda p: p.write_bytes(b""), "empty"),
    ],
)
def test_bad_files_are_reported_by_name_and_the_rest_still_loads(tmp_path, make, reason):
    (tmp_path / "good.txt").write_text("A headline\nSome story text.", encoding="utf-8")
    bad = tmp_path / "bad.txt"
    make(bad)
    corpus = load_corpus(tmp_path)
    assert [a.id for a in corpus.articles] == ["good"]
    assert len(corpus.problems) == 1
    assert corpus.problems[0].path == bad
    assert reason in corpus.problems[0].reason
    assert "bad.txt" in str(corpus.problems[0])


def test_unreadable_file_is_a_problem_not_a_crash(tmp_path, monkeypatch):
    (tmp_path / "good.txt").write_text("Fine.", encoding="utf-8")
    locked = tmp_path / "locked.txt"
    locked.write_text("secret", encoding="utf-8")
    import reader.core.articles as articles

    original = articles.read_regular_file

    def read_regular_file(path, *args):
        # chmod 000 does not stop root, who may run the tests: fail the read instead
        if Path(path).name == "locked.txt":
            raise PermissionError(13, "Permission denied")
        return original(path, *args)

    monkeypatch.setattr(articles, "read_regular_file", read_regular_file)
    corpus = load_corpus(tmp_path)
    assert [a.id for a in corpus.articles] == ["good"]
    assert "Permission denied" in corpus.problems[0].reason


def test_missing_file_and_folder_raise_a_message_naming_them(tmp_path):
    with pytest.raises(ArticleError, match=r"nowhere\.txt: no such file"):
        load_article(tmp_path / "nowhere.txt")
    with pytest.raises(ArticleError, match="is a folder"):
        load_article(tmp_path)
    with pytest.raises(ArticleError, match="no such folder"):
        load_corpus(tmp_path / "missing")


def test_load_files_sorts_by_name_and_ignores_other_suffixes_only_for_folders(tmp_path):
    for name in ("b.md", "a.txt"):
        (tmp_path / name).write_text(f"{name} title\nBody.", encoding="utf-8")
    (tmp_path / "notes.yaml").write_text("x: 1", encoding="utf-8")
    assert [a.id for a in load_corpus(tmp_path).articles] == ["a", "b"]
    corpus = load_files([tmp_path / "b.md", tmp_path / "a.txt"])
    assert [a.id for a in corpus.articles] == ["a", "b"]
    assert corpus.folder == tmp_path
