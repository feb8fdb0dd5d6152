"""affilka_core.history.offers: each Offer named so it can be told from the others in a picker."""

from __future__ import annotations

from affilka_core.history.offers import MAX_LABEL_CHARS, offer_labels
from affilka_core.url.parse import parse_url
from tests.history.conftest import OTHER_HOST
from tests.support import GUIDE_URL


def key(url: str) -> str:
    return parse_url(url).offer_key()


def test_offers_sharing_a_long_start_are_named_by_the_parameters_that_differ_with_their_cases():
    keys = [
        key(GUIDE_URL.replace("conversion_currency=EUR", f"conversion_currency={c}")) for c in ("EUR", "USD")
    ]
    keys.append(key(GUIDE_URL.replace("&name=", "&name=&promo_code=SPRING")))
    labels = offer_labels(keys, {keys[0]: 3, keys[1]: 1, keys[2]: 2})
    assert len(set(labels.values())) == 3
    assert labels[keys[0]].startswith("primetime.partners/api/client/partner/report.json · ")
    assert "conversion_currency=EUR" in labels[keys[0]] and labels[keys[0]].endswith("(3 cases)")
    assert "conversion_currency=USD" in labels[keys[1]] and labels[keys[1]].endswith("(1 case)")
    assert "promo_code=SPRING" in labels[keys[2]]
    assert all(len(label) <= MAX_LABEL_CHARS + len(" (3 cases)") for label in labels.values())


def test_the_one_offer_of_a_host_is_named_by_its_host_and_path_alone():
    one, other = key(GUIDE_URL), key(OTHER_HOST)
    assert offer_labels([one, other]) == {
        one: "primetime.partners/api/client/partner/report.json",
        other: "starzpartners.com/api/client/partner/report.json",
    }


def test_an_offer_holding_only_what_the_others_share_is_named_by_what_it_lacks():
    plain, more = key(GUIDE_URL), key(GUIDE_URL.replace("&name=", "&name=&promo_code=SPRING"))
    labels = offer_labels([plain, more])
    assert labels[plain].endswith("without promo_code=SPRING") and labels[more].endswith("promo_code=SPRING")


def test_an_offer_differing_in_one_value_and_in_columns_is_named_by_the_value_first():
    fewer = GUIDE_URL.replace("&columns%5B%5D=ngr", "").replace("&columns%5B%5D=partner_income", "")
    by_month = key(fewer.replace("period=custom", "period=month").replace("&columns%5B%5D=deposits_sum", ""))
    keys = [key(GUIDE_URL), key(fewer), by_month]
    labels = offer_labels(keys)
    assert labels[by_month].split(" · ")[1].startswith("period=month")
    assert labels[keys[0]].split(" · ")[1].startswith("period=custom")


def test_a_reports_name_tells_an_offer_apart_last():
    named = key(GUIDE_URL.replace("&name=", "&name=April").replace("period=custom", "period=month"))
    labels = offer_labels([key(GUIDE_URL), named])
    assert labels[named].split(" · ")[1].startswith("period=month")
