"""Recognise site furniture: what a web page adds around the story.

"Read More" with its list of unrelated headlines, "Leave a Reply", "Follow
us:", comment prompts. Two outlets' furniture can share words ("Trump",
"tariff") with each other or with the story; none of it is coverage of the
event, so the aligner never links it.
"""

from __future__ import annotations

import re

from reader.core.sentences import Sentence

# Prompts and labels that stand alone on a line of a news page.
_PROMPT = re.compile(
    r"""^(
        read\ (more|also|next|full\ story)
      | also\ read | see\ also | more\ from\b.* | more\ on\ this\ story
      | related(\ (articles?|stories|news|posts|content|coverage))?
      | (you\ (may|might)\ also\ like) | recommended(\ for\ you)? | trending(\ now)?
      | most\ (read|popular|viewed) | popular | latest(\ news)? | top\ stories | topics | tags
      | leave\ a\ (reply|comment) | write\ a\ comment | post\ a\ comment | add\ a\ comment
      | comments?(\ \(\d+\))? | \d+\ comments? | join\ the\ (conversation|discussion)
      | (you|your)\ comment\ will\ be\ published\b.*
      | your\ email\ address\ will\ not\ be\ published\b.*
      | follow\ us(\ on\b.*)? | share(\ this)?(\ (article|story|post))?(\ on\b.*)?
      | subscribe\b.* | sign\ up\b.* | advertisement | sponsored(\ content)?
      | click\ here\b.* | all\ rights\ reserved\b.* | (©|copyright)\b.*
    )$""",
    re.IGNORECASE | re.VERBOSE,
)

# Headings after which a page lists other stories.
_LIST_HEADING = re.compile(
    r"^(read\ more|also\ read|see\ also|more\ from\b.*|related(\ \w+)?|you\ (may|might)\ also\ like"
    r"|recommended(\ for\ you)?|trending(\ now)?|most\ (read|popular|viewed)|latest(\ news)?"
    r"|top\ stories|topics)$",
    re.IGNORECASE | re.VERBOSE,
)
_LIST_ITEM = re.compile(r"^\s*([-*•·▪►»]|\d+[.)])\s+")


def _bare(text: str) -> str:
    return re.sub(r"[\s:.!?…»›>|-]+$", "", text.strip()).strip()


def furniture_indices(
    text: str, sentences: tuple[Sentence, ...] | list[Sentence]
) -> frozenset[int]:
    """Indices of the sentences that are site furniture rather than story."""
    furniture: set[int] = set()
    in_list = False
    previous_line_end = -1
    for sentence in sentences:
        bare = _bare(sentence.text)
        line_start = text.rfind("\n", 0, sentence.start) + 1
        starts_line = not text[line_start : sentence.start].strip()
        blank_line_before = (
            starts_line and text[max(0, previous_line_end) : line_start].count("\n") > 1
        )
        if (
            in_list
            and starts_line
            and (blank_line_before or not _LIST_ITEM.match(text[line_start : sentence.end]))
        ):
            in_list = False
        if _PROMPT.match(bare):
            furniture.add(sentence.index)
            if _LIST_HEADING.match(bare):
                in_list = True
        elif in_list:
            furniture.add(sentence.index)
        previous_line_end = sentence.end
    return frozenset(furniture)


_SENTENCE_END = re.compile(r"[.!?:;…\"'”’)\]]$")


def heading_indices(text: str, sentences: tuple[Sentence, ...] | list[Sentence]) -> frozenset[int]:
    """Indices of subheadings: short lines of their own without closing punctuation."""
    headings = set()
    for sentence in sentences:
        line_start = text.rfind("\n", 0, sentence.start) + 1
        line_end = text.find("\n", sentence.end)
        line = text[line_start : len(text) if line_end < 0 else line_end]
        if (
            line.strip() == sentence.text
            and len(sentence.text.split()) <= 12
            and not _SENTENCE_END.search(sentence.text)
        ):
            headings.add(sentence.index)
    return frozenset(headings)
