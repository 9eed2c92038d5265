"""SOP profiles: each village/kecamatan/dinas SOP for complaint handling, kept as data.

A profile (``profiles/<id>.toml``) says which stages a complaint passes through, which
register column records each stage's date, the time standard of each stage, the overall
deadlines, the vocabulary petugas use (channels, categories, urgencies, outcomes) and the
office calendar. Keeping SOPs as data lets a desa adopt the app by writing one TOML file
instead of changing code. Reading the TOML files is the only I/O of this module.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import tomllib
import zoneinfo
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from metrics.answer_templates import AnswerTemplate, template_problems
from metrics.columns import HEADER_AFTER_STAGES, HEADER_BEFORE_STAGES, TEMPLATE_HEADER, column_key
from metrics.durations import Duration, parse_duration
from metrics.errors import PantauError

PROFILES_DIR = Path(__file__).resolve().parent.parent / "profiles"

UNITS = ("desa", "kecamatan", "dinas")
MILESTONES = ("diterima", "verifikasi", "disposisi", "tindak_lanjut", "jawaban", "selesai")
REQUIRED_MILESTONES = ("diterima", "jawaban", "selesai")
RECEIPT_COLUMN = "Tanggal Diterima"

DAY_NAMES = {"senin": 0, "selasa": 1, "rabu": 2, "kamis": 3, "jumat": 4, "sabtu": 5, "minggu": 6}
_DEFAULT_OFFICE_HOURS_TEXT = {
    "senin": "07:30-16:00",
    "selasa": "07:30-16:00",
    "rabu": "07:30-16:00",
    "kamis": "07:30-16:00",
    "jumat": "07:30-11:30",
}
_DEFAULT_AT_RISK = "1 hari kerja"

_ID_RE = re.compile(r"^[a-z0-9_]+$")
_HOURS_RE = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*-\s*(\d{1,2})[:.](\d{2})\s*$")

_TOP_KEYS = {
    "id",
    "extends",
    "name",
    "unit",
    "unit_name",
    "kabupaten",
    "timezone",
    "source",
    "nomor_format",
    "required_elements",
    "officials",
    "calendar",
    "stages",
    "deadlines",
    "channels",
    "categories",
    "urgencies",
    "outcomes",
    *("documents", "meeting_stage", "berita_acara_format"),  # the SOP's paperwork (issue 15)
    "answer_templates",  # canned answers to the complainant (issue 16.4)
}
_STAGE_KEYS = {"key", "label", "actor", "column", "milestone", "standard", "aliases"}
_DEADLINE_KEYS = {"key", "label", "from", "to", "standard"}
_TERM_KEYS = {"key", "label", "aliases", "description"}
_CALENDAR_KEYS = {"office_hours", "extra_holidays", "at_risk_window"}
_DOCUMENT_KEYS = {"kind", "stage", "audience", "label"}
_ANSWER_KEYS = {"key", "label", "text", "categories"}
# The SOP's paperwork: document kind -> (label, default audience). Audience says who may read
# the document, and so which personal data it may carry: "public" (e.g. an invitation to other
# parties: the complainant's identity masked), "complainant" (handed to the complainant) or
# "internal" (kept by the office: full identity only for roles that handle the complaint).
DOCUMENT_KINDS: dict[str, tuple[str, str]] = {
    "formulir_pengaduan": ("Formulir Pengaduan", "internal"),  # kept by the office, signed by both
    "tanda_terima": ("Tanda Terima Pengaduan", "complainant"),
    "lembar_disposisi": ("Lembar Disposisi", "internal"),
    "surat_undangan": ("Surat Undangan Rapat", "public"),
    "daftar_hadir": ("Daftar Hadir Rapat", "internal"),
    "notulen": ("Notulen Rapat", "internal"),
    "berita_acara": ("Berita Acara Rapat Pembahasan Pengaduan", "internal"),
    "laporan_hasil_rapat": ("Laporan Hasil Rapat", "internal"),
    "surat_jawaban": ("Surat Jawaban Pengaduan", "complainant"),
}
AUDIENCES = ("public", "complainant", "internal")
_TERM_LISTS = {
    "channels": "saluran",
    "categories": "kategori",
    "urgencies": "urgensi",
    "outcomes": "jenis penyelesaian",
}


@dataclass(frozen=True)
class Term:
    """One entry of a vocabulary (channel, category, urgency, outcome) with the spellings petugas type."""

    key: str
    label: str
    aliases: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True)
class Stage:
    """One SOP step whose date is recorded in its own register column.

    ``standard`` is the SOP's time limit for this step, measured from the previous stage's
    date; on the first stage (the receipt, where the clock starts) there is no earlier date,
    so a standard there is kept as the SOP writes it but cannot be measured.
    """

    key: str
    label: str
    actor: str
    column: str
    column_key: str
    milestone: str | None = None
    standard: Duration | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Deadline:
    """An overall limit between two stages (e.g. answer within 14 days of receipt)."""

    key: str
    label: str
    from_stage: str
    to_stage: str
    standard: Duration


@dataclass(frozen=True)
class DocumentSpec:
    """One document the SOP produces: its kind (``DOCUMENT_KINDS``), the stage at which it is
    due (a stage key) and who reads it (``AUDIENCES``)."""

    kind: str
    stage: str
    audience: str
    label: str


@dataclass(frozen=True)
class CalendarConfig:
    """Office calendar of the unit: opening hours per weekday (0 = Monday) and local holidays."""

    office_hours: dict[int, tuple[dt.time, dt.time]]
    extra_holidays: tuple[dt.date, ...] = ()
    at_risk_window: Duration = field(default_factory=lambda: Duration(1, "hari_kerja"))

    def __hash__(self) -> int:
        # Profiles are used as cache keys; the office-hours dict is hashed by content.
        return hash((tuple(sorted(self.office_hours.items())), self.extra_holidays, self.at_risk_window))


@dataclass(frozen=True)
class Profile:
    """A complete SOP: stages, deadlines, vocabularies and calendar of one unit."""

    id: str
    name: str
    unit: str
    unit_name: str
    kabupaten: str
    timezone: str
    source: str
    nomor_format: str
    required_elements: tuple[str, ...]
    officials: tuple[str, ...]
    stages: tuple[Stage, ...]
    deadlines: tuple[Deadline, ...]
    channels: tuple[Term, ...]
    categories: tuple[Term, ...]
    urgencies: tuple[Term, ...]
    outcomes: tuple[Term, ...]
    calendar: CalendarConfig
    documents: tuple[DocumentSpec, ...] = ()
    meeting_stage: str | None = None  # stage key of the review meeting (rapat pembahasan), if any
    berita_acara_format: str = ""  # numbering of the meeting's berita acara (fields as nomor_format)
    answer_templates: tuple[AnswerTemplate, ...] = ()  # canned answers (metrics.answer_templates)

    def answer_templates_for(self, category: object) -> tuple[AnswerTemplate, ...]:
        """The answer templates that fit a complaint of ``category`` (key, label or alias; a
        complaint without a known category gets the templates for every category)."""
        wanted = column_key(str(category or ""))
        term = next(
            (c for c in self.categories if wanted in {column_key(x) for x in (c.key, c.label, *c.aliases)}),
            None,
        )
        if term is None:
            return tuple(a for a in self.answer_templates if not a.categories)
        return tuple(a for a in self.answer_templates if a.fits(term.key))

    def documents_until(self, stage_key: str) -> tuple[DocumentSpec, ...]:
        """The documents due at ``stage_key`` or an earlier stage (what a complaint there may need)."""
        position = self.stage_index(stage_key)
        return tuple(d for d in self.documents if self.stage_index(d.stage) <= position)

    def document(self, kind: str) -> DocumentSpec | None:
        for spec in self.documents:
            if spec.kind == kind:
                return spec
        return None

    def stage(self, key: str) -> Stage:
        """The stage with this key; KeyError names the known keys (a programming error, not user input)."""
        for stage in self.stages:
            if stage.key == key:
                return stage
        raise KeyError(f"tahap '{key}' tidak ada di profil '{self.id}' (ada: {', '.join(self.stage_keys)})")

    def milestone_stage(self, name: str) -> Stage | None:
        """The stage marking a common milestone (``diterima``, ``jawaban``, ...), if this SOP has it.

        Metrics speak of milestones so they work for every SOP whatever its own step names.
        """
        for stage in self.stages:
            if stage.milestone == name:
                return stage
        return None

    def stage_index(self, key: str) -> int:
        """Position of the stage in SOP order (0 = receipt)."""
        return self.stage_keys.index(self.stage(key).key)

    @property
    def stage_keys(self) -> tuple[str, ...]:
        return tuple(stage.key for stage in self.stages)


# --------------------------------------------------------------------------------------------
# Loading


def available_profiles(directory: Path | str = PROFILES_DIR) -> list[str]:
    """Ids of the profiles in ``directory`` (file names without ``.toml``), sorted."""
    path = Path(directory)
    if not path.is_dir():
        return []
    return sorted(p.stem for p in path.glob("*.toml") if _ID_RE.match(p.stem))


def load_profile(profile_id: str, directory: Path | str = PROFILES_DIR) -> Profile:
    """Read, resolve ``extends`` and validate profile ``profile_id``; raise PantauError listing every mistake.

    Cached: profiles are read once per process (they change only with a deploy).
    """
    return _load_profile_cached(str(profile_id), Path(directory))


def profile_ids(extra_dirs: Iterable[Path | str] = ()) -> list[str]:
    """Ids of the bundled profiles and of those in ``extra_dirs`` (a profiles folder in settings)."""
    found = set(available_profiles())
    for directory in extra_dirs:
        found.update(available_profiles(directory))
    return sorted(found)


def find_profile(profile_id: str, extra_dirs: Iterable[Path | str] = ()) -> Profile:
    """Load ``profile_id`` from the first of ``extra_dirs`` holding it, else from the bundled folder.

    Adding a profile is adding a file: no id is listed in code."""
    for directory in extra_dirs:
        if (Path(directory) / f"{profile_id}.toml").is_file():
            return load_profile(profile_id, directory)
    return load_profile(profile_id)


@functools.lru_cache(maxsize=64)
def _load_profile_cached(profile_id: str, directory: Path) -> Profile:
    path = directory / f"{profile_id}.toml"
    if not _ID_RE.match(profile_id) or not path.is_file():
        available = available_profiles(directory)
        raise PantauError(
            f"Profil SOP '{profile_id}' tidak dikenal. Profil yang tersedia: "
            f"{', '.join(available) if available else '(tidak ada)'}."
        )
    problems: list[str] = []
    data = _resolved_data(profile_id, directory, problems)
    header = f"Profil SOP '{profile_id}' tidak valid (file {path}):"
    if data is None:
        raise PantauError(header, problems=problems)
    try:
        profile = parse_profile(data, profile_id)
    except PantauError as exc:
        raise PantauError(header, problems=problems + exc.problems) from None
    if problems:
        raise PantauError(header, problems=problems)
    return profile


def _read_toml(path: Path, problems: list[str]) -> dict[str, Any] | None:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        problems.append(f"{path.name}: penulisan TOML salah: {exc}")
    except OSError as exc:
        problems.append(f"{path.name}: file tidak dapat dibaca: {exc}")
    return None


def _resolved_data(profile_id: str, directory: Path, problems: list[str]) -> dict[str, Any] | None:
    """The profile's TOML merged over its ``extends`` chain (child wins; tables merge key by key).
    A profile in a folder outside the repo may extend a bundled one (its own folder first)."""
    chain: list[dict[str, Any]] = []
    seen: list[str] = []
    current: str | None = profile_id
    while current is not None:
        if current in seen:
            problems.append(f"extends membentuk lingkaran: {' -> '.join([*seen, current])}")
            return None
        path = directory / f"{current}.toml"
        if seen and not path.is_file():
            path = PROFILES_DIR / f"{current}.toml"
        if not _ID_RE.match(current) or not path.is_file():
            problems.append(
                f"'{seen[-1]}' extends profil '{current}' yang tidak ada "
                f"(tersedia: {', '.join(available_profiles(directory))})"
            )
            return None
        data = _read_toml(path, problems)
        if data is None:
            return None
        seen.append(current)
        chain.append(data)
        parent = data.get("extends")
        if parent is not None and not isinstance(parent, str):
            problems.append(f"{path.name}: 'extends' harus berupa teks id profil")
            return None
        current = parent
    merged: dict[str, Any] = {}
    for data in reversed(chain):
        for key, value in data.items():
            if isinstance(value, dict) and isinstance(merged.get(key), dict):
                merged[key] = {**merged[key], **value}
            else:
                merged[key] = value
    merged["id"] = chain[0].get("id", profile_id)
    merged.pop("extends", None)
    return merged


# --------------------------------------------------------------------------------------------
# Parsing and validation


def parse_profile(data: Mapping[str, Any], profile_id: str) -> Profile:
    """Build a Profile from TOML data (``extends`` already resolved), validating everything at once.

    Every mistake found is listed in one PantauError so the author fixes the file in one go.
    """
    problems: list[str] = []
    unknown = sorted(set(data) - _TOP_KEYS - {"extends"})
    if unknown:
        problems.append(
            f"kunci tidak dikenal: {', '.join(unknown)} (yang dikenal: {', '.join(sorted(_TOP_KEYS))})"
        )

    file_id = data.get("id", profile_id)
    if file_id != profile_id:
        problems.append(f"id '{file_id}' di dalam file tidak sama dengan nama file '{profile_id}'")

    name = _text(data, "name", problems)
    unit = _text(data, "unit", problems)
    if unit and unit not in UNITS:
        problems.append(f"unit '{unit}' tidak dikenal: gunakan {', '.join(UNITS)}")
    unit_name = _text(data, "unit_name", problems)
    kabupaten = _text(data, "kabupaten", problems, required=False)
    source = _text(data, "source", problems)
    timezone = _text(data, "timezone", problems, default="Asia/Jakarta")
    if timezone and not _valid_timezone(timezone):
        problems.append(
            f"zona waktu '{timezone}' tidak dikenal: gunakan nama IANA seperti Asia/Jakarta (WIB), Asia/Makassar (WITA) atau Asia/Jayapura (WIT)"
        )
    nomor_format = _text(data, "nomor_format", problems)
    if nomor_format:
        try:
            nomor_format.format(tahun=2024, bulan=1, urut=1, desa="Cibodas", kode_desa="CBD")
        except (KeyError, IndexError, ValueError) as exc:
            problems.append(
                f"nomor_format '{nomor_format}' tidak valid ({exc!s}): gunakan kolom {{tahun}}, {{bulan}}, {{urut}}"
                " dan bila perlu {kode_desa} atau {desa}"
            )

    required_elements = _text_list(data, "required_elements", problems)
    template_keys = {column_key(h) for h in TEMPLATE_HEADER}
    for element in required_elements:
        if element not in template_keys:
            problems.append(
                f"required_elements: '{element}' bukan kolom register (pilih dari {', '.join(sorted(template_keys))})"
            )
    officials = _text_list(data, "officials", problems)

    stages = _stages(data.get("stages"), problems)
    deadlines = _deadlines(data.get("deadlines"), stages, problems)
    terms = {name_: _terms(data.get(name_), name_, label, problems) for name_, label in _TERM_LISTS.items()}
    calendar = _calendar(data.get("calendar", {}), problems)
    documents = _documents(data.get("documents"), stages, problems)
    meeting_stage = _meeting_stage(data.get("meeting_stage"), stages, problems)
    berita_acara_format = _text(data, "berita_acara_format", problems, required=False)
    if berita_acara_format:
        try:
            berita_acara_format.format(tahun=2024, bulan=1, urut=1, desa="Cibodas", kode_desa="CBD")
        except (KeyError, IndexError, ValueError) as exc:
            problems.append(
                f"berita_acara_format '{berita_acara_format}' tidak valid ({exc!s}): gunakan kolom"
                " {tahun}, {bulan}, {urut} dan bila perlu {kode_desa} atau {desa}"
            )
        if "{urut" not in berita_acara_format:
            problems.append(
                f"berita_acara_format '{berita_acara_format}' harus memuat {{urut}} agar nomor unik"
            )
    answer_templates = _answer_templates(data.get("answer_templates"), terms["categories"], problems)
    if meeting_stage and not berita_acara_format:
        problems.append("meeting_stage diisi: 'berita_acara_format' (penomoran berita acara) wajib diisi")

    if problems:
        raise PantauError(f"Profil SOP '{profile_id}' tidak valid:", problems=problems)
    return Profile(
        id=profile_id,
        name=name,
        unit=unit,
        unit_name=unit_name,
        kabupaten=kabupaten,
        timezone=timezone,
        source=source,
        nomor_format=nomor_format,
        required_elements=tuple(required_elements),
        officials=tuple(officials),
        stages=tuple(stages),
        deadlines=tuple(deadlines),
        channels=terms["channels"],
        categories=terms["categories"],
        urgencies=terms["urgencies"],
        outcomes=terms["outcomes"],
        calendar=calendar,
        documents=documents,
        meeting_stage=meeting_stage,
        berita_acara_format=berita_acara_format,
        answer_templates=answer_templates,
    )


def _stage_ref(ref: Any, stages: list[Stage]) -> str | None:
    """A stage key, or a milestone name (so inherited lists fit SOPs with their own step keys)."""
    if not isinstance(ref, str):
        return None
    keys = {s.key for s in stages}
    if ref in keys:
        return ref
    return next((s.key for s in stages if s.milestone == ref), None)


def _documents(value: Any, stages: list[Stage], problems: list[str]) -> tuple[DocumentSpec, ...]:
    specs: list[DocumentSpec] = []
    seen: set[str] = set()
    for number, table in enumerate(_tables(value, "documents", problems), start=1):
        kind = table.get("kind")
        where = f"dokumen ke-{number}" + (f" '{kind}'" if isinstance(kind, str) else "")
        _unknown_keys(table, _DOCUMENT_KEYS, where, problems)
        if not isinstance(kind, str) or kind not in DOCUMENT_KINDS:
            problems.append(
                f"{where}: jenis dokumen (kind) {kind!r} tidak dikenal (gunakan {', '.join(DOCUMENT_KINDS)})"
            )
            continue
        if kind in seen:
            problems.append(f"{where}: jenis dokumen '{kind}' ditulis dua kali")
            continue
        seen.add(kind)
        stage = _stage_ref(table.get("stage"), stages)
        if stage is None:
            problems.append(
                f"{where}: tahap (stage) {table.get('stage')!r} tidak ada "
                f"(tahap: {', '.join(s.key for s in stages) or '-'}; atau nama milestone)"
            )
            continue
        default_label, default_audience = DOCUMENT_KINDS[kind]
        audience = table.get("audience", default_audience)
        if audience not in AUDIENCES:
            problems.append(f"{where}: audience {audience!r} tidak dikenal (gunakan {', '.join(AUDIENCES)})")
            continue
        label = _text(table, "label", problems, required=False, default=default_label, where=f"{where}: ")
        specs.append(DocumentSpec(kind, stage, audience, label or default_label))
    return tuple(specs)


def _answer_templates(
    value: Any, categories: tuple[Term, ...], problems: list[str]
) -> tuple[AnswerTemplate, ...]:
    """``[[answer_templates]]``: each names its key, label, text and (optionally) the categories
    it fits; an unknown category or placeholder is named."""
    found: list[AnswerTemplate] = []
    seen: set[str] = set()
    spellings = {column_key(x): c.key for c in categories for x in (c.key, c.label, *c.aliases)}
    for number, table in enumerate(_tables(value, "answer_templates", problems), start=1):
        key = table.get("key")
        where = f"templat jawaban ke-{number}" + (f" '{key}'" if isinstance(key, str) else "")
        _unknown_keys(table, _ANSWER_KEYS, where, problems)
        key = _text(table, "key", problems, where=f"{where}: ")
        label = _text(table, "label", problems, where=f"{where}: ")
        text = _text(table, "text", problems, where=f"{where}: ")
        if key and key in seen:
            problems.append(f"{where}: key '{key}' ditulis dua kali")
        seen.add(key)
        problems.extend(f"{where}: {problem}" for problem in template_problems(text))
        keys: list[str] = []
        for category in _text_list(table, "categories", problems, where=f"{where}: "):
            known = spellings.get(column_key(category))
            if known is None:
                problems.append(
                    f"{where}: kategori '{category}' tidak ada di profil "
                    f"(kategori: {', '.join(c.key for c in categories) or '-'})"
                )
            else:
                keys.append(known)
        found.append(AnswerTemplate(key, label, text, tuple(dict.fromkeys(keys))))
    return tuple(found)


def _meeting_stage(value: Any, stages: list[Stage], problems: list[str]) -> str | None:
    """The review meeting's stage (key or milestone); "" or absent = the SOP holds no meeting."""
    if value is None or value == "":
        return None
    stage = _stage_ref(value, stages)
    if stage is None:
        problems.append(
            f"meeting_stage: tahap {value!r} tidak ada (tahap: {', '.join(s.key for s in stages) or '-'})"
        )
    return stage


