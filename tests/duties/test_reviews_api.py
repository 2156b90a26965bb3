import io
import re
from datetime import date

import pytest
from pypdf import PdfReader

from duties import services
from duties.models import AnnualReview, HourLog
from tests.duties.conftest import fresh_client, make_compliant_lawyer, make_log, ministry_lawyer_rule
from tests.factories import VolunteerFactory
from tests.pdf_render import render_page

pytestmark = pytest.mark.django_db

LAST_YEAR = 2025
SCOPE = {"year": LAST_YEAR, "region": "320400"}


@pytest.fixture
def rule_last_year(regions):
    return ministry_lawyer_rule(regions, LAST_YEAR)


@pytest.fixture
def compliant_lawyer(legal_aid_center, regions, coordinator, rule_last_year):
    """A Zhonglou lawyer with two cases last year."""
    return make_compliant_lawyer(legal_aid_center, regions["zhonglou"], coordinator, "李合规", year=LAST_YEAR)


@pytest.fixture
def opened(api_as, regulator, provider_volunteer, compliant_lawyer):
    response = api_as(regulator).post("/api/v1/reviews/open/", SCOPE, format="json")
    assert response.status_code == 200, response.data
    return response


def review_of(volunteer, year=LAST_YEAR):
    return AnnualReview.objects.get(volunteer=volunteer, year=year)


class TestOpen:
    def test_a_regulator_opens_one_review_per_provider_of_the_region(self, opened, provider_volunteer, regions):
        VolunteerFactory(region=regions["suzhou"])  # outside: not opened

        assert opened.data["opened"] == 2
        assert AnnualReview.objects.filter(year=LAST_YEAR, status="open").count() == 2
        assert review_of(provider_volunteer).region_id == "320402"

    def test_opening_twice_opens_nothing_new(self, api_as, regulator, opened):
        again = api_as(regulator).post("/api/v1/reviews/open/", SCOPE, format="json")

        assert again.data == {**again.data, "opened": 0, "already_open": 2}
        assert AnnualReview.objects.count() == 2

    def test_a_region_outside_the_jurisdiction_is_400(self, api_as, regulator, provider_volunteer):
        response = api_as(regulator).post("/api/v1/reviews/open/", {**SCOPE, "region": "320500"}, format="json")

        assert response.status_code == 400
        assert "region" in response.data
        assert not AnnualReview.objects.exists()

    def test_a_future_year_is_400_naming_year(self, api_as, regulator):
        response = api_as(regulator).post("/api/v1/reviews/open/", {**SCOPE, "year": 2099}, format="json")

        assert response.status_code == 400
        assert "year" in response.data

    def test_non_regulators_are_403_anonymous_401_get_405(self, api, api_as, coordinator, provider):
        assert api.post("/api/v1/reviews/open/", SCOPE, format="json").status_code == 401
        for user in (coordinator, provider):
            assert api_as(user).post("/api/v1/reviews/open/", SCOPE, format="json").status_code == 403
        assert not AnnualReview.objects.exists()
        assert api_as(provider).get("/api/v1/reviews/open/").status_code == 405


