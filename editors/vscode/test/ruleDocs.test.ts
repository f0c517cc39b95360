import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { codeFromRuleDocPath, parseRuleDoc, parseRuleList, ruleCodeOf, ruleDocPath, ruleQuickPickItems } from "../src/ruleDocs";

describe("rule documentation", () => {
  it("reads the rule table and skips malformed rows", () => {
    const rules = parseRuleList({
      rules: [
        { code: "LB101", name: "change-drop-column-warn", category: "policy", summary: "Dropping a column loses data", enabled: true, severity: "warning" },
        { name: "no code" },
        "junk",
        { code: "MS201", name: "x", category: "safety", summary: "s", enabled: false, severity: "error" },
      ],
    });
    assert.deepEqual(rules.map((r) => [r.code, r.enabled]), [["LB101", true], ["MS201", false]]);
    assert.deepEqual(parseRuleList({}), []);
    assert.deepEqual(parseRuleList(null), []);
  });

  it("makes searchable QuickPick items", () => {
    const [item, off] = ruleQuickPickItems(
      parseRuleList({
        rules: [
          { code: "LB101", name: "change-drop-column-warn", category: "policy", summary: "Dropping a column", enabled: true, severity: "warning" },
          { code: "TC301", name: "n", category: "convention", summary: "s", enabled: false, severity: "info" },
        ],
      }),
    );
    assert.deepEqual(item, { label: "LB101", description: "change-drop-column-warn · policy · warning", detail: "Dropping a column", code: "LB101" });
    assert.equal(off.description, "n · convention · off");
  });

  it("reads one rule's Markdown", () => {
    assert.deepEqual(parseRuleDoc({ code: "LB101", name: "n", markdown: "# LB101" }), { code: "LB101", name: "n", markdown: "# LB101" });
    assert.equal(parseRuleDoc({ code: "LB101" }), undefined);
  });

  it("takes the code of lqls diagnostics only, in each shape", () => {
    assert.equal(ruleCodeOf({ source: "lqls", code: "LB190" }), "LB190");
    assert.equal(ruleCodeOf({ source: "lqls", code: { value: "MS201", target: {} } }), "MS201");
    assert.equal(ruleCodeOf({ source: "lqls", code: 7 }), "7");
    assert.equal(ruleCodeOf({ source: "lqls-ai", code: "LB190" }), undefined);
    assert.equal(ruleCodeOf({ source: "lqls" }), undefined);
  });

  it("round-trips codes through virtual document paths", () => {
    assert.equal(ruleDocPath("LB101"), "/LB101.md");
    assert.equal(codeFromRuleDocPath(ruleDocPath("a/b c")), "a/b c");
  });
});
