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

    pub fn sarif_result(&self, d: &Diagnostic) -> Value {
        let r = self.range(d.span);
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Information | Severity::Hint => "note",
        };
        json!({
            "ruleId": d.code,
            "level": level,
            "message": {"text": d.message},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": self.path.replace('\\', "/")},
                "region": {
                    "startLine": r.start.line + 1, "startColumn": r.start.character + 1,
                    "endLine": r.end.line + 1, "endColumn": r.end.character + 1,
                },
            }}],
        })
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

/// A SARIF 2.1.0 log around `results`, describing every structural check as a rule.
pub fn sarif_log(results: Vec<Value>) -> Value {
    let rules: Vec<Value> = codes::ALL
        .iter()
        .map(|(id, text)| json!({"id": id, "shortDescription": {"text": text}}))
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "lqls",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "columnKind": "utf16CodeUnits",
            "results": results,
        }],
    })
}