class TestList:
    def test_regulators_see_their_region_and_providers_their_own(
        self, api_as, regulator, other_regulator, provider, opened, provider_volunteer
    ):
        assert api_as(regulator).get("/api/v1/reviews/").data["count"] == 2
        assert api_as(other_regulator).get("/api/v1/reviews/").data["count"] == 0
        mine = api_as(provider).get("/api/v1/reviews/").data
        assert [r["volunteer"] for r in mine["results"]] == [provider_volunteer.pk]

    def test_filters(self, api_as, regulator, opened):
        client = api_as(regulator)

        assert client.get("/api/v1/reviews/", {"year": LAST_YEAR, "status": "open"}).data["count"] == 2
        assert client.get("/api/v1/reviews/", {"region": "320404"}).data["count"] == 1
        assert client.get("/api/v1/reviews/", {"volunteer_kind": "notary"}).data["count"] == 0
        assert client.get("/api/v1/reviews/", {"status": "bogus"}).status_code == 400

    def test_wrong_role_403_anonymous_401(self, api, api_as, coordinator, stranger):
        assert api.get("/api/v1/reviews/").status_code == 401
        for user in (coordinator, stranger):
            assert api_as(user).get("/api/v1/reviews/").status_code == 403

    def test_another_providers_review_is_404(self, api_as, provider, opened, compliant_lawyer):
        assert api_as(provider).get(f"/api/v1/reviews/{review_of(compliant_lawyer).pk}/").status_code == 404

    def test_the_query_count_does_not_depend_on_the_page_size(self, api_as, regulator, regions, opened, page_queries):
        for _ in range(12):
            VolunteerFactory(region=regions["tianning"])
        api_as(regulator).post("/api/v1/reviews/open/", SCOPE, format="json")

        ten, hundred = page_queries(fresh_client(api_as, regulator), "/api/v1/reviews/")

        assert ten == hundred


class TestDecide:
    def test_a_regulator_decides_and_the_review_records_totals_and_chain_head(
        self, api_as, regulator, opened, compliant_lawyer, lawyers_association
    ):
        from duties.selectors import ledger_head

        review = review_of(compliant_lawyer)

        response = api_as(regulator).post(
            f"/api/v1/reviews/{review.pk}/decide/", {"decision": "compliant", "note": "两件案件"}, format="json"
        )

        assert response.status_code == 200, response.data
        assert response.data["status"] == "compliant"
        assert response.data["cases"] == 2
        assert response.data["hours"] == "0.00"
        assert response.data["ledger_head_hash"] == ledger_head()
        # A lawyer's review: the lawyers' association decides it (ASSESSED_BY).
        assert response.data["decided_by_org"] == lawyers_association.pk
        assert re.fullmatch(r"[A-Z2-7]{4}(-[A-Z2-7]{4}){3}", response.data["certificate_code"])

    def test_a_second_decision_is_409(self, api_as, regulator, opened, compliant_lawyer):
        review = review_of(compliant_lawyer)
        client = api_as(regulator)
        client.post(f"/api/v1/reviews/{review.pk}/decide/", {"decision": "compliant"}, format="json")

        again = client.post(
            f"/api/v1/reviews/{review.pk}/decide/", {"decision": "deficient", "note": "x"}, format="json"
        )

        assert again.status_code == 409
        assert again.data["code"] == "already_decided"
        assert review_of(compliant_lawyer).status == "compliant"

    def test_deficient_needs_a_note_and_bad_decisions_are_400(self, api_as, regulator, opened, provider_volunteer):
        review = review_of(provider_volunteer)
        client = api_as(regulator)

        no_note = client.post(f"/api/v1/reviews/{review.pk}/decide/", {"decision": "deficient"}, format="json")
        bogus = client.post(f"/api/v1/reviews/{review.pk}/decide/", {"decision": "great"}, format="json")

        assert no_note.status_code == bogus.status_code == 400
        assert "note" in no_note.data
        assert "decision" in bogus.data
        assert review_of(provider_volunteer).status == "open"

    def test_the_provider_may_see_but_not_decide_and_others_get_404(
        self, api, api_as, provider, other_regulator, coordinator, opened, provider_volunteer
    ):
        review = review_of(provider_volunteer)
        body = {"decision": "compliant"}

        assert api_as(provider).post(f"/api/v1/reviews/{review.pk}/decide/", body, format="json").status_code == 403
        for user in (other_regulator, coordinator):
            assert api_as(user).post(f"/api/v1/reviews/{review.pk}/decide/", body, format="json").status_code == 404
        assert api.post(f"/api/v1/reviews/{review.pk}/decide/", body, format="json").status_code == 401
        assert api_as(provider).get(f"/api/v1/reviews/{review.pk}/decide/").status_code == 405
        assert review_of(provider_volunteer).status == "open"

    def test_deciding_tells_the_provider_after_commit(
        self, api_as, regulator, opened, compliant_lawyer, django_capture_on_commit_callbacks, monkeypatch
    ):
        sent = []
        monkeypatch.setattr(
            "marketplace.core.events._deliver", lambda groups, event: sent.extend((group, event) for group in groups)
        )
        review = review_of(compliant_lawyer)

        with django_capture_on_commit_callbacks(execute=True):
            api_as(regulator).post(f"/api/v1/reviews/{review.pk}/decide/", {"decision": "compliant"}, format="json")

        assert sent == [
            (
                f"user.{compliant_lawyer.user_id}",
                {"type": "review.decided", "review": {"id": review.pk, "year": LAST_YEAR, "status": "compliant"}},
            )
        ]

    def test_a_decided_year_is_locked_for_the_provider(
        self, api_as, regulator, provider, opened, provider_volunteer, claim, coordinator
    ):
        review = review_of(provider_volunteer)
        pending = make_log(claim, on=date(2026, 3, 2))
        api_as(regulator).post(
            f"/api/v1/reviews/{review.pk}/decide/", {"decision": "deficient", "note": "未履行"}, format="json"
        )
        # The task began in 2026; reopen its start so that a 2025 date is otherwise valid.
        claim.task.starts_at = claim.task.starts_at.replace(year=LAST_YEAR)
        claim.task.save()

        response = api_as(provider).post(
            f"/api/v1/claims/{claim.pk}/hours/", {"date": f"{LAST_YEAR}-06-01", "hours": "2"}, format="json"
        )

        assert response.status_code == 409
        assert response.data["code"] == "year_locked"
        assert HourLog.objects.count() == 1
        assert pending.status == "pending"


