"""The list's query parameters, each declared with the values it accepts; anything else is a 400."""

import re
from datetime import UTC, datetime, time

import django_filters
import django_filters.fields
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.dateparse import parse_date, parse_datetime
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions

from articles.api.serializers import ArticleListSerializer
from articles.languages import normalize_language
from articles.models import Article, Category
from articles.search.queries import MAX_SEARCH_LENGTH, search_articles
from authors.models import Byline

ORDERINGS = ["-published_at", "published_at", "title", "-title"]
# A well-formed tag: subtags of letters and digits, `-` or `_` between them. Whether a registry knows it is no
# pattern's business: a well-formed tag that no article has matches none, like an unknown category.
LANGUAGE_PATTERN = r"^(?:[A-Za-z]{1,8}(?:[-_][A-Za-z0-9]{1,8})*)?$"  # blank: no filter, as for every parameter
NO_NUL_PATTERN = r"^[^\x00]*$"  # every text field refuses a NUL byte


def declared(filter_, **schema):
    """`filter_` with its OpenAPI schema in full: drf-spectacular shows a CharFilter as any string, while its form
    field refuses more (a NUL, too long a value), and the schema is the contract."""
    return extend_schema_field({"type": "string", "description": filter_.extra["help_text"], **schema})(filter_)


def text(filter_):
    """A text filter declared with its form field's limits."""
    return declared(filter_, maxLength=filter_.extra["max_length"], pattern=NO_NUL_PATTERN)


def fields_pattern(names):
    """`?fields=`'s values: a comma-separated list naming only `names` and at least one of them, or blank (every
    field); blank items and spaces around a name are allowed (ArticleViewSet.parse_fields)."""
    name = "(?:" + "|".join(re.escape(name) for name in names) + ")"
    return rf"^(?:\s*|(?:\s*,)*\s*{name}\s*(?:,\s*(?:{name})?\s*)*)$"


def invalid_parameters(by_parameter):
    """The DRF 400 for {parameter: [Django ValidationError]}, one list of messages per parameter. django-filter's
    own translate_validation applies `%` to every message even without parameters, so an input with a `%` in it,
    echoed by a message, raised TypeError (a 500)."""
    return exceptions.ValidationError({
        name: [exceptions.ErrorDetail(message, code=error.code) for error in errors for message in error.messages]
        for name, errors in by_parameter.items()
    })


# Blank is no filter, as for every parameter.
DATE_OR_DATE_TIME = [{"format": "date"}, {"format": "date-time"}, {"maxLength": 0}]


class DateOrDateTimeField(forms.Field):
    """An ISO 8601 date (midnight UTC) or date-time (UTC when no offset is given)."""

    default_error_messages = {"invalid": "Enter an ISO 8601 date (2024-11-11) or date-time (2024-11-11T09:30:00Z)."}

    def to_python(self, value):
        value = (value or "").strip()
        if not value:
            return None
        try:
            moment = parse_datetime(value)
            if moment is None:
                day = parse_date(value)
                moment = datetime.combine(day, time.min) if day else None
        except ValueError:  # well formed but impossible, e.g. 2024-02-30
            moment = None
        if moment is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class LanguageField(forms.CharField):
    """A BCP 47 tag in any case (`zh-Hant`, `zh_hant`), compared in the stored lower-case form."""

    def __init__(self, **kwargs):
        super().__init__(strip=False, **kwargs)  # the schema's pattern allows no spaces around the tag

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return value
        if not re.fullmatch(LANGUAGE_PATTERN, value):
            raise ValidationError("Enter a BCP 47 language tag such as `en` or `zh-hant`.", code="invalid_language")
        try:
            return normalize_language(value)
        except ValidationError:  # well formed, in no registry: no article has it
            return value.replace("_", "-").lower()


class GivenChoiceField(django_filters.fields.ChoiceField):
    """A choice that is absent or one of the choices: `?ordering=` is outside the schema's enum, so a 400."""

    def clean(self, value):
        if value == "":
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})
        return super().clean(value)


class GivenChoiceFilter(django_filters.ChoiceFilter):
    field_class = GivenChoiceField


# CharFilter subclasses so the schema shows them as strings with their help text.
class DateOrDateTimeFilter(django_filters.CharFilter):
    field_class = DateOrDateTimeField


class LanguageFilter(django_filters.CharFilter):
    field_class = LanguageField


