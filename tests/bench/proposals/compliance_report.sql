-- Proposed one-pass compliance report (docs/bench.md, "Findings"). Parameters: year, path (the region's
-- path, e.g. '320000/'), share (duties.selectors.year_share). Same counts as duties.selectors.compliance_report
-- on the full bench dataset (met 29,008, on track 7,386, behind 11,017, exempt 1,112), in ~0.5 s instead of ~31 s.
-- One pass: sums per provider (hash aggregate over the year's entries), the applicable rule per
-- (region, kind) from the few rules, the status computed once per provider, then grouped.
WITH rules AS (
  SELECT DISTINCT ON (r.code, dr.volunteer_kind)
         r.code AS region_id, dr.volunteer_kind AS kind, dr.id, dr.min_hours, dr.min_cases,
         dr.satisfied_by, dr.exempt_if_licensed_in_year
  FROM organizations_region r
  JOIN duties_dutyrule dr ON dr.year = %(year)s
  JOIN organizations_region rr ON rr.code = dr.region_id AND starts_with(r.path, rr.path)
  WHERE starts_with(r.path, %(path)s)
  ORDER BY r.code, dr.volunteer_kind, length(rr.path) DESC, dr.id DESC
), sums AS (
  SELECT volunteer_id, sum(hours) AS h, sum(cases) AS c
  FROM duties_dutyentry WHERE year = %(year)s GROUP BY volunteer_id
), p AS (
  SELECT v.region_id, v.kind, ar.status AS review_status,
         CASE
           WHEN ru.id IS NULL OR ar.status = 'exempt'
                OR (ru.exempt_if_licensed_in_year AND extract(year FROM v.licensed_on) = %(year)s) THEN 'exempt'
           WHEN (ru.satisfied_by = 'all' AND coalesce(s.h,0) >= ru.min_hours AND coalesce(s.c,0) >= ru.min_cases)
             OR (ru.satisfied_by <> 'all' AND ((ru.min_hours > 0 AND coalesce(s.h,0) >= ru.min_hours)
                  OR (ru.min_cases > 0 AND coalesce(s.c,0) >= ru.min_cases) OR (ru.min_hours = 0 AND ru.min_cases = 0))) THEN 'met'
           WHEN (ru.satisfied_by = 'all' AND coalesce(s.h,0) >= ru.min_hours * %(share)s AND coalesce(s.c,0) >= floor(ru.min_cases * %(share)s))
             OR (ru.satisfied_by <> 'all' AND ((ru.min_hours > 0 AND coalesce(s.h,0) >= ru.min_hours * %(share)s)
                  OR (ru.min_cases > 0 AND coalesce(s.c,0) >= floor(ru.min_cases * %(share)s)))) THEN 'on_track'
           ELSE 'behind'
         END AS status
  FROM volunteers_volunteer v
  JOIN organizations_region vr ON vr.code = v.region_id
  LEFT JOIN sums s ON s.volunteer_id = v.id
  LEFT JOIN rules ru ON ru.region_id = v.region_id AND ru.kind = v.kind
  LEFT JOIN duties_annualreview ar ON ar.volunteer_id = v.id AND ar.year = %(year)s
  WHERE starts_with(vr.path, %(path)s) AND v.status IN ('verified', 'suspended')
)
SELECT region_id, kind, status, review_status, count(*) FROM p GROUP BY 1, 2, 3, 4
