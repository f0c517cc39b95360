//! Rule configuration: `lqls.toml` (found upward from the file) layered over the client's settings
//! (`initializationOptions` / `workspace/didChangeConfiguration`) over the rules' defaults.
//!
//! ```toml
//! databases = ["postgresql"]          # target databases when a changeset has no dbms
//!
//! [rules]
//! safety = "error"                    # a whole category
//! change-drop-column-warn = "off"     # by name, code (LB101) or Liquibase check name
//! ChangeDropTableWarn = 3             # Liquibase's 0-4 severities (INFO .. BLOCKER)
//!
//! [rules.table-column-limit]          # full form: enabled, severity and options
//! severity = "warning"
//! max-columns = 30
//! ```
//!
//! Reading never fails as a whole on a bad entry: each problem becomes a [`Problem`] with the byte
//! span in the file (shown as a diagnostic on `lqls.toml`) and the rest still applies. Only a TOML
//! syntax error leaves no configuration, and callers then keep the last good one.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::registry;
use super::{Category, OptDefault, Rule};
use crate::model::{Severity, Span};

/// The configuration file's name.
pub const FILE_NAME: &str = "lqls.toml";

/// Top-level keys other stages own; accepted here so that they are not reported as unknown.
const OTHER_SECTIONS: &[&str] = &["completion", "knowledge-base", "llm", "project", "review"];

/// Settings that are not per rule.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Settings {
    /// Databases the changelogs target when a changeset has no `dbms` (lower case, Liquibase's short
    /// names: `postgresql`, `oracle`, `mssql`, `mysql`, ...).
    pub databases: Vec<String>,
    /// The Liquibase version the project runs, when configured here.
    pub liquibase_version: Option<String>,
    /// Sections owned by other stages (`knowledge-base`, `llm`, ...), kept as read.
    pub sections: Map<String, Value>,
}

/// One rule's (or category's) configured state. `None` fields fall through to the next layer.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RuleSetting {
    pub enabled: Option<bool>,
    pub severity: Option<Severity>,
    pub options: Map<String, Value>,
}

impl RuleSetting {
    fn overlay(&mut self, over: &RuleSetting) {
        if over.enabled.is_some() {
            self.enabled = over.enabled;
        }
        if over.severity.is_some() {
            self.severity = over.severity;
        }
        for (k, v) in &over.options {
            self.options.insert(k.clone(), v.clone());
        }
    }
}

/// A complete configuration layer.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Config {
    pub settings: Settings,
    /// By rule code.
    rules: HashMap<&'static str, RuleSetting>,
    categories: HashMap<&'static str, RuleSetting>,
}

/// Something wrong in a configuration, with where it is (byte span in the TOML file; empty for
/// client settings).
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    pub span: Span,
    pub message: String,
    pub severity: Severity,
}

impl Problem {
    /// The problem as a diagnostic of the configuration file (code `invalid-config`).
    pub fn diagnostic(&self) -> crate::model::Diagnostic {
        let mut d = crate::model::Diagnostic::error(
            crate::diagnostics::codes::CONFIG,
            self.span,
            self.message.clone(),
        );
        d.severity = self.severity;
        d
    }
}

/// What reading a configuration gave.
#[derive(Clone, Debug)]
pub struct Loaded {
    /// `None` only on a TOML syntax error.
    pub config: Option<Config>,
    pub problems: Vec<Problem>,
}

/// How one rule runs after all layers.
pub struct Resolved<'a> {
    pub severity: Severity,
    pub options: &'a Map<String, Value>,
}

static NO_OPTIONS: std::sync::LazyLock<Map<String, Value>> = std::sync::LazyLock::new(Map::new);

