"""Write data/labelled/seed_soum_taragt.csv: the bundled seed report's rows, labelled by docs/labels.md.

The narratives come from the reader (nlp.read) applied to data/examples/; the labels
below were assigned by hand by the team, one per measure, following the label guide.

Usage: python data/make_seed_labels.py
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))

from nlp.learn.labelled import LABEL_COLUMNS, rubric_scores  # noqa: E402
from nlp.read import read_file  # noqa: E402

# measure_no -> status, decided by hand with the label guide (reason in the comment).
LABELS = {
    "1.1.1": "done",             # skill bonuses to 4 officers, disciplinary rule applied
    "1.1.2": "done",             # 5 nominees' ХАСУМ checked by АТГ before appointment
    "1.1.3": "done",             # documents sent with the official letter
    "1.1.4": "done",             # vacancy announced through ТАСЗ, shared online
    "1.2.1": "done",             # 1 officer certified, online trainings attended
    "1.2.2": "not_done",         # measure is to build a module; "no one asked" is not n/a
    "1.2.3": "done",             # 3 officers trained, advice given to named institutions
    "1.3.1": "partial",          # committee renewed, 1 event, but could not operate regularly
    "1.3.2": "done",             # working group inspected, findings fixed
    "2.1.1": "partial",          # trainings and advice, but the list of e-services not renewed
    "2.3.1; 2.3.2; 2.3.3": "blocked_staffing",  # not organised because of vacancies and turnover
    "3.1.1": "done",             # 1013 items on Шилэн данс, tender.gov.mn, inspections
    "3.1.2": "no_evidence",      # empty
    "3.2.1": "done",             # 568 + 41 citizens' proposals, 368 at meetings
    "3.2.2": "no_evidence",      # empty after the page-break join
    "3.2.3": "not_applicable",   # "байхгүй" for a reactive measure (recovering damages)
    "6.1.1": "partial",          # citizens in acceptance groups; nothing on NGO oversight or funding
    "6.1.2": "done",             # plans approved by the governor, declarations, website
    "6.1.3": "no_evidence",      # empty
    "6.1.4": "no_evidence",      # empty
    "7.1.1": "done",             # yearly newspaper publication to every household
    "7.1.2": "done",             # АТГ materials shared, posters and the 110 line displayed
    "4.1.1": "done",             # plan on tender.gov.mn, all tenders electronic
    "4.1.2": "no_evidence",      # empty
    "4.1.3": "done",             # tender results and audit results published on the website
    "5.1.1": "done",             # priorities approved, 112 million ₮ to 16 citizens
}


def main() -> None:
    rows = read_file(ROOT / "examples" / "000_1fb14d448e6d2ac5.txt")
    missing = set(rows["measure_no"]) ^ set(LABELS)
    if missing:
        raise SystemExit(f"seed rows and labels differ: {sorted(missing)}")
    out = rows.assign(org_id="seed_soum_taragt", org_type="soum_governor", year="2024",
                      narrative=rows["narrative_raw"], reported_percent=rows["reported_raw"])
    out["status"] = out["measure_no"].map(LABELS)
    out["score"] = rubric_scores(out["status"])
    out["split"] = "train"
    out[list(LABEL_COLUMNS)].to_csv(ROOT / "labelled" / "seed_soum_taragt.csv", index=False, encoding="utf-8")
    print(f"{len(out)} rows written")


if __name__ == "__main__":
    main()
