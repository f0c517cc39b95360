//! Replay tests on real changelog text (XML and YAML parsed by the real parsers).

use super::*;
use crate::model::{ChangeLog, Format};
use crate::rules::testing::{xml, yaml};
use crate::workspace::Step;

fn parse(text: &str, format: Format) -> ChangeLog {
    crate::syntax::parse(text, format).changelog
}

/// Every changeset of the files in order, file `i` being `FileId` `i`.
fn steps(logs: &[ChangeLog]) -> Vec<Step<'_>> {
    logs.iter()
        .enumerate()
        .flat_map(|(f, l)| {
            l.changesets.iter().map(move |cs| Step {
                file: f,
                changeset: cs,
                include_contexts: &[],
            })
        })
        .collect()
}

fn run_xml(body: &str) -> (String, Replay) {
    let text = xml(body);
    let log = parse(&text, Format::Xml);
    let r = replay_with_paths(
        &steps(std::slice::from_ref(&log)),
        &Filter::default(),
        &["db.xml".to_string()],
    );
    (text, r)
}

/// (text at span, code, message) of each finding.
fn findings(body: &str) -> Vec<(String, &'static str, String)> {
    let (text, r) = run_xml(body);
    let mut f = r.findings();
    f.sort_by_key(|f| f.span.start);
    f.into_iter()
        .map(|f| {
            (
                text[f.span.start..f.span.end].to_string(),
                f.code,
                f.message,
            )
        })
        .collect()
}

fn cs(id: &str, changes: &str) -> String {
    format!("<changeSet id=\"{id}\" author=\"al\">{changes}</changeSet>\n")
}

const PERSON: &str = r#"<createTable tableName="person">
  <column name="id" type="bigint" autoIncrement="true"><constraints primaryKey="true"/></column>
  <column name="name" type="varchar(50)" defaultValue="x"><constraints nullable="false"/></column>
</createTable>"#;

#[test]
fn create_table_builds_columns_and_keys() {
    let (_, r) = run_xml(&cs("1", PERSON));
    let t = r.table_at(1, "PERSON").expect("table exists after step 0");
    assert_eq!(t.name, "person");
    assert!(t.known && !t.opaque);
    let cols: Vec<(&str, Option<&str>, bool, bool, bool)> = t
        .columns
        .iter()
        .map(|c| {
            (
                c.name.as_str(),
                c.data_type.as_deref(),
                c.nullable,
                c.primary_key,
                c.auto_increment,
            )
        })
        .collect();
    assert_eq!(
        cols,
        vec![
            ("id", Some("bigint"), false, true, true),
            ("name", Some("varchar(50)"), false, false, false)
        ]
    );
    assert_eq!(t.columns[1].default.as_deref(), Some("x"));
    assert_eq!(t.primary_key.as_ref().unwrap().columns, vec!["id"]);
    assert!(r.table_at(0, "person").is_none(), "not before its step");
    assert!(r.findings().is_empty());
}

#[test]
fn column_changes() {
    let body = cs("1", PERSON)
        + &cs(
            "2",
            r#"<addColumn tableName="person">
  <column name="email" type="varchar(100)"/>
  <column name="age" type="int" afterColumn="id"/>
</addColumn>
<modifyDataType tableName="person" columnName="email" newDataType="text"/>
<addNotNullConstraint tableName="person" columnName="email"/>
<dropNotNullConstraint tableName="person" columnName="name"/>
<addDefaultValue tableName="person" columnName="age" defaultValueNumeric="18"/>
<dropDefaultValue tableName="person" columnName="name"/>
<setColumnRemarks tableName="person" columnName="age" remarks="years"/>"#,
        )
        + &cs(
            "3",
            r#"<renameColumn tableName="person" oldColumnName="email" newColumnName="mail"/>
<dropColumn tableName="person" columnName="age"/>"#,
        )
        + &cs(
            "4",
            r#"<mergeColumns tableName="person" column1Name="name" column2Name="mail" finalColumnName="label" finalColumnType="text" joinString=" "/>
<addAutoIncrement tableName="person" columnName="label" columnDataType="int"/>"#,
        );
    let (_, r) = run_xml(&body);
    assert_eq!(
        r.columns_at(2, "person"),
        vec!["id", "age", "name", "email"]
    );
    let t = r.table_at(2, "person").unwrap();
    let email = t.column("EMAIL").unwrap();
    assert_eq!(email.data_type.as_deref(), Some("text"));
    assert!(!email.nullable);
    assert!(t.column("name").unwrap().nullable);
    assert_eq!(t.column("name").unwrap().default, None);
    assert_eq!(t.column("age").unwrap().default.as_deref(), Some("18"));
    assert_eq!(t.column("age").unwrap().remarks.as_deref(), Some("years"));
    assert_eq!(r.columns_at(3, "person"), vec!["id", "name", "mail"]);
    assert_eq!(r.columns_at(4, "person"), vec!["id", "label"]);
    assert!(r.table_at(4, "person").unwrap().columns[1].auto_increment);
    assert_eq!(r.findings(), vec![]);
}