class ArticleFilter(django_filters.FilterSet):
    category = text(django_filters.CharFilter(
        method="filter_category", max_length=200,
        help_text="Category slug, case-insensitive; includes the category's children.",
    ))
    tag = text(django_filters.CharFilter(field_name="tags__slug", max_length=100, help_text="Tag slug."))
    author = text(django_filters.CharFilter(method="filter_author", max_length=200, help_text="Author slug."))
    language = declared(
        LanguageFilter(field_name="language", help_text="BCP 47 language tag, e.g. `en` or `zh-hant`."),
        pattern=LANGUAGE_PATTERN,
    )
    origin_url = text(django_filters.CharFilter(
        field_name="origin_url", max_length=2000,
        help_text="The article an old URL of an imported archive now lives at (exact match): a redirect table.",
    ))
    published_after = declared(DateOrDateTimeFilter(
        field_name="published_at", lookup_expr="gte",
        help_text="Published at or after this ISO 8601 date (midnight UTC) or date-time.",
    ), anyOf=DATE_OR_DATE_TIME)
    published_before = declared(DateOrDateTimeFilter(
        field_name="published_at", lookup_expr="lt",
        help_text="Published strictly before this ISO 8601 date (midnight UTC) or date-time.",
    ), anyOf=DATE_OR_DATE_TIME)
    search = text(django_filters.CharFilter(
        method="filter_search", max_length=MAX_SEARCH_LENGTH,
        help_text="Full-text search over title, description and body. Without `ordering`: the newest 1,000 "
        "matches, best match first; with `ordering`: every match in that order.",
    ))
    ordering = GivenChoiceFilter(
        choices=[(value, value) for value in ORDERINGS], method="filter_ordering", empty_label=None,
        help_text="Sort order; newest first by default.",
    )
    # No length limit: the view checks the names (ArticleViewSet.parse_fields).
    fields = declared(django_filters.CharFilter(
        method="filter_fields", help_text="Comma-separated list of fields to return, e.g. `code,title,url`.",
    ), pattern=fields_pattern(ArticleListSerializer.field_names()))

    class Meta:
        model = Article
        fields = []

    def filter_category(self, queryset, name, value):
        matching = Category.objects.filter(Q(slug__iexact=value) | Q(parent__slug__iexact=value)).values("pk")
        return queryset.filter(category__in=matching)

    def filter_author(self, queryset, name, value):
        return queryset.filter(pk__in=Byline.objects.filter(author__slug=value).values("article_id"))

    def filter_search(self, queryset, name, value):
        if not value.strip():
            return queryset
        # Relevance order ranks a window of recent matches; an explicit ordering wants every match instead.
        data = self.form.cleaned_data
        return search_articles(
            queryset, value, ranked=not data.get("ordering"), narrowed=bool(self.row_filters(data)),
            language=data.get("language") or None,
        )

    @classmethod
    def clean_parameters(cls, params):
        """{name: cleaned value} of the declared filters given, by the declared fields alone: a filterset and
        its form deep-copy every filter and field on each request (a third of a filtered list's time). An invalid
        value is the same 400 as the filterset's."""
        cleaned, errors = {}, {}
        for name in [name for name in cls.base_filters if name in params]:  # the paginator validates its own
            try:
                cleaned[name] = cls.base_filters[name].field.clean(params.get(name))
            except ValidationError as error:
                errors[name] = error.error_list
        if errors:
            raise invalid_parameters(errors)
        return cleaned

    @classmethod
    def narrow(cls, queryset, values):
        """`queryset` narrowed by cleaned values of ROW_FILTERS, as the filterset's own filtering does."""
        filters = cls(queryset=queryset).filters
        for name, value in values.items():
            queryset = filters[name].filter(queryset, value)
        return queryset

    @classmethod
    def row_filters(cls, cleaned):
        """{name: value} of the ROW_FILTERS in these cleaned parameters that narrow anything."""
        return {name: cleaned[name] for name in ROW_FILTERS if cleaned.get(name) not in (None, "")}

    def filter_ordering(self, queryset, name, value):
        return queryset.order_by(value)

    def filter_fields(self, queryset, name, value):
        """Shapes the payload, not the rows: the view trims the serializer; declared here to be validated."""
        return queryset


# The filters that narrow rows by a value, every declared one but these three: what rows.list_page compiles, and what
# a search's window of newest matches must respect.
ROW_FILTERS = tuple(name for name in ArticleFilter.base_filters if name not in ("search", "ordering", "fields"))
