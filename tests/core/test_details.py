"""The names and numbers two independent reports of one event share."""

from __future__ import annotations

from reader.core.details import details


def test_names_are_runs_of_capitalised_words_and_numbers_are_digits_however_written():
    found = details(
        [
            "Oscar Holler, the president of Thornia, landed in Norstead on Saturday.",
            "Officials said twelve people and 1,200 cattle died on March 4.",
        ]
    )
    assert {"oscar holler", "thornia", "norstead", "#12", "#1200", "#4"} <= found
    # A capitalised word opening a sentence is any word; days and months are every report's.
    assert not found & {"officials", "saturday", "march", "oscar", "holler"}


def test_a_number_in_words_and_in_digits_is_one_detail():
    assert details(["Twelve were hurt."]) == details(["Police said 12 were hurt."]) == {"#12"}


def test_names_in_other_scripts_and_with_accents_are_names():
    found = details(["They met Łukasz Nowak and Ёлка Иванова in Zürich."])
    assert {"łukasz nowak", "ёлка иванова", "zürich"} <= found
