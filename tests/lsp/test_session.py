"""Protocol tests: the real lqls binary driven through whole sessions by pygls's LSP client."""
import asyncio

import pytest
from lsprotocol import types as T

from session import FIXTURES, Session, column

PEOPLE = (FIXTURES / "people.xml").read_text(encoding="utf-8")
URI = "file:///work/project/db/people.xml"
COMMENT_LINE = next(i for i, l in enumerate(PEOPLE.splitlines()) if "<comment>" in l)


def break_end_tag(session: Session, encoding: str, version: int):
    """Renames `</comment>` (after CJK and an emoji on its line) to `</commentx>`: a mismatched end tag."""
    line = PEOPLE.splitlines()[COMMENT_LINE]
    at = line.index("</comment>") + len("</comment")
    col = column(line, at, encoding)
    session.change(URI, version, (COMMENT_LINE, col), (COMMENT_LINE, col), "x")
    return line, line.index("</comment>")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8"])
async def test_whole_session(encoding):
    s = Session()
    init = await s.start(encodings=(encoding,))
    assert init.capabilities.position_encoding == encoding
    assert init.capabilities.text_document_sync.change == T.TextDocumentSyncKind.Incremental

    s.open(URI, PEOPLE)
    assert [d for d in await s.diagnostics_for(URI, 1) if d.severity == T.DiagnosticSeverity.Error] == []

    # outline: changesets with ids and authors, their changes as children
    symbols = await s.client.text_document_document_symbol_async(
        T.DocumentSymbolParams(T.TextDocumentIdentifier(URI))
    )
    assert [(x.name, x.detail) for x in symbols] == [("1", "by alice"), ("2", "by bob")]
    assert [c.name for c in symbols[0].children] == ["createTable"]
    assert [c.name for c in symbols[1].children] == ["addColumn"]
    folds = await s.client.text_document_folding_range_async(T.FoldingRangeParams(T.TextDocumentIdentifier(URI)))
    assert any(f.start_line == symbols[0].range.start.line for f in folds)

    # an incremental edit after the emoji breaks the document: the error is reported for version 2, at
    # the end tag, with the column counted in the negotiated encoding
    line, tag = break_end_tag(s, encoding, 2)
    errors = [d for d in await s.diagnostics_for(URI, 2) if d.severity == T.DiagnosticSeverity.Error]
    assert errors, "a mismatched end tag must be an error"
    starts = {(d.range.start.line, d.range.start.character) for d in errors}
    tag_cols = {column(line, tag, encoding), column(line, tag + 2, encoding)}  # at "</" or at the name
    assert any(l == COMMENT_LINE and c in tag_cols for l, c in starts), (starts, tag_cols)

    # deleting the inserted character repairs it
    col = column(line, tag + len("</comment"), encoding)
    s.change(URI, 3, (COMMENT_LINE, col), (COMMENT_LINE, col + 1), "")
    assert [d for d in await s.diagnostics_for(URI, 3) if d.severity == T.DiagnosticSeverity.Error] == []

    s.client.text_document_did_close(T.DidCloseTextDocumentParams(T.TextDocumentIdentifier(URI)))
    assert await s.stop() == 0
    assert any("lqls" in m for m in s.logs)


async def test_pull_diagnostics_when_the_client_supports_them():
    s = Session()
    init = await s.start(pull=True)
    assert init.capabilities.diagnostic_provider is not None
    s.open(URI, PEOPLE.replace('author="bob"', 'author="bob" id="2"'))  # duplicate attribute: not well-formed
    report = await s.client.text_document_diagnostic_async(T.DocumentDiagnosticParams(T.TextDocumentIdentifier(URI)))
    assert any(d.severity == T.DiagnosticSeverity.Error for d in report.items)
    await asyncio.sleep(0.3)
    assert URI not in s.published, "a pulling client must not also get pushed diagnostics"
    assert await s.stop() == 0


