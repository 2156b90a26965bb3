"""Who assesses whom (volunteers.models.ASSESSED_BY) and certificates fit for an official file."""

import io
import logging
from datetime import datetime

import pytest
from pypdf import PdfReader

from duties import pdf_fonts, services
from duties.models import AnnualReview, DutyRule
from tests.duties.conftest import SHANGHAI, document_screenshot, duty_rule, make_case_claim, red_header_pixels
from tests.factories import VolunteerFactory
from volunteers.models import ASSESSED_BY, ASSESSED_KINDS, VolunteerKind, VolunteerStatus

pytestmark = pytest.mark.django_db

LAST_YEAR = 2025
SCOPE = {"year": LAST_YEAR, "region": "320400"}


@pytest.fixture
def rules(regions):
    for kind in ("lawyer", "notary", "grassroots_worker", "law_student", "citizen_volunteer", "legal_aid_staff"):
        duty_rule(regions, LAST_YEAR, kind=kind, min_hours=0, min_cases=1)


@pytest.fixture
def providers(regions, legal_aid_center, coordinator):
    """One provider of every kind in 天宁区, each with one case last year."""
    made = {}
    when = datetime(LAST_YEAR, 10, 1, 10, tzinfo=SHANGHAI)
    for kind in VolunteerKind:
        volunteer = VolunteerFactory(region=regions["tianning"], kind=kind, user__first_name=f"{kind}人")
        services.duty_credit_case(claim=make_case_claim(legal_aid_center, volunteer), by=coordinator, now=when)
        made[kind] = volunteer
    return made


def kinds_reviewed():
    return set(AnnualReview.objects.values_list("volunteer__kind", flat=True))


class TestTheTable:
    def test_lawyers_by_the_association_notaries_and_grassroots_workers_by_the_bureau(self):
        assert {
            "lawyer": {"lawyers_association"},
            "notary": {"justice_bureau"},
            "grassroots_worker": {"justice_bureau"},
        } == ASSESSED_BY
        assert not ASSESSED_KINDS & {"law_student", "citizen_volunteer", "legal_aid_staff"}


class TestReviewOpen:
    def test_the_association_opens_lawyers_reviews_only(self, api_as, association_reviewer, rules, providers):
        response = api_as(association_reviewer).post("/api/v1/reviews/open/", SCOPE, format="json")

        assert response.status_code == 200, response.data
        assert kinds_reviewed() == {"lawyer"}

    def test_the_bureau_opens_notaries_and_grassroots_workers(self, api_as, bureau_reviewer, rules, providers):
        response = api_as(bureau_reviewer).post("/api/v1/reviews/open/", SCOPE, format="json")

        assert response.status_code == 200, response.data
        assert kinds_reviewed() == {"notary", "grassroots_worker"}

    def test_students_volunteers_and_staff_are_never_reviewed(self, api_as, regulator, rules, providers):
        api_as(regulator).post("/api/v1/reviews/open/", SCOPE, format="json")

        assert kinds_reviewed() == {"lawyer", "notary", "grassroots_worker"}


class TestDecide:
    def test_the_bureau_deciding_a_lawyers_review_is_403_not_assessor(
        self, api_as, association_reviewer, bureau_reviewer, rules, providers
    ):
        api_as(association_reviewer).post("/api/v1/reviews/open/", SCOPE, format="json")
        review = AnnualReview.objects.get(volunteer=providers["lawyer"])

        response = api_as(bureau_reviewer).post(
            f"/api/v1/reviews/{review.pk}/decide/", {"decision": "compliant"}, format="json"
        )

        assert response.status_code == 403
        assert response.data["code"] == "not_assessor"
        review.refresh_from_db()
        assert (review.status, review.certificate_code, review.certificate_number) == ("open", None, None)

    def test_decide_compliant_leaves_other_organisations_reviews_open(
        self, api_as, regulator, association_reviewer, rules, providers
    ):
        api_as(regulator).post("/api/v1/reviews/open/", SCOPE, format="json")

        response = api_as(association_reviewer).post("/api/v1/reviews/decide-compliant/", SCOPE, format="json")

        assert response.status_code == 200, response.data
        decided = AnnualReview.objects.exclude(status="open")
        assert set(decided.values_list("volunteer__kind", flat=True)) == {"lawyer"}
        assert decided.get().decided_by_org.kind == "lawyers_association"


class TestRules:
    def test_a_rule_for_a_kind_the_regulator_does_not_assess_is_403(self, api_as, bureau_reviewer, regions):
        body = {"year": LAST_YEAR, "region": "320400", "volunteer_kind": "lawyer", "min_hours": "10", "min_cases": 0}

        response = api_as(bureau_reviewer).post("/api/v1/duty-rules/", body, format="json")

        assert response.status_code == 403
        assert response.data["code"] == "not_assessor"
        assert not DutyRule.objects.exists()

    def test_a_rule_for_students_is_403_for_everyone(self, api_as, regulator, regions):
        body = {
            "year": LAST_YEAR,
            "region": "320400",
            "volunteer_kind": "law_student",
            "min_hours": "10",
            "min_cases": 0,
        }

        response = api_as(regulator).post("/api/v1/duty-rules/", body, format="json")

        assert response.status_code == 403
        assert response.data["code"] == "not_assessor"
        assert not DutyRule.objects.exists()

    def test_the_bureau_sets_the_notaries_rule(self, api_as, bureau_reviewer, regions):
        body = {"year": LAST_YEAR, "region": "320400", "volunteer_kind": "notary", "min_hours": "10", "min_cases": 0}

        assert api_as(bureau_reviewer).post("/api/v1/duty-rules/", body, format="json").status_code == 201


