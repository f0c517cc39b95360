//! One-line descriptions of every element and attribute the catalog knows, in this project's words.
//! Used for hover and completion details. A name that means different things in different places has
//! an override keyed by element definition (for elements) or element name (for attributes).

use super::ElementDef;

/// Elements by name. Sorted.
const ELEMENTS: &[(&str, &str)] = &[
    ("addAutoIncrement", "Turns an existing column into an auto-increment (identity) column."),
    ("addColumn", "Adds one or more columns to an existing table."),
    ("addDefaultValue", "Sets a default value on an existing column."),
    ("addForeignKeyConstraint", "Adds a foreign key from columns of one table to columns of another."),
    ("addLookupTable", "Moves the distinct values of a column into a new lookup table and references it with a foreign key."),
    ("addNotNullConstraint", "Makes an existing column NOT NULL, optionally filling existing nulls first."),
    ("addPrimaryKey", "Adds a primary key over existing columns."),
    ("addUniqueConstraint", "Adds a unique constraint over existing columns."),
    ("alterSequence", "Changes the properties of an existing sequence."),
    ("and", "Precondition that passes only when every nested precondition passes."),
    ("append", "Adds text to the end of every SQL statement the changeset generates."),
    ("arg", "One command-line argument for the executed program."),
    ("changeLogPropertyDefined", "Precondition that checks a changelog property is defined (optionally with a given value)."),
    ("changeSet", "A unit of change, tracked by id, author and file in the DATABASECHANGELOG table."),
    ("changeSetExecuted", "Precondition that checks whether another changeset has already been run."),
    ("column", "A column: its name, type, value or default, and constraints."),
    ("columnExists", "Precondition that checks a column exists in a table."),
    ("comment", "Free text describing the changeset; stored in DATABASECHANGELOG."),
    ("constraints", "Constraints declared on a column: nullability, keys, uniqueness, checks."),
    ("createIndex", "Creates an index on one or more columns."),
    ("createProcedure", "Creates a stored procedure (or function/package) from inline text or a file."),
    ("createSequence", "Creates a sequence."),
    ("createTable", "Creates a table with its columns."),
    ("createView", "Creates a view from a SELECT query."),
    ("customChange", "Runs a change implemented by a Java class on the classpath."),
    ("customPrecondition", "Precondition implemented by a Java class on the classpath."),
    ("databaseChangeLog", "The root of a changelog: properties, preconditions, changesets and includes."),
    ("dbms", "Precondition that checks the database type."),
    ("delete", "Deletes rows from a table, optionally filtered by a where clause."),
    ("dropAllForeignKeyConstraints", "Drops every foreign key defined on a table."),
    ("dropColumn", "Drops one or more columns from a table."),
    ("dropDefaultValue", "Removes the default value of a column."),
    ("dropForeignKeyConstraint", "Drops a foreign key constraint."),
    ("dropIndex", "Drops an index."),
    ("dropNotNullConstraint", "Makes a column nullable again."),
    ("dropPrimaryKey", "Drops the primary key of a table."),
    ("dropProcedure", "Drops a stored procedure."),
    ("dropSequence", "Drops a sequence."),
    ("dropTable", "Drops a table."),
    ("dropUniqueConstraint", "Drops a unique constraint."),
    ("dropView", "Drops a view."),
    ("empty", "A change that does nothing; a placeholder that still records the changeset."),
    ("executeCommand", "Runs an operating-system program during the update."),
    ("expectedQuotingStrategy", "Precondition that checks which object-quoting strategy is in effect."),
    ("foreignKeyConstraintExists", "Precondition that checks a foreign key exists."),
    ("include", "Runs the changesets of another changelog file at this point."),
    ("includeAll", "Runs every changelog file found in a directory, in name order."),
    ("indexExists", "Precondition that checks an index exists."),
    ("insert", "Inserts one row into a table."),
    ("loadData", "Loads the rows of a CSV file into a table."),
    ("loadUpdateData", "Loads the rows of a CSV file, updating rows that already exist (upsert)."),
    ("mergeColumns", "Combines two columns into a new one, joined by a string, and drops the originals."),
    ("modifyChangeSets", "Applies settings (such as runWith) to the changesets of the files it includes."),
    ("modifyDataType", "Changes the data type of a column."),
    ("modifySql", "Rewrites the SQL a changeset generates before it runs."),
    ("not", "Precondition that passes when its nested preconditions fail."),
    ("or", "Precondition that passes when any nested precondition passes."),
    ("output", "Prints a message while the changelog runs."),
    ("param", "A named value passed on."),
    ("preConditions", "Checks that must hold before the changelog or changeset runs, and what to do if they fail."),
    ("prepend", "Adds text to the start of every SQL statement the changeset generates."),
    ("primaryKeyExists", "Precondition that checks a primary key exists."),
    ("property", "Defines a changelog property usable as ${name}, inline or loaded from a file."),
    ("regExpReplace", "Replaces regular-expression matches in the generated SQL."),
    ("removeChangeSetProperty", "Removes a changeset setting for one kind of change on some databases."),
    ("renameColumn", "Renames a column."),
    ("renameSequence", "Renames a sequence."),
    ("renameTable", "Renames a table."),
    ("renameView", "Renames a view."),
    ("replace", "Replaces literal text in the generated SQL."),
    ("rollback", "How to undo the changeset: changes, raw SQL, or another changeset's rollback."),
    ("rowCount", "Precondition that checks how many rows a table holds."),
    ("runningAs", "Precondition that checks the database user name."),
    ("sequenceExists", "Precondition that checks a sequence exists."),
    ("setColumnRemarks", "Sets the comment (remarks) of a column."),
    ("setTableRemarks", "Sets the comment (remarks) of a table."),
    ("sql", "Runs SQL written inline."),
    ("sqlCheck", "Precondition that runs a query and compares its single result with an expected value."),
    ("sqlFile", "Runs the SQL statements of a file."),
    ("stop", "Stops the update at this point with a message; useful while debugging."),
    ("tableExists", "Precondition that checks a table exists."),
    ("tableIsEmpty", "Precondition that checks a table has no rows."),
    ("tagDatabase", "Marks the current database state with a tag you can roll back to."),
    ("uniqueConstraintExists", "Precondition that checks a unique constraint exists."),
    ("update", "Updates rows of a table, optionally filtered by a where clause."),
    ("validCheckSum", "A checksum also accepted for this changeset, so an edited changeset does not fail validation."),
    ("viewExists", "Precondition that checks a view exists."),
    ("where", "SQL condition selecting the rows affected."),
    ("whereParams", "Values bound to the placeholders of the where clause."),
];

