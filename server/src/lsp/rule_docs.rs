//! `lqls.ruleDocs`: a rule's documentation page, or the list of rules, for an editor's "show rule
//! documentation" (the same Markdown as `lqls rules CODE` and docs/rules).

use serde_json::{json, Value};

use crate::rules::{docs, registry};

pub const COMMAND: &str = "lqls.ruleDocs";

/// With a code, name or Liquibase name: that rule's page. Without: every rule, for a picker.
pub fn answer(key: Option<&str>) -> Result<Value, String> {
    match key {
        Some(k) => {
            let rule = registry::find_or_explain(k)?;
            Ok(json!({"code": rule.code, "name": rule.name, "markdown": docs::markdown(rule)}))
        }
        None => Ok(json!({
            "rules": registry::all().iter().map(|r| json!({
                "code": r.code,
                "name": r.name,
                "category": r.category.as_str(),
                "summary": r.summary,
                "enabled": r.enabled,
                "severity": r.severity.as_str(),
            })).collect::<Vec<_>>()
        })),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rule_by_code_or_name_and_the_list() {
        let page = answer(Some("LB101")).unwrap();
        assert_eq!(page["code"], "LB101");
        assert!(page["markdown"].as_str().unwrap().contains("LB101"));
        let by_name = answer(Some(page["name"].as_str().unwrap())).unwrap();
        assert_eq!(by_name["code"], "LB101");
        let list = answer(None).unwrap();
        assert_eq!(
            list["rules"].as_array().unwrap().len(),
            registry::all().len()
        );
    }

    #[test]
    fn an_unknown_rule_is_an_error_with_a_suggestion() {
        let e = answer(Some("change-drop-colum-warn")).unwrap_err();
        assert!(e.contains("no rule"), "{e}");
        assert!(e.contains("change-drop-column-warn"), "{e}");
    }
}
