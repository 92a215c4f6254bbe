"""The coordinator's record-level exports in the layouts of the standards (docs/coordinator.md).

* **HTCDS layout**: one row per case and one per call that belongs to no case, in HTCDS 2.0
  column naming where we are confident of the HTCDS name, and ``hl_`` (ours) elsewhere.
  Codes, never labels; several values joined with ``;``. Never a name, a phone number, a
  place or free text; people and phones appear only as keyed-hash pseudonyms.
* **CTDC style**: one row per case or call with a few quasi-identifiers, made k-anonymous
  (every combination of their values released is shared by at least k rows): the rarest
  values are blanked step by step, and rows still under k are left out. No ids, no
  pseudonyms.

Only calls whose caller agreed to share (``consent.share``) are exported, as in a batch.
Non-data calls (silent, prank, wrong number…) are not exported.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from hotline.exchange.records import _name_key, pseudonym
from hotline.reports.spreadsheet import CellValue
from hotline.store.connection import Database
from hotline.store.repositories.call_log import FROM, Where

SEPARATOR = ";"
CASE = "case"
CONTACT = "contact"

# --- HTCDS ---------------------------------------------------------------------------------

HTCDS = "HTCDS"
OURS = "ours"

# (column, where its value comes from, whose name it is). docs/coordinator.md lists the same.
HTCDS_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("hl_RecordType", "'case' or 'contact' (a call that belongs to no case)", OURS),
    ("hl_RecordId", "case id or call id (UUID)", OURS),
    ("hl_SourceInstallation", "installation id where the record was made", OURS),
    ("hl_SourceOrganisation", "organisation code of that installation", OURS),
    ("hl_FirstContactDate", "local day of the first call (of the case) in the selection", OURS),
    ("hl_ContactCount", "calls of the case in the selection (1 for a call)", OURS),
    ("hl_Channel", "channel of the first call", OURS),
    ("hl_CallType", "call type of the first call", OURS),
    ("hl_Topics", "topics of all the calls", OURS),
    ("hl_CallLanguage", "language of the first call", OURS),
    ("hl_RiskLevel", "highest risk level of the calls", OURS),
    ("hl_CallerRelationship", "caller's relationship to the person at risk (first call)", OURS),
    ("hl_CallerSex", "caller's sex (first call)", OURS),
    ("hl_CallerAgeBand", "caller's age band (first call)", OURS),
    ("hl_CallerCitizenship", "caller's citizenship (first call)", OURS),
    ("hl_CallerCountry", "country the caller was in (first call)", OURS),
    ("hl_PhonePseudonym", "keyed-hash pseudonym of the caller's phone (first call)", OURS),
    ("hl_Minor", "1 if any call was flagged as about a minor", OURS),
    ("hl_ShareConsent", "always 1: only calls with consent to share are exported", OURS),
    ("hl_ReferralServices", "services referred to, all calls", OURS),
    ("hl_PersonPseudonym", "keyed-hash pseudonym of the person's name (case rows)", OURS),
    ("prs_Gender", "person's sex (case rows)", HTCDS),
    ("prs_AgeBroad", "person's age band (case rows)", HTCDS),
    ("prs_CitizenshipCountry", "person's citizenship (case rows)", HTCDS),
    ("hl_HomeCountry", "person's home country (case rows)", OURS),
    ("cas_Status", "case status", HTCDS),
    ("hl_CaseOpenedOn", "day the case was opened (UTC)", OURS),
    ("hl_CaseClosedOn", "day the case was closed (UTC)", OURS),
    ("vic_TraffickingStatus", "trafficking status", HTCDS),
    ("hl_TraffickingDecidedBy", "who decided the trafficking status", OURS),
    ("vic_TypeOfExploitation", "exploitation types", HTCDS),
    ("vic_MethodsOfControl", "means of control", HTCDS),
    ("hl_PerpetratorRoles", "roles of the perpetrators", OURS),
    ("hl_RecruitmentCountries", "countries of the route's recruitment events", OURS),
    ("hl_TransitCountries", "countries of the route's transit events", OURS),
    ("hl_ExploitationCountries", "countries of the route's exploitation events", OURS),
)
HTCDS_HEADERS = tuple(c[0] for c in HTCDS_COLUMNS)

_RISK_ORDER = ("none", "low", "medium", "high", "urgent")

_CONTACT_SQL = (
    "SELECT c.id, c.started_at, c.origin_id, c.channel, c.call_type, c.topics,"
    " c.call_language, c.risk_level, c.caller_relationship, c.caller_sex, c.caller_age_band,"
    " c.caller_citizenship, c.caller_country, c.phone_key, c.flag_minor, c.case_id"
    f" {FROM} WHERE {{where}} ORDER BY c.started_at, c.id"
)
_REFERRAL_SQL = (
    f"SELECT f.contact_id, f.service {FROM} JOIN referrals f ON f.contact_id = c.id"
    " WHERE {where} ORDER BY f.referred_on, f.id"
)
# Built from constant text and the call log's WHERE clause; every value is a parameter.
_CASE_SQL = (
    "SELECT k.id, k.origin_id, k.status, k.trafficking_status,"  # noqa: S608
    " k.trafficking_decided_by, k.exploitation_types, k.control_methods,"
    " k.perpetrator_roles, k.route, k.opened_at,"
    " k.closed_at, p.sex, p.age_band, p.citizenship, p.home_country, p.name, p.name_pseudonym"
    " FROM cases k JOIN persons p ON p.id = k.person_id"
    f" WHERE k.id IN (SELECT c.case_id {FROM} WHERE {{where}})"
)


def exported(w: Where) -> Where:
    """``w`` narrowed to what these exports may carry: data calls shared with consent."""
    narrowed = Where(list(w.clauses), dict(w.params))
    narrowed.add("c.is_data = 1")
    narrowed.add("c.consent_share = 1")
    return narrowed


@dataclass(frozen=True)
class Sources:
    """Who made a record: this installation (``own_id``) or a partner (by installation id)."""

    own_id: str
    own_org: str
    orgs: dict[str, str]  # installation id -> organisation code

    def installation(self, origin: str | None) -> str:
        return self.own_id if origin is None else origin

    def organisation(self, origin: str | None) -> str:
        return self.own_org if origin is None else self.orgs.get(origin, "")


@dataclass
class _Contact:
    id: str
    day: str
    origin: str | None
    channel: str | None
    call_type: str | None
    topics: list[str]
    language: str | None
    risk: str | None
    relationship: str | None
    sex: str | None
    age_band: str | None
    citizenship: str | None
    country: str | None
    phone_key: str | None
    minor: bool
    case_id: str | None
    services: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Case:
    id: str
    origin: str | None
    status: str
    trafficking_status: str
    decided_by: str | None
    exploitation: tuple[str, ...]
    control: tuple[str, ...]
    perpetrators: tuple[str, ...]
    route: tuple[tuple[str, str | None], ...]  # (event kind, country)
    opened_at: str
    closed_at: str | None
    sex: str | None
    age_band: str | None
    citizenship: str | None
    home_country: str | None
    name: str
    name_pseudonym: str | None


def _local_day(started_at: str, utc_offset_minutes: int) -> str:
    moment = dt.datetime.fromisoformat(started_at) + dt.timedelta(minutes=utc_offset_minutes)
    return moment.date().isoformat()


def _contacts(db: Database, w: Where, utc_offset_minutes: int) -> list[_Contact]:
    found = [
        _Contact(
            id=r[0],
            day=_local_day(r[1], utc_offset_minutes),
            origin=r[2],
            channel=r[3],
            call_type=r[4],
            topics=list(json.loads(r[5])),
            language=r[6],
            risk=r[7],
            relationship=r[8],
            sex=r[9],
            age_band=r[10],
            citizenship=r[11],
            country=r[12],
            phone_key=r[13],
            minor=bool(r[14]),
            case_id=r[15],
        )
        for r in db.query(_CONTACT_SQL.format(where=w.sql), w.params)
    ]
    by_id = {c.id: c for c in found}
    for contact_id, service in db.query(_REFERRAL_SQL.format(where=w.sql), w.params):
        by_id[contact_id].services.append(service)
    return found


def _cases(db: Database, w: Where) -> dict[str, _Case]:
    cases: dict[str, _Case] = {}
    for r in db.query(_CASE_SQL.format(where=w.sql), w.params):
        route = tuple((str(e.get("kind")), e.get("country")) for e in json.loads(r[8]))
        cases[r[0]] = _Case(
            id=r[0],
            origin=r[1],
            status=r[2],
            trafficking_status=r[3],
            decided_by=r[4],
            exploitation=tuple(json.loads(r[5])),
            control=tuple(json.loads(r[6])),
            perpetrators=tuple(json.loads(r[7])),
            route=route,
            opened_at=r[9],
            closed_at=r[10],
            sex=r[11],
            age_band=r[12],
            citizenship=r[13],
            home_country=r[14],
            name=r[15] or "",
            name_pseudonym=r[16],
        )
    return cases


def _joined(values: Sequence[str | None]) -> str:
    """Distinct values in first-seen order, joined with ';'."""
    return SEPARATOR.join(dict.fromkeys(v for v in values if v))


def _countries(route: tuple[tuple[str, str | None], ...], kind: str) -> str:
    return _joined([country for event, country in route if event == kind])


def _highest_risk(levels: Sequence[str | None]) -> str | None:
    known = [level for level in levels if level in _RISK_ORDER]
    return max(known, key=_RISK_ORDER.index) if known else None


def _day(moment: str | None) -> str | None:
    return None if not moment else moment[:10]


@dataclass(frozen=True)
class Pseudonyms:
    """Pseudonyms for records made here, under this installation's pseudonym key (the key
    its senders use for theirs, so that the same caller links across hotlines). Imported
    pseudonymous records already carry theirs; nothing is pseudonymised without a key."""

    key: bytes | None

    def phone(self, phone_key: str | None) -> str | None:
        if not phone_key:
            return None
        if phone_key.startswith("ps1:"):
            return phone_key  # an imported pseudonym
        return None if self.key is None else pseudonym(self.key, "phone", phone_key)

    def name(self, case: _Case) -> str | None:
        if case.name_pseudonym:
            return case.name_pseudonym
        folded = _name_key(case.name)
        if not folded or self.key is None:
            return None
        return pseudonym(self.key, "name", folded)


@dataclass(frozen=True)
class Record:
    """One exported record: a case with its calls in the selection, or a lone call."""

    kind: str
    contacts: tuple[_Contact, ...]
    case: _Case | None

    @property
    def first(self) -> _Contact:
        return self.contacts[0]

    @property
    def origin(self) -> str | None:
        return self.first.origin if self.case is None else self.case.origin


def records(db: Database, w: Where, utc_offset_minutes: int) -> list[Record]:
    """Cases (in the order of their first call) and calls outside any case, for the calls
    ``w`` selects (``w`` is narrowed by ``exported`` here)."""
    w = exported(w)
    contacts = _contacts(db, w, utc_offset_minutes)
    cases = _cases(db, w)
    grouped: dict[str, list[_Contact]] = {}
    result: list[Record] = []
    for contact in contacts:
        if contact.case_id is None or contact.case_id not in cases:
            result.append(Record(CONTACT, (contact,), None))
            continue
        if contact.case_id not in grouped:
            grouped[contact.case_id] = []
            result.append(Record(CASE, (), cases[contact.case_id]))
        grouped[contact.case_id].append(contact)
    return [
        r if r.case is None else Record(CASE, tuple(grouped[r.case.id]), r.case) for r in result
    ]


def htcds_row(record: Record, sources: Sources, pseudonyms: Pseudonyms) -> list[CellValue]:
    first, case = record.first, record.case
    contacts = record.contacts
    values: dict[str, CellValue] = {
        "hl_RecordType": record.kind,
        "hl_RecordId": first.id if case is None else case.id,
        "hl_SourceInstallation": sources.installation(record.origin),
        "hl_SourceOrganisation": sources.organisation(record.origin),
        "hl_FirstContactDate": first.day,
        "hl_ContactCount": len(contacts),
        "hl_Channel": first.channel,
        "hl_CallType": first.call_type,
        "hl_Topics": _joined([t for c in contacts for t in c.topics]),
        "hl_CallLanguage": first.language,
        "hl_RiskLevel": _highest_risk([c.risk for c in contacts]),
        "hl_CallerRelationship": first.relationship,
        "hl_CallerSex": first.sex,
        "hl_CallerAgeBand": first.age_band,
        "hl_CallerCitizenship": first.citizenship,
        "hl_CallerCountry": first.country,
        "hl_PhonePseudonym": pseudonyms.phone(first.phone_key),
        "hl_Minor": int(any(c.minor for c in contacts)),
        "hl_ShareConsent": 1,
        "hl_ReferralServices": _joined([s for c in contacts for s in c.services]),
    }
    if case is not None:
        values.update(
            {
                "hl_PersonPseudonym": pseudonyms.name(case),
                "prs_Gender": case.sex,
                "prs_AgeBroad": case.age_band,
                "prs_CitizenshipCountry": case.citizenship,
                "hl_HomeCountry": case.home_country,
                "cas_Status": case.status,
                "hl_CaseOpenedOn": _day(case.opened_at),
                "hl_CaseClosedOn": _day(case.closed_at),
                "vic_TraffickingStatus": case.trafficking_status,
                "hl_TraffickingDecidedBy": case.decided_by,
                "vic_TypeOfExploitation": _joined(case.exploitation),
                "vic_MethodsOfControl": _joined(case.control),
                "hl_PerpetratorRoles": _joined(case.perpetrators),
                "hl_RecruitmentCountries": _countries(case.route, "Recruitment"),
                "hl_TransitCountries": _countries(case.route, "Transit"),
                "hl_ExploitationCountries": _countries(case.route, "Exploitation"),
            }
        )
    return [None if values.get(name) == "" else values.get(name) for name in HTCDS_HEADERS]


def htcds_rows(
    items: Sequence[Record], sources: Sources, pseudonyms: Pseudonyms
) -> Iterator[list[CellValue]]:
    for record in items:
        yield htcds_row(record, sources, pseudonyms)


# --- CTDC, k-anonymised --------------------------------------------------------------------

# Our age bands are CTDC's bands (docs/contact-json.md); "unknown" becomes blank.
CTDC_AGE_BANDS = {
    "0-8": "0-8",
    "9-17": "9-17",
    "18-20": "18-20",
    "21-23": "21-23",
    "24-26": "24-26",
    "27-29": "27-29",
    "30-38": "30-38",
    "39-47": "39-47",
    "48+": "48+",
}
# Our means of control -> CTDC's meansOfControl<Name> flag. Two threats become CTDC's one
# "Threats"; isolation, which CTDC has no flag for, counts as "Other".
CTDC_CONTROL = {
    "WithholdsDocuments": "WithholdsDocuments",
    "DebtBondage": "DebtBondage",
    "TakesEarnings": "TakesEarnings",
    "RestrictsMovement": "RestrictsMovement",
    "ThreatsOfViolence": "Threats",
    "ThreatsToFamily": "Threats",
    "ThreatOfLawEnforcement": "ThreatOfLawEnforcement",
    "PhysicalAbuse": "PhysicalAbuse",
    "SexualAbuse": "SexualAbuse",
    "PsychologicalAbuse": "PsychologicalAbuse",
    "FalsePromises": "FalsePromises",
    "Isolation": "Other",
    "ExcessiveWorkingHours": "ExcessiveWorkingHours",
    "WithholdsNecessities": "WithholdsNecessities",
    "RestrictsMedicalCare": "RestrictsMedicalCare",
    "PsychoactiveSubstances": "PsychoactiveSubstances",
    "Other": "Other",
}
CTDC_CONTROL_FLAGS = tuple(dict.fromkeys(CTDC_CONTROL.values()))
CONTROL_COLUMNS = tuple(f"meansOfControl{name}" for name in CTDC_CONTROL_FLAGS)

# Quasi-identifiers in the order of their columns; each may be blanked to reach k. The
# record type is not a quasi-identifier to blank: a case and a lone call are not alike.
QUASI_IDENTIFIERS = (
    "yearOfRegistration",
    "Datasource",
    "gender",
    "ageBroad",
    "citizenship",
    "typeOfExploitConcatenated",
    "meansOfControl",  # the flags together, one attribute
    "CountryOfExploitation",
)
CTDC_HEADERS = (
    "recordType",
    "yearOfRegistration",
    "Datasource",
    "gender",
    "ageBroad",
    "citizenship",
    "typeOfExploitConcatenated",
    *CONTROL_COLUMNS,
    "CountryOfExploitation",
)


def ctdc_values(record: Record, sources: Sources) -> tuple[str, tuple[str, ...]]:
    """The record type and its quasi-identifier values ('' where not known)."""
    first, case = record.first, record.case
    if case is None:
        sex, age, citizenship = first.sex, first.age_band, first.citizenship
        exploitation, control, country = "", "", ""
    else:
        sex, age, citizenship = case.sex, case.age_band, case.citizenship
        exploitation = SEPARATOR.join(sorted(set(case.exploitation)))
        flags = {CTDC_CONTROL.get(code, "Other") for code in case.control}
        control = "".join("1" if name in flags else "0" for name in CTDC_CONTROL_FLAGS)
        country = SEPARATOR.join(sorted({c for kind, c in case.route if kind == "Exploitation"
                                         and c}))  # fmt: skip
    values = (
        first.day[:4],
        sources.organisation(record.origin),
        "" if sex in (None, "unknown") else str(sex),
        CTDC_AGE_BANDS.get(age or "", ""),
        citizenship or "",
        exploitation,
        control,
        country,
    )
    return record.kind, values


@dataclass(frozen=True)
class Anonymised:
    rows: list[tuple[str, tuple[str, ...]]]  # record type, quasi-identifier values
    k: int
    blanked: int  # values blanked to reach k
    dropped: int  # rows left out because they stayed under k


def k_anonymise(rows: Sequence[tuple[str, tuple[str, ...]]], k: int) -> Anonymised:
    """Blank values until every combination (record type + quasi-identifiers) is shared by
    at least ``k`` rows; rows still under ``k`` with nothing left to blank are dropped.

    Each round, every row in a group under ``k`` loses its rarest remaining value (the value
    fewest rows share in that attribute). Rows in groups of ``k`` or more never change, so
    a group never shrinks, and each round blanks at least one value: it ends."""
    if k < 1:
        raise ValueError("k must be at least 1")
    current = [(kind, list(values)) for kind, values in rows]
    blanked = 0
    while True:
        groups = Counter((kind, tuple(values)) for kind, values in current)
        small = [i for i, (kind, values) in enumerate(current)
                 if groups[(kind, tuple(values))] < k]  # fmt: skip
        if not small:
            break
        frequency = [Counter(values[a] for _kind, values in current)
                     for a in range(len(QUASI_IDENTIFIERS))]  # fmt: skip
        changed = False
        for i in small:
            values = current[i][1]
            open_attributes = [a for a, v in enumerate(values) if v]
            if not open_attributes:
                continue
            rarest = min(open_attributes, key=lambda a: (frequency[a][values[a]], -a))
            values[rarest] = ""
            blanked += 1
            changed = True
        if not changed:
            break
    groups = Counter((kind, tuple(values)) for kind, values in current)
    kept = [(kind, tuple(values)) for kind, values in current if groups[(kind, tuple(values))] >= k]
    kept.sort()
    return Anonymised(kept, k, blanked, len(current) - len(kept))


def ctdc_row(kind: str, values: tuple[str, ...]) -> list[CellValue]:
    named = dict(zip(QUASI_IDENTIFIERS, values, strict=True))
    flags = named.pop("meansOfControl")
    row: list[CellValue] = [kind]
    row += [named[name] or None for name in QUASI_IDENTIFIERS[:6]]
    row += [None if not flags else flags[i] for i in range(len(CTDC_CONTROL_FLAGS))]
    row.append(named["CountryOfExploitation"] or None)
    return row