def _text(
    data: Mapping[str, Any],
    key: str,
    problems: list[str],
    *,
    required: bool = True,
    default: str = "",
    where: str = "",
) -> str:
    value = data.get(key)
    if value is None:
        if required and not default:
            problems.append(f"{where}'{key}' wajib diisi")
        return default
    if not isinstance(value, str):
        problems.append(f"{where}'{key}' harus berupa teks, bukan {value!r}")
        return default
    if required and not value.strip():
        problems.append(f"{where}'{key}' wajib diisi")
    return value.strip()


def _text_list(data: Mapping[str, Any], key: str, problems: list[str], where: str = "") -> list[str]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.append(f'{where}\'{key}\' harus berupa daftar teks, misalnya ["a", "b"]')
        return []
    return [v.strip() for v in value]


def _valid_timezone(name: str) -> bool:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _duration(text: Any, where: str, problems: list[str]) -> Duration | None:
    if not isinstance(text, str):
        problems.append(f'{where}: standar waktu harus berupa teks seperti "5 hari kerja", bukan {text!r}')
        return None
    try:
        return parse_duration(text)
    except PantauError as exc:
        problems.append(f"{where}: {exc.message}")
        return None


def _tables(value: Any, name: str, problems: list[str]) -> list[dict[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        problems.append(f"'{name}' harus ditulis sebagai [[{name}]] (daftar tabel)")
        return []
    return value


def _unknown_keys(table: Mapping[str, Any], allowed: set[str], where: str, problems: list[str]) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        problems.append(
            f"{where}: kunci tidak dikenal {', '.join(unknown)} (yang dikenal: {', '.join(sorted(allowed))})"
        )


def _stages(value: Any, problems: list[str]) -> list[Stage]:
    tables = _tables(value, "stages", problems)
    if not tables:
        problems.append("profil harus punya minimal satu [[stages]] (tahap penerimaan pengaduan)")
        return []
    fixed_columns = {column_key(h): h for h in (*HEADER_BEFORE_STAGES, *HEADER_AFTER_STAGES)}
    stages: list[Stage] = []
    keys: set[str] = set()
    columns: dict[str, str] = {}
    milestones: dict[str, str] = {}
    for number, table in enumerate(tables, start=1):
        key = table.get("key")
        if not isinstance(key, str) or not _ID_RE.match(key):
            problems.append(
                f"tahap ke-{number}: 'key' wajib diisi dengan huruf kecil, angka atau _ (tertulis: {key!r})"
            )
            key = f"#{number}"
        where = f"tahap '{key}'"
        _unknown_keys(table, _STAGE_KEYS, where, problems)
        if key in keys:
            problems.append(f"{where}: key tahap ganda '{key}'")
        keys.add(key)
        label = _text(table, "label", problems, where=f"{where}: ")
        actor = _text(table, "actor", problems, required=False, where=f"{where}: ")
        column = _text(table, "column", problems, where=f"{where}: ")
        col_key = column_key(column) if column else ""
        if col_key:
            if col_key in columns:
                problems.append(
                    f"{where}: kolom '{column}' sudah dipakai tahap '{columns[col_key]}' (kolom ganda)"
                )
            elif col_key in fixed_columns and col_key != column_key(RECEIPT_COLUMN):
                problems.append(
                    f"{where}: kolom '{column}' bentrok dengan kolom register tetap '{fixed_columns[col_key]}'"
                )
            columns.setdefault(col_key, key)
        milestone = table.get("milestone")
        if milestone is not None:
            if milestone not in MILESTONES:
                problems.append(
                    f"{where}: milestone '{milestone}' tidak dikenal (gunakan {', '.join(MILESTONES)})"
                )
                milestone = None
            elif milestone in milestones:
                problems.append(
                    f"{where}: milestone '{milestone}' sudah dipakai tahap '{milestones[milestone]}'"
                )
                milestone = None
            else:
                milestones[milestone] = key
        standard = None
        if "standard" in table:
            standard = _duration(table["standard"], where, problems)
        aliases = _text_list(table, "aliases", problems, where=f"{where}: ")
        stages.append(Stage(key, label, actor, column, col_key, milestone, standard, tuple(aliases)))
    for milestone in REQUIRED_MILESTONES:
        if milestone not in milestones:
            problems.append(
                f"milestone wajib '{milestone}' tidak ada pada tahap mana pun (tandai dengan milestone = \"{milestone}\")"
            )
    first = stages[0]
    if milestones.get("diterima") not in (None, first.key):
        problems.append(
            f"tahap pertama '{first.key}' harus tahap penerimaan (milestone \"diterima\"): jam mulai dihitung di sana"
        )
    if first.column and first.column_key != column_key(RECEIPT_COLUMN):
        problems.append(
            f"tahap pertama '{first.key}' harus memakai kolom '{RECEIPT_COLUMN}', bukan '{first.column}'"
        )
    problems.extend(_duplicate_spellings(stages, "stages"))
    return stages


def _deadlines(value: Any, stages: list[Stage], problems: list[str]) -> list[Deadline]:
    by_key = {s.key: i for i, s in enumerate(stages)}
    by_milestone = {s.milestone: s.key for s in stages if s.milestone}
    deadlines: list[Deadline] = []
    seen: set[str] = set()
    for number, table in enumerate(_tables(value, "deadlines", problems), start=1):
        key = table.get("key")
        if not isinstance(key, str) or not key:
            problems.append(f"batas waktu ke-{number}: 'key' wajib diisi")
            key = f"#{number}"
        where = f"batas waktu '{key}'"
        _unknown_keys(table, _DEADLINE_KEYS, where, problems)
        if key in seen:
            problems.append(f"{where}: key batas waktu ganda")
        seen.add(key)
        label = _text(table, "label", problems, where=f"{where}: ")
        ends: list[str | None] = []
        for end in ("from", "to"):
            ref = table.get(end)
            # A stage key, or a milestone name so inherited deadlines fit SOPs with their own step keys.
            resolved = ref if ref in by_key else by_milestone.get(ref) if isinstance(ref, str) else None
            if resolved is None:
                problems.append(
                    f"{where}: '{end}' merujuk tahap '{ref}' yang tidak ada (tahap: {', '.join(by_key) or '-'})"
                )
            ends.append(resolved)
        standard = _duration(table.get("standard"), where, problems) if "standard" in table else None
        if standard is None and "standard" not in table:
            problems.append(f"{where}: 'standard' wajib diisi")
        start, end_ = ends
        if start and end_ and by_key[start] >= by_key[end_]:
            problems.append(f"{where}: tahap '{start}' harus sebelum tahap '{end_}'")
        if start and end_ and standard:
            deadlines.append(Deadline(key, label, start, end_, standard))
    return deadlines


def _terms(value: Any, name: str, label: str, problems: list[str]) -> tuple[Term, ...]:
    terms: list[Term] = []
    keys: set[str] = set()
    for number, table in enumerate(_tables(value, name, problems), start=1):
        key = table.get("key")
        if not isinstance(key, str) or not _ID_RE.match(key):
            problems.append(
                f"{label} ke-{number}: 'key' wajib diisi dengan huruf kecil, angka atau _ (tertulis: {key!r})"
            )
            continue
        where = f"{label} '{key}'"
        _unknown_keys(table, _TERM_KEYS, where, problems)
        if key in keys:
            problems.append(f"{where}: key ganda")
        keys.add(key)
        text = _text(table, "label", problems, where=f"{where}: ")
        aliases = _text_list(table, "aliases", problems, where=f"{where}: ")
        description = _text(table, "description", problems, required=False, where=f"{where}: ")
        terms.append(Term(key, text, tuple(aliases), description))
    problems.extend(_duplicate_spellings(terms, label))
    return tuple(terms)


def _duplicate_spellings(terms: Iterable[Term | Stage], label: str) -> list[str]:
    """A spelling (key, label or alias) may point to one term only, or matching would be ambiguous."""
    owner: dict[str, str] = {}
    problems: list[str] = []
    for term in terms:
        for spelling in dict.fromkeys((term.key, term.label, *term.aliases)):
            normal = column_key(spelling)
            if not normal:
                continue
            other = owner.setdefault(normal, term.key)
            if other != term.key:
                problems.append(
                    f"{label}: alias '{spelling}' dipakai oleh '{other}' dan '{term.key}' (alias ganda)"
                )
    return problems


def _calendar(value: Any, problems: list[str]) -> CalendarConfig:
    if not isinstance(value, dict):
        problems.append("[calendar] harus berupa tabel")
        value = {}
    _unknown_keys(value, _CALENDAR_KEYS, "[calendar]", problems)
    hours_text = value.get("office_hours", _DEFAULT_OFFICE_HOURS_TEXT)
    office_hours: dict[int, tuple[dt.time, dt.time]] = {}
    if not isinstance(hours_text, dict):
        problems.append('calendar.office_hours harus berupa tabel hari = "07:30-16:00"')
        hours_text = {}
    for day, text in hours_text.items():
        weekday = DAY_NAMES.get(str(day).lower())
        if weekday is None:
            problems.append(
                f"calendar.office_hours: hari '{day}' tidak dikenal (gunakan {', '.join(DAY_NAMES)})"
            )
            continue
        span = _office_span(text)
        if span is None:
            problems.append(
                f'calendar.office_hours.{day}: jam kantor \'{text}\' tidak dapat dibaca: tulis seperti "07:30-16:00" atau "tutup"'
            )
        elif span:
            office_hours[weekday] = span
    holidays: list[dt.date] = []
    raw_holidays = value.get("extra_holidays", [])
    if not isinstance(raw_holidays, list):
        problems.append("calendar.extra_holidays harus berupa daftar tanggal")
        raw_holidays = []
    for item in raw_holidays:
        if isinstance(item, dt.date) and not isinstance(item, dt.datetime):
            holidays.append(item)
            continue
        try:
            holidays.append(dt.date.fromisoformat(str(item)))
        except ValueError:
            problems.append(f"calendar.extra_holidays: tanggal '{item}' tidak dapat dibaca: tulis TTTT-BB-HH")
    at_risk = _duration(value.get("at_risk_window", _DEFAULT_AT_RISK), "calendar.at_risk_window", problems)
    return CalendarConfig(
        dict(sorted(office_hours.items())), tuple(sorted(set(holidays))), at_risk or Duration(1, "hari_kerja")
    )


def _office_span(text: Any) -> tuple[dt.time, dt.time] | tuple[()] | None:
    """``"07:30-16:00"`` -> (07:30, 16:00); ``"tutup"`` -> () (closed); unreadable -> None."""
    if not isinstance(text, str):
        return None
    if text.strip().lower() in ("tutup", "libur", ""):
        return ()
    match = _HOURS_RE.match(text)
    if not match:
        return None
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    try:
        opening, closing = dt.time(h1, m1), dt.time(h2, m2)
    except ValueError:
        return None
    return (opening, closing) if opening < closing else None


# --------------------------------------------------------------------------------------------
# Register template


def register_header(profile: Profile) -> list[str]:
    """The header row a new register for this SOP should have (DESIGN §2 template).

    Fixed complaint columns, then one date column per SOP stage in SOP order (the receipt date
    is already among the fixed columns), then the outcome and audit columns.
    """
    receipt = column_key(RECEIPT_COLUMN)
    stage_columns = [s.column for s in profile.stages if s.column_key != receipt]
    return [*HEADER_BEFORE_STAGES, *stage_columns, *HEADER_AFTER_STAGES]
