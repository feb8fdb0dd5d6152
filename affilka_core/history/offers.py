"""An Offer's name in a picker: its keys (`AffilkaUrl.offer_key`) share their host, path and most of
their parameters, so a name cut to the same length reads the same for every Offer of a host. Each is
named instead by its host and path and the parameters that tell it from the other Offers there."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from urllib.parse import parse_qsl, unquote, urlsplit

from affilka_core.text import first_n, plural

# A label longer than this keeps its start and its end (where the telling parameters are), "…" between.
MAX_LABEL_CHARS = 110
_SHOWN_PARAMS = 3


def _parts(key: str) -> tuple[str, Counter[str]]:
    """("host/path", the parameters as "name=value" counted): what a label is made of."""
    split = urlsplit(key)
    pairs = parse_qsl(split.query, keep_blank_values=True)
    return split.netloc + split.path, Counter(f"{unquote(k)}={v}" for k, v in pairs)


def _cut(text: str, limit: int = MAX_LABEL_CHARS) -> str:
    """`text`, or its start and end with "…" between when longer than `limit`."""
    if len(text) <= limit:
        return text
    head = (limit - 1) * 2 // 3
    return text[:head] + "…" + text[len(text) - (limit - 1 - head) :]


def offer_labels(keys: Sequence[str], cases: Mapping[str, int] | None = None) -> dict[str, str]:
    """Offer key → a label no other key of `keys` shares: host and path, then the parameters it has and
    the Offers of the same host and path do not all have (or, when it has none of its own, those it
    lacks: "without name=x"), then how many cases it holds (`cases`). One key of its host and path is
    named by them alone."""
    parts = {key: _parts(key) for key in keys}
    groups: dict[str, list[str]] = {}
    for key, (base, _) in parts.items():
        groups.setdefault(base, []).append(key)
    labels: dict[str, str] = {}
    for base, members in groups.items():
        common = parts[members[0]][1].copy()
        for key in members[1:]:
            common &= parts[key][1]
        # How many Offers of this host and path have each parameter: the rarest tell an Offer apart best.
        having = Counter(p for key in members for p in set(parts[key][1]))
        for key in members:
            own = parts[key][1] - common
            if len(members) == 1:
                said = ""
            elif own:
                # One-value parameters (period=month) before list entries (columns[]=ngr), rarest first;
                # a report's name, which decides nothing, last.
                params = sorted(
                    own.elements(), key=lambda p: (p.startswith("name="), "[]=" in p, having[p], p)
                )
                said = first_n(params, _SHOWN_PARAMS, sep=", ")
            else:
                lacks = sorted({p for other in members if other != key for p in parts[other][1] - common})
                said = "without " + first_n(lacks, _SHOWN_PARAMS, sep=", ")
            label = _cut(f"{base} · {said}" if said else base)
            if cases is not None and key in cases:
                label += f" ({plural(cases[key], 'case')})"
            labels[key] = label
    seen: Counter[str] = Counter()
    for key in keys:  # two labels cut alike are told apart by their order
        seen[labels[key]] += 1
        if seen[labels[key]] > 1:
            labels[key] += f" · #{seen[labels[key]]}"
    return labels