class TestVerification:
    @pytest.mark.parametrize(
        ("reviewer", "kind", "allowed"),
        [
            ("association_reviewer", "lawyer", True),
            ("bureau_reviewer", "lawyer", False),
            ("association_reviewer", "notary", False),
            ("bureau_reviewer", "notary", True),
            ("bureau_reviewer", "grassroots_worker", True),
            ("bureau_reviewer", "law_student", True),
            ("association_reviewer", "law_student", False),
        ],
    )
    def test_verification_follows_the_split(self, request, api_as, regions, reviewer, kind, allowed):
        pending = VolunteerFactory(region=regions["tianning"], kind=kind, status=VolunteerStatus.PENDING)

        response = api_as(request.getfixturevalue(reviewer)).post(
            f"/api/v1/volunteers/{pending.pk}/verify/", {"status": "verified"}
        )

        pending.refresh_from_db()
        if allowed:
            assert response.status_code == 200, response.data
            assert pending.status == "verified"
        else:
            assert response.status_code == 403
            assert response.data["code"] == "not_assessor"
            assert pending.status == "pending"


@pytest.fixture
def lawyer_certified(api_as, regulator, rules, providers):
    api_as(regulator).post("/api/v1/reviews/open/", SCOPE, format="json")
    api_as(regulator).post("/api/v1/reviews/decide-compliant/", SCOPE, format="json")
    return AnnualReview.objects.select_related("volunteer").get(volunteer=providers["lawyer"])


class TestCertificateNumber:
    def test_numbers_run_per_issuer_and_year(self, lawyer_certified, providers):
        numbers = dict(AnnualReview.objects.values_list("volunteer__kind", "certificate_number"))

        assert numbers["lawyer"] == "常律协证〔2025〕第0001号"
        assert sorted([numbers["notary"], numbers["grassroots_worker"]]) == [
            "常司证〔2025〕第0001号",
            "常司证〔2025〕第0002号",
        ]

    def test_the_api_shows_the_number(self, api_as, regulator, lawyer_certified):
        response = api_as(regulator).get(f"/api/v1/reviews/{lawyer_certified.pk}/")

        assert response.data["certificate_number"] == "常律协证〔2025〕第0001号"

    def test_the_verification_page_shows_the_number_and_the_chain_head(self, client, lawyer_certified):
        page = client.get(f"/verify/{lawyer_certified.certificate_code}/").content.decode()

        assert "常律协证〔2025〕第0001号" in page
        assert lawyer_certified.ledger_head_hash in page


class TestCertificateDocument:
    def pdf(self, api_as, regulator, review) -> bytes:
        response = api_as(regulator).get(f"/api/v1/reviews/{review.pk}/certificate/")
        assert response.status_code == 200
        return response.content

    def test_the_chinese_font_is_embedded(self, api_as, regulator, lawyer_certified):
        reader = PdfReader(io.BytesIO(self.pdf(api_as, regulator, lawyer_certified)))

        fonts = [font.get_object() for font in reader.pages[0]["/Resources"]["/Font"].values()]
        descriptors = [font["/FontDescriptor"].get_object() for font in fonts if "/FontDescriptor" in font]
        embedded = [d["/FontFile2"].get_object() for d in descriptors if "/FontFile2" in d]
        assert embedded, "no TrueType font file embedded"
        assert embedded[0].get_data()

    def test_the_verification_address_is_the_public_site_never_the_request_host(
        self, api_as, regulator, lawyer_certified, settings
    ):
        settings.PUBLIC_SITE_URL = "https://legalaid.example.org"

        text = PdfReader(io.BytesIO(self.pdf(api_as, regulator, lawyer_certified))).pages[0].extract_text()

        assert f"https://legalaid.example.org/verify/{lawyer_certified.certificate_code}/" in text
        assert "testserver" not in text

    def test_it_looks_like_an_official_document(self, api_as, regulator, lawyer_certified):
        pdf = self.pdf(api_as, regulator, lawyer_certified)
        text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
        for words in ("常州市律师协会", "常律协证〔2025〕第0001号", "法律援助义务履行证明", "达标", "盖章处"):
            assert words in text

        image = document_screenshot(pdf, "certificate.png")
        # The issuer's name in red at the top, over a red rule: glyphs as ink.
        assert red_header_pixels(image) > 500


class TestFontDiscovery:
    def test_without_a_truetype_font_the_builtin_cid_font_is_used_with_a_warning(self, monkeypatch, caplog):
        pdf_fonts.cjk_font.cache_clear()
        monkeypatch.setattr(pdf_fonts, "_candidates", lambda: ["/nonexistent.ttf", ""])
        try:
            with caplog.at_level(logging.WARNING, logger="duties.pdf_fonts"):
                assert pdf_fonts.cjk_font() == "STSong-Light"
            assert "No TrueType CJK font" in caplog.text
        finally:
            pdf_fonts.cjk_font.cache_clear()

    def test_the_configured_font_comes_first(self, settings):
        settings.PDF_CJK_FONT = pdf_fonts.WQY_MICROHEI

        assert pdf_fonts._candidates()[0] == pdf_fonts.WQY_MICROHEI
