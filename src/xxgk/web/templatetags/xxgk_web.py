from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """`mapping|get_item:key` (a dict keyed by something a template cannot spell, like a page number)."""
    try:
        return mapping.get(key, [])
    except AttributeError:
        return []


@register.filter
def get_item_or_none(mapping: Any, key: Any) -> Any:
    try:
        return mapping.get(key)
    except AttributeError:
        return None
