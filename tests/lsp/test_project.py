"""Project awareness through a real LSP client: the include graph, cross-file diagnostics, navigation
and hover over a small project written to a temporary folder."""
import pathlib

from lsprotocol import types as T

from session import Session

HEAD = '<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">\n'
TAIL = "</databaseChangeLog>\n"

MASTER = HEAD + """  <property name="schema" value="app"/>
  <include file="db/a.xml" relativeToChangelogFile="true"/>
  <include file="db/b.xml" relativeToChangelogFile="true"/>
  <include file="db/missing.xml" relativeToChangelogFile="true"/>
""" + TAIL

A = HEAD.replace(">", ' logicalFilePath="shared.xml">', 1) + """  <changeSet id="create-person" author="ann">
    <createTable tableName="person" schemaName="${schema}">
      <column name="id" type="bigint"/>
    </createTable>
  </changeSet>
""" + TAIL

B = HEAD.replace(">", ' logicalFilePath="shared.xml">', 1) + """  <changeSet id="create-person" author="ann">
    <sql>select '${undefined_thing}'</sql>
  </changeSet>
""" + TAIL


def project(tmp_path: pathlib.Path) -> pathlib.Path:
    (tmp_path / "db").mkdir()
    (tmp_path / "db.changelog-master.xml").write_text(MASTER)
    (tmp_path / "db" / "a.xml").write_text(A)
    (tmp_path / "db" / "b.xml").write_text(B)
    return tmp_path


def codes(diags):
    return [d.code for d in diags]


def pos(text: str, needle: str, delta: int = 1) -> T.Position:
    i = text.index(needle) + delta
    line = text[:i].count("\n")
    return T.Position(line=line, character=i - (text.rfind("\n", 0, i) + 1))


async def test_missing_include_and_duplicate_across_files(tmp_path):
    root = project(tmp_path)
    s = Session()
    await s.start(root=root)
    master_uri = (root / "db.changelog-master.xml").as_uri()
    b_uri = (root / "db" / "b.xml").as_uri()
    s.open(master_uri, MASTER)
    s.open(b_uri, B)
    diags = await s.diagnostics_until(master_uri, lambda d: "missing-include" in codes(d))
    missing = next(d for d in diags if d.code == "missing-include")
    assert missing.severity == T.DiagnosticSeverity.Error
    assert missing.range.start.line == 4 and "db/missing.xml" in missing.message
    diags = await s.diagnostics_until(b_uri, lambda d: "duplicate-changeset" in codes(d))
    dup = next(d for d in diags if d.code == "duplicate-changeset")
    assert dup.related_information[0].location.uri == (root / "db" / "a.xml").as_uri()
    undefined = next(d for d in diags if d.code == "undefined-property")
    assert "undefined_thing" in undefined.message and undefined.range.start.line == 2
    assert await s.stop() == 0


async def test_definition_on_an_include_and_hover_on_a_property(tmp_path):
    root = project(tmp_path)
    s = Session()
    await s.start(root=root)
    master_uri = (root / "db.changelog-master.xml").as_uri()
    a_uri = (root / "db" / "a.xml").as_uri()
    s.open(master_uri, MASTER)
    s.open(a_uri, A)
    await s.diagnostics_until(master_uri, lambda d: "missing-include" in codes(d))
    defs = await s.client.text_document_definition_async(
        T.DefinitionParams(T.TextDocumentIdentifier(master_uri), pos(MASTER, "db/a.xml"))
    )
    assert [d.uri for d in defs] == [a_uri]
    hover = await s.client.text_document_hover_async(
        T.HoverParams(T.TextDocumentIdentifier(a_uri), pos(A, "${schema}", 3))
    )
    assert "`app`" in hover.contents.value and "db.changelog-master.xml" in hover.contents.value
    symbols = await s.client.workspace_symbol_async(T.WorkspaceSymbolParams(query="create-per"))
    assert sorted(sym.location.uri for sym in symbols) == sorted([a_uri, (root / "db" / "b.xml").as_uri()])
    assert await s.stop() == 0