#[test]
fn constraints_and_indexes() {
    let body = cs("1", PERSON)
        + &cs(
            "2",
            r#"<createTable tableName="pet"><column name="id" type="int"/><column name="owner_id" type="int"/><column name="tag" type="int"/></createTable>
<addPrimaryKey tableName="pet" columnNames="id" constraintName="pk_pet"/>
<addUniqueConstraint tableName="pet" columnNames="tag" constraintName="uq_tag"/>
<addForeignKeyConstraint baseTableName="pet" baseColumnNames="owner_id" constraintName="fk_owner" referencedTableName="person" referencedColumnNames="id"/>
<createIndex tableName="pet" indexName="ix_owner" unique="false"><column name="owner_id"/></createIndex>"#,
        )
        + &cs(
            "3",
            r#"<dropUniqueConstraint tableName="pet" constraintName="UQ_TAG"/>
<dropForeignKeyConstraint baseTableName="pet" constraintName="fk_owner"/>
<dropIndex indexName="ix_owner"/>
<dropPrimaryKey tableName="pet"/>"#,
        );
    let (_, r) = run_xml(&body);
    let t = r.table_at(2, "pet").unwrap();
    assert_eq!(
        t.primary_key,
        Some(KeyConstraint {
            name: Some("pk_pet".into()),
            columns: vec!["id".into()]
        })
    );
    assert!(t.column("id").unwrap().primary_key);
    assert_eq!(t.unique_constraints.len(), 1);
    assert_eq!(t.foreign_keys.len(), 1);
    assert_eq!(t.foreign_keys[0].referenced_table, "person");
    assert_eq!(t.foreign_keys[0].referenced_columns, vec!["id"]);
    assert_eq!(
        t.indexes,
        vec![Index {
            name: Some("ix_owner".into()),
            columns: vec!["owner_id".into()],
            unique: false
        }]
    );
    let t = r.table_at(3, "pet").unwrap();
    assert!(t.primary_key.is_none() && !t.column("id").unwrap().primary_key);
    assert!(t.unique_constraints.is_empty() && t.foreign_keys.is_empty() && t.indexes.is_empty());
    assert_eq!(r.findings(), vec![]);
}

#[test]
fn column_level_foreign_key_and_self_reference() {
    let body = cs(
        "1",
        r#"<createTable tableName="node">
  <column name="id" type="int"><constraints primaryKey="true"/></column>
  <column name="parent_id" type="int"><constraints references="node(id)" foreignKeyName="fk_parent"/></column>
  <column name="kind" type="int"><constraints referencedTableName="kind" referencedColumnNames="id" foreignKeyName="fk_kind"/></column>
</createTable>
<dropAllForeignKeyConstraints baseTableName="node"/>"#,
    );
    let (_, r) = run_xml(&body);
    let t = r.table_at(0, "node");
    assert!(t.is_none());
    assert_eq!(r.columns_at(1, "node"), vec!["id", "parent_id", "kind"]);
    assert!(r.table_at(1, "node").unwrap().foreign_keys.is_empty());
    // The referenced table `kind` was never created: it may predate the changelogs.
    assert!(r.tables_at(1).contains(&"kind".to_string()));
}

