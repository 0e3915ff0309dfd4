"""`kerjasama merge`: roll several regions' registers up into one (a province's).

Each source register's agreements come in tagged with that source's region, and
with them their partners, OPDs, history, evaluations, findings and follow-up
notes. A region's rows in the roll-up mirror its own register: merging it again
updates what changed there (matched on region + doc type + number) and replaces
its history, evaluations and findings with the source's, so nothing is ever
duplicated. Agreements no longer in the source are kept, never deleted.

An OPD belongs to its region ("Dinas Kesehatan (Kabupaten Tanggamus)"): the
province's per-OPD board must not add up twenty different health offices.
Partners (ministries, universities, companies) are shared across regions.
Everything goes through the bulk paths, one transaction per source register.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, bindparam, delete, insert, select, update
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.orm import Session

from kerjasama_cli import vocab
from kerjasama_cli.db.bulk import insert_rows, prepare
from kerjasama_cli.db.engine import Register, to_url
from kerjasama_cli.db.files import sqlite_path
from kerjasama_cli.db.models import (
    Partner,
    Unit,
    agreement_partner,
    agreement_table,
    agreement_unit,
    evaluation_table,
    finding_note_table,
    finding_table,
    history_table,
    partner_table,
    unit_table,
)
from kerjasama_cli.errors import Conflict, InvalidValue, NotFound
from kerjasama_cli.register.names import names_to_ids
from kerjasama_cli.settings import all_settings

# Columns the roll-up keeps as the source has them; ids, links, the region and
# the version are the roll-up's own.
_OWN = ("id", "region", "parent_id", "renews_id", "version")
DATA_COLUMNS = tuple(c.name for c in agreement_table.columns if c.name not in _OWN)
_CHUNK = 500


@dataclass(frozen=True)
class MergeSource:
    """One register to merge and the region its agreements are tagged with."""

    location: str
    region: str


@dataclass
class MergeSummary:
    source: str
    region: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    evaluations: int = 0
    findings: int = 0
    history: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "region": self.region,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "evaluations": self.evaluations,
            "findings": self.findings,
            "history": self.history,
        }


def parse_source(text: str) -> tuple[str | None, str]:
    """'REGION=SOURCE' names the region; a bare path or URL leaves it to be found.

    A URL may hold '=' in its query, so only text before '://' or a path is split.
    """
    head = text.split("://", 1)[0]
    if "=" in head:
        region, _, location = text.partition("=")
        if not region.strip():
            raise InvalidValue("source", text, "names an empty region before '='")
        return region.strip(), location.strip()
    return None, text.strip()


def default_region(location: str) -> str:
    """A file's name without its extension, or a URL's database name."""
    url = to_url(location)
    path = sqlite_path(url)
    if path is not None:
        return path.stem
    return make_url(url).database or location


def configured_region(register: Register) -> str:
    with register.reading() as session:
        return all_settings(session)["region"].strip()


def open_source(location: str) -> Register:
    """Open a region's register only to read it: never created, never upgraded.

    A register of an older kerjasama is refused with the command that upgrades
    it, rather than changed behind its owner's back.
    """
    url = to_url(location)
    path = sqlite_path(url)
    if path is not None and not path.is_file():
        raise NotFound(f"no register at {path}")
    return Register.open(location, upgrade=False)


def resolve_sources(
    texts: Sequence[str], *, from_config: bool, target: Register
) -> list[tuple[MergeSource, Register]]:
    """Open every source and settle its region; refuses two sources of one region."""
    opened: list[tuple[MergeSource, Register]] = []
    seen: dict[str, str] = {}
    try:
        for text in texts:
            named, location = parse_source(text)
            register = open_source(location)
            opened.append((MergeSource(register.location, ""), register))
            if register.url == target.url:
                raise Conflict(f"{register.location} is the register being merged into")
            region = named or _region_of(register, location, from_config=from_config)
            if region in seen:
                raise Conflict(
                    f"{seen[region]} and {register.location} are both {region!r}",
                    hint="name the regions yourself: REGION=FILE",
                )
            seen[region] = register.location
            opened[-1] = (MergeSource(register.location, region), register)
    except BaseException:
        for _source, register in opened:
            register.close()
        raise
    return opened


def _region_of(register: Register, location: str, *, from_config: bool) -> str:
    if not from_config:
        return default_region(location)
    region = configured_region(register)
    if not region:
        raise InvalidValue(
            "region",
            register.location,
            "has no region set",
            label="source",
            hint=f'in that register run: kerjasama --db {location} config set region "Kabupaten …"'
            " (or name it here: REGION=FILE)",
        )
    return region


def merge(
    target: Register,
    sources: Sequence[tuple[MergeSource, Register]],
    *,
    progress: Callable[[MergeSummary], None] | None = None,
) -> list[MergeSummary]:
    """Merge each source into ``target``; one transaction per source."""
    summaries = []
    for source, register in sources:
        summary = merge_one(target, register, source)
        summaries.append(summary)
        if progress is not None:
            progress(summary)
    return summaries


def merge_one(target: Register, register: Register, source: MergeSource) -> MergeSummary:
    summary = MergeSummary(source.location, source.region)
    with register.reading() as reader:
        data = _SourceData.read(reader)
    with target.writing() as writer:
        prepare(writer.connection())
        _Merge(writer, data, source.region, summary).run()
    return summary


def unit_name(name: str, region: str, already_tagged: bool) -> str:
    """An OPD as the roll-up names it: with its region, once."""
    return name if already_tagged else f"{name} ({region})"


@dataclass
class _SourceData:
    agreements: list[dict[str, Any]]
    partners: list[tuple[int, str, str | None, int]]
    units: list[tuple[int, str, str | None, int]]
    history: list[dict[str, Any]]
    evaluations: list[dict[str, Any]]
    findings: list[dict[str, Any]]
    notes: list[dict[str, Any]]

    @classmethod
    def read(cls, session: Session) -> _SourceData:
        unit = unit_table

        def rows(query: Any) -> list[dict[str, Any]]:
            return [dict(row) for row in session.execute(query).mappings()]

        partners = session.execute(
            select(
                agreement_partner.c.agreement_id,
                partner_table.c.name,
                partner_table.c.kind,
                agreement_partner.c.position,
            ).join(partner_table, partner_table.c.id == agreement_partner.c.partner_id)
        )
        units = session.execute(
            select(
                agreement_unit.c.agreement_id, unit.c.name, unit.c.code, agreement_unit.c.position
            ).join(unit, unit.c.id == agreement_unit.c.unit_id)
        )
        return cls(
            agreements=rows(select(agreement_table).order_by(agreement_table.c.id)),
            partners=[tuple(row) for row in partners],
            units=[tuple(row) for row in units],
            history=rows(select(history_table).order_by(history_table.c.id)),
            evaluations=rows(select(evaluation_table).order_by(evaluation_table.c.id)),
            findings=rows(
                select(finding_table, unit.c.name.label("owner_name"))
                .outerjoin(unit, unit.c.id == finding_table.c.owner_id)
                .order_by(finding_table.c.id)
            ),
            notes=rows(select(finding_note_table).order_by(finding_note_table.c.id)),
        )


class _Merge:
    def __init__(
        self, session: Session, data: _SourceData, region: str, summary: MergeSummary
    ) -> None:
        self.session = session
        self.connection = session.connection()
        self.data = data
        self.summary = summary
        # A source that is itself a roll-up keeps its regions.
        self.region_of = {row["id"]: row["region"] or region for row in data.agreements}
        self.tagged = {row["id"]: bool(row["region"]) for row in data.agreements}
        # Roll-up ids whose fields, links or KB changed; data_changed: fields.
        self.changed: set[int] = set()
        self.data_changed: set[int] = set()

    def run(self) -> None:
        partner_ids = self._partner_ids()
        unit_ids = self._unit_ids()
        existing = self._existing()
        ids = self._write_agreements(existing)
        self._write_self_links(ids, existing)
        links = self._links(ids, partner_ids, unit_ids)
        self._count_changes(ids, existing, links)
        kept = [ids[source_id] for source_id in ids if ids[source_id] in existing]
        self._clear_children(kept)
        self._write_links(links)
        self._write_children(ids, unit_ids)

    # -- names -------------------------------------------------------------

    def _partner_ids(self) -> dict[str, int]:
        wanted = {vocab.name_key(name): (name, kind) for _a, name, kind, _p in self.data.partners}
        return names_to_ids(self.session, Partner, wanted)

    def _unit_name(self, agreement_id: int, name: str) -> str:
        return unit_name(name, self.region_of[agreement_id], self.tagged[agreement_id])

    def _unit_ids(self) -> dict[str, int]:
        wanted: dict[str, tuple[str, str | None]] = {}
        for agreement_id, name, code, _position in self.data.units:
            full = self._unit_name(agreement_id, name)
            wanted[vocab.name_key(full)] = (full, code)
        for finding in self.data.findings:
            if finding["owner_name"]:
                full = self._unit_name(finding["agreement_id"], finding["owner_name"])
                wanted.setdefault(vocab.name_key(full), (full, None))
        return names_to_ids(self.session, Unit, wanted)

    # -- agreements --------------------------------------------------------

    def _key(self, row: dict[str, Any]) -> tuple[str, str, str]:
        return (self.region_of[row["id"]], row["doc_type"], row["number"])

    def _existing(self) -> dict[int, dict[str, Any]]:
        """The roll-up's rows of the regions this source brings, by id."""
        table = agreement_table
        regions = sorted(set(self.region_of.values()))
        found: dict[int, dict[str, Any]] = {}
        for chunk in _chunks(regions):
            query = select(table).where(table.c.region.in_(chunk))
            for row in self.connection.execute(query).mappings():
                found[row["id"]] = dict(row)
        return found

    def _write_agreements(self, existing: dict[int, dict[str, Any]]) -> dict[int, int]:
        """Insert new agreements, update changed ones; source id -> roll-up id."""
        by_key = {(r["region"], r["doc_type"], r["number"]): r["id"] for r in existing.values()}
        ids: dict[int, int] = {}
        new_rows, changed = [], []
        for row in self.data.agreements:
            target_id = by_key.get(self._key(row))
            if target_id is None:
                new_rows.append(row)
                continue
            ids[row["id"]] = target_id
            old = existing[target_id]
            if any(old[name] != row[name] for name in DATA_COLUMNS):
                changed.append((target_id, row))
        if new_rows:
            columns = ("region", "version", *DATA_COLUMNS)
            insert_rows(
                self.connection,
                agreement_table,
                columns,
                (
                    (self.region_of[row["id"]], 1, *(row[name] for name in DATA_COLUMNS))
                    for row in new_rows
                ),
            )
            inserted = self._ids_by_key({self._key(row) for row in new_rows})
            for row in new_rows:
                ids[row["id"]] = inserted[self._key(row)]
        if changed:
            self._update_rows(changed, existing)
        self.changed = {target_id for target_id, _row in changed}
        self.data_changed = set(self.changed)
        self.summary.created = len(new_rows)
        return ids

    def _ids_by_key(self, keys: set[tuple[str, str, str]]) -> dict[tuple[str, str, str], int]:
        table = agreement_table
        regions = sorted({region for region, _t, _n in keys})
        found = {}
        for chunk in _chunks(regions):
            query = select(table.c.id, table.c.region, table.c.doc_type, table.c.number).where(
                table.c.region.in_(chunk)
            )
            for ident, region, doc_type, number in self.connection.execute(query):
                if (region, doc_type, number) in keys:
                    found[(region, doc_type, number)] = ident
        return found

    def _update_rows(
        self, changed: list[tuple[int, dict[str, Any]]], existing: dict[int, dict[str, Any]]
    ) -> None:
        table = agreement_table
        statement = (
            update(table)
            .where(table.c.id == bindparam("target_id"))
            .values(
                version=bindparam("new_version"),
                **{name: bindparam(f"new_{name}") for name in DATA_COLUMNS},
            )
        )
        self.connection.execute(
            statement,
            [
                {
                    "target_id": target_id,
                    "new_version": existing[target_id]["version"] + 1,
                    **{f"new_{name}": row[name] for name in DATA_COLUMNS},
                }
                for target_id, row in changed
            ],
        )

    def _write_self_links(self, ids: dict[int, int], existing: dict[int, dict[str, Any]]) -> None:
        """The KB a PKS implements and the document a renewal replaces, as roll-up ids."""
        wanted = []
        for row in self.data.agreements:
            target_id = ids[row["id"]]
            parent = ids.get(row["parent_id"]) if row["parent_id"] else None
            renews = ids.get(row["renews_id"]) if row["renews_id"] else None
            old = existing.get(target_id)
            before = (old["parent_id"], old["renews_id"]) if old else (None, None)
            if (parent, renews) != before:
                wanted.append({"target_id": target_id, "new_parent": parent, "new_renews": renews})
                if old is not None:
                    self.changed.add(target_id)
        if wanted:
            table = agreement_table
            self.connection.execute(
                update(table)
                .where(table.c.id == bindparam("target_id"))
                .values(parent_id=bindparam("new_parent"), renews_id=bindparam("new_renews")),
                wanted,
            )

    # -- links and children ------------------------------------------------

    def _links(
        self, ids: dict[int, int], partner_ids: dict[str, int], unit_ids: dict[str, int]
    ) -> tuple[list[tuple[int, int, int]], list[tuple[int, int, int]]]:
        partners = sorted(
            (ids[agreement_id], partner_ids[vocab.name_key(name)], position)
            for agreement_id, name, _kind, position in self.data.partners
        )
        units = sorted(
            (
                ids[agreement_id],
                unit_ids[vocab.name_key(self._unit_name(agreement_id, name))],
                position,
            )
            for agreement_id, name, _code, position in self.data.units
        )
        return partners, units

    def _count_changes(
        self,
        ids: dict[int, int],
        existing: dict[int, dict[str, Any]],
        links: tuple[list[tuple[int, int, int]], list[tuple[int, int, int]]],
    ) -> None:
        kept = {target_id for target_id in ids.values() if target_id in existing}
        for table, wanted in zip((agreement_partner, agreement_unit), links, strict=True):
            other = table.c.partner_id if table is agreement_partner else table.c.unit_id
            before: set[tuple[int, int, int]] = set()
            for chunk in _chunks(sorted(kept)):
                query = select(table.c.agreement_id, other, table.c.position).where(
                    table.c.agreement_id.in_(chunk)
                )
                before.update(tuple(row) for row in self.connection.execute(query))
            after = {link for link in wanted if link[0] in kept}
            self.changed.update(link[0] for link in before ^ after)
        self.summary.updated = len(self.changed)
        self.summary.unchanged = len(kept) - len(self.changed)
        if self.changed:
            # A change of links alone is a change too: bump those versions.
            table = agreement_table
            for chunk in _chunks(sorted(self.changed - self.data_changed)):
                self.connection.execute(
                    update(table).where(table.c.id.in_(chunk)).values(version=table.c.version + 1)
                )

    def _clear_children(self, agreement_ids: list[int]) -> None:
        note_table = finding_note_table
        for chunk in _chunks(agreement_ids):
            findings = select(finding_table.c.id).where(finding_table.c.agreement_id.in_(chunk))
            self.connection.execute(delete(note_table).where(note_table.c.finding_id.in_(findings)))
            for table in (
                finding_table,
                evaluation_table,
                history_table,
                agreement_partner,
                agreement_unit,
            ):
                self.connection.execute(delete(table).where(table.c.agreement_id.in_(chunk)))

    def _write_links(
        self, links: tuple[list[tuple[int, int, int]], list[tuple[int, int, int]]]
    ) -> None:
        partners, units = links
        insert_rows(
            self.connection, agreement_partner, ("agreement_id", "partner_id", "position"), partners
        )
        insert_rows(self.connection, agreement_unit, ("agreement_id", "unit_id", "position"), units)

    def _write_children(self, ids: dict[int, int], unit_ids: dict[str, int]) -> None:
        self.summary.history = _copy(self.connection, history_table, self.data.history, ids)
        self.summary.evaluations = _copy(
            self.connection, evaluation_table, self.data.evaluations, ids
        )
        findings = self.data.findings
        self.summary.findings = len(findings)
        if not findings:
            return
        columns = [c.name for c in finding_table.columns if c.name != "id"]
        rows = []
        for finding in findings:
            row = {name: finding[name] for name in columns}
            row["agreement_id"] = ids[finding["agreement_id"]]
            owner = finding["owner_name"]
            row["owner_id"] = (
                unit_ids[vocab.name_key(self._unit_name(finding["agreement_id"], owner))]
                if owner
                else None
            )
            rows.append(row)
        # The new ids, in order, for the notes that hang off them.
        new_ids = (
            self.connection.execute(
                insert(finding_table).returning(finding_table.c.id, sort_by_parameter_order=True),
                rows,
            )
            .scalars()
            .all()
        )
        finding_ids = {f["id"]: new for f, new in zip(findings, new_ids, strict=True)}
        _copy(self.connection, finding_note_table, self.data.notes, finding_ids, link="finding_id")


def _copy(
    connection: Connection,
    table: Table,
    rows: list[dict[str, Any]],
    ids: dict[int, int],
    *,
    link: str = "agreement_id",
) -> int:
    """Insert ``rows`` (less their ids) with ``link`` mapped to the roll-up's ids."""
    columns = [c.name for c in table.columns if c.name != "id"]
    position = columns.index(link)

    def values() -> Iterator[tuple[Any, ...]]:
        for row in rows:
            out = [row[name] for name in columns]
            out[position] = ids[row[link]]
            yield tuple(out)

    return insert_rows(connection, table, columns, values())


def _chunks(items: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]
