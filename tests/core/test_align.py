from pathlib import Path

import pytest

from reader.core.align import COPIED, RELATED, Aligner, AlignmentCancelled, align
from reader.core.articles import article_from_text, load_corpus
from reader.core.words import everyday_phrases

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(SEEDS)


@pytest.fixture(scope="module")
def seed_links(corpus):
    aligner = Aligner(corpus.articles)
    a, b = corpus.article("003_6be4897fac851f08"), corpus.article("004_d641075c740f0b50")
    return a, b, aligner.align(a, b)


def test_links_are_consistent_with_sentences_and_text(seed_links):
    a, b, links = seed_links
    assert links
    for link in links:
        assert 0 <= link.score <= 1
        assert link.a_span == (
            a.sentences[link.a_sentences[0]].start,
            a.sentences[link.a_sentences[1]].end,
        )
        assert link.b_span == (
            b.sentences[link.b_sentences[0]].start,
            b.sentences[link.b_sentences[1]].end,
        )
        for a_offset, b_offset, length in link.matches:
            assert link.a_span[0] <= a_offset and a_offset + length <= link.a_span[1]
            assert link.b_span[0] <= b_offset and b_offset + length <= link.b_span[1]
            same = [
                t[o : o + length].lower().replace("’", "'")
                for t, o in ((a.text, a_offset), (b.text, b_offset))
            ]
            assert same[0] == same[1]
    assert [link.a_span for link in links] == sorted(link.a_span for link in links)


def test_copied_wire_wording_is_reported_word_for_word(seed_links):
    a, _b, links = seed_links
    copied = {a.text[o : o + n] for link in links for o, _, n in link.matches}
    assert any("Orthodox Church of the Life-Giving Trinity in Pyongyang" in run for run in copied)
    assert any(
        "Foreign Minister Sergei Lavrov, and Deputy Prime Minister Alexander Novak" in run
        for run in copied
    )


def test_read_more_headlines_link_to_nothing(corpus):
    aligner = Aligner(corpus.articles)
    b = corpus.article("004_d641075c740f0b50")
    start = b.text.index("Read More")
    end = b.text.index("Qatar plans 10-year residency visa")
    body_links = 0
    for a in corpus.articles:
        if a is b:
            continue
        for link in aligner.align(a, b, threshold=0.1):
            assert link.b_span[1] <= start or link.b_span[0] >= end, (a.id, link)
            body_links += 1
    # The story above the list does link at this threshold: the test looks at real links.
    assert body_links >= 3
    # And a headline of the list, told as a story's own sentence, would link too:
    # it is where it stands, not what it says, that keeps the list out.
    headline = b.text[start:end].splitlines()[1].lstrip("- ").strip()
    assert len(headline.split()) >= 6
    story = article_from_text(f"Some news first.\n{headline}\nOther news after.", "story")
    retold = article_from_text(f"A wire said: {headline}\nAnd then the weather.", "retold")
    assert Aligner([*corpus.articles, story, retold]).align(story, retold, threshold=0.1)


def test_a_moved_paragraph_is_found_at_its_new_place():
    first = "The delegation includes Defence Minister Andrei Belousov and Foreign Minister Sergei Lavrov."
    second = "A parade in Kim Il Sung Square and a concert are planned for the evening."
    filler_a = "Weather in the capital was mild with light rain expected overnight."
    filler_b = "Markets in Seoul closed higher on strong technology earnings today."
    a = article_from_text(f"{first}\n{filler_a}\n{second}", "a")
    b = article_from_text(f"{second}\n{filler_b}\n{first}", "b")
    links = align(a, b)
    pairs = {(link.a_sentences, link.b_sentences) for link in links}
    assert pairs == {((0, 0), (2, 2)), ((2, 2), (0, 0))}


def test_a_sentence_split_in_two_links_to_both_halves():
    a = article_from_text(
        "Putin will stay at the Kumsusan guesthouse in Pyongyang, where Chinese leader Xi Jinping stayed in 2019.\n"
        "Unrelated closing remarks about regional weather patterns follow here.",
        "a",
    )
    b = article_from_text(
        "Putin will stay at the Kumsusan guesthouse in Pyongyang. "
        "Chinese leader Xi Jinping stayed there in 2019.\n"
        "Sports results from the weekend league are listed below.",
        "b",
    )
    links = align(a, b)
    assert [(link.a_sentences, link.b_sentences) for link in links] == [((0, 0), (0, 1))]