#[test]
fn views_sequences_and_lookup_tables() {
    let body = cs("1", PERSON)
        + &cs(
            "2",
            r#"<createView viewName="v_person">select * from person</createView>
<renameView oldViewName="v_person" newViewName="v_people"/>
<createSequence sequenceName="seq_a"/>
<renameSequence oldSequenceName="seq_a" newSequenceName="seq_b"/>
<addLookupTable existingTableName="person" existingColumnName="name" newTableName="names" newColumnName="name" constraintName="fk_names"/>"#,
        )
        + &cs(
            "3",
            r#"<dropView viewName="v_people"/><dropSequence sequenceName="seq_b"/>"#,
        );
    let (text, r) = run_xml(&body);
    assert_eq!(r.columns_at(2, "names"), vec!["name"]);
    assert!(
        r.table_at(2, "names")
            .unwrap()
            .column("name")
            .unwrap()
            .primary_key
    );
    assert_eq!(r.table_at(2, "person").unwrap().foreign_keys.len(), 1);
    // The view keeps its identity across the rename: one object, four touches.
    let at = text.find("v_people\"/>").unwrap();
    let sym = r.symbol_at(0, at + 1).unwrap();
    assert!(matches!(sym.target, Target::View(_)));
    let refs: Vec<(TouchKind, String)> = r
        .references(&sym)
        .into_iter()
        .map(|t| (t.kind, t.name))
        .collect();
    assert_eq!(
        refs,
        vec![
            (TouchKind::Create, "v_person".into()),
            (TouchKind::Rename, "v_person".into()),
            (TouchKind::Rename, "v_people".into()),
            (TouchKind::Drop, "v_people".into()),
        ]
    );
    assert_eq!(r.definition(&sym).unwrap().change, "createView");
    // The person.name FK has no index: the lookup table's key does not help the base table.
    let f = findings(&body);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].1, "fk-without-index");
    assert_eq!(f[0].0, "name");
}

#[test]
fn rename_chains_follow_identity() {
    let body = cs("1", PERSON)
        + &cs(
            "2",
            r#"<renameTable oldTableName="person" newTableName="people"/>
<renameColumn tableName="people" oldColumnName="name" newColumnName="full_name"/>"#,
        )
        + &cs(
            "3",
            r#"<renameTable oldTableName="people" newTableName="humans"/>
<renameColumn tableName="humans" oldColumnName="full_name" newColumnName="label"/>
<insert tableName="humans"><column name="label" value="a"/></insert>"#,
        );
    let (text, r) = run_xml(&body);
    assert!(r.findings().is_empty(), "{:?}", r.findings());
    assert_eq!(r.tables_at(3), vec!["humans"]);
    assert_eq!(r.columns_at(3, "humans"), vec!["id", "label"]);
    assert!(r.table_at(3, "person").is_none());
    assert_eq!(r.table_at(1, "person").unwrap().name, "person");
    // From the insert's column, the definition is the createTable column `name`.
    let at = text.find("label\" value").unwrap();
    let sym = r.symbol_at(0, at).unwrap();
    let def = r.definition(&sym).unwrap();
    assert_eq!(&text[def.span.start..def.span.end], "name");
    assert_eq!(def.step, 0);
    let refs: Vec<&str> = r
        .references(&sym)
        .iter()
        .map(|t| &text[t.span.start..t.span.end])
        .collect();
    assert_eq!(
        refs,
        vec!["name", "name", "full_name", "full_name", "label", "label"]
    );
    // The table: every touch across both renames.
    let at = text.find("humans\"><column").unwrap();
    let sym = r.symbol_at(0, at + 2).unwrap();
    assert_eq!(r.references(&sym).len(), 8);
    assert_eq!(r.definition(&sym).unwrap().change, "createTable");
    assert_eq!(r.history("people").len(), 8);
    assert_eq!(r.created_at("PERSON").unwrap().step, 0);
    assert!(r.created_at("humans").is_none());
}

#[test]
fn unknown_table_dropped_renamed_and_created_later() {
    let body = cs(
        "1",
        r#"<addColumn tableName="pet"><column name="x" type="int"/></addColumn>"#,
    ) + &cs(
        "2",
        r#"<createTable tableName="pet"><column name="id" type="int"/></createTable>"#,
    ) + &cs("3", PERSON)
        + &cs(
            "4",
            r#"<renameTable oldTableName="person" newTableName="people"/><dropTable tableName="pet"/>"#,
        )
        + &cs(
            "5",
            r#"<insert tableName="person"><column name="id" valueNumeric="1"/></insert>
<dropTable tableName="pet"/>"#,
        );
    assert_eq!(
        findings(&body),
        vec![
            (
                "pet".to_string(),
                "unknown-table",
                "Table `pet` does not exist yet: it is created later, by changeset '2' by al in db.xml."
                    .to_string()
            ),
            (
                "person".to_string(),
                "unknown-table",
                "Table `person` does not exist here: it was renamed to `people` by changeset '4' by al in db.xml."
                    .to_string()
            ),
            (
                "pet".to_string(),
                "unknown-table",
                "Table `pet` does not exist here: it was dropped by changeset '4' by al in db.xml."
                    .to_string()
            ),
        ]
    );
}

