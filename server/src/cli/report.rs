//! Diagnostics as the CLI prints them: the JSON shape shared by `check --format json` and `inspect`,
//! and the text, SARIF and GitHub renderings.

use serde_json::{json, Value};

use crate::diagnostics::codes;
use crate::model::{Diagnostic, Severity, Span};
use crate::text::{LineIndex, PositionEncoding, Range};

/// One file's text with its line index, to turn byte spans into LSP ranges (UTF-16, as LSP defaults).
pub struct Located<'a> {
    pub path: String,
    pub text: &'a str,
    pub index: LineIndex,
}

impl<'a> Located<'a> {
    pub fn new(path: String, text: &'a str) -> Self {
        Located {
            path,
            text,
            index: LineIndex::new(text),
        }
    }

    pub fn range(&self, span: Span) -> Range {
        self.index
            .range(self.text, span.start, span.end, PositionEncoding::Utf16)
    }

    pub fn range_json(&self, span: Span) -> Value {
        serde_json::to_value(self.range(span)).expect("plain struct")
    }

    pub fn diagnostic_json(&self, d: &Diagnostic) -> Value {
        json!({
            "file": self.path,
            "range": self.range_json(d.span),
            "severity": d.severity.as_str(),
            "code": d.code,
            "message": d.message,
            "source": "lqls",
            "related": d.related.iter().map(|r| json!({
                "range": self.range_json(r.span),
                "message": r.message,
            })).collect::<Vec<_>>(),
            "fixes": d.fixes.iter().map(|f| json!({
                "title": f.title,
                "safe": f.safe,
                "edits": f.edits.iter().map(|e| json!({
                    "range": self.range_json(e.span),
                    "newText": e.new_text,
                })).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "tags": d.tags,
        })
    }

    /// `path:line:col: severity[code] message`, 1-based like compilers print.
    pub fn diagnostic_text(&self, d: &Diagnostic) -> String {
        let r = self.range(d.span);
        let mut line = format!(
            "{}:{}:{}: {}[{}] {}",
            self.path,
            r.start.line + 1,
            r.start.character + 1,
            d.severity.as_str(),
            d.code,
            d.message
        );
        for rel in &d.related {
            let at = self.range(rel.span).start;
            line.push_str(&format!(
                "\n    {}:{}:{}: {}",
                self.path,
                at.line + 1,
                at.character + 1,
                rel.message
            ));
        }
        line
    }

    /// A GitHub Actions workflow command; its values escape `%`, CR, LF (and `,`/`:` in properties).
    pub fn diagnostic_github(&self, d: &Diagnostic) -> String {
        let r = self.range(d.span);
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Information | Severity::Hint => "notice",
        };
        format!(
            "::{level} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            escape_property(&self.path),
            r.start.line + 1,
            r.start.character + 1,
            r.end.line + 1,
            r.end.character + 1,
            escape_property(d.code),
            escape_data(&d.message)
        )
    }

    fn sarif_region(&self, span: Span) -> Value {
        let r = self.range(span);
        json!({
            "startLine": r.start.line + 1, "startColumn": r.start.character + 1,
            "endLine": r.end.line + 1, "endColumn": r.end.character + 1,
        })
    }

    /// One SARIF result, with its rule's index in `rules` and its fixes.
    pub fn sarif_result(&self, d: &Diagnostic, rules: &SarifRules) -> Value {
        let uri = self.path.replace('\\', "/");
        let fixes: Vec<Value> = d
            .fixes
            .iter()
            .map(|f| {
                json!({
                    "description": {"text": f.title},
                    "artifactChanges": [{
                        "artifactLocation": {"uri": uri},
                        "replacements": f.edits.iter().map(|e| json!({
                            "deletedRegion": self.sarif_region(e.span),
                            "insertedContent": {"text": e.new_text},
                        })).collect::<Vec<_>>(),
                    }],
                })
            })
            .collect();
        let mut result = json!({
            "ruleId": d.code,
            "level": level(d.severity),
            "message": {"text": d.message},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": uri},
                "region": self.sarif_region(d.span),
            }}],
        });
        if let Some(i) = rules.index(d.code) {
            result["ruleIndex"] = json!(i);
        }
        if !d.related.is_empty() {
            result["relatedLocations"] = Value::Array(
                d.related
                    .iter()
                    .enumerate()
                    .map(|(i, r)| {
                        json!({
                            "id": i,
                            "message": {"text": r.message},
                            "physicalLocation": {
                                "artifactLocation": {"uri": uri},
                                "region": self.sarif_region(r.span),
                            },
                        })
                    })
                    .collect(),
            );
        }
        if !fixes.is_empty() {
            result["fixes"] = Value::Array(fixes);
        }
        result
    }
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Information | Severity::Hint => "note",
    }
}

/// The SARIF `tool.driver.rules`: every rule of the engine, then every structural check.
pub struct SarifRules {
    pub rules: Vec<Value>,
    /// Index in `rules` by id (a corpus run looks up tens of thousands of results).
    ids: std::collections::HashMap<&'static str, usize>,
}

impl SarifRules {
    pub fn new() -> Self {
        let mut rules = Vec::new();
        let mut ids = std::collections::HashMap::new();
        for r in crate::rules::registry::all() {
            ids.insert(r.code, rules.len());
            rules.push(json!({
                "id": r.code,
                "name": r.name,
                "shortDescription": {"text": r.summary},
                "fullDescription": {"text": r.doc.what},
                "helpUri": r.doc_url(),
                "defaultConfiguration": {"level": level(r.severity), "enabled": r.enabled},
                "properties": {"category": r.category.as_str()},
            }));
        }
        for (id, text) in codes::ALL {
            ids.insert(id, rules.len());
            rules.push(json!({
                "id": id,
                "name": id,
                "shortDescription": {"text": text},
                "defaultConfiguration": {"level": "error"},
            }));
        }
        SarifRules { rules, ids }
    }

    pub fn index(&self, code: &str) -> Option<usize> {
        self.ids.get(code).copied()
    }
}

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// A SARIF 2.1.0 log around `results`, describing every rule and structural check.
pub fn sarif_log(rules: &SarifRules, results: Vec<Value>) -> Value {
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "lqls",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/lqls-dev/lqls",
                "rules": rules.rules,
            }},
            "columnKind": "utf16CodeUnits",
            "results": results,
        }],
    })
}