impl Config {
    /// How `rule` runs, or `None` when it is off. A rule's own setting beats its category's.
    pub fn resolve(&self, rule: &'static Rule) -> Option<Resolved<'_>> {
        let own = self.rules.get(rule.code);
        let cat = self.categories.get(rule.category.as_str());
        let enabled = own
            .and_then(|s| s.enabled)
            .or_else(|| cat.and_then(|s| s.enabled))
            .unwrap_or(rule.enabled);
        if !enabled {
            return None;
        }
        let severity = own
            .and_then(|s| s.severity)
            .or_else(|| cat.and_then(|s| s.severity))
            .unwrap_or(rule.severity);
        Some(Resolved {
            severity,
            options: own.map_or(&*NO_OPTIONS, |s| &s.options),
        })
    }

    /// The value configured for option `name` of the rule with code `code`, whether or not the rule
    /// is enabled: completion follows a team's conventions even where they are not enforced.
    pub fn configured_option(&self, code: &str, name: &str) -> Option<&Value> {
        self.rules.get(code)?.options.get(name)
    }

    /// `[completion] author`: the author new changesets get.
    pub fn completion_author(&self) -> Option<&str> {
        self.settings
            .sections
            .get("completion")?
            .get("author")?
            .as_str()
    }

    /// `over` on top of `self`: everything `over` sets wins.
    pub fn layered(&self, over: &Config) -> Config {
        let mut out = self.clone();
        if !over.settings.databases.is_empty() {
            out.settings.databases.clone_from(&over.settings.databases);
        }
        if over.settings.liquibase_version.is_some() {
            out.settings
                .liquibase_version
                .clone_from(&over.settings.liquibase_version);
        }
        for (k, v) in &over.settings.sections {
            out.settings.sections.insert(k.clone(), v.clone());
        }
        for (code, s) in &over.rules {
            out.rules.entry(code).or_default().overlay(s);
        }
        for (cat, s) in &over.categories {
            out.categories.entry(cat).or_default().overlay(s);
        }
        out
    }

    /// Reads client settings (the `lqls` object of `initializationOptions` or
    /// `workspace/didChangeConfiguration`), which use the same keys as `lqls.toml`.
    pub fn from_json(value: &Value) -> Loaded {
        let spans = Spans::default();
        read(value, &spans)
    }

    /// Reads `lqls.toml` text.
    pub fn from_toml(text: &str) -> Loaded {
        match toml::de::DeTable::parse(text) {
            Ok(table) => {
                let mut spans = Spans::default();
                let value = table_to_json(table.get_ref(), "", &mut spans);
                read(&value, &spans)
            }
            Err(e) => {
                let span = e
                    .span()
                    .map_or(Span::new(0, 0), |r| Span::new(r.start, r.end));
                Loaded {
                    config: None,
                    problems: vec![Problem {
                        span,
                        message: format!("{FILE_NAME} is not valid TOML ({})", e.message()),
                        severity: Severity::Error,
                    }],
                }
            }
        }
    }
}

/// Key and value spans by dotted path (`rules.table-column-limit.max-columns`), for TOML input.
#[derive(Default)]
struct Spans {
    keys: HashMap<String, Span>,
    values: HashMap<String, Span>,
}

impl Spans {
    fn key(&self, path: &str) -> Span {
        self.keys.get(path).copied().unwrap_or_default()
    }
    fn value(&self, path: &str) -> Span {
        self.values.get(path).copied().unwrap_or_default()
    }
}

fn table_to_json(table: &toml::de::DeTable<'_>, prefix: &str, spans: &mut Spans) -> Value {
    let mut map = Map::new();
    for (k, v) in table {
        let path = if prefix.is_empty() {
            k.get_ref().to_string()
        } else {
            format!("{prefix}.{}", k.get_ref())
        };
        let ks = k.span();
        let vs = v.span();
        spans.keys.insert(path.clone(), Span::new(ks.start, ks.end));
        spans
            .values
            .insert(path.clone(), Span::new(vs.start, vs.end));
        map.insert(
            k.get_ref().to_string(),
            value_to_json(v.get_ref(), &path, spans),
        );
    }
    Value::Object(map)
}

fn value_to_json(v: &toml::de::DeValue<'_>, path: &str, spans: &mut Spans) -> Value {
    use toml::de::DeValue;
    match v {
        DeValue::String(s) => Value::String(s.to_string()),
        DeValue::Integer(i) => i64::from_str_radix(&i.as_str().replace('_', ""), i.radix())
            .map_or(Value::Null, Value::from),
        DeValue::Float(f) => f
            .as_str()
            .replace('_', "")
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map_or(Value::Null, Value::Number),
        DeValue::Boolean(b) => Value::Bool(*b),
        DeValue::Datetime(d) => Value::String(d.to_string()),
        DeValue::Array(items) => Value::Array(
            items
                .iter()
                .map(|x| value_to_json(x.get_ref(), path, spans))
                .collect(),
        ),
        DeValue::Table(t) => table_to_json(t, path, spans),
    }
}

struct Reader<'a> {
    spans: &'a Spans,
    problems: Vec<Problem>,
}