#[test]
fn unknown_column_cases() {
    let body = cs("1", PERSON)
        + &cs(
            "2",
            r#"<insert tableName="person"><column name="email" value="a"/><column name="nme" value="b"/><column name="zzz" value="c"/></insert>"#,
        )
        + &cs(
            "3",
            r#"<addColumn tableName="person"><column name="email" type="text"/></addColumn>
<renameColumn tableName="person" oldColumnName="name" newColumnName="label"/>"#,
        )
        + &cs(
            "4",
            r#"<addNotNullConstraint tableName="person" columnName="name"/>
<createIndex tableName="person" indexName="ix"><column name="Email"/></createIndex>"#,
        );
    let f = findings(&body);
    let got: Vec<(&str, &str)> = f.iter().map(|(t, _, m)| (t.as_str(), m.as_str())).collect();
    assert_eq!(
        got,
        vec![
            ("email", "Column `email` does not exist in table `person` yet: it is added later, by changeset '3' by al in db.xml."),
            ("nme", "Column `nme` is not defined in table `person`. Did you mean `name`?"),
            ("zzz", "Column `zzz` is not defined in table `person`."),
            ("name", "Column `name` does not exist in table `person` here: it was renamed to `label` by changeset '3' by al in db.xml."),
        ]
    );
    assert!(f.iter().all(|x| x.1 == "unknown-column"));
}

#[test]
fn related_places_point_to_the_cause() {
    let body = cs("1", PERSON)
        + &cs(
            "2",
            r#"<dropColumn tableName="person"><column name="name"/></dropColumn>"#,
        )
        + &cs(
            "3",
            r#"<update tableName="person"><column name="name" value="x"/></update>"#,
        );
    let (text, r) = run_xml(&body);
    let f = r.findings();
    assert_eq!(f.len(), 1);
    assert_eq!(
        f[0].message,
        "Column `name` does not exist in table `person` here: it was dropped by changeset '2' by al in db.xml."
    );
    let (file, span, note) = &f[0].related[0];
    assert_eq!((*file, note.as_str()), (0, "dropped here"));
    assert!(text[..span.start].ends_with("<dropColumn tableName=\"person\"><column name=\""));
}

#[test]
fn silence_cases() {
    // A table never created by the replay may predate the changelogs.
    let never = cs(
        "1",
        r#"<addColumn tableName="legacy"><column name="x" type="int"/></addColumn>
<insert tableName="legacy"><column name="whatever" value="1"/></insert>
<dropTable tableName="other"/>"#,
    );
    assert_eq!(findings(&never), vec![]);
    // Two dbms-specific creations are alternatives, and references to either side are fine.
    let alternatives = cs("0", "")
        + r#"<changeSet id="1" author="al" dbms="postgresql"><createTable tableName="t"><column name="a" type="int"/></createTable></changeSet>
<changeSet id="2" author="al" dbms="h2"><createTable tableName="t"><column name="b" type="int"/></createTable></changeSet>
<changeSet id="3" author="al"><insert tableName="t"><column name="a" value="1"/></insert></changeSet>
"#;
    assert_eq!(findings(&alternatives), vec![]);
    // A guarded drop may not have run.
    let guarded = cs("1", PERSON)
        + r#"<changeSet id="2" author="al"><preConditions onFail="MARK_RAN"><tableExists tableName="x"/></preConditions><dropTable tableName="person"/></changeSet>
<changeSet id="3" author="al"><insert tableName="person"><column name="id" value="1"/></insert></changeSet>
"#;
    assert_eq!(findings(&guarded), vec![]);
    // Raw SQL makes a table opaque: columns it may have added are not reported.
    let opaque = cs("1", PERSON)
        + &cs(
            "2",
            "<sql>ALTER TABLE person ADD COLUMN age int; CREATE TABLE raw_t (x int)</sql>",
        )
        + &cs(
            "3",
            r#"<insert tableName="person"><column name="age" value="1"/></insert>
<insert tableName="raw_t"><column name="y" value="1"/></insert>"#,
        );
    assert_eq!(findings(&opaque), vec![]);
    // Property names cannot be resolved.
    let props = cs("1", PERSON)
        + &cs(
            "2",
            r#"<insert tableName="${prefix}person"><column name="x" value="1"/></insert>
<insert tableName="person"><column name="${col}" value="1"/></insert>"#,
        );
    assert_eq!(findings(&props), vec![]);
    // Rollback blocks are not replayed.
    let rollback = cs(
        "1",
        &format!("{PERSON}<rollback><dropTable tableName=\"person\"/></rollback>"),
    ) + &cs(
        "2",
        r#"<insert tableName="person"><column name="id" value="1"/></insert>"#,
    );
    assert_eq!(findings(&rollback), vec![]);
}

