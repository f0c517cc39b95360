import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  SETTING_MAP,
  didChangeConfigurationParams,
  initializationOptions,
  needsRestart,
  toServerSettings,
} from "../src/serverSettings";

const reader = (values: Record<string, unknown>) => (key: string) => values[key];

describe("toServerSettings", () => {
  it("sends nothing when nothing is set, so lqls.toml and the server's defaults apply", () => {
    assert.deepEqual(toServerSettings(reader({})), {});
  });

  it("translates every key to lqls.toml's kebab-case layout", () => {
    const settings = toServerSettings(
      reader({
        databases: ["postgresql"],
        liquibaseVersion: "4.29",
        rules: { convention: "warning", LB101: "off", "table-column-limit": { severity: "warning", "max-columns": 30 } },
        "knowledgeBase.path": "/kb",
        "knowledgeBase.bundled": false,
        "knowledgeBase.model": "~/models/all-minilm-l6-v2",
        "knowledgeBase.k": 5,
        "llm.backend": "openai",
        "llm.model": "~/x.gguf",
        "llm.maxTokens": 384,
        "llm.threads": 2,
        "llm.context": 2048,
        "llm.temperature": 0,
        "llm.diagnostics": false,
        "llm.baseUrl": "http://127.0.0.1:8080/v1",
        "llm.apiModel": "qwen",
        "llm.apiKeyEnv": "OPENAI_API_KEY",
      }),
    );
    assert.deepEqual(settings, {
      databases: ["postgresql"],
      "liquibase-version": "4.29",
      rules: { convention: "warning", LB101: "off", "table-column-limit": { severity: "warning", "max-columns": 30 } },
      "knowledge-base": { path: "/kb", bundled: false, model: "~/models/all-minilm-l6-v2", k: 5 },
      llm: {
        backend: "openai",
        model: "~/x.gguf",
        "max-tokens": 384,
        threads: 2,
        context: 2048,
        temperature: 0,
        diagnostics: false,
        "base-url": "http://127.0.0.1:8080/v1",
        "api-model": "qwen",
        "api-key-env": "OPENAI_API_KEY",
      },
    });
  });

  it("keeps false and 0 (set values) but omits null, empty strings and mistyped values", () => {
    const settings = toServerSettings(
      reader({
        liquibaseVersion: "",
        "llm.backend": null,
        "llm.temperature": 0,
        "llm.diagnostics": false,
        "llm.maxTokens": 12.5,
        "knowledgeBase.k": "5",
        "knowledgeBase.bundled": "yes",
        rules: ["LB101"],
      }),
    );
    assert.deepEqual(settings, { llm: { temperature: 0, diagnostics: false } });
  });

  it("keeps only strings in databases and only JSON in rules", () => {
    const settings = toServerSettings(
      reader({ databases: ["mysql", 3, null], rules: { LB101: "off", weird: undefined, n: Number.NaN, lb: 3 } }),
    );
    assert.deepEqual(settings, { databases: ["mysql"], rules: { LB101: "off", lb: 3 } });
  });

  it("expands path settings only", () => {
    const expand = (p: string) => p.replace("${workspaceFolder}", "/w");
    const settings = toServerSettings(
      reader({ "knowledgeBase.path": "${workspaceFolder}/kb", "llm.model": "${workspaceFolder}/m.gguf", "llm.apiModel": "${workspaceFolder}" }),
      expand,
    );
    assert.deepEqual(settings, { "knowledge-base": { path: "/w/kb" }, llm: { model: "/w/m.gguf", "api-model": "${workspaceFolder}" } });
  });
});

describe("initializationOptions / didChangeConfigurationParams", () => {
  it("wrap the settings as the server reads them", () => {
    const settings = { "liquibase-version": "4.29", databases: ["h2"] };
    assert.deepEqual(initializationOptions(settings), { lqls: settings, liquibaseVersion: "4.29" });
    assert.deepEqual(initializationOptions({}), { lqls: {} });
    assert.deepEqual(didChangeConfigurationParams(settings), { settings: { lqls: settings } });
  });
});

describe("needsRestart", () => {
  it("restarts for lqls.server.* only", () => {
    assert.equal(needsRestart((s) => s === "lqls.server"), true);
    assert.equal(needsRestart((s) => s === "lqls.llm"), false);
  });
});

describe("SETTING_MAP", () => {
  it("has one entry per key and server path", () => {
    assert.equal(new Set(SETTING_MAP.map((m) => m.key)).size, SETTING_MAP.length);
    assert.equal(new Set(SETTING_MAP.map((m) => m.server.join("."))).size, SETTING_MAP.length);
  });
});
