"""Label quality: grouped out-of-fold probabilities and cleanlab finding injected label noise."""

import sys

import numpy as np
import pandas as pd
import pytest

from nlp.cli import main
from nlp.review.quality import label_issues, out_of_fold_proba
from nlp.settings import STATUSES

# Clear classes: each status has its own phrases; every narrative is two of them among filler words.
KEYS = {
    "done": ["тушаалаар батлуулсан", "цахим хуудсанд байршуулсан", "сургалтад 45 албан хаагч хамрагдсан",
             "тайланг хүргүүлсэн", "мэдүүлгийг бүрэн гаргасан", "хуралдаанаар хэлэлцэж баталсан"],
    "partial": ["эхний шатыг гүйцэтгэсэн", "үргэлжлүүлэн хийгдэж байна", "төслийг боловсруулж байна",
                "хагас хувь нь хийгдсэн", "дараа онд үргэлжлүүлнэ", "батлуулах шатандаа явж байна"],
    "blocked_staffing": ["сул орон тоотой", "мэргэжилтэн жирэмсний амралттай", "орон тоо батлагдаагүй",
                         "ажилтан халагдсан", "хүний нөөц дутмаг", "хавсран гүйцэтгэдэг"],
    "not_done": ["хэрэгжүүлээгүй", "төсөв хүрэлцээгүй", "зохион байгуулаагүй", "хийгдээгүй орхигдсон",
                 "чиглэл ирээгүй тул хийгээгүй", "хугацаа хэтэрч хийгээгүй"],
    "not_applicable": ["тохиолдол гараагүй", "өргөдөл ирээгүй", "хамааралгүй байгууллага",
                       "хүсэлт гаргасан иргэн байхгүй", "ийм үйл ажиллагаа явуулдаггүй", "шаардлага үүсээгүй"],
    "no_evidence": ["анхааран ажиллаж байна", "хяналт тавьж ажилладаг", "зохих журмын дагуу",
                    "тогтмол ажиллаж байна", "мөрдөн ажиллаж байна", "байнга анхаардаг"],
}
FILLER = ["байгууллагын", "хүрээнд", "тайлант", "онд", "холбогдох", "ажлын", "хэсэг", "удирдлагын", "дагуу",
          "албан", "хаагчдын", "дунд", "төлөвлөгөөний", "нийт", "хэлтэс", "газар"]
FAST = {"calibration": None}


def corpus(n_orgs=6, per_org=24, seed=0) -> pd.DataFrame:
    rng = np.random.RandomState(seed)
    rows = []
    for o in range(n_orgs):
        for i in range(per_org):
            s = STATUSES[(o * per_org + i) % 6]
            words = list(rng.choice(KEYS[s], 2, replace=False)) + list(rng.choice(FILLER, 3, replace=False))
            rng.shuffle(words)
            rows.append({"org_id": f"org{o}", "org_type": "soum_governor", "measure": "Авлигын эсрэг арга хэмжээ.",
                         "narrative": " ".join(words) + ".", "reported_percent": "100", "status": s,
                         "split": "train"})
    return pd.DataFrame(rows)


def flip(df, share=0.1, seed=1):
    rng = np.random.RandomState(seed)
    idx = np.sort(rng.choice(len(df), int(round(share * len(df))), replace=False))
    out = df.copy()
    for i in idx:
        out.at[i, "status"] = rng.choice([s for s in STATUSES if s != df.at[i, "status"]])
    return out, idx


def test_injected_noise_is_found_by_label_issues_cli(tmp_path, capsys):
    noisy, flipped = flip(corpus(per_org=20))
    src = tmp_path / "labels.csv"
    noisy.to_csv(src, index=False)
    before = src.read_bytes()
    out = tmp_path / "issues.csv"
    assert main(["label", "issues", str(src), "--encoder", "none", "--folds", "3", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "3-fold by organisation" in printed
    issues = pd.read_csv(out, keep_default_na=False)
    found = set(issues["line"] - 2)  # line 2 is the first data row
    caught = found & set(flipped)
    assert len(caught) >= 0.75 * len(flipped), (len(caught), len(flipped))
    assert len(caught) >= 0.7 * len(found), "most rows listed are real flips"
    for r in issues.itertuples():
        i = r.line - 2
        assert r.given_status == noisy.at[i, "status"] and r.narrative == noisy.at[i, "narrative"]
    true = {i: corpus(per_org=20).at[i, "status"] for i in caught}
    right = sum(issues.set_index("line").at[i + 2, "suggested_status"] == s for i, s in true.items())
    assert right >= 0.8 * len(caught), "the suggested status is mostly the original one"
    assert list(issues["label_quality"]) == sorted(issues["label_quality"])
    assert src.read_bytes() == before  # nothing dropped or rewritten


def test_out_of_fold_models_never_see_the_rows_organisation():
    df = corpus(n_orgs=4, per_org=12)
    df.loc[0, "narrative"] = ""
    proba, fold, how = out_of_fold_proba(df, n_splits=4, classifier=FAST)
    assert how == "4-fold by organisation"
    assert (df.groupby("org_id").apply(lambda g: fold[g.index].min() == fold[g.index].max(),
                                       include_groups=False)).all()
    assert np.allclose(proba.sum(axis=1), 1.0)
    assert proba[0, STATUSES.index("no_evidence")] == 1.0  # empty narrative: no_evidence by rule


def test_rotate_keeps_the_other_rows_in_training():
    df = corpus(n_orgs=4, per_org=12)
    rotate = (df["org_id"] == "org3").to_numpy() | (df["org_id"] == "org2").to_numpy()
    proba, fold, _ = out_of_fold_proba(df, rotate=rotate, n_splits=2, classifier=FAST)
    assert np.isnan(proba[~rotate]).all() and (fold[~rotate] == -1).all()
    assert not np.isnan(proba[rotate]).any() and set(fold[rotate]) == {0, 1}


def test_clean_labels_give_few_issues():
    issues, _ = label_issues(corpus(), n_splits=3, classifier=FAST)
    assert len(issues) <= 3


def test_missing_cleanlab_gives_an_install_hint(monkeypatch):
    monkeypatch.setitem(sys.modules, "cleanlab.filter", None)
    with pytest.raises(Exception, match=r"pip install 'biyelelt\[quality\]'"):
        label_issues(corpus(n_orgs=2, per_org=6))