#[test]
fn case_quotes_and_schemas() {
    let body = cs(
        "1",
        r#"<createTable tableName="Person" schemaName="app"><column name="ID" type="int"/></createTable>"#,
    ) + &cs(
        "2",
        r#"<insert tableName="PERSON"><column name="id" value="1"/></insert>
<insert tableName="person" schemaName="APP"><column name="Id" value="1"/></insert>"#,
    );
    assert_eq!(findings(&body), vec![]);
    let (_, r) = run_xml(&body);
    assert_eq!(r.tables_at(2), vec!["Person"]);
    assert_eq!(r.columns_at(2, "app.person"), vec!["ID"]);
    assert_eq!(r.columns_at(2, "person"), vec!["ID"]);
    assert_eq!(r.history("person").len(), 3);
    assert_eq!(r.history("APP.Person").len(), 3);
    assert_eq!(r.created_at("app.person").unwrap().step, 0);
}

#[test]
fn sql_changes_create_drop_and_rename() {
    let body = cs(
        "1",
        "<sql>create table a (x int); create table b (y int)</sql>",
    ) + &cs("2", "<sql>drop table a; alter table b rename to c</sql>")
        + &cs(
            "3",
            r#"<insert tableName="a"><column name="x" value="1"/></insert>"#,
        );
    let f = findings(&body);
    assert_eq!(f.len(), 1);
    assert_eq!(
        f[0].2,
        "Table `a` does not exist here: it was dropped by changeset '2' by al in db.xml."
    );
    let (_, r) = run_xml(&body);
    assert_eq!(r.tables_at(2), vec!["c"]);
    assert!(r.table_at(2, "c").unwrap().opaque);
    assert!(
        r.created_at("a").is_none(),
        "SQL creations are not the project's createTable"
    );
}

#[test]
fn fk_without_index() {
    let child = r#"<createTable tableName="pet"><column name="id" type="int"><constraints primaryKey="true"/></column>
  <column name="owner_id" type="int"><constraints references="person(id)" foreignKeyName="fk_pet_owner"/></column>
  <column name="vet_a" type="int"/><column name="vet_b" type="int"/></createTable>"#;
    let body = cs("1", PERSON)
        + &cs("2", child)
        + &cs(
            "3",
            r#"<addForeignKeyConstraint baseTableName="pet" baseColumnNames="vet_a, vet_b" constraintName="fk_vet" referencedTableName="person" referencedColumnNames="id, name"/>"#,
        );
    let f = findings(&body);
    assert_eq!(
        f,
        vec![
            (
                "fk_pet_owner".to_string(),
                "fk-without-index",
                "Foreign key `fk_pet_owner` on `pet(owner_id)` has no index starting with its columns: deletes and updates in `person` and joins will scan `pet`.".to_string()
            ),
            (
                "vet_a, vet_b".to_string(),
                "fk-without-index",
                "Foreign key `fk_vet` on `pet(vet_a, vet_b)` has no index starting with its columns: deletes and updates in `person` and joins will scan `pet`.".to_string()
            ),
        ]
    );
    // Indexes added later count, in any order of the leading columns.
    let indexed = body
        + &cs(
            "4",
            r#"<createIndex tableName="pet" indexName="ix_owner"><column name="owner_id"/><column name="id"/></createIndex>
<addUniqueConstraint tableName="pet" columnNames="vet_b, vet_a, id"/>"#,
        );
    assert_eq!(findings(&indexed), vec![]);
    // A foreign key to a table dropped since is gone with it.
    let cascaded = cs("1", PERSON)
        + &cs("2", child)
        + &cs(
            "3",
            r#"<dropTable tableName="person" cascadeConstraints="true"/>"#,
        );
    assert_eq!(findings(&cascaded), vec![]);
    // MySQL indexes foreign keys itself.
    let text = xml(&(cs("1", PERSON) + &cs("2", child)));
    let log = parse(&text, Format::Xml);
    let mysql = Filter {
        dbms: Some("MySQL".into()),
        contexts: None,
    };
    assert!(replay(&steps(std::slice::from_ref(&log)), &mysql)
        .findings()
        .is_empty());
}