/// Elements whose meaning depends on where they stand, by definition key.
const ELEMENT_OVERRIDES: &[(&str, &str)] = &[
    (
        "addColumn/column",
        "A column to add, with optional position (before/after another column).",
    ),
    ("columnType", "A column to drop, by name."),
    (
        "customChange/param",
        "A parameter passed to the custom change class, set through its setter.",
    ),
    (
        "customPrecondition/param",
        "A parameter passed to the custom precondition class.",
    ),
    (
        "databaseChangeLog/changeSet/preConditions",
        "Checks that must hold before this changeset runs, and what to do if they fail.",
    ),
    (
        "databaseChangeLog/preConditions",
        "Checks that must hold before any changeset of this changelog runs.",
    ),
    (
        "loadData/column",
        "Maps a CSV column to a table column, with its type for conversion.",
    ),
    (
        "loadUpdateData/column",
        "Maps a CSV column to a table column, and whether updates may change it.",
    ),
    (
        "param",
        "A value bound to a placeholder of the where clause.",
    ),
];

/// Attributes by name. Sorted.
const ATTRIBUTES: &[(&str, &str)] = &[
    ("afterColumn", "Place the new column after this existing one (where the database supports it)."),
    ("allowUpdate", "Whether existing rows may have this column updated."),
    ("applyToRollback", "Also apply the SQL rewrite to the rollback statements."),
    ("associatedWith", "Which constraint the index backs (primaryKey, foreignKey, uniqueConstraint); such indexes are not recreated separately."),
    ("author", "Who wrote the changeset; part of its identity together with id and file."),
    ("autoIncrement", "Whether the column gets values automatically from the database."),
    ("baseColumnNames", "Comma-separated columns of the referencing table."),
    ("baseTableCatalogName", "Catalog of the referencing table."),
    ("baseTableName", "The table holding the foreign key."),
    ("baseTableSchemaName", "Schema of the referencing table."),
    ("beforeColumn", "Place the new column before this existing one (where the database supports it)."),
    ("cacheSize", "How many sequence values the database pre-allocates."),
    ("cascadeConstraints", "Also drop constraints that reference the table."),
    ("catalogName", "Catalog of the object (defaults to the connection's)."),
    ("change", "The change type the removal applies to."),
    ("changeLogFile", "File of the changeset to look for."),
    ("changeLogId", "An identifier of the changelog, used by some Liquibase tooling."),
    ("changeSetAuthor", "Author of the changeset whose changes are run again as this rollback."),
    ("changeSetId", "Id of the changeset whose changes are run again as this rollback (for example the createTable that a dropTable removed)."),
    ("changeSetPath", "File of the changeset whose changes are run again as this rollback."),
    ("checkConstraint", "A CHECK condition added to the column."),
    ("class", "Fully-qualified name of the Java class implementing the change."),
    ("className", "Fully-qualified name of the Java class implementing the precondition."),
    ("clustered", "Whether the index or key is clustered (SQL Server and others)."),
    ("column1Name", "First column to merge."),
    ("column2Name", "Second column to merge."),
    ("columnDataType", "Data type of the column; some databases need it to alter the column."),
    ("columnName", "Name of the column."),
    ("columnNames", "Comma-separated column names."),
    ("columnParentType", "Whether the column belongs to a table or a view."),
    ("commentLineStartsWith", "Lines of the CSV file starting with this text are skipped."),
    ("computed", "The name is an expression, not a plain column."),
    ("constraintName", "Name of the constraint."),
    ("context", "Old name of contextFilter: runs only when these contexts are active."),
    ("contextFilter", "Context expression: runs only when it matches the active contexts."),
    ("created", "Free-form creation marker, for people and tooling."),
    ("cycle", "Whether the sequence wraps around after reaching its limit."),
    ("dataType", "Data type of the sequence values."),
    ("dbms", "Comma-separated database types this applies to (`!` excludes one)."),
    ("defaultNullValue", "Value written into existing NULLs before the constraint is added."),
    ("defaultOnNull", "Use the identity value also when NULL is inserted explicitly (Oracle)."),
    ("defaultValue", "Default value, as a string."),
    ("defaultValueBoolean", "Default value, as a boolean."),
    ("defaultValueComputed", "Default value, as a database expression or function call."),
    ("defaultValueConstraintName", "Name of the default-value constraint (SQL Server)."),
    ("defaultValueDate", "Default value, as a date/time (ISO format)."),
    ("defaultValueNumeric", "Default value, as a number."),
    ("defaultValueSequenceCurrent", "Default value: the current value of this sequence."),
    ("defaultValueSequenceNext", "Default value: the next value of this sequence."),
    ("deferrable", "Whether checking the constraint can be deferred to commit."),
    ("deleteCascade", "Delete referencing rows when the referenced row is deleted."),
    ("descending", "Sort this index column in descending order."),
    ("disabled", "Create the constraint disabled."),
    ("dropIndex", "Also drop the index behind the primary key."),
    ("encoding", "Character encoding of the file."),
    ("endDelimiter", "Text that ends each statement when splitting the SQL."),
    ("endsWithFilter", "Only include files whose names end with this text."),
    ("errorIfMissing", "Fail when the file does not exist (otherwise it is skipped)."),
    ("errorIfMissingOrEmpty", "Fail when the directory does not exist or holds no changelogs."),
    ("executable", "The program to run."),
    ("existingColumnName", "Column whose values move to the lookup table."),
    ("existingTableCatalogName", "Catalog of the table holding the values."),
    ("existingTableName", "Table holding the values to move."),
    ("existingTableSchemaName", "Schema of the table holding the values."),
    ("expectedResult", "The value the query must return for the precondition to pass."),
    ("expectedRows", "The number of rows the table must have."),
    ("failOnError", "Whether a failing changeset stops the update (default true)."),
    ("file", "Path of the file to read."),
    ("filter", "Java class that decides which files to include."),
    ("finalColumnName", "Name of the merged column."),
    ("finalColumnType", "Data type of the merged column."),
    ("forIndexCatalogName", "Catalog of the existing index to use."),
    ("forIndexName", "Existing index to back the constraint."),
    ("forIndexSchemaName", "Schema of the existing index to use."),
    ("foreignKeyName", "Name of the foreign key."),
    ("foreignKeyTableName", "Table holding the foreign key."),
    ("fullDefinition", "The query is a complete CREATE VIEW statement, not just the SELECT."),
    ("generationType", "Identity generation mode: ALWAYS or BY DEFAULT."),
    ("global", "Whether the property is visible to every changelog (default) or only this file."),
    ("header", "Name of the CSV column."),
    ("id", "Identifier of the changeset, unique together with author and file."),
    ("ifExists", "Do nothing when the object does not exist."),
    ("ifNotExists", "Do nothing when the table already exists."),
    ("ignore", "Skip this entirely."),
    ("included", "Include the column in the index as a non-key column (INCLUDE)."),
    ("incrementBy", "Step between generated values."),
    ("index", "Position of the CSV column (starting at 0)."),
    ("indexName", "Name of the index."),
    ("initiallyDeferred", "Whether the constraint check is deferred by default."),
    ("joinString", "Text placed between the two merged values."),
    ("keepTagOnRollback", "Keep the tag when rolling back to it."),
    ("labels", "Label expression: runs only when it matches the requested labels."),
    ("logicalFilePath", "Path recorded in DATABASECHANGELOG instead of the real file path."),
    ("maxDepth", "How many directory levels deep to look for files."),
    ("maxValue", "Largest value the sequence may produce."),
    ("minDepth", "Directory depth at which files start being included."),
    ("minValue", "Smallest value the sequence may produce."),
    ("name", "Name."),
    ("newColumnDataType", "Data type of the new column."),
    ("newColumnName", "The column's new name."),
    ("newDataType", "The data type to change to."),
    ("newSequenceName", "The sequence's new name."),
    ("newTableCatalogName", "Catalog of the new table."),
    ("newTableName", "The table's new name."),
    ("newTableSchemaName", "Schema of the new table."),
    ("newViewName", "The view's new name."),
    ("notNullConstraintName", "Name of the NOT NULL constraint."),
    ("nullPlaceholder", "Text in the CSV that stands for NULL."),
    ("nullable", "Whether the column accepts NULL."),
    ("objectQuotingStrategy", "How Liquibase quotes object names in generated SQL."),
    ("oldColumnName", "The column's current name."),
    ("oldSequenceName", "The sequence's current name."),
    ("oldTableName", "The table's current name."),
    ("oldViewName", "The view's current name."),
    ("onDelete", "What happens to referencing rows when the referenced row is deleted."),
    ("onError", "What to do when checking the precondition fails with an error."),
    ("onErrorMessage", "Message shown when checking the precondition errors."),
    ("onFail", "What to do when the precondition does not hold."),
    ("onFailMessage", "Message shown when the precondition does not hold."),
    ("onSqlOutput", "How the precondition behaves when only generating SQL (update-sql)."),
    ("onUpdate", "What happens to referencing rows when the referenced key changes."),
    ("onValidationFail", "What to do when the changeset's checksum no longer matches."),
    ("onlyUpdate", "Only update existing rows, never insert."),
    ("ordered", "Whether sequence values are handed out in order (Oracle)."),
    ("os", "Comma-separated operating systems the command runs on."),
    ("path", "Path of the file or directory."),
    ("position", "Column position for the new column (where supported)."),
    ("primaryKey", "Whether the column is (part of) the primary key."),
    ("primaryKeyName", "Name of the primary key."),
    ("primaryKeyTablespace", "Tablespace of the primary key index."),
    ("procedureName", "Name of the procedure."),
    ("property", "Name of the property to check."),
    ("quotchar", "Quote character of the CSV file."),
    ("referencedColumnNames", "Comma-separated columns referenced by the foreign key."),
    ("referencedTableCatalogName", "Catalog of the referenced table."),
    ("referencedTableName", "The table the foreign key points to."),
    ("referencedTableSchemaName", "Schema of the referenced table."),
    ("references", "Foreign key target as `table(column)`."),
    ("referencesUniqueColumn", "Whether the referenced column is unique (affects generated SQL on some databases)."),
    ("relativeToChangelogFile", "Resolve the path relative to this changelog's folder instead of the search path."),
    ("remarks", "Comment stored on the object in the database."),
    ("remove", "The changeset setting to remove."),
    ("replace", "Text or pattern to find."),
    ("replaceIfExists", "Replace the object if it already exists (CREATE OR REPLACE)."),
    ("resourceComparator", "Java class that orders the included files."),
    ("rowDependencies", "Create the table with row-level dependency tracking (Oracle)."),
    ("runAlways", "Run the changeset on every update, not only once."),
    ("runInTransaction", "Run the changeset inside a transaction (default true)."),
    ("runOnChange", "Run the changeset again whenever its content changes."),
    ("runOrder", "Run the changeset first or last regardless of its position."),
    ("runWith", "Executor to run the changeset with (for example sqlplus or psql)."),
    ("runWithSpoolFile", "Where the native executor writes its output."),
    ("schemaName", "Schema of the object (defaults to the connection's)."),
    ("separator", "Field separator of the CSV file."),
    ("sequenceName", "Name of the sequence."),
    ("splitStatements", "Split the SQL into statements at the delimiter (default true)."),
    ("startValue", "First value of the sequence."),
    ("startWith", "First value generated."),
    ("strategy", "The expected object-quoting strategy."),
    ("stripComments", "Remove SQL comments before running."),
    ("tableName", "Name of the table."),
    ("tableType", "Kind of table to create (for example TEMPORARY), where supported."),
    ("tablespace", "Tablespace to create the object in."),
    ("tag", "Name of the tag."),
    ("target", "Where the output goes: STDOUT, STDERR, DEBUG, INFO, WARN or FATAL."),
    ("timeout", "How long the command may run (for example 30s, 5m)."),
    ("type", "Data type."),
    ("unique", "Whether the values must be unique."),
    ("uniqueColumns", "Columns of the unique constraint (needed by some databases to find it)."),
    ("uniqueConstraintName", "Name of the unique constraint."),
    ("usePreparedStatements", "Insert rows with prepared statements instead of literal SQL."),
    ("username", "The user name the database connection must have."),
    ("using", "Index method (for example btree or gin), where supported."),
    ("validate", "Whether the database validates existing rows against the constraint."),
    ("validateForeignKey", "Whether existing rows are checked against the foreign key."),
    ("validateNullable", "Whether existing rows are checked against NOT NULL."),
    ("validatePrimaryKey", "Whether existing rows are checked against the primary key."),
    ("validateUnique", "Whether existing rows are checked against the unique constraint."),
    ("value", "Value, as a string."),
    ("valueBlobFile", "Value read from a binary file."),
    ("valueBoolean", "Value, as a boolean."),
    ("valueClobFile", "Value read from a text file."),
    ("valueComputed", "Value, as a database expression or function call."),
    ("valueDate", "Value, as a date/time (ISO format)."),
    ("valueNumeric", "Value, as a number."),
    ("valueSequenceCurrent", "Value: the current value of this sequence."),
    ("valueSequenceNext", "Value: the next value of this sequence."),
    ("viewName", "Name of the view."),
    ("with", "Replacement text."),
];