async def test_editing_an_included_file_updates_the_including_files_diagnostics(tmp_path):
    root = project(tmp_path)
    s = Session()
    await s.start(root=root)
    a_uri = (root / "db" / "a.xml").as_uri()
    b_uri = (root / "db" / "b.xml").as_uri()
    s.open(a_uri, A)
    s.open(b_uri, B)
    await s.diagnostics_until(b_uri, lambda d: "duplicate-changeset" in codes(d))
    # Renaming the first changeset's id removes the duplicate from the other file, without touching it.
    fixed = A.replace('id="create-person"', 'id="create-person-table"')
    s.replace_all(a_uri, 2, A, fixed)
    await s.diagnostics_until(b_uri, lambda d: "undefined-property" in codes(d) and "duplicate-changeset" not in codes(d))
    assert await s.stop() == 0


PEOPLE = HEAD + """  <changeSet id="people-1" author="ann">
    <createTable tableName="person">
      <column name="id" type="bigint"><constraints primaryKey="true"/></column>
      <column name="nickname" type="varchar(40)"/>
    </createTable>
  </changeSet>
""" + TAIL

LATER = HEAD + """  <changeSet id="later-1" author="bob">
    <dropColumn tableName="person" columnName="nickname"/>
  </changeSet>
  <changeSet id="later-2" author="bob">
    <addNotNullConstraint tableName="person" columnName="nickname" columnDataType="varchar(40)"/>
  </changeSet>
  <changeSet id="later-3" author="bob">
    <addColumn tableName="person">
      <column name="email" type="varchar(200)"/>
    </addColumn>
  </changeSet>
""" + TAIL

SCHEMA_MASTER = HEAD + """  <include file="db/people.xml" relativeToChangelogFile="true"/>
  <include file="db/later.xml" relativeToChangelogFile="true"/>
""" + TAIL


def schema_project(tmp_path: pathlib.Path) -> pathlib.Path:
    (tmp_path / "db").mkdir()
    (tmp_path / "db.changelog-master.xml").write_text(SCHEMA_MASTER)
    (tmp_path / "db" / "people.xml").write_text(PEOPLE)
    (tmp_path / "db" / "later.xml").write_text(LATER)
    return tmp_path


async def test_dropped_column_reference_references_hover_and_completion(tmp_path):
    root = schema_project(tmp_path)
    s = Session()
    await s.start(root=root)
    later_uri = (root / "db" / "later.xml").as_uri()
    people_uri = (root / "db" / "people.xml").as_uri()
    s.open(later_uri, LATER)
    diags = await s.diagnostics_until(later_uri, lambda d: "unknown-column" in codes(d))
    dropped = next(d for d in diags if d.code == "unknown-column")
    assert dropped.severity == T.DiagnosticSeverity.Error
    assert dropped.range.start.line == 5 and "later-1" in dropped.message, dropped

    # References of the table, from its use in later.xml: the creation in people.xml and the three
    # changes here.
    refs = await s.client.text_document_references_async(T.ReferenceParams(
        text_document=T.TextDocumentIdentifier(later_uri), position=pos(LATER, 'tableName="person"', 12),
        context=T.ReferenceContext(include_declaration=True)))
    assert sorted((r.uri, r.range.start.line) for r in refs) == sorted(
        [(people_uri, 2), (later_uri, 2), (later_uri, 5), (later_uri, 8)])
    # Go to definition of the table goes to its creation.
    defs = await s.client.text_document_definition_async(
        T.DefinitionParams(T.TextDocumentIdentifier(later_uri), pos(LATER, 'tableName="person"', 12)))
    assert [(d.uri, d.range.start.line) for d in defs] == [(people_uri, 2)]

    # Hover on the table in the last changeset shows it as it is there: nickname is gone.
    hover = await s.client.text_document_hover_async(
        T.HoverParams(T.TextDocumentIdentifier(later_uri), pos(LATER, 'addColumn tableName="person"', 22)))
    text = hover.contents.value
    assert "**table `person`**" in text and "| id (PK) | bigint | no |" in text and "nickname |" not in text
    assert "created by `createTable` in changeset `people-1` (people.xml)" in text

    # Completion of a table name comes from the schema built by the other file.
    line = LATER.splitlines().index('    <addColumn tableName="person">')
    items = await s.client.text_document_completion_async(T.CompletionParams(
        T.TextDocumentIdentifier(later_uri), T.Position(line, len('    <addColumn tableName="'))))
    items = items.items if isinstance(items, T.CompletionList) else items
    assert "person" in [i.label for i in items]
    assert await s.stop() == 0
