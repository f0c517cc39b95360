// Reading the answers of the server's `lqls.ruleDocs` command, and the virtual documents that show them.
// Pure, unit-tested.

import { isObject } from "./untrusted";

export const RULE_DOC_SCHEME = "lqls-rule";

export interface RuleSummary {
  code: string;
  name: string;
  category: string;
  summary: string;
  enabled: boolean;
  severity: string;
}

export interface RuleDoc {
  code: string;
  name: string;
  markdown: string;
}

function str(o: Record<string, unknown>, key: string): string {
  return typeof o[key] === "string" ? o[key] : "";
}

/** The rule table from `lqls.ruleDocs []` (malformed rows are skipped). */
export function parseRuleList(answer: unknown): RuleSummary[] {
  if (!isObject(answer) || !Array.isArray(answer.rules)) {
    return [];
  }
  return answer.rules.filter(isObject).flatMap((r) => {
    const code = str(r, "code");
    if (code === "") {
      return [];
    }
    return [{
      code,
      name: str(r, "name"),
      category: str(r, "category"),
      summary: str(r, "summary"),
      enabled: r.enabled !== false,
      severity: str(r, "severity"),
    }];
  });
}

/** One rule's documentation from `lqls.ruleDocs [code]`. */
export function parseRuleDoc(answer: unknown): RuleDoc | undefined {
  if (!isObject(answer) || typeof answer.markdown !== "string") {
    return undefined;
  }
  return { code: str(answer, "code"), name: str(answer, "name"), markdown: answer.markdown };
}

export interface RulePickItem {
  label: string;
  description: string;
  detail: string;
  code: string;
}

/** QuickPick items: the code, its name and family, and the summary to search in. */
export function ruleQuickPickItems(rules: readonly RuleSummary[]): RulePickItem[] {
  return rules.map((rule) => ({
    label: rule.code,
    description: [rule.name, rule.category, rule.enabled ? rule.severity : "off"].filter((s) => s !== "").join(" · "),
    detail: rule.summary,
    code: rule.code,
  }));
}

/**
 * The rule code of a diagnostic from lqls (its `code` may be a string, a number or `{ value, target }`); undefined
 * for other sources.
 */
export function ruleCodeOf(diagnostic: { source?: string; code?: unknown }): string | undefined {
  if (diagnostic.source !== "lqls") {
    return undefined;
  }
  const code = diagnostic.code;
  if (typeof code === "string" || typeof code === "number") {
    return String(code);
  }
  if (isObject(code) && (typeof code.value === "string" || typeof code.value === "number")) {
    return String(code.value);
  }
  return undefined;
}

/** The path of a rule's virtual document (`lqls-rule:/LB101.md`); the `.md` makes it a Markdown document. */
export function ruleDocPath(code: string): string {
  return `/${encodeURIComponent(code)}.md`;
}

/** The code a virtual document path names. */
export function codeFromRuleDocPath(path: string): string {
  return decodeURIComponent(path.replace(/^\//, "").replace(/\.md$/, ""));
}