impl Reader<'_> {
    fn problem(&mut self, span: Span, severity: Severity, message: String) {
        self.problems.push(Problem {
            span,
            message,
            severity,
        });
    }
}

fn read(value: &Value, spans: &Spans) -> Loaded {
    let mut r = Reader {
        spans,
        problems: Vec::new(),
    };
    let mut config = Config::default();
    let Some(top) = value.as_object() else {
        r.problem(
            Span::default(),
            Severity::Error,
            "the lqls configuration must be a table/object".into(),
        );
        return Loaded {
            config: Some(config),
            problems: r.problems,
        };
    };
    for (key, v) in top {
        match key.as_str() {
            "databases" => match string_list(v) {
                Some(list) => {
                    config.settings.databases =
                        list.into_iter().map(|d| d.to_ascii_lowercase()).collect()
                }
                None => r.problem(
                    spans.value(key),
                    Severity::Error,
                    "`databases` must be a list of database names, e.g. [\"postgresql\"]".into(),
                ),
            },
            "liquibase-version" => match v.as_str() {
                Some(s) if crate::catalog::Version::parse(s).is_some() => {
                    config.settings.liquibase_version = Some(s.to_string())
                }
                _ => r.problem(
                    spans.value(key),
                    Severity::Error,
                    "`liquibase-version` must be a version string such as \"4.29\"".into(),
                ),
            },
            "rules" => read_rules(&mut r, v, &mut config),
            k if OTHER_SECTIONS.contains(&k) => {
                config.settings.sections.insert(key.clone(), v.clone());
            }
            _ => {
                let known = ["databases", "liquibase-version", "rules"]
                    .iter()
                    .chain(OTHER_SECTIONS)
                    .copied();
                let hint = crate::suggest::hint(key, known);
                r.problem(
                    spans.key(key),
                    Severity::Warning,
                    format!("unknown setting `{key}`; it is ignored.{hint}"),
                );
            }
        }
    }
    let mut problems = r.problems;
    problems.sort_by_key(|p| (p.span.start, p.span.end));
    Loaded {
        config: Some(config),
        problems,
    }
}

fn string_list(v: &Value) -> Option<Vec<String>> {
    match v {
        Value::String(s) => Some(crate::model::access::split_list(s)),
        Value::Array(items) => items
            .iter()
            .map(|x| x.as_str().map(str::to_string))
            .collect(),
        _ => None,
    }
}

const CATEGORIES: &[Category] = &[Category::Policy, Category::Safety, Category::Convention];

fn read_rules(r: &mut Reader, v: &Value, config: &mut Config) {
    let Some(rules) = v.as_object() else {
        r.problem(
            r.spans.value("rules"),
            Severity::Error,
            "`rules` must be a table".into(),
        );
        return;
    };
    for (key, v) in rules {
        let path = format!("rules.{key}");
        if let Some(cat) = CATEGORIES.iter().find(|c| c.as_str() == key) {
            if let Some(s) = read_rule_setting(r, &path, v, None) {
                config.categories.insert(cat.as_str(), s);
            }
            continue;
        }
        let Some(rule) = registry::find(key) else {
            let names = registry::all().iter().map(|r| r.name);
            let hint = crate::suggest::hint(key, names);
            r.problem(
                r.spans.key(&path),
                Severity::Warning,
                format!("unknown rule `{key}` (see `lqls rules`).{hint}"),
            );
            continue;
        };
        if let Some(s) = read_rule_setting(r, &path, v, Some(rule)) {
            config.rules.entry(rule.code).or_default().overlay(&s);
        }
    }
}

