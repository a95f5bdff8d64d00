"""Any set of tags saves and loads back equal."""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from reader.core.annotations import AnnotationStore, Tag
from reader.core.articles import load_corpus

# Any character a file can hold except surrogates; notes and names are typed
# by people and pasted from anywhere, so control characters are in too.
ANY_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)
ARTICLE_TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\n\t  "),
    min_size=1,
    max_size=400,
)
TIMESTAMP = st.datetimes(min_value=datetime(1000, 1, 1)).map(
    lambda moment: moment.strftime("%Y-%m-%dT%H:%M:%SZ")
) | st.just("")


@st.composite
def tags_on(draw, texts: list[str]) -> list[Tag]:
    tags = []
    for _ in range(draw(st.integers(0, 8))):
        article = draw(st.integers(0, len(texts) - 1))
        text = texts[article]
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start + 1, len(text)))
        tags.append(
            dict(
                article=article,
                start=start,
                end=end,
                label=draw(st.sampled_from(["claim", "context", "opinion"])),
                note=draw(ANY_TEXT),
                annotator=draw(ANY_TEXT),
                created=draw(TIMESTAMP),
                modified=draw(TIMESTAMP),
            )
        )
    return tags


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), texts=st.lists(ARTICLE_TEXT, min_size=1, max_size=3))
def test_any_set_of_tags_saves_and_loads_back_equal(data, texts):
    texts = [text.lstrip("\ufeff") for text in texts]
    assume(all(text.strip() for text in texts))
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        for i, text in enumerate(texts):
            (folder / f"a{i}.txt").write_text(text, encoding="utf-8", newline="")
        corpus = load_corpus(folder)
        assume(len(corpus.articles) == len(texts))
        store = AnnotationStore.open(folder / "annotations.yaml", corpus)
        for spec in data.draw(tags_on([article.text for article in corpus.articles])):
            article = corpus.articles[spec["article"]]
            tag = store.make_tag(
                article.id,
                spec["start"],
                spec["end"],
                spec["label"],
                note=spec["note"],
                annotator=spec["annotator"],
            )
            store.add_tag(
                Tag(**{**tag.__dict__, "created": spec["created"], "modified": spec["modified"]})
            )
        store.save()
        saved = (folder / "annotations.yaml").read_bytes()

        reopened = AnnotationStore.open(folder / "annotations.yaml", corpus)
        assert reopened.all_tags() == store.all_tags()
        assert reopened.problems == ()
        reopened.save()
        assert (folder / "annotations.yaml").read_bytes() == saved