def test_words_every_article_uses_do_not_link_on_their_own():
    texts = [
        "Putin visited North Korea to discuss weapons and grain.",
        "Putin praised North Korea for its football team yesterday.",
        "North Korea and Putin appear in every story of this corpus.",
        "Putin and North Korea again, with fishing quotas this time.",
    ]
    retold = "Officials said Putin visited North Korea to discuss weapons and grain."
    articles = [article_from_text(t, f"t{i}") for i, t in enumerate([*texts, retold])]
    aligner = Aligner(articles)
    assert aligner.align(articles[0], articles[1]) == []
    # The same sentence with its rare words (visit, weapons, grain) does link: the
    # aligner is not simply silent on short texts.
    assert aligner.align(articles[0], articles[4])


def _linked_chars(links):
    return len({offset for link in links for offset in range(*link.a_span)})


def test_a_higher_threshold_links_less_and_one_keeps_only_identical_passages(corpus):
    aligner = Aligner(corpus.articles)
    a, b = corpus.article("003_6be4897fac851f08"), corpus.article("004_d641075c740f0b50")
    coverage = [
        _linked_chars(aligner.align(a, b, threshold=t, kinds=("copied",)))
        for t in (0.2, 0.35, 0.6, 0.9)
    ]
    assert coverage == sorted(coverage, reverse=True) and coverage[0] > coverage[-1]
    assert aligner.align(a, b, threshold=1.0) == []
    assert aligner.align(a, a, threshold=1.0)


def test_empty_article_aligns_to_nothing(corpus):
    empty = article_from_text("", "empty")
    assert align(empty, corpus.articles[0]) == []


def test_progress_is_reported_and_cancel_stops_the_work():
    text = "\n".join(
        f"Sentence number {i} mentions item{i} and item{i + 1} together." for i in range(600)
    )
    a, b = article_from_text(text, "a"), article_from_text(text, "b")
    aligner = Aligner([a, b])
    seen = []
    aligner.align(a, b, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (600, 600) and len(seen) > 2
    with pytest.raises(AlignmentCancelled):
        aligner.align(a, b, cancelled=lambda: True)


def test_a_link_sharing_only_names_is_related_and_one_sharing_a_phrase_is_copied():
    a = article_from_text(
        "Doctors at St. Aldric Hospital treated eleven people after the bridge gave way.\n\n"
        "The mayor cancelled her trip abroad and returned to the town on Sunday morning.\n\n"
        "Engineers had warned the council about rust on the main girders last spring.\n",
        "a",
    )
    b = article_from_text(
        "The council had been warned about rust on the main girders last spring.\n\n"
        "Traffic will use the ferry crossing until a temporary span is built by the army.\n\n"
        "Eleven injured people were taken to St. Aldric Hospital when the bridge fell.\n",
        "b",
    )
    links = Aligner([a, b]).align(a, b, sentence_model=False)
    kinds = {(link.a_sentences, link.b_sentences): link.kind for link in links}
    assert kinds == {((0, 0), (2, 2)): RELATED, ((2, 2), (0, 0)): COPIED}
    # --kind copied (the CLI, the map's copied share) follows the link's kind
    copied = Aligner([a, b]).align(a, b, kinds=(COPIED,))
    assert [link.a_sentences for link in copied] == [(2, 2)]


def test_everyday_phrases_leave_out_names_and_stopword_runs():
    shared = everyday_phrases("Staff at the Harbour Workers' Union said in the city that") & (
        everyday_phrases("The Harbour Workers' Union met in the city on Monday")
    )
    assert shared == set()
    assert ("animated", "discussions", "on") in everyday_phrases(
        "They engaged in animated discussions on the tarmac."
    )
    # five words in a row are copied whatever they are: a list of titles and names
    assert ("foreign", "minister", "sergei", "lavrov", "and") in everyday_phrases(
        "Foreign Minister Sergei Lavrov, and others"
    )
