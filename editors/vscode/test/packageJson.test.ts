// The manifest and the code must agree: every translated setting is declared, every command is contributed
// with its category, and no command id collides with the server's (which the client registers itself).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { COMMANDS, SERVER_COMMANDS } from "../src/commandIds";
import { SETTING_MAP } from "../src/serverSettings";

interface Manifest {
  name: string;
  publisher: string;
  main: string;
  license: string;
  repository: { url: string };
  engines: { vscode: string };
  activationEvents: string[];
  contributes: {
    commands: { command: string; title: string; category: string }[];
    menus: Record<string, { command: string; when?: string }[]>;
    configuration: { properties: Record<string, { markdownDescription?: string; description?: string }> };
  };
}

// Tests run from out-test/test/; the manifest is two folders up.
const manifest = JSON.parse(readFileSync(join(__dirname, "..", "..", "package.json"), "utf8")) as Manifest;
const properties = manifest.contributes.configuration.properties;

describe("package.json", () => {
  it("names the extension as published", () => {
    assert.equal(manifest.name, "lqls");
    assert.equal(manifest.publisher, "lqls");
    assert.equal(manifest.main, "./out/extension.js");
    assert.equal(manifest.engines.vscode, "^1.85.0");
    assert.ok(manifest.license);
    assert.ok(manifest.repository.url);
  });

  it("activates on the changelog languages and on lqls.toml", () => {
    for (const event of ["onLanguage:xml", "onLanguage:yaml", "onLanguage:json", "onLanguage:sql", "workspaceContains:**/lqls.toml"]) {
      assert.ok(manifest.activationEvents.includes(event), event);
    }
  });

  it("declares every setting the extension translates, each described", () => {
    for (const { key } of SETTING_MAP) {
      assert.ok(properties[`lqls.${key}`], `lqls.${key} missing`);
    }
    for (const key of ["lqls.server.path", "lqls.server.args", "lqls.server.env", "lqls.trace.server", "lqls.files.include"]) {
      assert.ok(properties[key], `${key} missing`);
    }
    for (const [key, property] of Object.entries(properties)) {
      assert.ok(property.markdownDescription ?? property.description, `${key} has no description`);
    }
  });

  it("contributes exactly the extension's commands, in category lqls, never a server command id", () => {
    const contributed = manifest.contributes.commands.map((c) => c.command).sort();
    assert.deepEqual(contributed, Object.values(COMMANDS).sort());
    for (const command of manifest.contributes.commands) {
      assert.equal(command.category, "lqls");
      assert.ok(!SERVER_COMMANDS.includes(command.command), command.command);
    }
  });

  it("puts the review commands in the editor context menu for changelog languages", () => {
    const context = manifest.contributes.menus["editor/context"].map((m) => m.command);
    assert.ok(context.includes(COMMANDS.reviewThisChangeset));
    assert.ok(context.includes(COMMANDS.reviewThisFile));
    for (const entry of manifest.contributes.menus["editor/context"]) {
      assert.match(entry.when ?? "", /editorLangId == xml/);
    }
  });
});
