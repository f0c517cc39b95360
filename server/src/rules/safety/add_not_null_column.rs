//! MS201 add-not-null-column: a NOT NULL column without a default added to an existing table.

use crate::model::{ChangeSet, Element, Fix, Format, Severity, Span, TextEdit};
use crate::rules::edit as edits;
use crate::rules::{Category, Ctx, Findings, Rule, RuleDoc};

pub static RULE: Rule = Rule {
    code: "MS201",
    name: "add-not-null-column",
    liquibase: None,
    category: Category::Safety,
    severity: Severity::Warning,
    enabled: true,
    summary: "A NOT NULL column without a default is added to an existing table",
    doc: RuleDoc {
        what: "Reports an `addColumn` column with `nullable=\"false\"` and no `defaultValue*` on a table \
               that this file does not create (a table created earlier in the file is still empty and \
               is not reported). Auto-increment columns are filled by the database and not reported.",
        why: "The database cannot fill the existing rows: the change fails on any non-empty table (or, \
              on databases that accept it, every row gets a type default the application never chose). \
              Even when it succeeds, running clients that insert without the new column start failing \
              the moment it commits. Expand and contract instead: add the column nullable, release \
              clients that write it, backfill the old rows, then add the NOT NULL constraint. The quick \
              fix makes the column nullable and appends a second changeset with the \
              `addNotNullConstraint`; put the backfill (an `update`, or `defaultNullValue` on the \
              constraint) between the two before running them.",
        bad: r#"<changeSet id="7" author="ana">
    <addColumn tableName="person">
        <column name="email" type="varchar(200)"><constraints nullable="false"/></column>
    </addColumn>
</changeSet>"#,
        good: r#"<changeSet id="7" author="ana">
    <addColumn tableName="person"><column name="email" type="varchar(200)"/></addColumn>
</changeSet>
<changeSet id="7-backfill" author="ana">
    <update tableName="person"><column name="email" value="unknown"/><where>email IS NULL</where></update>
</changeSet>
<changeSet id="7-not-null" author="ana">
    <addNotNullConstraint tableName="person" columnName="email" columnDataType="varchar(200)"/>
</changeSet>"#,
    },
    options: &[],
    guideline: Some("GL-LIVE-001"),
    check,
};

fn check(cx: &Ctx, out: &mut Findings) {
    for (i, cs, ch) in cx.changes_of("addColumn") {
        let Some(table) = ch.attr_value("tableName") else {
            continue;
        };
        if !cx.table_origin(i, table).is_existing() {
            continue;
        }
        for col in ch.columns() {
            let Some(nullable) = col.child("constraints").and_then(|c| c.attr("nullable")) else {
                continue;
            };
            let auto = col
                .attr_value("autoIncrement")
                .is_some_and(|a| a.trim().eq_ignore_ascii_case("true"));
            if !nullable.value.value.trim().eq_ignore_ascii_case("false")
                || super::common::has_default(col)
                || auto
            {
                continue;
            }
            let name = col.attr_value("name").unwrap_or("?");
            let span = col.attr("name").map_or(col.name.span, |a| a.value.span);
            out.add(
                span,
                format!(
                    "NOT NULL column {table}.{name} has no default: the change fails on existing rows \
                     and breaks running inserts; add it nullable, backfill, then add the constraint"
                ),
            )
            .fix_opt(split_fix(cx, cs, table, col, nullable.value.span));
        }
    }
}

/// Makes the column nullable and appends a changeset adding the NOT NULL constraint.
fn split_fix(cx: &Ctx, cs: &ChangeSet, table: &str, col: &Element, nullable: Span) -> Option<Fix> {
    let name = col.attr_value("name")?;
    let ty = col.attr_value("type")?;
    let id = format!("{}-not-null", cs.id_str());
    let author = cs.author_str();
    let ind = edits::line_indent(cx.text, cs.header.start);
    let new_cs = match cx.changelog.format {
        Format::Xml => {
            let esc = |s: &str| {
                s.replace('&', "&amp;")
                    .replace('"', "&quot;")
                    .replace('<', "&lt;")
            };
            format!(
                "{ind}<changeSet id=\"{}\" author=\"{}\">\n{ind}    <addNotNullConstraint tableName=\"{}\" columnName=\"{}\" columnDataType=\"{}\"/>\n{ind}</changeSet>",
                esc(&id), esc(author), esc(table), esc(name), esc(ty)
            )
        }
        Format::Yaml => {
            let q = |s: &str| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""));
            format!(
                "{ind}- changeSet:\n{ind}    id: {}\n{ind}    author: {}\n{ind}    changes:\n{ind}      - addNotNullConstraint:\n{ind}          tableName: {}\n{ind}          columnName: {}\n{ind}          columnDataType: {}",
                q(&id), q(author), q(table), q(name), q(ty)
            )
        }
        _ => return None,
    };
    let at = edits::after_changeset(cx.text, cs);
    let new_text = if cx.text.get(..at)?.ends_with('\n') {
        format!("{new_cs}\n")
    } else {
        format!("\n{new_cs}")
    };
    let flip = if cx.source(nullable) == "false" || cx.source(nullable) == "FALSE" {
        TextEdit {
            span: nullable,
            new_text: "true".into(),
        }
    } else {
        return None;
    };
    Some(Fix::new(
        format!("Add {name} nullable and add NOT NULL in a new changeset"),
        vec![
            flip,
            TextEdit {
                span: Span::new(at, at),
                new_text,
            },
        ],
        false,
    ))
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{assert_fix_removes, check, xml, yaml};

    const BAD: &str = r#"<changeSet id="1" author="a">
    <addColumn tableName="person">
        <column name="email" type="varchar(200)"><constraints nullable="false"/></column>
        <column name="ok" type="int" defaultValueNumeric="0"><constraints nullable="false"/></column>
    </addColumn>
</changeSet>"#;

    #[test]
    fn fires_on_existing_table() {
        assert_eq!(check(&RULE, &xml(BAD)).spans(), vec!["email"]);
    }

    #[test]
    fn silent_on_table_created_in_file() {
        let text = xml(&format!(
            "<changeSet id=\"0\" author=\"a\"><createTable tableName=\"person\"><column name=\"id\" type=\"int\"/></createTable></changeSet>\n{BAD}"
        ));
        assert_eq!(check(&RULE, &text).count(), 0);
    }

    #[test]
    fn fix_xml() {
        let fixed = assert_fix_removes(&RULE, &xml(BAD));
        assert!(
            fixed.contains("<addNotNullConstraint tableName=\"person\" columnName=\"email\""),
            "{fixed}"
        );
    }

    #[test]
    fn yaml_fires_and_fixes() {
        let text = yaml("- changeSet:\n    id: 1\n    author: a\n    changes:\n      - addColumn:\n          tableName: person\n          columns:\n            - column:\n                name: email\n                type: varchar(200)\n                constraints:\n                  nullable: false\n");
        assert_eq!(check(&RULE, &text).spans(), vec!["email"]);
        let fixed = assert_fix_removes(&RULE, &text);
        assert!(fixed.contains("addNotNullConstraint"), "{fixed}");
    }
}
