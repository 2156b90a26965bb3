"""The free-text rules every service shares (marketplace.core.text): one list-of-items rule for the
application's materials and attachments and the evidence letter's items."""

import pytest

from marketplace.core.errors import Invalid
from marketplace.core.text import clean_items

LIMITS = {"field": "items", "max_items": 3, "max_length": 5}


def test_items_are_trimmed_unique_and_in_the_order_given():
    assert clean_items([" 身份证 ", "户口本", "身份证"], **LIMITS) == ["身份证", "户口本"]


def test_no_items_is_an_empty_list_unless_required():
    assert clean_items(None, **LIMITS, required=False) == []
    assert clean_items([], **LIMITS, required=False) == []


@pytest.mark.parametrize(
    ("values", "code"),
    [
        ("身份证", "invalid"),  # not a list
        ({"a": 1}, "invalid"),
        (["a", "b", "c", "d"], "max_length"),  # more items than max_items
        (["a", " "], "invalid"),  # a blank item
        (["a", 7], "invalid"),  # not text
        (["abcdef"], "max_length"),  # an item longer than max_length
        ([], "required"),
        (None, "required"),
        (["  "], "invalid"),
    ],
)
def test_bad_items_are_refused_on_the_field_with_the_reason(values, code):
    with pytest.raises(Invalid) as refused:
        clean_items(values, **LIMITS)
    assert (refused.value.field, refused.value.code) == ("items", code)


def test_a_choice_is_one_of_its_values_or_refused_on_the_field():
    from marketplace.cases.models import QualityGrade
    from marketplace.core.text import clean_choice

    assert clean_choice("good", QualityGrade, field="grade") == "good"
    for bad in ("Good", "", None, ["good"], 1):
        with pytest.raises(Invalid) as refused:
            clean_choice(bad, QualityGrade, field="grade")
        assert (refused.value.field, refused.value.code) == ("grade", "invalid_choice")


def test_a_stored_code_is_shown_in_words_or_as_itself_when_retired():
    from django.utils import translation

    from marketplace.cases.models import QualityGrade
    from marketplace.core.text import choice_label

    with translation.override("zh-hans"):
        assert choice_label(QualityGrade, "excellent") == "优秀"
    assert choice_label(QualityGrade, "no_longer_a_grade") == "no_longer_a_grade"
    assert choice_label(QualityGrade, "") == ""