/// Attributes whose meaning depends on the element, by (element name, attribute name). Short, so
/// searched linearly.
const ATTRIBUTE_OVERRIDES: &[(&str, &str, &str)] = &[
    (
        "addDefaultValue",
        "defaultValue",
        "The default value to set, as a string.",
    ),
    (
        "addUniqueConstraint",
        "validate",
        "Whether existing rows are checked against the new constraint.",
    ),
    (
        "changeLogPropertyDefined",
        "value",
        "The value the property must have.",
    ),
    (
        "changeSetExecuted",
        "author",
        "Author of the changeset to look for.",
    ),
    (
        "changeSetExecuted",
        "id",
        "Id of the changeset to look for.",
    ),
    ("column", "name", "Name of the column."),
    ("column", "type", "Data type of the column."),
    (
        "constraints",
        "primaryKey",
        "Make the column (part of) the primary key.",
    ),
    (
        "constraints",
        "unique",
        "Add a unique constraint on the column.",
    ),
    ("createIndex", "unique", "Create a unique index."),
    (
        "createProcedure",
        "path",
        "File holding the procedure text.",
    ),
    ("createView", "path", "File holding the view query."),
    (
        "customChange",
        "class",
        "Fully-qualified name of the Java class implementing the change.",
    ),
    (
        "databaseChangeLog",
        "context",
        "Context expression applied to every changeset of this file.",
    ),
    (
        "databaseChangeLog",
        "contextFilter",
        "Context expression applied to every changeset of this file.",
    ),
    ("include", "file", "Path of the changelog to include."),
    (
        "includeAll",
        "path",
        "Directory whose changelogs are included.",
    ),
    (
        "indexExists",
        "columnNames",
        "Columns the index must cover.",
    ),
    ("loadData", "file", "Path of the CSV file."),
    ("loadUpdateData", "file", "Path of the CSV file."),
    (
        "loadUpdateData",
        "primaryKey",
        "Comma-separated columns that identify an existing row.",
    ),
    ("param", "name", "Name of the parameter."),
    ("param", "value", "Value of the parameter."),
    ("prepend", "value", "Text put before each statement."),
    (
        "property",
        "context",
        "Only define the property when these contexts are active.",
    ),
    (
        "property",
        "file",
        "Properties file to load every name=value pair from.",
    ),
    ("property", "name", "Name of the property, used as ${name}."),
    (
        "property",
        "target",
        "Only define the property for this changelog file.",
    ),
    ("property", "value", "Value of the property."),
    ("sqlFile", "path", "Path of the SQL file."),
    ("tableExists", "tableName", "The table that must exist."),
    ("append", "value", "Text put after each statement."),
    ("arg", "value", "The argument text."),
];

