import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { hasFormattedSqlHeader, isChangelogLanguage, looksLikeChangelog } from "../src/changelogDetection";

describe("looksLikeChangelog", () => {
  it("finds an XML databaseChangeLog root, with or without a namespace prefix", () => {
    const xml = '<?xml version="1.0"?>\n<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">\n</databaseChangeLog>';
    assert.equal(looksLikeChangelog("xml", xml), true);
    assert.equal(looksLikeChangelog("xml", "<lb:databaseChangeLog xmlns:lb='x'/>"), true);
    assert.equal(looksLikeChangelog("xml", "<databaseChangeLog>"), true);
  });

  it("ignores other XML (pom.xml) and lookalike element names", () => {
    assert.equal(looksLikeChangelog("xml", "<project><modelVersion>4.0.0</modelVersion></project>"), false);
    assert.equal(looksLikeChangelog("xml", "<databaseChangeLogLock/>"), false);
  });

  it("finds a top-level YAML databaseChangeLog key, bare or quoted", () => {
    assert.equal(looksLikeChangelog("yaml", "databaseChangeLog:\n  - changeSet:\n      id: 1\n"), true);
    assert.equal(looksLikeChangelog("yaml", "# comment\n'databaseChangeLog':\n"), true);
    assert.equal(looksLikeChangelog("yaml", '"databaseChangeLog" :\n'), true);
  });

  it("ignores YAML where the key is nested or absent", () => {
    assert.equal(looksLikeChangelog("yaml", "spring:\n  liquibase:\n    change-log: x\n"), false);
    assert.equal(looksLikeChangelog("yaml", "other:\n  databaseChangeLog: 1\n"), false);
  });

  it("finds a JSON databaseChangeLog key", () => {
    assert.equal(looksLikeChangelog("json", '{\n  "databaseChangeLog": [ ]\n}'), true);
    assert.equal(looksLikeChangelog("json", '{ "name": "package" }'), false);
  });

  it("finds the formatted SQL header, case-insensitive, after blank lines, after a BOM", () => {
    assert.equal(looksLikeChangelog("sql", "--liquibase formatted sql\n--changeset a:1\n"), true);
    assert.equal(looksLikeChangelog("sql", "\n\n   \r\n-- Liquibase Formatted SQL\r\n"), true);
    assert.equal(looksLikeChangelog("sql", "\uFEFF--LIQUIBASE FORMATTED SQL"), true);
  });

  it("ignores SQL whose first line is something else", () => {
    assert.equal(looksLikeChangelog("sql", "select 1;\n--liquibase formatted sql\n"), false);
    assert.equal(looksLikeChangelog("sql", "-- liquibase formatted sqlite\n"), false);
    assert.equal(looksLikeChangelog("sql", ""), false);
  });

  it("says no for other languages", () => {
    assert.equal(looksLikeChangelog("markdown", "<databaseChangeLog>"), false);
  });

  it("looks only at the head of large documents", () => {
    const big = " ".repeat(100 * 1024) + "<databaseChangeLog>";
    assert.equal(looksLikeChangelog("xml", big), false);
  });
});

describe("hasFormattedSqlHeader / isChangelogLanguage", () => {
  it("needs the header on the first non-blank line", () => {
    assert.equal(hasFormattedSqlHeader("  --liquibase formatted sql"), true);
    assert.equal(hasFormattedSqlHeader("--changeset a:1\n--liquibase formatted sql"), false);
  });

  it("knows the four changelog languages", () => {
    for (const language of ["xml", "yaml", "json", "sql"]) {
      assert.equal(isChangelogLanguage(language), true);
    }
    assert.equal(isChangelogLanguage("plaintext"), false);
  });
});
