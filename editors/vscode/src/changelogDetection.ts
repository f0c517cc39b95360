// Decides from a document's language and text whether it is a Liquibase changelog, the way `lqls check`
// finds them: XML with a <databaseChangeLog> root, YAML/JSON with a databaseChangeLog key, SQL with the
// formatted-SQL header. Pure (no `vscode`), so it is unit-tested; the extension uses it to start the server
// only once a changelog is open.

/** The languages lqls serves; the server itself stays silent on those documents that are not changelogs. */
export const CHANGELOG_LANGUAGES: readonly string[] = ["xml", "yaml", "json", "sql"];

// Only the head of a document is looked at: the markers are at the top of any real changelog, and a huge
// data file must not cost a full scan on every open.
const SNIFF_CHARS = 64 * 1024;

const XML_ROOT = /<(?:[A-Za-z_][\w.-]*:)?databaseChangeLog[\s>/]/;
// A top-level key: at the start of a line, bare or quoted.
const YAML_KEY = /^(?:databaseChangeLog|"databaseChangeLog"|'databaseChangeLog')\s*:/m;
const JSON_KEY = /"databaseChangeLog"\s*:/;
const SQL_HEADER = /^--\s*liquibase\s+formatted\s+sql\b/i;

export function isChangelogLanguage(languageId: string): boolean {
  return CHANGELOG_LANGUAGES.includes(languageId);
}

/** Whether `text` (the document's content) looks like a changelog for the given VS Code language id. */
export function looksLikeChangelog(languageId: string, text: string): boolean {
  const head = text.slice(0, SNIFF_CHARS).replace(/^\uFEFF/, "");
  switch (languageId) {
    case "xml":
      return XML_ROOT.test(head);
    case "yaml":
      return YAML_KEY.test(head);
    case "json":
      return JSON_KEY.test(head);
    case "sql":
      return hasFormattedSqlHeader(head);
    default:
      return false;
  }
}

/** The header must be the first non-blank line (Liquibase reads it there). */
export function hasFormattedSqlHeader(text: string): boolean {
  const firstLine = text.split(/\r?\n/).find((line) => line.trim() !== "");
  return firstLine !== undefined && SQL_HEADER.test(firstLine.trim());
}