#[test]
fn two_files_symbols_definitions_references() {
    let a = xml(&cs("1", PERSON));
    let b = yaml(
        "- changeSet:
    id: 2
    author: bo
    changes:
      - addColumn:
          tableName: person
          columns:
            - column:
                name: email
                type: text
      - addForeignKeyConstraint:
          baseTableName: person
          baseColumnNames: name, email
          referencedTableName: person
          referencedColumnNames: id, id
          constraintName: fk_self
      - createIndex:
          tableName: person
          indexName: ix_self
          columns:
            - column:
                name: name
            - column:
                name: email
",
    );
    let logs = vec![parse(&a, Format::Xml), parse(&b, Format::Yaml)];
    let r = replay_with_paths(
        &steps(&logs),
        &Filter::default(),
        &["a.xml".into(), "b.yaml".into()],
    );
    assert_eq!(r.findings(), vec![]);
    // The cursor on `email` inside the comma list resolves to that column only.
    let at = b.find("name, email").unwrap() + "name, ".len() + 2;
    let sym = r.symbol_at(1, at).unwrap();
    assert_eq!(sym.name, "email");
    assert_eq!(sym.step, 1);
    let def = r.definition(&sym).unwrap();
    assert_eq!((def.file, &b[def.span.start..def.span.end]), (1, "email"));
    // `name` in the list goes back to the other file.
    let at = b.find("name, email").unwrap();
    let sym = r.symbol_at(1, at).unwrap();
    let def = r.definition(&sym).unwrap();
    assert_eq!(def.file, 0);
    assert_eq!(&a[def.span.start..def.span.end], "name");
    let refs: Vec<(FileId, TouchKind)> = r
        .references(&sym)
        .iter()
        .map(|t| (t.file, t.kind))
        .collect();
    assert_eq!(
        refs,
        vec![
            (0, TouchKind::Create),
            (1, TouchKind::Reference),
            (1, TouchKind::Reference)
        ]
    );
    // The table: hover before the YAML step shows the XML definition only.
    let at = b.find("tableName: person").unwrap() + "tableName: ".len();
    let sym = r.symbol_at(1, at).unwrap();
    assert!(matches!(sym.target, Target::Table(_)));
    assert_eq!(r.definition(&sym).unwrap().file, 0);
    assert_eq!(r.references(&sym).len(), 5);
    assert_eq!(r.columns_at(sym.step, "person"), vec!["id", "name"]);
    let after = r.table_at(2, "person").unwrap();
    assert_eq!(after.indexes[0].columns, vec!["name", "email"]);
    assert_eq!(after.foreign_keys[0].columns, vec!["name", "email"]);
    // Index symbol.
    let at = b.find("ix_self").unwrap();
    let sym = r.symbol_at(1, at).unwrap();
    assert!(matches!(sym.target, Target::Index(_, ref k) if k == "ix_self"));
    assert_eq!(r.definition(&sym).unwrap().change, "createIndex");
    assert!(r.symbol_at(1, 0).is_none());
}

#[test]
fn messages_name_the_other_file() {
    let a = xml(&cs("1", PERSON));
    let b = xml(&cs("2", r#"<dropTable tableName="person"/>"#));
    let c = xml(&cs(
        "3",
        r#"<dropColumn tableName="person" columnName="id"/>"#,
    ));
    let logs = vec![
        parse(&a, Format::Xml),
        parse(&b, Format::Xml),
        parse(&c, Format::Xml),
    ];
    let paths = vec!["a.xml".into(), "b.xml".into(), "c.xml".into()];
    let r = replay_with_paths(&steps(&logs), &Filter::default(), &paths);
    let f = r.findings();
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].file, 2);
    assert_eq!(
        f[0].message,
        "Table `person` does not exist here: it was dropped by changeset '2' by al in b.xml."
    );
    assert_eq!(f[0].related[0].0, 1);
}

#[test]
fn filter_selects_changesets() {
    let body = r#"<changeSet id="1" author="al" dbms="postgresql"><createTable tableName="pg"><column name="a" type="int"/></createTable></changeSet>
<changeSet id="2" author="al" dbms="!postgresql"><createTable tableName="other"><column name="a" type="int"/></createTable></changeSet>
<changeSet id="3" author="al" context="test and !prod"><createTable tableName="fixture"><column name="a" type="int"/></createTable></changeSet>
<changeSet id="4" author="al"><createTable tableName="always"><column name="a" type="int"/></createTable></changeSet>
"#;
    let text = xml(body);
    let log = parse(&text, Format::Xml);
    let st = steps(std::slice::from_ref(&log));
    let tables = |f: &Filter| replay(&st, f).tables_at(4);
    assert_eq!(
        tables(&Filter::default()),
        vec!["always", "fixture", "other", "pg"]
    );
    let pg = Filter {
        dbms: Some("postgresql".into()),
        contexts: Some(vec!["prod".into()]),
    };
    assert_eq!(tables(&pg), vec!["always", "pg"]);
    let h2 = Filter {
        dbms: Some("h2".into()),
        contexts: Some(vec!["test".into()]),
    };
    assert_eq!(tables(&h2), vec!["always", "fixture", "other"]);
    // Include contexts restrict too.
    let inc = vec!["prod".to_string()];
    let restricted: Vec<Step> = st
        .iter()
        .map(|s| Step {
            include_contexts: &inc,
            ..*s
        })
        .collect();
    assert_eq!(replay(&restricted, &h2).tables_at(4), Vec::<String>::new());
}

