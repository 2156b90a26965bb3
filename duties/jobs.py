"""The duties app's background jobs (docs/jobs.md): the regulator's heavy work, off the request.

Four kinds, registered in the kernel's registry (``marketplace.core.jobs``) at start-up:

- ``certificates_zip``: every valid certificate of a region and year, one PDF each, in a ZIP;
- ``compliance_export``: the compliance report's per-provider list (CSV or XLSX), as
  ``GET /reports/compliance/?format=`` streams it;
- ``inspection_export``: the annual inspection (年检) list (CSV or XLSX), as
  ``GET /reports/inspection/?format=`` streams it;
- ``decide_compliant``: the bulk decision, one review at a time with progress by reviews decided.

Each is started by ``regulator_job_start`` (a regulator of the region) and checks the owner's
role again when it runs: a regulator who lost the role gets a failed job, not a file.
"""

import re
import zipfile
from datetime import datetime

from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from duties import inspection, selectors, services
from duties.certificates import certificate_pdf
from duties.models import ReviewStatus
from marketplace.core import jobs
from marketplace.core.errors import DomainError, Invalid, NotFound
from marketplace.core.exports import csv_lines, xlsx_file
from marketplace.core.models import Job
from organizations.models import Region
from organizations.roles import roles_of
from volunteers import assessment

CERTIFICATES_ZIP = "certificates_zip"
COMPLIANCE_EXPORT = "compliance_export"
INSPECTION_EXPORT = "inspection_export"
DECIDE_COMPLIANT = "decide_compliant"
KINDS = (CERTIFICATES_ZIP, COMPLIANCE_EXPORT, INSPECTION_EXPORT, DECIDE_COMPLIANT)
EXPORTS = (COMPLIANCE_EXPORT, INSPECTION_EXPORT)
FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def regulator_job_start(
    *, kind: str, year: int, region: Region, by, format: str = "", now: datetime | None = None
) -> Job:
    """Start a regulator's job about ``region`` and ``year``.

    Who: a regulator of ``region`` (403 for anyone else, 400 ``outside_jurisdiction`` on a region
    outside theirs). Precondition: a known kind; exports need ``format`` csv or xlsx (400).
    Side effect: the job is queued after commit; the owner follows it on ``/jobs/{id}/``."""
    if jobs.kind_of(kind) is None:
        raise NotFound()
    roles_of(by).require_regulator(region)
    params = {"year": year, "region": region.code}
    if kind in EXPORTS:
        if format not in FORMATS:
            raise Invalid(_("Choose csv or xlsx."), field="format", code="invalid_choice")
        params["format"] = format
    # The job speaks the language it was asked in (the export's headers and labels).
    params["language"] = get_language() or ""
    return jobs.job_start(kind=kind, owner=by, params=params, now=now)


def described(job_list) -> list[Job]:
    """Each job's kind and region in words (``kind_label``, ``region_name``): a job's params keep
    the region's code (320400), which means nothing to a reader; the pages and the owner's notice
    show its name (常州市). One query for the regions of the list."""
    codes = {job.params.get("region") for job in job_list if job.params}
    names = dict(Region.objects.filter(code__in=codes - {None}).values_list("code", "name"))
    for job in job_list:
        job.kind_label = jobs.kind_label(job.kind)
        region = (job.params or {}).get("region")
        job.region_name = names.get(region, region)
    return job_list


def _scope(job: Job) -> tuple[int, Region]:
    """The job's year and region, the owner still a regulator of it (else the job fails)."""
    region = Region.objects.filter(code=job.params.get("region")).first()
    if region is None:
        raise Invalid(_("Unknown region code."), field="region")
    roles_of(job.owner).require_regulator(region)
    return int(job.params["year"]), region


def _safe_name(text: str) -> str:
    return re.sub(r'[\\/:*?"<>|\s]+', "_", text).strip("_") or "_"