/// `"off"`, `"error"`, `3`, `true`, or a table with `enabled`, `severity` and options.
fn read_rule_setting(
    r: &mut Reader,
    path: &str,
    v: &Value,
    rule: Option<&'static Rule>,
) -> Option<RuleSetting> {
    let mut s = RuleSetting::default();
    match v {
        Value::Object(table) => {
            for (k, v) in table {
                let p = format!("{path}.{k}");
                match k.as_str() {
                    "enabled" => match v.as_bool() {
                        Some(b) => s.enabled = Some(b),
                        None => r.problem(
                            r.spans.value(&p),
                            Severity::Error,
                            "`enabled` must be true or false".into(),
                        ),
                    },
                    "severity" => match level(v) {
                        Some(Level::Off) => s.enabled = Some(false),
                        Some(Level::On) => s.enabled = Some(true),
                        Some(Level::Severity(sev)) => {
                            s.enabled.get_or_insert(true);
                            s.severity = Some(sev);
                        }
                        None => r.problem(r.spans.value(&p), Severity::Error, level_help(v)),
                    },
                    _ => read_option(r, &p, k, v, rule, &mut s),
                }
            }
        }
        other => match level(other) {
            Some(Level::Off) => s.enabled = Some(false),
            Some(Level::On) => s.enabled = Some(true),
            Some(Level::Severity(sev)) => {
                s.enabled = Some(true);
                s.severity = Some(sev);
            }
            None => {
                r.problem(r.spans.value(path), Severity::Error, level_help(other));
                return None;
            }
        },
    }
    Some(s)
}

fn read_option(
    r: &mut Reader,
    path: &str,
    name: &str,
    v: &Value,
    rule: Option<&'static Rule>,
    s: &mut RuleSetting,
) {
    let Some(rule) = rule else {
        r.problem(
            r.spans.key(path),
            Severity::Warning,
            format!("a category takes only `enabled` and `severity`, not `{name}`"),
        );
        return;
    };
    let Some(spec) = rule.option(name) else {
        let names = rule
            .options
            .iter()
            .map(|o| o.name)
            .chain(["enabled", "severity"]);
        let hint = crate::suggest::hint(name, names);
        r.problem(
            r.spans.key(path),
            Severity::Warning,
            format!("{} has no option `{name}`.{hint}", rule.name),
        );
        return;
    };
    let ok = match spec.default {
        OptDefault::Str(_) => v.is_string(),
        OptDefault::Int(_) => v.is_i64(),
        OptDefault::Bool(_) => v.is_boolean(),
        OptDefault::List(_) => string_list(v).is_some(),
        OptDefault::Regex(_) => match v.as_str().map(regex::Regex::new) {
            Some(Ok(_)) => true,
            Some(Err(e)) => {
                r.problem(
                    r.spans.value(path),
                    Severity::Error,
                    format!("`{name}` is not a valid regular expression: {e}"),
                );
                return;
            }
            None => false,
        },
    };
    if ok {
        s.options.insert(name.to_string(), v.clone());
    } else {
        r.problem(
            r.spans.value(path),
            Severity::Error,
            format!("`{name}` must be {}", spec.default.type_name()),
        );
    }
}

enum Level {
    Off,
    On,
    Severity(Severity),
}

