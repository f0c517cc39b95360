"""Protocol tests: the real lqls binary driven through whole sessions by pygls's LSP client."""
import asyncio
import os

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
         '{"databaseChangeLog": [{"changeSet": {"id": "1", "author": "alice", "changes": [{"sql": {"sql": "select 1"}}], "rollback": "select 1"}}]}',
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


# --- the rule engine over LSP: code actions, fix all, configuration -------------------------------------

RULES_URI = "file:///work/project/db/rules.xml"
RULES_DOC = """<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">
  <changeSet id="1" author="a">
    <!-- lqls-disable-next-line LB101 -->
    <sql>select 1</sql>
  </changeSet>
  <changeSet id="2" author="a">
    <dropColumn tableName="person" columnName="nickname"/>
  </changeSet>
</databaseChangeLog>
"""


def apply_edits(text: str, edits: list[T.TextEdit]) -> str:
    """Applies LSP edits (ASCII text: columns are character indexes) from last to first."""
    lines = text.splitlines(keepends=True)
    starts = [0]
    for l in lines:
        starts.append(starts[-1] + len(l))

    def offset(p: T.Position) -> int:
        return starts[min(p.line, len(lines))] + p.character

    for e in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        text = text[: offset(e.range.start)] + e.new_text + text[offset(e.range.end):]
    return text


def codes_of(diags) -> list[str]:
    return [d.code for d in diags]


async def test_quick_fix_for_a_rule_diagnostic_removes_it():
    s = Session()
    init = await s.start()
    kinds = init.capabilities.code_action_provider.code_action_kinds
    assert T.CodeActionKind.QuickFix in kinds and "source.fixAll.lqls" in kinds
    s.open(RULES_URI, RULES_DOC)
    diags = await s.diagnostics_for(RULES_URI, 1)
    lb101 = next(d for d in diags if d.code == "LB101")
    assert lb101.code_description is not None and lb101.code_description.href.endswith("/LB101.md")
    unused = next(d for d in diags if d.code == "unused-suppression")
    assert unused.code_description is None
    assert list(unused.tags) == [T.DiagnosticTag.Unnecessary]

    actions = await s.client.text_document_code_action_async(T.CodeActionParams(
        T.TextDocumentIdentifier(RULES_URI), lb101.range, T.CodeActionContext(diagnostics=[lb101])))
    disable = next(a for a in actions if "LB101" in a.title and a.kind == T.CodeActionKind.QuickFix)
    assert disable.diagnostics and disable.diagnostics[0].code == "LB101"
    edited = apply_edits(RULES_DOC, disable.edit.changes[RULES_URI])
    s.replace_all(RULES_URI, 2, RULES_DOC, edited)
    after = await s.diagnostics_for(RULES_URI, 2)
    assert "LB101" not in codes_of(after), after
    assert await s.stop() == 0


YAML_ROLLBACK_URI = "file:///work/project/db/rollback.yaml"
YAML_ROLLBACK_DOC = """databaseChangeLog:
  - changeSet:
      id: 1
      author: a
      changes:
        - renameColumn:
            tableName: person
            oldColumnName: mail
            newColumnName: email
"""


async def test_generated_rollback_quick_fix_in_yaml():
    s = Session()
    await s.start()
    s.open(YAML_ROLLBACK_URI, YAML_ROLLBACK_DOC, language="yaml")
    diags = await s.diagnostics_for(YAML_ROLLBACK_URI, 1)
    implicit = next(d for d in diags if d.code == "MS291")
    actions = await s.client.text_document_code_action_async(T.CodeActionParams(
        T.TextDocumentIdentifier(YAML_ROLLBACK_URI), implicit.range,
        T.CodeActionContext(diagnostics=[implicit])))
    rollback = next(a for a in actions if a.title == "Add the generated rollback")
    assert rollback.is_preferred
    edited = apply_edits(YAML_ROLLBACK_DOC, rollback.edit.changes[YAML_ROLLBACK_URI])
    assert "rollback:" in edited and "oldColumnName: email" in edited and "newColumnName: mail" in edited[
        edited.index("rollback:"):], edited
    s.replace_all(YAML_ROLLBACK_URI, 2, YAML_ROLLBACK_DOC, edited)
    after = await s.diagnostics_for(YAML_ROLLBACK_URI, 2)
    assert "MS291" not in codes_of(after) and "syntax-error" not in codes_of(after), after
    assert await s.stop() == 0