async def test_fast_typing_never_leaves_stale_diagnostics():
    s = Session()
    await s.start()
    s.open(URI, PEOPLE)
    await s.diagnostics_for(URI, 1)
    line, tag = break_end_tag(s, "utf-16", 2)
    # 40 keystrokes without waiting, typing inside the comment text; the document stays broken until the
    # last edit repairs the end tag
    insert_at = column(line, line.index("<comment>") + len("<comment>"), "utf-16")
    for v in range(3, 43):
        s.change(URI, v, (COMMENT_LINE, insert_at), (COMMENT_LINE, insert_at), "z")
    moved = 40
    col = column(line, tag + len("</comment"), "utf-16") + moved
    s.change(URI, 43, (COMMENT_LINE, col), (COMMENT_LINE, col + 1), "")
    # a late duplicate of an old version must be ignored, not applied
    s.change(URI, 10, (0, 0), (0, 0), "garbage<<")
    final = await s.diagnostics_for(URI, 43)
    assert [d for d in final if d.severity == T.DiagnosticSeverity.Error] == []
    await asyncio.sleep(0.3)
    assert s.published[URI][-1].version == 43, [p.version for p in s.published[URI]]
    versions = [p.version for p in s.published[URI]]
    assert versions == sorted(versions), "diagnostics for an older version published after a newer one"
    symbols = await s.client.text_document_document_symbol_async(T.DocumentSymbolParams(T.TextDocumentIdentifier(URI)))
    assert [x.name for x in symbols] == ["1", "2"]
    assert await s.stop() == 0


async def test_files_that_are_not_changelogs_stay_silent():
    s = Session()
    await s.start()
    uri = "file:///work/project/pom.xml"
    s.open(uri, "<project><modelVersion>4.0.0</modelVersion></project>")
    assert await s.diagnostics_for(uri, 1) == []
    assert await s.stop() == 0


YAML_DOC = """databaseChangeLog:
  - changeSet:
      id: 1
      author: alice
      changes:
        - createTable:
            tableName: people
            columns:
              - column:
                  name: id
                  type: bigint
"""
SQL_DOC = """--liquibase formatted sql

--changeset alice:1
create table people (id bigint);
--rollback drop table people;
"""


@pytest.mark.parametrize(
    "uri,text,change",
    [
        ("file:///work/project/db/people.yaml", YAML_DOC, "createTable"),
        ("file:///work/project/db/people.json",
         '{"databaseChangeLog": [{"changeSet": {"id": "1", "author": "alice", "changes": [{"sql": {"sql": "select 1"}}]}}]}',
         "sql"),
        ("file:///work/project/db/people.sql", SQL_DOC, "sql"),
    ],
)
async def test_every_syntax_is_served(uri, text, change):
    s = Session()
    await s.start()
    s.open(uri, text)
    assert [d for d in await s.diagnostics_for(uri, 1) if d.severity == T.DiagnosticSeverity.Error] == []
    symbols = await s.client.text_document_document_symbol_async(T.DocumentSymbolParams(T.TextDocumentIdentifier(uri)))
    assert [(x.name, x.detail) for x in symbols] == [("1", "by alice")]
    assert [c.name for c in symbols[0].children] == [change]
    # break it: the author goes missing from the header / key; an error appears for version 2
    broken = text.replace("      author: alice\n", "").replace('"author": "alice", ', "").replace("alice:1", ":1")
    assert broken != text
    lines = text.splitlines()
    s.change(uri, 2, (0, 0), (len(lines), 0), broken)
    assert [d for d in await s.diagnostics_for(uri, 2) if d.severity == T.DiagnosticSeverity.Error]
    assert await s.stop() == 0


async def test_duplicate_changeset_points_at_the_first_one():
    s = Session()
    await s.start()
    uri = "file:///work/project/db/dup.xml"
    one = '  <changeSet id="1" author="a"><sql>select 1</sql></changeSet>\n'
    s.open(uri, '<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">\n'
           + one + one + "</databaseChangeLog>\n")
    dups = [d for d in await s.diagnostics_for(uri, 1) if d.code == "duplicate-changeset"]
    assert len(dups) == 1 and dups[0].range.start.line == 2
    related = dups[0].related_information
    assert related and related[0].location.uri == uri and related[0].location.range.start.line == 1
    assert await s.stop() == 0