#[test]
fn yaml_changes_replay_like_xml() {
    let text = yaml(
        "- changeSet:
    id: 1
    author: al
    changes:
      - createTable:
          tableName: item
          columns:
            - column:
                name: id
                type: int
                constraints:
                  primaryKey: true
            - column:
                name: title
                type: text
- changeSet:
    id: 2
    author: al
    changes:
      - dropColumn:
          tableName: item
          columnName: title
      - update:
          tableName: item
          columns:
            - column:
                name: title
                value: x
",
    );
    let log = parse(&text, Format::Yaml);
    let r = replay(&steps(std::slice::from_ref(&log)), &Filter::default());
    assert_eq!(r.columns_at(1, "item"), vec!["id", "title"]);
    let item = r.table_at(1, "item").unwrap();
    assert!(item.column("id").unwrap().primary_key && !item.column("id").unwrap().nullable);
    assert_eq!(
        item.column("title").unwrap().data_type.as_deref(),
        Some("text")
    );
    assert_eq!(r.columns_at(2, "item"), vec!["id"]);
    let f = r.findings();
    assert_eq!(f.len(), 1);
    assert_eq!(
        f[0].message,
        "Column `title` does not exist in table `item` here: it was dropped by changeset '1' by al in file #0."
            .replace("'1'", "'2'")
    );
    assert_eq!(&text[f[0].span.start..f[0].span.end], "title");
}

#[test]
fn half_typed_changes_never_panic() {
    let body = cs(
        "1",
        r#"<createTable/><createTable tableName=""><column/></createTable><addColumn/><renameTable oldTableName="x"/>
<addForeignKeyConstraint baseTableName="a"/><createIndex tableName="q"><column/></createIndex><dropIndex/>
<renameColumn tableName="q" oldColumnName="z"/><mergeColumns tableName="q"/><addLookupTable existingTableName="q"/>
<sql>create table</sql><sql>alter table if exists</sql><createTable tableName="r"><column name="a"><constraints references="("/></column></createTable>"#,
    );
    let (_, r) = run_xml(&body);
    let _ = r.findings();
    let _ = r.tables_at(usize::MAX);
    assert!(r.symbol_at(5, 3).is_none());
}

#[test]
fn replay_is_linear() {
    // 5,000 changesets over 100 tables of about 50 columns: each step copies only the table it
    // touches, and a copy shares the columns.
    let mut body = String::new();
    for t in 0..100 {
        body += &cs(
            &format!("t{t}"),
            &format!(
                r#"<createTable tableName="t{t}"><column name="id" type="int"/></createTable>"#
            ),
        );
    }
    for i in 0..4900 {
        body += &cs(
            &format!("c{i}"),
            &format!(
                r#"<addColumn tableName="t{}"><column name="c{i}" type="int"/></addColumn>
<insert tableName="t{}"><column name="id" value="1"/><column name="c{i}" value="2"/></insert>"#,
                i % 100,
                i % 100
            ),
        );
    }
    let text = xml(&body);
    let log = parse(&text, Format::Xml);
    let st = steps(std::slice::from_ref(&log));
    assert_eq!(st.len(), 5000);
    let start = std::time::Instant::now();
    let r = replay(&st, &Filter::default());
    let took = start.elapsed();
    eprintln!("5,000 steps replayed in {took:?}");
    assert_eq!(r.columns_at(5000, "t3").len(), 50);
    assert_eq!(r.touches().len(), 100 * 2 + 4900 * 5);
    assert!(r.findings().is_empty());
    assert!(took.as_millis() < 1000, "replay took {took:?}");
}