/// Reads a severity: lqls's names, `off`/`on`/booleans, or Liquibase's 0-4 (`INFO`, `MINOR`, `MAJOR`,
/// `CRITICAL`, `BLOCKER`), which map to information (0), warning (1-2) and error (3-4).
fn level(v: &Value) -> Option<Level> {
    let from_liquibase = |n: i64| match n {
        0 => Some(Severity::Information),
        1 | 2 => Some(Severity::Warning),
        3 | 4 => Some(Severity::Error),
        _ => None,
    };
    match v {
        Value::Bool(true) => Some(Level::On),
        Value::Bool(false) => Some(Level::Off),
        Value::Number(n) => n.as_i64().and_then(from_liquibase).map(Level::Severity),
        Value::String(s) => {
            let sev = match s.to_ascii_lowercase().as_str() {
                "off" | "none" | "disabled" => return Some(Level::Off),
                "on" | "enabled" => return Some(Level::On),
                "error" => Severity::Error,
                "warning" | "warn" => Severity::Warning,
                "info" | "information" => Severity::Information,
                "hint" => Severity::Hint,
                "minor" | "major" => Severity::Warning,
                "critical" | "blocker" => Severity::Error,
                other => {
                    return other
                        .parse::<i64>()
                        .ok()
                        .and_then(from_liquibase)
                        .map(Level::Severity)
                }
            };
            Some(Level::Severity(sev))
        }
        _ => None,
    }
}

fn level_help(v: &Value) -> String {
    format!(
        "invalid severity {v}: use \"off\", \"error\", \"warning\", \"info\", \"hint\", or Liquibase's 0-4 \
         (INFO, MINOR, MAJOR, CRITICAL, BLOCKER)"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(code: &str) -> &'static Rule {
        registry::by_code(code).expect("rule")
    }

    #[test]
    fn severities_names_and_liquibase_levels() {
        let text = r#"
databases = ["PostgreSQL"]
[rules]
change-drop-column-warn = "error"
RollbackRequired = 4
MS291 = "off"
safety = "hint"
"#;
        let loaded = Config::from_toml(text);
        assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
        let c = loaded.config.unwrap();
        assert_eq!(c.settings.databases, vec!["postgresql"]);
        assert_eq!(c.resolve(rule("LB101")).unwrap().severity, Severity::Error);
        assert_eq!(c.resolve(rule("LB190")).unwrap().severity, Severity::Error);
        assert!(c.resolve(rule("MS291")).is_none());
        assert_eq!(c.resolve(rule("MS290")).unwrap().severity, Severity::Hint);
    }

    #[test]
    fn problems_point_at_the_offending_text() {
        let text =
            "[rules]\nchange-drop-colum-warn = \"error\"\nLB101 = \"loud\"\n\n[typo]\nx = 1\n";
        let loaded = Config::from_toml(text);
        let at: Vec<&str> = loaded
            .problems
            .iter()
            .map(|p| &text[p.span.start..p.span.end])
            .collect();
        assert_eq!(
            at,
            vec!["change-drop-colum-warn", "\"loud\"", "typo"],
            "{:?}",
            loaded.problems
        );
        assert!(loaded.problems[0]
            .message
            .contains("change-drop-column-warn"));
        assert!(loaded.config.is_some(), "the valid rest still applies");
    }

    #[test]
    fn syntax_error_gives_no_configuration() {
        let loaded = Config::from_toml("[rules\nx = ");
        assert!(loaded.config.is_none());
        assert_eq!(loaded.problems.len(), 1);
        assert_eq!(loaded.problems[0].severity, Severity::Error);
    }

    #[test]
    fn layers_and_client_json() {
        let client = Config::from_json(
            &serde_json::json!({"rules": {"LB101": "off"}, "databases": ["oracle"]}),
        );
        assert!(client.problems.is_empty());
        let file = Config::from_toml("[rules.LB101]\nenabled = true\n")
            .config
            .unwrap();
        let c = Config::default()
            .layered(&client.config.unwrap())
            .layered(&file);
        assert!(c.resolve(rule("LB101")).is_some());
        assert_eq!(c.settings.databases, vec!["oracle"]);
    }
}
