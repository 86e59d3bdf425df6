"""The web app's words: a small Mongolian–English catalogue.

Монгол хэл анхдагч, англи хэл сонголтоор / Mongolian by default, English on request.
Every text the app shows is looked up here by key with :func:`translate`; a key missing in
one language falls back to the other, and a missing key shows the key itself (never an error).
"""

from __future__ import annotations

from ..settings import STATUS_MN, STATUSES

__all__ = ["LANGUAGES", "DEFAULT_LANGUAGE", "MESSAGES", "STATUS_EN", "translate", "status_name"]

LANGUAGES = ("mn", "en")
DEFAULT_LANGUAGE = "mn"

#: English names of the statuses (the Mongolian ones are :data:`nlp.settings.STATUS_MN`).
STATUS_EN: dict[str, str] = {
    "done": "Done",
    "partial": "In progress / partly done",
    "blocked_staffing": "Not done: staffing",
    "not_done": "Not done",
    "not_applicable": "Not applicable",
    "no_evidence": "No evidence",
}

#: key → (Mongolian, English). ``{name}`` fields are filled by :func:`translate`.
MESSAGES: dict[str, tuple[str, str]] = {
    "app.title": ("Биелэлтийн тайлангийн шалгалт", "Implementation report audit"),
    "nav.home": ("Нүүр", "Home"),
    "nav.folders": ("Хавтас сонгох", "Pick a folder"),
    "nav.models": ("Загвар", "Models"),
    "lang.switch": ("Хэл", "Language"),
    "footer": ("biyelelt · зөвхөн энэ компьютер дээр ажиллана; тайлан гадагш илгээгдэхгүй",
               "biyelelt · runs on this computer only; no report leaves it"),

    # auditor
    "auditor.is": ("Аудитор: {name}", "Auditor: {name}"),
    "auditor.change": ("солих", "change"),
    "auditor.name": ("Таны нэр", "Your name"),
    "auditor.ask": ("Шошго хадгалахын өмнө нэрээ нэг удаа бичнэ үү; энэ хөтөч хаагдах хүртэл санана.",
                    "Give your name once before saving labels; this browser session keeps it."),
    "auditor.save": ("Хадгалах", "Save"),
    "auditor.saved": ("Аудиторын нэр: {name}", "Auditor's name: {name}"),
    "auditor.missing": ("Аудиторын нэрээ бичнэ үү", "Please give the auditor's name"),

    # home
    "home.title": ("Тайлан үнэлэх", "Score reports"),
    "home.model": ("Загвар", "Model"),
    "home.model_missing": ("Загвар ачаалагдсангүй: {error}", "The model did not load: {error}"),
    "home.model_loaded": ("{version} (кодлогч: {encoder})", "{version} (encoder: {encoder})"),
    "home.model_lazy": ("анхны үнэлгээнд ачаална", "loaded at the first scoring"),
    "upload.title": ("Файл оруулах", "Upload files"),
    "upload.help": ("Тайлангийн файлууд (.docx, .xlsx, .csv, .txt, .html, .pdf) эсвэл бүхэл хавтас. Нэг файл "
                    "{file_mb} МБ, нийтдээ {request_mb} МБ хүртэл.",
                    "Report files (.docx, .xlsx, .csv, .txt, .html, .pdf) or a whole folder. Up to {file_mb} MB "
                    "per file, {request_mb} MB in all."),
    "upload.files": ("Файлууд", "Files"),
    "upload.folder": ("эсвэл бүхэл хавтас", "or a whole folder"),
    "upload.submit": ("Оруулаад үнэлэх", "Upload and score"),
    "upload.none": ("Файл сонгоогүй байна", "No file was chosen"),
    "upload.too_big_file": ("файл хэт том (нэг файл {limit} МБ хүртэл), уншаагүй",
                            "file too large (at most {limit} MB per file), not read"),
    "upload.too_big_request": ("Оруулсан файлууд нийтдээ хэт том (нэг удаад {limit} МБ хүртэл). Цөөн файлаар "
                               "хэд хуваан оруулна уу.",
                               "The upload is too large (at most {limit} MB at once). Upload fewer files at a "
                               "time."),
    "upload.bad_name": ("файлын нэр буруу, уншаагүй", "unusable file name, not read"),
    "upload.nothing_left": ("Уншиж болох файл үлдсэнгүй", "No file was left to read"),
    "folder.title": ("Хавтас сонгох", "Pick a folder"),
    "folder.help": ("Энэ компьютер дээрх зөвшөөрсөн хавтсын доторх хавтсыг сонгоно (доторх бүх файлыг, "
                    "дэд хавтастай нь уншина). Замаас он/аймаг/сум (2024/<аймаг>/<сум>/…) таньж шүүлтүүрт ашиглана.",
                    "Pick a folder inside an allowed folder on this computer (every file inside it is read, "
                    "sub-folders included). Year/aimag/soum are taken from the path (2024/<aimag>/<soum>/…) for "
                    "the filters."),
    "folder.roots": ("Зөвшөөрсөн хавтас", "Allowed folders"),
    "folder.subfolders": ("Дэд хавтас", "Sub-folders"),
    "folder.files_here": ("Энд {n} тайлангийн файл (дэд хавтсыг тоолоогүй)",
                          "{n} report files here (sub-folders not counted)"),
    "folder.none": ("Дэд хавтас алга", "No sub-folders"),
    "folder.score": ("Энэ хавтсыг үнэлэх", "Score this folder"),
    "folder.outside": ("Зөвшөөрсөн хавтаснаас гадуурх зам: {path}", "A path outside the allowed folders: {path}"),
    "folder.missing": ("Хавтас олдсонгүй: {path}", "Folder not found: {path}"),
    "folder.up": ("дээш", "up"),
    "runs.title": ("Өмнөх үнэлгээнүүд", "Earlier runs"),
    "runs.none": ("Одоогоор үнэлгээ алга", "No runs yet"),
    "runs.when": ("Хэзээ", "When"),
    "runs.what": ("Юуг", "What"),
    "runs.state": ("Төлөв", "State"),
    "state.queued": ("дараалалд", "queued"),
    "state.running": ("ажиллаж байна", "running"),
    "state.done": ("дууссан", "done"),
    "state.failed": ("амжилтгүй", "failed"),
    "state.interrupted": ("тасалдсан", "interrupted"),

    # jobs
    "job.title.score": ("Үнэлж байна", "Scoring"),
    "job.title.retrain": ("Дахин сургаж байна", "Retraining"),
    "job.stage.queued": ("Өмнөх ажил дуусахыг хүлээж байна", "Waiting for the previous job to finish"),
    "job.stage.model": ("Загвар ачаалж байна", "Loading the model"),
    "job.stage.scoring": ("Уншиж, үнэлж байна", "Reading and scoring"),
    "job.stage.writing": ("Үр дүнг бичиж байна", "Writing the results"),
    "job.stage.training": ("Загвар сургаж, одоогийнхтой харьцуулж байна",
                           "Training and comparing with the current model"),
    "job.stage.done": ("Дууслаа", "Finished"),
    "job.stage.failed": ("Амжилтгүй боллоо", "Failed"),
    "job.files": ("{done} / {total} файл", "{done} / {total} files"),
    "job.embedded": ("шинээр кодолсон текст: {n}", "texts embedded: {n}"),
    "job.unknown": ("Ийм ажил алга (сервер дахин эхэлсэн байж болно)",
                    "No such job (the server may have restarted)"),
    "job.continue": ("Үр дүн рүү очих", "Go to the results"),
    "job.unexpected": ("Гэнэтийн алдаа", "Unexpected error"),

    # run / ranking
    "run.title": ("Тайлангийн эрэмбэ", "Report ranking"),
    "run.summary": ("{files} файл уншсан, {failed} уншигдаагүй · {rows} мөр · {flagged} тэмдэглэсэн · "
                    "{reports} тайлан",
                    "{files} files read, {failed} not read · {rows} rows · {flagged} flagged · {reports} reports"),
    "run.model": ("Загвар: {version}", "Model: {version}"),
    "run.downloads": ("Татах", "Download"),
    "run.dl.xlsx": ("Ажлын ном (report.xlsx)", "Workbook (report.xlsx)"),
    "run.dl.html": ("HTML тайлан (report.html)", "HTML page (report.html)"),
    "run.dl.rows": ("Бүх мөр (rows.csv)", "All rows (rows.csv)"),
    "run.failures": ("Уншигдаагүй файлууд", "Files not read"),
    "run.warnings": ("Анхааруулга ({n})", "Warnings ({n})"),
    "run.not_ready": ("Энэ үнэлгээ дуусаагүй эсвэл амжилтгүй болсон", "This run has not finished or failed"),
    "run.missing": ("Үнэлгээ олдсонгүй", "Run not found"),
    "run.error": ("Алдаа: {error}", "Error: {error}"),
    "run.no_rows": ("Нэг ч мөр уншигдсангүй", "No row was read"),
    "filter.title": ("Шүүлтүүр", "Filters"),
    "filter.aimag": ("Аймаг/нийслэл", "Aimag/capital"),
    "filter.kind": ("Байгууллагын төрөл", "Organisation kind"),
    "filter.year": ("Он", "Year"),
    "filter.q": ("Хайх (нэр, файл)", "Search (name, file)"),
    "filter.flagged": ("Зөвхөн тэмдэглэсэн мөртэй", "Only with flagged rows"),
    "filter.all": ("бүгд", "all"),
    "filter.apply": ("Шүүх", "Apply"),
    "filter.clear": ("Цэвэрлэх", "Clear"),
    "filter.shown": ("{shown} / {total} тайлан", "{shown} of {total} reports"),
    "filter.note": ("Аймаг, сум, он нь файлын замаас (2024/<аймаг>/<сум>/…) эсвэл тайлангийн гарчгаас; "
                    "байгууллагын төрлийг байгууллагын нэр, файлын нэрийн түлхүүр үгээр (сургууль, эмнэлэг, яам, "
                    "ЗДТГ…) таамагласан; олдоогүй бол «—».",
                    "Aimag, soum and year come from the file path (2024/<aimag>/<soum>/…) or the report's title; "
                    "the organisation kind is guessed from keywords in the organisation's or the file's name "
                    "(school, hospital, ministry, governor's office…); «—» when none is found."),
    "page.prev": ("← өмнөх", "← previous"),
    "page.next": ("дараах →", "next →"),
    "page.of": ("{page} / {pages} хуудас", "page {page} of {pages}"),
    "col.rank": ("Эрэмбэ", "Rank"),
    "col.report": ("Тайлан", "Report"),
    "col.org": ("Байгууллага", "Organisation"),
    "col.kind": ("Төрөл", "Kind"),
    "col.aimag": ("Аймаг", "Aimag"),
    "col.soum": ("Сум/дүүрэг", "Soum/district"),
    "col.year": ("Он", "Year"),
    "col.n_rows": ("Мөр", "Rows"),
    "col.n_flagged": ("Тэмдэг\u00adлэсэн", "Flagged"),
    "col.share_flagged": ("Тэмдэг\u00adлэсэн %", "Flagged %"),
    "col.reported_mean": ("Тайлаг\u00adнасан дундаж", "Reported mean"),
    "col.predicted_mean": ("Нотол\u00adгооны дундаж", "Pre\u00addicted mean"),
    "col.inconsistency": ("Зөрүү\u00adний индекс", "Incon\u00adsistency"),
    "col.row": ("№", "№"),
    "col.measure": ("Арга хэмжээ", "Measure"),
    "col.narrative": ("Биелэлт", "Narrative"),
    "col.reported": ("Тайлаг\u00adнасан %", "Reported %"),
    "col.status": ("Загварын төлөв", "Model's status"),
    "col.predicted": ("Нотол\u00adгооны оноо", "Predicted score"),
    "col.gap": ("Зөрүү", "Gap"),
    "col.reasons": ("Шалтгаан", "Reasons"),
    "col.label": ("Аудиторын шийдвэр", "Auditor's judgement"),
    "sort.by": ("Эрэмбэлэх", "Sort"),

    # report page
    "report.title": ("Тайлан: {report}", "Report: {report}"),
    "report.back": ("← эрэмбэ рүү", "← back to the ranking"),
    "report.facts": ("{rows} мөр · {flagged} тэмдэглэсэн · зөрүүний индекс {inconsistency} · эрэмбэ {rank}",
                     "{rows} rows · {flagged} flagged · inconsistency {inconsistency} · rank {rank}"),
    "report.file": ("Файл", "File"),
    "report.only_flagged": ("Тэмдэглэсэн ба шалгах мөр", "Flagged and review rows"),
    "report.all_rows": ("Бүх мөр", "All rows"),
    "report.missing": ("Тайлан олдсонгүй", "Report not found"),
    "report.flag": ("тэмдэглэсэн", "flagged"),
    "report.review": ("шалгах", "review"),
    "report.flag_help": ("Ягаан мөр: тайлагнасан хувь нотолгооны онооноос {threshold}+ пунктээр их (эсвэл "
                         "хамаарахгүй мөрт өндөр хувь) гэдэгт загвар итгэлтэй. Шар мөр («шалгах»): хэтрүүлсэн "
                         "байж магадгүй ч загвар эргэлзэж байгаа тул аудитор шийднэ.",
                         "Pink rows: the model is confident the reported percent exceeds the evidence-based score "
                         "by {threshold}+ points (or a high percent on a not-applicable row). Yellow rows "
                         "(“review”): possibly overstated, but the model is unsure, so an auditor decides."),
    "report.reasons_mn": ("Шалтгааныг монголоор бичдэг.", "Reasons are written in Mongolian."),
    "label.status": ("Төлөв", "Status"),
    "label.comment": ("Тайлбар", "Comment"),
    "label.save": ("Хадгалах", "Save"),
    "label.no_narrative": ("Биелэлт хоосон тул шошголох зүйлгүй (хоосон мөр дүрмээр «нотолгоогүй»)",
                           "Empty narrative, nothing to label (an empty row is no_evidence by rule)"),
    "label.latest": ("Сүүлийн шошго: {status} — {auditor}, {date}", "Latest label: {status} — {auditor}, {date}"),
    "label.history": ("{n} шошго", "{n} labels"),
    "label.saved": ("Шошго хадгалагдлаа: мөр {row} → {status}", "Label saved: row {row} → {status}"),
    "label.exists": ("Ийм шошго аль хэдийн байна: мөр {row} → {status}",
                     "This label is already stored: row {row} → {status}"),
    "label.bad_status": ("Үл мэдэгдэх төлөв", "Unknown status"),
    "label.bad_row": ("Мөр олдсонгүй", "Row not found"),
    "label.store": ("Шошгын сан: {path}", "Label store: {path}"),

    # models
    "models.title": ("Загвар, дахин сургалт", "Models and retraining"),
    "models.current": ("Одоогийн загвар", "Current model"),
    "models.list": ("Загварууд ({root})", "Models ({root})"),
    "models.none": ("Загвар алга", "No models"),
    "models.name": ("Нэр", "Name"),
    "models.encoder": ("Кодлогч", "Encoder"),
    "models.rows": ("Сургалтын мөр", "Training rows"),
    "models.f1": ("macro-F1 (тусдаа)", "macro-F1 (held-out)"),
    "models.auditor_rows": ("Аудиторын мөр", "Auditor rows"),
    "models.default": ("анхдагч", "default"),
    "models.use": ("Анхдагч болгох", "Make default"),
    "models.used": ("Анхдагч загвар: {name}", "Default model: {name}"),
    "models.pinned": ("Сервер --model {path}-аар эхэлсэн тул үнэлгээ тэр загвараар хийгдсээр байна.",
                      "The server was started with --model {path}, so scoring keeps using that model."),
    "retrain.title": ("Дахин сургах", "Retrain"),
    "retrain.help": ("Шошготой өгөгдөл ({sources}) болон шошгын сангийн {n} шошгоор шинэ загвар сургаж, одоогийн "
                     "загвартай тусдаа байгууллагууд болон аудиторын шошго дээр харьцуулна. Анхдагчийг өөрөө "
                     "солихгүй.",
                     "Train a new model on the labelled data ({sources}) and the {n} labels in the label store, "
                     "and compare it with the current model on the held-out organisations and the auditors' "
                     "labels. The default is not switched by itself."),
    "retrain.name": ("Шинэ загварын нэр", "New model's name"),
    "retrain.start": ("Сургаж эхлэх", "Start retraining"),
    "retrain.bad_name": ("Загварын нэр зөвхөн латин үсэг, тоо, «-», «_», «.» (1–64 тэмдэгт)",
                         "A model name uses only Latin letters, digits, '-', '_' and '.' (1–64 characters)"),
    "retrain.exists": ("Ийм нэртэй загвар байна: {name}", "A model with this name exists: {name}"),
    "retrain.no_labels": ("Сургах шошго алга", "No labels to train on"),
    "compare.title": ("Харьцуулалт: {new} ба одоогийн {current}", "Comparison: {new} against the current {current}"),
    "compare.none": ("Харьцуулалт алга (одоогийн загвар байгаагүй эсвэл мөр алга)",
                     "No comparison (no current model, or no rows)"),
    "compare.block": ("Мөрүүд", "Rows"),
    "compare.metric": ("Хэмжүүр", "Metric"),
    "compare.current": ("Одоогийн", "Current"),
    "compare.new": ("Шинэ", "New"),
    "compare.change": ("Өөрчлөлт", "Change"),
    "compare.held_out": ("тусдаа байгууллагууд", "held-out organisations"),
    "compare.auditor_cv": ("аудиторын шошго (хөндлөн шалгалт)", "auditor-labelled rows (cross-validation)"),
    "compare.cv_note": ("Шинэ загварыг аудиторын мөр бүр дээр тэр мөрийг хараагүйгээр (байгууллагаар бүлэглэсэн "
                        "хөндлөн шалгалт) үнэлэв; одоогийн загвар эдгээрийн заримаар сурсан байж болно.",
                        "The new recipe is scored on each auditor-labelled row without having seen it "
                        "(cross-validation grouped by organisation); the current model may have been trained on "
                        "some of them."),

    # errors and access
    "error.title": ("Алдаа", "Error"),
    "error.csrf": ("Маягтын хугацаа дууссан эсвэл өөр сайтаас илгээсэн тул хүлээж аваагүй. Хуудсыг дахин "
                   "ачаалаад оролдоно уу.",
                   "The form was refused: it expired or came from another site. Reload the page and try again."),
    "error.origin": ("Өөр сайтаас ирсэн хүсэлтийг хүлээж авахгүй", "Requests from another site are refused"),
    "error.host": ("Энэ хаягаар хандах боломжгүй (зөвхөн localhost / 127.0.0.1)",
                   "This address is not allowed (only localhost / 127.0.0.1)"),
    "error.not_found": ("Хуудас олдсонгүй", "Page not found"),
    "error.bad_request": ("Буруу хүсэлт", "Bad request"),
    "error.home": ("Нүүр хуудас руу", "To the home page"),
    "auth.title": ("Нэвтрэх түлхүүр", "Access token"),
    "auth.help": ("Энэ сервер нэвтрэх түлхүүр шаардана. Серверийг эхлүүлсэн хүнээс түлхүүрийг авна уу.",
                  "This server needs an access token. Ask the person who started it."),
    "auth.token": ("Түлхүүр", "Token"),
    "auth.submit": ("Нэвтрэх", "Enter"),
    "auth.wrong": ("Түлхүүр буруу байна", "Wrong token"),

    # organisation kinds (guessed from names)
    "kind.ministry": ("Яам", "Ministry"),
    "kind.aimag_governor": ("Аймгийн ЗДТГ", "Aimag governor's office"),
    "kind.soum_governor": ("Сумын ЗДТГ", "Soum governor's office"),
    "kind.district_governor": ("Дүүргийн ЗДТГ", "District governor's office"),
    "kind.khoroo": ("Хороо, баг", "Khoroo or bag"),
    "kind.school": ("Сургууль", "School"),
    "kind.kindergarten": ("Цэцэрлэг", "Kindergarten"),
    "kind.vocational": ("МСҮТ", "Vocational centre"),
    "kind.hospital": ("Эмнэлэг", "Hospital"),
    "kind.health_centre": ("ЭМТ", "Health centre"),
    "kind.police": ("Цагдаа", "Police"),
    "kind.court": ("Шүүх", "Court"),
    "kind.prosecutor": ("Прокурор", "Prosecutor"),
    "kind.tax": ("Татвар", "Tax office"),
    "kind.customs": ("Гааль", "Customs"),
    "kind.emergency": ("Онцгой байдал", "Emergency service"),
    "kind.inspection": ("Мэргэжлийн хяналт", "Inspection agency"),
    "kind.social_insurance": ("Нийгмийн даатгал", "Social insurance"),
    "kind.welfare": ("Халамж", "Welfare"),
    "kind.land_office": ("Газрын алба", "Land office"),
    "kind.culture_centre": ("Соёлын төв", "Culture centre"),
    "kind.soe": ("Төрийн өмчит компани", "State-owned company"),
    "kind.agency": ("Агентлаг, газар", "Agency"),
    "kind.unknown": ("—", "—"),
}


def translate(key: str, lang: str = DEFAULT_LANGUAGE, **fields) -> str:
    """The text of ``key`` in ``lang`` (``"mn"`` or ``"en"``), with ``fields`` filled in.

    A missing key gives the key itself, so a typo shows on the page instead of failing it.
    """
    pair = MESSAGES.get(key)
    if pair is None:
        return key
    text = pair[1] if lang == "en" else pair[0]
    if fields:
        try:
            text = text.format(**fields)
        except (KeyError, IndexError, ValueError):
            pass
    return text


def status_name(status: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """A status as shown: ``"Бүрэн хэрэгжсэн"`` / ``"Done"``; an unknown code as is."""
    if status not in STATUSES:
        return str(status)
    return STATUS_EN[status] if lang == "en" else STATUS_MN[status]