def _certificates_zip(job: Job, progress: jobs.Progress) -> jobs.JobOutput:
    year, region = _scope(job)
    reviews = (
        selectors.reviews_in_region(job.owner, year=year, region=region)
        .filter(certificate_code__isnull=False, certificate_revoked_at__isnull=True)
        .select_related("decided_by_org", "volunteer__practice_org")
        .order_by("certificate_number", "pk")
    )
    progress.set_total(reviews.count())
    handle = jobs.temporary_file(".zip")
    with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for review in reviews.iterator(chunk_size=200):
            name = _safe_name(f"{review.certificate_number or review.certificate_code}-{review.volunteer.display_name}")
            archive.writestr(f"{name}.pdf", certificate_pdf(review))
            progress.advance()
    handle.seek(0)
    return jobs.JobOutput(
        file=handle,
        file_name=f"certificates-{region.code}-{year}.zip",
        content_type="application/zip",
        result={"certificates": progress.done},
    )


def _counted(rows, progress: jobs.Progress):
    for row in rows:
        yield row
        progress.advance()


def _export(job: Job, progress: jobs.Progress, *, rows, columns, name: str) -> jobs.JobOutput:
    fmt = job.params.get("format")
    if fmt not in FORMATS:
        raise Invalid(_("Choose csv or xlsx."), field="format", code="invalid_choice")
    rows = _counted(rows, progress)
    if fmt == "xlsx":
        handle = xlsx_file(columns, rows, title=name.split("-")[0])
    else:
        handle = jobs.temporary_file(".csv")
        for line in csv_lines(columns, rows):
            handle.write(line.encode())
        handle.seek(0)
    return jobs.JobOutput(
        file=handle, file_name=f"{name}.{fmt}", content_type=CONTENT_TYPES[fmt], result={"rows": progress.done}
    )


def _compliance_export(job: Job, progress: jobs.Progress) -> jobs.JobOutput:
    year, region = _scope(job)
    # The report as it stood when it was asked for: a rerun makes the same file. Only the kinds
    # of provider the owner's organisation assesses, as the page and the API list them.
    kinds = assessment.kinds_assessed_by(job.owner, region)
    rows = selectors.compliance_export_rows(region=region, year=year, now=job.created_at, kinds=kinds)
    return _export(job, progress, rows=rows, columns=selectors.REPORT_COLUMNS, name=f"compliance-{region.code}-{year}")


def _inspection_export(job: Job, progress: jobs.Progress) -> jobs.JobOutput:
    year, region = _scope(job)
    rows = inspection.inspection_export_rows(region=region, year=year, now=job.created_at)
    return _export(
        job, progress, rows=rows, columns=inspection.INSPECTION_COLUMNS, name=f"inspection-{region.code}-{year}"
    )


def _decide_compliant(job: Job, progress: jobs.Progress) -> jobs.JobOutput:
    """The bulk decision of ``reviews_decide_compliant``, one review at a time (each its own
    transaction, through ``review_decide``: the same checks as deciding it alone), so the page
    shows how many are decided. A rerun after a dead worker decides what is still open."""
    year, region = _scope(job)
    preview = services.reviews_decide_compliant(year=year, region=region, by=job.owner, dry_run=True)
    left_open = [{"name": s.review.volunteer.display_name, "reason": s.detail} for s in preview.skipped]
    progress.set_total(len(preview.candidates))
    decided = 0
    for candidate in preview.candidates:
        review = selectors.reviews_visible_to(job.owner).filter(pk=candidate.review_id).first()
        try:
            if review is None:
                raise NotFound()
            services.review_decide(review=review, decision=ReviewStatus.COMPLIANT, by=job.owner, now=timezone.now())
            decided += 1
        except DomainError as exc:  # decided meanwhile, or no longer meets its rule: left as it is
            left_open.append({"name": candidate.volunteer_name, "reason": exc.detail})
        progress.advance()
    return jobs.JobOutput(result={"decided": decided, "left_open": left_open[:200]})


jobs.register(CERTIFICATES_ZIP, _certificates_zip, label=gettext_lazy("Certificates (ZIP of PDFs)"))
jobs.register(COMPLIANCE_EXPORT, _compliance_export, label=gettext_lazy("Compliance list export"))
jobs.register(INSPECTION_EXPORT, _inspection_export, label=gettext_lazy("Annual inspection list export"))
jobs.register(DECIDE_COMPLIANT, _decide_compliant, label=gettext_lazy("Decide compliant in bulk"))