class TestDecideCompliant:
    def test_decides_every_open_review_that_meets_its_rule_and_leaves_the_rest(
        self, api_as, regulator, opened, compliant_lawyer, provider_volunteer
    ):
        response = api_as(regulator).post("/api/v1/reviews/decide-compliant/", SCOPE, format="json")

        assert response.status_code == 200, response.data
        assert response.data["decided"] == 1
        assert review_of(compliant_lawyer).status == "compliant"
        assert review_of(compliant_lawyer).certificate_code
        assert review_of(provider_volunteer).status == "open"

    def test_non_regulators_403_outside_region_400(self, api_as, provider, regulator, opened):
        assert api_as(provider).post("/api/v1/reviews/decide-compliant/", SCOPE, format="json").status_code == 403
        outside = api_as(regulator).post(
            "/api/v1/reviews/decide-compliant/", {**SCOPE, "region": "320500"}, format="json"
        )
        assert outside.status_code == 400
        assert "region" in outside.data
        assert not AnnualReview.objects.exclude(status="open").exists()


@pytest.fixture
def certified(api_as, regulator, opened, compliant_lawyer):
    review = review_of(compliant_lawyer)
    api_as(regulator).post(f"/api/v1/reviews/{review.pk}/decide/", {"decision": "compliant"}, format="json")
    return review_of(compliant_lawyer)


