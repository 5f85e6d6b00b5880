"""Row serializers (newsroom/shapes.py): the generated row-to-JSON code answers what the declaration says."""

from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import pytest
from rest_framework import serializers

from newsroom.shapes import CommaSeparatedField, RowMethodField, RowSerializer


class RefSerializer(RowSerializer):
    slug = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


class ItemSerializer(RowSerializer):
    title = serializers.CharField(read_only=True)
    count = serializers.IntegerField(read_only=True, allow_null=True)
    ref = RefSerializer(read_only=True, allow_null=True)
    at = serializers.DateTimeField(read_only=True)
    parts = RefSerializer(many=True, read_only=True, source="part_items")
    words = CommaSeparatedField(source="word_list")
    loud = RowMethodField(("title",))

    @staticmethod
    def get_loud(row, ctx):
        return row["title"].upper()


class LongerSerializer(ItemSerializer):
    extra = serializers.CharField(read_only=True)
    ref = RefSerializer(read_only=True, allow_null=True, source="other")  # declared again: keeps its place


ROW = {
    "title": "Ferries", "count": 3, "ref__slug": "sea", "ref__name": "Sea",
    "at": datetime(2024, 11, 11, 12, 15, tzinfo=timezone(timedelta(hours=1))),
    "part_items": [{"slug": "a", "name": "A"}, {"slug": "b", "name": "B"}], "word_list": "port,harbour",
}


def test_a_row_becomes_the_declared_shape():
    (item,) = ItemSerializer.shape([ROW], None)
    assert item == {
        "title": "Ferries", "count": 3, "ref": {"slug": "sea", "name": "Sea"}, "at": "2024-11-11T11:15:00Z",
        "parts": [{"slug": "a", "name": "A"}, {"slug": "b", "name": "B"}], "words": ["harbour", "port"],
        "loud": "FERRIES",
    }
    assert list(item) == ItemSerializer.field_names()
    assert ItemSerializer.columns() == ("title", "count", "ref__slug", "ref__name", "at", "word_list")
    assert ItemSerializer.item_columns("parts") == ("slug", "name")


def test_missing_related_rows_and_lists_are_null_and_empty():
    row = ROW | {"count": None, "ref__slug": None, "ref__name": None, "part_items": None, "word_list": None}
    (item,) = ItemSerializer.shape([row], None)
    assert (item["count"], item["ref"], item["parts"], item["words"]) == (None, None, [], [])


def test_a_field_selection_answers_those_fields_in_declared_order():
    assert ItemSerializer.shape([ROW], None, ["loud", "title"]) == [{"title": "Ferries", "loud": "FERRIES"}]


def test_a_field_declared_again_keeps_its_parents_place():
    assert LongerSerializer.field_names() == [*ItemSerializer.field_names(), "extra"]
    (item,) = LongerSerializer.shape([ROW | {"extra": "x", "other__slug": "land", "other__name": "Land"}], None)
    assert item["ref"] == {"slug": "land", "name": "Land"}


def test_drfs_data_is_the_generated_shape_and_instances_go_through_drfs_fields():
    assert ItemSerializer([ROW, ROW], many=True).data == ItemSerializer.shape([ROW, ROW], None)
    assert ItemSerializer(ROW).data == ItemSerializer.shape([ROW], None)[0]
    assert RefSerializer(SimpleNamespace(slug="sea", name="Sea")).data == {"slug": "sea", "name": "Sea"}


def test_a_field_the_generator_does_not_know_fails_on_first_use():
    class OddSerializer(RowSerializer):
        flag = serializers.BooleanField(read_only=True)

    with pytest.raises(TypeError, match="flag: no row expression for BooleanField"):
        OddSerializer.shape([{"flag": True}], None)
