//! Stable diagnostic codes of the structural checks, with what each means. The codes are part of the
//! public interface (suppressions, CI filters, SARIF rule ids): never rename one.

pub mod codes {
    /// The text is not well-formed XML, YAML or JSON.
    pub const SYNTAX: &str = "syntax-error";
    /// The file is not valid UTF-8; it was read with replacement characters.
    pub const INVALID_UTF8: &str = "invalid-utf8";
    /// The root is not `databaseChangeLog`, or the formatted-SQL header is missing.
    pub const NOT_A_CHANGELOG: &str = "not-a-changelog";
    /// An element Liquibase's XSD does not allow at this place.
    pub const UNKNOWN_ELEMENT: &str = "unknown-element";
    /// An attribute Liquibase's XSD does not allow on this element.
    pub const UNKNOWN_ATTRIBUTE: &str = "unknown-attribute";
    /// An element or attribute that exists only in a newer Liquibase than the one targeted.
    pub const NEWER_THAN_TARGET: &str = "requires-newer-liquibase";
    /// A required attribute is missing (changeset id/author, tableName, column name, ...).
    pub const MISSING_REQUIRED: &str = "missing-required-attribute";
    /// A value outside its enumeration, or not a boolean/integer where one is required.
    pub const INVALID_VALUE: &str = "invalid-value";
    /// Two changesets in one file with the same id and author.
    pub const DUPLICATE_CHANGESET: &str = "duplicate-changeset";
    /// A malformed formatted-SQL header (`--changeset author:id ...`, `--rollback`, `--precondition-*`).
    pub const SQL_HEADER: &str = "sql-header";
    /// Content nested deeper than lqls models (skipped).
    pub const TOO_DEEP: &str = "too-deep";
    /// A DOCTYPE entity or YAML alias that lqls does not expand.
    pub const NOT_EXPANDED: &str = "not-expanded";

    /// A changeset that differs from its committed version (HEAD, or the merge-base with the default
    /// branch) in what Liquibase's checksum covers: databases that ran it refuse the next update.
    pub const EDITED_COMMITTED: &str = "edited-committed-changeset";

    /// A `lqls-disable` comment that suppresses nothing, or names an unknown code.
    pub const UNUSED_SUPPRESSION: &str = "unused-suppression";
    /// A problem in `lqls.toml` or the client's lqls settings.
    pub const CONFIG: &str = "invalid-config";

    /// An `include`/`includeAll` whose file or folder does not exist in the search path.
    pub const MISSING_INCLUDE: &str = "missing-include";
    /// An include path that climbs out of the search path (never read).
    pub const INCLUDE_OUTSIDE: &str = "include-outside-search-path";
    /// An include that leads back to a file that is including it.
    pub const INCLUDE_CYCLE: &str = "include-cycle";
    /// A `${property}` defined by no changelog of the project and no `liquibase.properties`.
    pub const UNDEFINED_PROPERTY: &str = "undefined-property";

    /// Every code with a one-line description, for `lqls rules` and the README.
    pub const ALL: &[(&str, &str)] = &[
        (SYNTAX, "the file is not well-formed XML, YAML or JSON"),
        (INVALID_UTF8, "the file is not valid UTF-8"),
        (
            NOT_A_CHANGELOG,
            "no databaseChangeLog root or formatted-SQL header",
        ),
        (
            UNKNOWN_ELEMENT,
            "element not allowed here by Liquibase's XSD",
        ),
        (
            UNKNOWN_ATTRIBUTE,
            "attribute not allowed on this element by Liquibase's XSD",
        ),
        (
            NEWER_THAN_TARGET,
            "element or attribute needs a newer Liquibase than the targeted version",
        ),
        (MISSING_REQUIRED, "a required attribute is missing"),
        (
            INVALID_VALUE,
            "value outside its enumeration, or not a boolean/integer",
        ),
        (
            DUPLICATE_CHANGESET,
            "two changesets share id, author and path (in one file or across the project)",
        ),
        (
            UNUSED_SUPPRESSION,
            "a suppression comment that hides nothing or names an unknown code",
        ),
        (CONFIG, "a problem in lqls.toml or the client's settings"),
        (SQL_HEADER, "malformed formatted-SQL header or directive"),
        (TOO_DEEP, "nesting deeper than lqls models"),
        (NOT_EXPANDED, "DOCTYPE entity or YAML alias not expanded"),
        (
            MISSING_INCLUDE,
            "an included file or includeAll folder does not exist",
        ),
        (
            INCLUDE_OUTSIDE,
            "an include path climbs out of the search path",
        ),
        (
            INCLUDE_CYCLE,
            "an include leads back to a file that includes it",
        ),
        (
            UNDEFINED_PROPERTY,
            "a ${property} that nothing in the project defines",
        ),
        (
            EDITED_COMMITTED,
            "a committed changeset was edited: its checksum no longer matches databases that ran it",
        ),
    ];
}