#[test]
fn unreadable_changes_silence_what_came_before() {
    // A sqlFile after the drop may have re-created the table, and may have added columns.
    let body = cs("1", PERSON)
        + &cs("2", r#"<dropColumn tableName="person" columnName="name"/>"#)
        + &cs("3", r#"<sqlFile path="fix.sql"/>"#)
        + &cs(
            "4",
            r#"<insert tableName="person"><column name="name" value="x"/><column name="other" value="y"/></insert>"#,
        );
    assert_eq!(findings(&body), vec![]);
    let dropped = cs("1", PERSON)
        + &cs("2", r#"<dropTable tableName="person"/>"#)
        + &cs(
            "3",
            "<sql>DO $$ BEGIN CREATE TABLE person (id int); END $$</sql>",
        )
        + &cs(
            "4",
            r#"<insert tableName="person"><column name="id" value="1"/></insert>"#,
        );
    assert_eq!(findings(&dropped), vec![]);
    // Before the unreadable change, the drop is still known.
    let before = cs("1", PERSON)
        + &cs(
            "2",
            r#"<dropTable tableName="person"/><insert tableName="person"><column name="id" value="1"/></insert>"#,
        )
        + &cs("3", r#"<customChange class="x.Y"/>"#);
    assert_eq!(findings(&before).len(), 1);
}

#[test]
fn change_level_dbms() {
    let body = cs("1", PERSON)
        + &cs(
            "2",
            r#"<dropColumn tableName="person" columnName="name" dbms="h2"/>"#,
        )
        + &cs(
            "3",
            r#"<insert tableName="person"><column name="name" value="x"/></insert>"#,
        );
    // Without a filter the h2-only drop is an alternative: nothing to report.
    assert_eq!(findings(&body), vec![]);
    let text = xml(&body);
    let log = parse(&text, Format::Xml);
    let st = steps(std::slice::from_ref(&log));
    let on = |db: &str| {
        let f = Filter {
            dbms: Some(db.into()),
            contexts: None,
        };
        let r = replay(&st, &f);
        (r.columns_at(3, "person"), r.findings().len())
    };
    assert_eq!(on("h2"), (vec!["id".to_string()], 1));
    assert_eq!(
        on("postgresql"),
        (vec!["id".to_string(), "name".to_string()], 0)
    );
}

#[test]
fn conditional_steps() {
    let body = r#"<changeSet id="1" author="al"><createTable tableName="a"><column name="x" type="int"/></createTable></changeSet>
<changeSet id="2" author="al" dbms="postgresql"><sql>select 1</sql></changeSet>
<changeSet id="3" author="al" context="test"><sql>select 1</sql></changeSet>
<changeSet id="4" author="al"><preConditions><tableExists tableName="a"/></preConditions><sql>select 1</sql></changeSet>
<changeSet id="5" author="al" dbms="all"><sql>select 1</sql></changeSet>
"#;
    let text = xml(body);
    let log = parse(&text, Format::Xml);
    let st = steps(std::slice::from_ref(&log));
    let flags = |r: &Replay| (0..5).map(|s| r.is_conditional(s)).collect::<Vec<_>>();
    let r = replay(&st, &Filter::default());
    assert_eq!(flags(&r), vec![false, true, true, true, false]);
    // A filter decides dbms and contexts: only preconditions stay open.
    let decided = Filter {
        dbms: Some("postgresql".into()),
        contexts: Some(vec!["test".into()]),
    };
    assert_eq!(
        flags(&replay(&st, &decided)),
        vec![false, false, false, true, false]
    );
    // An include's context makes a changeset conditional too.
    let inc = vec!["test".to_string()];
    let included: Vec<Step> = st
        .iter()
        .map(|s| Step {
            include_contexts: &inc,
            ..*s
        })
        .collect();
    assert!(replay(&included, &Filter::default()).is_conditional(0));
    let r = replay(
        &st,
        &Filter {
            dbms: Some("h2".into()),
            contexts: None,
        },
    );
    assert!(!r.replayed(1) && r.replayed(0));
}

#[test]
fn references_attribute_parts_are_symbols() {
    let body = cs("1", PERSON)
        + &cs(
            "2",
            r#"<createTable tableName="pet"><column name="owner" type="int"><constraints references="person(id)" foreignKeyName="fk_owner"/></column>
<column name="owner2" type="int"><constraints referencedTableName="person" referencedColumnNames="name"/></column></createTable>"#,
        );
    let (text, r) = run_xml(&body);
    let at = text.find("person(id)").unwrap();
    let table = r.symbol_at(0, at + 1).unwrap();
    assert!(matches!(table.target, Target::Table(_)));
    assert_eq!(&text[table.span.start..table.span.end], "person");
    let col = r.symbol_at(0, at + "person(".len()).unwrap();
    assert_eq!(&text[col.span.start..col.span.end], "id");
    assert_eq!(r.definition(&col).unwrap().step, 0);
    let at = text.find("referencedColumnNames=\"name").unwrap() + "referencedColumnNames=\"".len();
    let col = r.symbol_at(0, at).unwrap();
    assert_eq!(r.references(&col).len(), 2);
    // Both foreign keys lack an index on pet.
    let f = findings(&body);
    let spans: Vec<&str> = f.iter().map(|x| x.0.as_str()).collect();
    assert_eq!(spans, vec!["fk_owner", "person"]);
}