async def test_fix_all_applies_the_safe_fixes():
    s = Session()
    await s.start()
    s.open(RULES_URI, RULES_DOC)
    await s.diagnostics_for(RULES_URI, 1)
    actions = await s.client.text_document_code_action_async(T.CodeActionParams(
        T.TextDocumentIdentifier(RULES_URI), T.Range(T.Position(0, 0), T.Position(0, 0)),
        T.CodeActionContext(diagnostics=[], only=["source.fixAll.lqls"])))
    assert len(actions) == 1 and actions[0].kind == "source.fixAll.lqls", actions
    edited = apply_edits(RULES_DOC, actions[0].edit.changes[RULES_URI])
    assert "lqls-disable" not in edited and "<dropColumn" in edited
    s.replace_all(RULES_URI, 2, RULES_DOC, edited)
    after = codes_of(await s.diagnostics_for(RULES_URI, 2))
    assert "unused-suppression" not in after and "LB101" in after
    # a quick-fix request does not return the fix-all action
    quick = await s.client.text_document_code_action_async(T.CodeActionParams(
        T.TextDocumentIdentifier(RULES_URI), T.Range(T.Position(0, 0), T.Position(0, 0)),
        T.CodeActionContext(diagnostics=[], only=[T.CodeActionKind.QuickFix])))
    assert all(a.kind == T.CodeActionKind.QuickFix for a in quick)
    assert await s.stop() == 0


async def test_did_change_configuration_turns_a_rule_off():
    s = Session()
    await s.start()
    s.open(RULES_URI, RULES_DOC)
    assert "LB101" in codes_of(await s.diagnostics_for(RULES_URI, 1))
    s.client.workspace_did_change_configuration(
        T.DidChangeConfigurationParams(settings={"lqls": {"rules": {"change-drop-column-warn": "off"}}}))
    # The publication that follows the change (the first project index may republish before it).
    after = await s.diagnostics_until(RULES_URI, lambda d: "LB101" not in codes_of(d))
    # a suppression of a rule that is off is not reported as unused
    assert "unused-suppression" not in codes_of(after)
    assert await s.stop() == 0


async def test_lqls_toml_buffer_configures_and_invalid_one_never_crashes():
    s = Session()
    init = await s.start(watch=True)
    toml_uri = "file:///work/project/lqls.toml"
    s.open(toml_uri, '[rules]\nLB101 = "off"\n', language="toml")
    assert await s.diagnostics_for(toml_uri, 1) == []
    s.open(RULES_URI, RULES_DOC)
    assert "LB101" not in codes_of(await s.diagnostics_for(RULES_URI, 1))

    # broken TOML: a diagnostic on lqls.toml, the last good configuration stays in force
    s.replace_all(toml_uri, 2, '[rules]\nLB101 = "off"\n', '[rules\nLB101 = "error"\n')
    problems = await s.diagnostics_for(toml_uri, 2)
    assert problems and all(d.code == "invalid-config" for d in problems), problems
    assert problems[0].severity == T.DiagnosticSeverity.Error
    await asyncio.sleep(0.3)
    assert "LB101" not in codes_of(s.published[RULES_URI][-1].diagnostics)

    # an invalid value is reported at the value
    s.replace_all(toml_uri, 3, '[rules\nLB101 = "error"\n', '[rules]\nLB101 = "loud"\n')
    problems = await s.diagnostics_for(toml_uri, 3)
    assert [(d.code, d.range.start.line, d.range.start.character) for d in problems] == [("invalid-config", 1, 8)]

    # the server is still serving
    symbols = await s.client.text_document_document_symbol_async(
        T.DocumentSymbolParams(T.TextDocumentIdentifier(RULES_URI)))
    assert [x.name for x in symbols] == ["1", "2"]
    assert any(r.method == "workspace/didChangeWatchedFiles" for r in s.registrations), s.registrations
    assert await s.stop() == 0


async def test_watched_lqls_toml_change_reconfigures(tmp_path):
    s = Session()
    await s.start(watch=True)
    config = tmp_path / "lqls.toml"
    config.write_text('[rules]\nLB101 = "off"\n', encoding="utf-8")
    (tmp_path / "db").mkdir()
    uri = (tmp_path / "db" / "changelog.xml").as_uri()
    s.open(uri, RULES_DOC)
    assert "LB101" not in codes_of(await s.diagnostics_for(uri, 1))
    config.write_text('[rules]\nLB101 = "error"\n\n', encoding="utf-8")
    s.client.workspace_did_change_watched_files(T.DidChangeWatchedFilesParams(
        changes=[T.FileEvent(uri=config.as_uri(), type=T.FileChangeType.Changed)]))
    # Wait for the publication that follows the change (the first project index also republishes).
    after = await s.diagnostics_until(uri, lambda d: "LB101" in codes_of(d))
    lb101 = [d for d in after if d.code == "LB101"]
    assert lb101 and lb101[0].severity == T.DiagnosticSeverity.Error, after
    assert await s.stop() == 0


COMMITTED_DOC = """<?xml version="1.0" encoding="UTF-8"?>
<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">
    <changeSet id="1" author="ann">
        <comment>people</comment>
        <createTable tableName="person">
            <column name="id" type="int"/>
        </createTable>
    </changeSet>
</databaseChangeLog>
"""


