//! The inverse of a change, when the change alone determines it, and the quick fix that writes it as
//! an explicit rollback block. Changes that lose information (dropTable, sql, insert, modifyDataType,
//! ...) have no inverse here: their rollback needs a person.

use super::render::{self, Node};
use crate::model::{Change, ChangeSet, Fix, Format};

/// Attributes copied from the change to its inverse when present (same name on both).
const LOCATION: &[&str] = &["catalogName", "schemaName"];

fn copy(ch: &Change, names: &[&'static str]) -> Vec<(&'static str, String)> {
    names
        .iter()
        .filter_map(|&n| ch.attr_value(n).map(|v| (n, v.to_string())))
        .collect()
}

/// `name` with attributes taken from the change (renamed where the inverse calls them differently).
fn node(ch: &Change, name: &'static str, map: &[(&'static str, &'static str)]) -> Node {
    let mut attrs = copy(ch, LOCATION);
    for &(from, to) in map {
        if let Some(v) = ch.attr_value(from) {
            attrs.push((to, v.to_string()));
        }
    }
    Node { name, attrs }
}

/// Whether every attribute the inverse needs is there (and none is a `${property}` we cannot see).
fn has(ch: &Change, names: &[&str]) -> bool {
    names
        .iter()
        .all(|n| ch.attr_value(n).is_some_and(|v| !v.trim().is_empty()))
}

/// The changes that undo `ch`, or `None` when the change does not determine them.
pub fn inverse(ch: &Change) -> Option<Vec<Node>> {
    let n = |name, map: &[(&'static str, &'static str)]| Some(vec![node(ch, name, map)]);
    match ch.kind.value.as_str() {
        "createTable" if has(ch, &["tableName"]) => n("dropTable", &[("tableName", "tableName")]),
        "addColumn" if has(ch, &["tableName"]) => {
            let cols: Vec<Node> = ch
                .columns()
                .filter_map(|c| c.attr_value("name"))
                .map(|col| {
                    let mut nd = node(ch, "dropColumn", &[("tableName", "tableName")]);
                    nd.attrs.push(("columnName", col.to_string()));
                    nd
                })
                .collect();
            (!cols.is_empty()).then_some(cols)
        }
        "createIndex" if has(ch, &["indexName"]) => n(
            "dropIndex",
            &[("tableName", "tableName"), ("indexName", "indexName")],
        ),
        "addForeignKeyConstraint" if has(ch, &["baseTableName", "constraintName"]) => {
            let mut nd = Node {
                name: "dropForeignKeyConstraint",
                attrs: copy(ch, &["baseTableCatalogName", "baseTableSchemaName"]),
            };
            nd.attrs
                .extend(copy(ch, &["baseTableName", "constraintName"]));
            Some(vec![nd])
        }
        "addUniqueConstraint" if has(ch, &["tableName", "constraintName"]) => n(
            "dropUniqueConstraint",
            &[
                ("tableName", "tableName"),
                ("constraintName", "constraintName"),
            ],
        ),
        "addPrimaryKey" if has(ch, &["tableName"]) => n(
            "dropPrimaryKey",
            &[
                ("tableName", "tableName"),
                ("constraintName", "constraintName"),
            ],
        ),
        "addCheckConstraint" if has(ch, &["tableName", "constraintName"]) => n(
            "dropCheckConstraint",
            &[
                ("tableName", "tableName"),
                ("constraintName", "constraintName"),
            ],
        ),
        "renameColumn" if has(ch, &["tableName", "oldColumnName", "newColumnName"]) => n(
            "renameColumn",
            &[
                ("tableName", "tableName"),
                ("newColumnName", "oldColumnName"),
                ("oldColumnName", "newColumnName"),
                ("columnDataType", "columnDataType"),
            ],
        ),
        "renameTable" if has(ch, &["oldTableName", "newTableName"]) => n(
            "renameTable",
            &[
                ("newTableName", "oldTableName"),
                ("oldTableName", "newTableName"),
            ],
        ),
        "renameView" if has(ch, &["oldViewName", "newViewName"]) => n(
            "renameView",
            &[
                ("newViewName", "oldViewName"),
                ("oldViewName", "newViewName"),
            ],
        ),
        "renameSequence" if has(ch, &["oldSequenceName", "newSequenceName"]) => n(
            "renameSequence",
            &[
                ("newSequenceName", "oldSequenceName"),
                ("oldSequenceName", "newSequenceName"),
            ],
        ),
        "createSequence" if has(ch, &["sequenceName"]) => {
            n("dropSequence", &[("sequenceName", "sequenceName")])
        }
        "createView" if has(ch, &["viewName"]) => n("dropView", &[("viewName", "viewName")]),
        "createProcedure" if has(ch, &["procedureName"]) => {
            n("dropProcedure", &[("procedureName", "procedureName")])
        }
        "addNotNullConstraint" if has(ch, &["tableName", "columnName"]) => n(
            "dropNotNullConstraint",
            &[
                ("tableName", "tableName"),
                ("columnName", "columnName"),
                ("columnDataType", "columnDataType"),
            ],
        ),
        "dropNotNullConstraint" if has(ch, &["tableName", "columnName", "columnDataType"]) => n(
            "addNotNullConstraint",
            &[
                ("tableName", "tableName"),
                ("columnName", "columnName"),
                ("columnDataType", "columnDataType"),
            ],
        ),
        "addDefaultValue" if has(ch, &["tableName", "columnName"]) => n(
            "dropDefaultValue",
            &[
                ("tableName", "tableName"),
                ("columnName", "columnName"),
                ("columnDataType", "columnDataType"),
            ],
        ),
        "addLookupTable" if has(ch, &["existingTableName", "newTableName", "constraintName"]) => {
            Some(vec![
                Node {
                    name: "dropForeignKeyConstraint",
                    attrs: vec![
                        (
                            "baseTableName",
                            ch.attr_value("existingTableName")?.to_string(),
                        ),
                        (
                            "constraintName",
                            ch.attr_value("constraintName")?.to_string(),
                        ),
                    ],
                },
                Node {
                    name: "dropTable",
                    attrs: vec![("tableName", ch.attr_value("newTableName")?.to_string())],
                },
            ])
        }
        "tagDatabase" | "empty" | "output" => Some(Vec::new()),
        _ => None,
    }
}

/// The inverse of a whole changeset: its changes' inverses in reverse order, when every change has
/// one.
pub fn changeset_inverse(cs: &ChangeSet) -> Option<Vec<Node>> {
    let mut out = Vec::new();
    for ch in cs.changes.iter().rev() {
        out.extend(inverse(ch)?);
    }
    (!cs.changes.is_empty()).then_some(out)
}

/// "Add the generated rollback": appends a rollback block with the changeset's inverse. `None` when
/// some change has no determined inverse, for formatted SQL (raw SQL has none), or when the
/// changeset's layout is not one the fix can write into (flow-style YAML, a self-closing tag).
pub fn fix(text: &str, format: Format, cs: &ChangeSet) -> Option<Fix> {
    if format == Format::Sql || !cs.rollbacks.is_empty() {
        return None;
    }
    let nodes = changeset_inverse(cs)?;
    let (span, new_text) = render::append_to_changeset(text, format, cs, |indent, unit| {
        render::rollback_block(format, &nodes, indent, unit)
    })?;
    // Writing the rollback Liquibase would generate anyway cannot change what runs forward.
    Some(Fix::replace(
        "Add the generated rollback",
        span,
        new_text,
        true,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{xml, yaml};

    fn fixed(text: &str) -> crate::model::ChangeLog {
        let format = crate::syntax::detect_format(None, text);
        let parsed = crate::syntax::parse(text, format);
        let cs = &parsed.changelog.changesets[0];
        let f = fix(text, format, cs).expect("a fix");
        let (out, n) = crate::rules::engine::apply_fixes(text, &[&f]);
        assert_eq!(n, 1);
        let re = crate::syntax::parse(&out, format);
        assert!(re.diagnostics.is_empty(), "{:?}\n{out}", re.diagnostics);
        assert_eq!(
            re.changelog.identities(),
            parsed.changelog.identities(),
            "{out}"
        );
        re.changelog
    }

    fn kinds(cl: &crate::model::ChangeLog) -> Vec<String> {
        cl.changesets[0]
            .rollback_kinds()
            .into_iter()
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn xml_rollback_in_reverse_order() {
        let text = xml(r#"    <changeSet id="1" author="a">
        <createTable tableName="person"><column name="id" type="bigint"/></createTable>
        <addColumn tableName="person"><column name="a" type="int"/><column name="b" type="int"/></addColumn>
        <createIndex tableName="person" indexName="idx_a"><column name="a"/></createIndex>
        <renameColumn tableName="person" oldColumnName="b" newColumnName="c"/>
    </changeSet>"#);
        let cl = fixed(&text);
        assert_eq!(
            kinds(&cl),
            [
                "renameColumn",
                "dropIndex",
                "dropColumn",
                "dropColumn",
                "dropTable"
            ]
        );
        let back = &cl.changesets[0].rollbacks[0].changes[0];
        assert_eq!(back.attr_value("oldColumnName"), Some("c"));
        assert_eq!(back.attr_value("newColumnName"), Some("b"));
    }

    #[test]
    fn xml_end_tag_on_the_same_line_and_escaping() {
        let text = xml(
            r#"<changeSet id="1" author="a"><createView viewName="a&amp;b">select 1</createView></changeSet>"#,
        );
        let cl = fixed(&text);
        assert_eq!(
            cl.changesets[0].rollbacks[0].changes[0].attr_value("viewName"),
            Some("a&b")
        );
    }

    #[test]
    fn yaml_and_json() {
        let text = yaml(
            "  - changeSet:\n      id: 1\n      author: a\n      changes:\n        - createSequence:\n            sequenceName: 'yes'\n        - addNotNullConstraint:\n            tableName: t\n            columnName: c\n  - changeSet:\n      id: 2\n      author: a\n      changes:\n        - dropTable:\n            tableName: t\n",
        );
        let cl = fixed(&text);
        assert_eq!(kinds(&cl), ["dropNotNullConstraint", "dropSequence"]);
        assert_eq!(
            cl.changesets[0].rollbacks[0].changes[1].attr_value("sequenceName"),
            Some("yes")
        );
        let json = r#"{"databaseChangeLog": [
  {"changeSet": {
    "id": "1",
    "author": "a",
    "changes": [{"createTable": {"tableName": "t", "columns": [{"column": {"name": "id", "type": "int"}}]}}]
  }}
]}"#;
        assert_eq!(kinds(&fixed(json)), ["dropTable"]);
    }

    #[test]
    fn no_fix_when_not_determined() {
        let text = xml(
            r#"<changeSet id="1" author="a"><createTable tableName="t"/><dropTable tableName="u"/></changeSet>"#,
        );
        let parsed = crate::syntax::parse(&text, Format::Xml);
        assert!(fix(&text, Format::Xml, &parsed.changelog.changesets[0]).is_none());
    }
}
