"""Finding reports: by agency, region, year, state of review, or by text in their sections."""

from __future__ import annotations

import json
from typing import Any

import django_filters
from django.db.models import Q, QuerySet

from xxgk.corpus.store.models import Report
from xxgk.web.access import reports_for


def searched_reports(user: Any) -> QuerySet[Report]:
    return (
        reports_for(user)
        .filter(latest=True)
        .select_related("agency__region", "document")
        .order_by("-year", "agency__key", "id")
    )


class ReportFilter(django_filters.FilterSet):
    agency = django_filters.CharFilter(label="机关", method="by_agency")
    region = django_filters.CharFilter(label="地区", method="by_region")
    year = django_filters.NumberFilter(label="年度", field_name="year")
    text = django_filters.CharFilter(label="正文包含", method="by_text")

    class Meta:
        model = Report
        fields: tuple[str, ...] = ()

    def by_agency(self, queryset: QuerySet[Report], name: str, value: str) -> QuerySet[Report]:
        value = value.strip()
        return (
            queryset.filter(Q(agency__key__contains=value) | Q(agency_printed__contains=value)) if value else queryset
        )

    def by_region(self, queryset: QuerySet[Report], name: str, value: str) -> QuerySet[Report]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(agency__region__path__contains=value) | Q(agency__region__code__startswith=value))

    def by_text(self, queryset: QuerySet[Report], name: str, value: str) -> QuerySet[Report]:
        # The sections are one JSON document per report: searched as text (both SQLite and PostgreSQL).
        value = value.strip()
        if not value:
            return queryset
        from django.db.models import TextField
        from django.db.models.functions import Cast

        # SQLite keeps the JSON as Django wrote it (non-ASCII escaped as \\uXXXX); PostgreSQL's jsonb as text.
        escaped = json.dumps(value)[1:-1]
        annotated = queryset.annotate(_sections=Cast("sections", TextField()))
        return annotated.filter(Q(_sections__contains=escaped) | Q(_sections__contains=value))