fn lookup<'a>(table: &'a [(&str, &'a str)], name: &str) -> Option<&'a str> {
    table
        .binary_search_by(|(n, _)| n.cmp(&name))
        .ok()
        .map(|i| table[i].1)
}

/// Description of an element definition (place-specific when it has an override).
pub fn element(def: &ElementDef) -> Option<&'static str> {
    lookup(ELEMENT_OVERRIDES, def.key).or_else(|| lookup(ELEMENTS, def.name))
}

/// Description of an element by name only (no place known).
pub fn element_named(name: &str) -> Option<&'static str> {
    lookup(ELEMENTS, name)
}

/// Description of attribute `name` on `element` (an element name).
pub fn attribute(element: &str, name: &str) -> Option<&'static str> {
    ATTRIBUTE_OVERRIDES
        .iter()
        .find(|(e, a, _)| *e == element && *a == name)
        .map(|(_, _, d)| *d)
        .or_else(|| lookup(ATTRIBUTES, name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_sorted() {
        assert!(ELEMENTS.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(ELEMENT_OVERRIDES.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(ATTRIBUTES.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn everything_in_the_catalog_is_described() {
        let mut missing = Vec::new();
        for def in super::super::all() {
            if element(def).is_none() {
                missing.push(format!("element {}", def.key));
            }
            for c in def.children {
                if element(super::super::def(c.def)).is_none() {
                    missing.push(format!("element {} in {}", c.name, def.key));
                }
            }
            for a in def.attrs {
                if attribute(def.name, a.name).is_none() {
                    missing.push(format!("attribute {}.{}", def.name, a.name));
                }
            }
        }
        assert!(missing.is_empty(), "no description for: {missing:#?}");
    }

    #[test]
    fn overrides_win() {
        let cs = crate::catalog::root().child("changeSet").unwrap();
        let load_col = cs.child("loadData").unwrap().child("column").unwrap();
        assert!(element(load_col).unwrap().contains("CSV"));
        assert!(attribute("loadData", "file").unwrap().contains("CSV"));
        assert!(attribute("sqlFile", "file").is_some());
    }
}