class TestCertificate:
    def test_the_pdf_carries_the_chinese_and_english_facts(self, api_as, regulator, certified, compliant_lawyer):
        response = api_as(regulator).get(f"/api/v1/reviews/{certified.pk}/certificate/")

        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
        assert "法律援助义务履行证明" in text
        assert "李合规" in text
        assert compliant_lawyer.licence_number in text
        assert certified.certificate_code in text
        assert "常州市律师协会" in text
        assert "常律协证〔" in text and "第0001号" in text
        assert "盖章处" in text
        assert f"http://127.0.0.1:8000/verify/{certified.certificate_code}/" in text
        assert "Ledger head" not in text

    def test_the_pdf_renders_to_an_image(self, api_as, regulator, certified):
        pdf = api_as(regulator).get(f"/api/v1/reviews/{certified.pk}/certificate/").content

        image = render_page(pdf)
        width, height = image.size
        # The Chinese title is drawn in dark red across the top eighth of the page: its glyphs
        # must be there as ink, not as empty boxes or nothing.
        title = image.crop((width // 4, height // 10, 3 * width // 4, height // 7))
        red_ink = sum(1 for r, g, b in title.get_flattened_data() if r > 100 and g < 80 and b < 80)
        assert red_ink > 300

    def test_the_provider_downloads_own_certificate_others_get_404(
        self, api, api_as, certified, compliant_lawyer, provider, other_regulator
    ):
        url = f"/api/v1/reviews/{certified.pk}/certificate/"

        assert api_as(compliant_lawyer.user).get(url).status_code == 200
        assert api_as(provider).get(url).status_code == 404
        assert api_as(other_regulator).get(url).status_code == 404
        assert api.get(url).status_code == 401

    def test_an_open_or_deficient_review_has_no_certificate(self, api_as, regulator, opened, provider_volunteer):
        response = api_as(regulator).get(f"/api/v1/reviews/{review_of(provider_volunteer).pk}/certificate/")

        assert response.status_code == 409
        assert response.data["code"] == "no_certificate"

    def test_codes_carry_at_least_80_random_bits_and_do_not_repeat(self):
        codes = {services.new_certificate_code() for _ in range(2000)}

        assert len(codes) == 2000
        assert all(len(c.replace("-", "")) * 5 >= 80 for c in codes)


class TestVerify:
    def test_anyone_verifies_a_certificate_on_a_page(self, client, certified):
        response = client.get(f"/verify/{certified.certificate_code}/")

        assert response.status_code == 200
        page = response.content.decode()
        assert "李合规" in page
        assert certified.certificate_code in page

    def test_json_with_the_accept_header(self, client, certified, compliant_lawyer):
        response = client.get(f"/verify/{certified.certificate_code}/", HTTP_ACCEPT="application/json")

        assert response.status_code == 200
        body = response.json()
        assert body["valid"] is True
        assert body["status"] == "valid"
        assert body["certificate"]["year"] == LAST_YEAR
        assert body["certificate"]["cases"] == 2
        assert body["certificate"]["licence_number"] == compliant_lawyer.licence_number

    def test_codes_are_read_in_any_case_and_spacing(self, client, certified):
        sloppy = certified.certificate_code.lower().replace("-", "")

        assert client.get(f"/verify/{sloppy}/", HTTP_ACCEPT="application/json").json()["valid"] is True

    def test_an_unknown_code_is_said_plainly(self, client, certified):
        page = client.get("/verify/AAAA-BBBB-CCCC-DDDD/")
        data = client.get("/verify/AAAA-BBBB-CCCC-DDDD/", HTTP_ACCEPT="application/json")

        assert page.status_code == data.status_code == 404
        assert data.json() == {"code": "AAAA-BBBB-CCCC-DDDD", "status": "unknown", "valid": False, "certificate": None}

    def test_a_revoked_certificate_is_said_plainly(self, api_as, client, regulator, certified):
        revoke = api_as(regulator).post(
            f"/api/v1/reviews/{certified.pk}/revoke-certificate/", {"reason": "以虚假材料取得"}, format="json"
        )

        data = client.get(f"/verify/{certified.certificate_code}/", HTTP_ACCEPT="application/json").json()

        assert revoke.status_code == 200
        assert (data["status"], data["valid"]) == ("revoked", False)
        assert data["certificate"]["revoke_reason"] == "以虚假材料取得"
        assert data["certificate"]["revoked_at"]
        page = client.get(f"/verify/{certified.certificate_code}/").content.decode()
        assert "以虚假材料取得" in page
        again = api_as(regulator).post(
            f"/api/v1/reviews/{certified.pk}/revoke-certificate/", {"reason": "再次"}, format="json"
        )
        assert again.status_code == 409

    def test_revoking_without_a_reason_is_400_and_writes_nothing(self, api_as, regulator, certified):
        response = api_as(regulator).post(f"/api/v1/reviews/{certified.pk}/revoke-certificate/", {}, format="json")

        assert response.status_code == 400
        assert response.data["code"] == "required"
        certified.refresh_from_db()
        assert certified.certificate_revoked_at is None