def git(cwd, *args):
    import subprocess
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false", *args],
        cwd=cwd, check=True, capture_output=True, env={**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(cwd)},
    )


async def test_committed_changeset_edit_is_reported_and_reverted(tmp_path):
    git(tmp_path, "init", "-q")
    path = tmp_path / "db" / "change log.xml"
    path.parent.mkdir()
    path.write_text(COMMITTED_DOC, encoding="utf-8")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "people")
    uri = path.as_uri()
    edited = COMMITTED_DOC.replace('type="int"', 'type="bigint"')
    s = Session()
    await s.start()
    s.open(uri, edited)
    diags = await s.diagnostics_for(uri, 1)
    warning = next(d for d in diags if d.code == "edited-committed-changeset")
    assert warning.severity == T.DiagnosticSeverity.Warning
    assert "HEAD" in warning.message and "check sum" in warning.message
    assert warning.range.start.line == 2
    actions = await s.client.text_document_code_action_async(T.CodeActionParams(
        T.TextDocumentIdentifier(uri), warning.range, T.CodeActionContext(diagnostics=[warning])))
    titles = [a.title for a in actions]
    assert "Move this edit into a new changeset" in titles, titles
    revert = next(a for a in actions if a.title == "Revert changeset '1' to the committed version")
    reverted = apply_edits(edited, revert.edit.changes[uri])
    assert reverted == COMMITTED_DOC
    s.replace_all(uri, 2, edited, reverted)
    after = await s.diagnostics_for(uri, 2)
    assert "edited-committed-changeset" not in codes_of(after), after
    assert await s.stop() == 0


COMPLETE_URI = "file:///work/project/db/complete.xml"
COMPLETE_DOC = """<?xml version="1.0" encoding="UTF-8"?>
<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">
  <changeSet id="1" author="ana">
    <
  </changeSet>
</databaseChangeLog>
"""


async def test_completion_inside_a_changeset():
    s = Session()
    init = await s.start()
    assert "<" in init.capabilities.completion_provider.trigger_characters
    s.open(COMPLETE_URI, COMPLETE_DOC)
    await s.diagnostics_for(COMPLETE_URI, 1)
    line = next(i for i, l in enumerate(COMPLETE_DOC.splitlines()) if l.strip() == "<")
    col = COMPLETE_DOC.splitlines()[line].index("<") + 1

    async def complete(line, col):
        result = await s.client.text_document_completion_async(
            T.CompletionParams(T.TextDocumentIdentifier(COMPLETE_URI), T.Position(line, col))
        )
        items = result.items if isinstance(result, T.CompletionList) else result
        return sorted(items, key=lambda i: (i.sort_text or i.label, i.label))

    items = await complete(line, col)
    create = next(i for i in items if i.label == "createTable")
    assert create.kind == T.CompletionItemKind.Function
    assert create.insert_text_format == T.InsertTextFormat.Snippet
    assert create.text_edit.new_text.startswith('createTable tableName="$1"')
    assert create.text_edit.range.start == T.Position(line, col)
    assert create.documentation.kind == T.MarkupKind.Markdown

    # inside `<createTable `: the required tableName comes first, with its documentation
    s.change(COMPLETE_URI, 2, (line, col), (line, col), "createTable ")
    await s.diagnostics_for(COMPLETE_URI, 2)
    items = await complete(line, col + len("createTable "))
    assert items[0].label == "tableName", [i.label for i in items]
    assert items[0].text_edit.new_text == 'tableName="$1"'
    assert all(i.kind == T.CompletionItemKind.Property for i in items)

    # positions past the end of a line or of the document never fail
    assert await complete(line, 500) is not None
    assert await complete(500, 0) is not None
    assert await s.stop() == 0


async def test_completion_in_yaml_keeps_indentation():
    s = Session()
    await s.start(encodings=("utf-8",))
    uri = "file:///work/project/db/complete.yaml"
    doc = "databaseChangeLog:\n  - changeSet:\n      id: 20240101-01\n      author: ana\n      changes:\n        - \n"
    s.open(uri, doc, language="yaml")
    await s.diagnostics_for(uri, 1)
    result = await s.client.text_document_completion_async(
        T.CompletionParams(T.TextDocumentIdentifier(uri), T.Position(5, 10))
    )
    items = result.items if isinstance(result, T.CompletionList) else result
    create = next(i for i in items if i.label == "createTable")
    assert create.text_edit.new_text == "createTable:\n            tableName: $1"
    assert create.insert_text_mode == T.InsertTextMode.AsIs
    result = await s.client.text_document_completion_async(
        T.CompletionParams(T.TextDocumentIdentifier(uri), T.Position(0, 0))
    )
    items = result.items if isinstance(result, T.CompletionList) else result
    assert [i.label for i in items] == ["databaseChangeLog"]
    assert await s.stop() == 0
