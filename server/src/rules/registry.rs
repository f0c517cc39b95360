//! Every rule, in code order. A rule is added by creating its file and listing it in its category's
//! `RULES`; `tests` below keep codes and names unique and well-formed.

use std::sync::LazyLock;

use super::{convention, policy, safety, Rule};

static ALL: LazyLock<Vec<&'static Rule>> = LazyLock::new(|| {
    let mut all: Vec<&'static Rule> = policy::RULES
        .iter()
        .chain(safety::RULES)
        .chain(convention::RULES)
        .copied()
        .collect();
    all.sort_by_key(|r| r.code);
    all
});

/// All rules, sorted by code.
pub fn all() -> &'static [&'static Rule] {
    &ALL
}

/// The rule a code, kebab-case name or Liquibase check name refers to (any case).
pub fn find(key: &str) -> Option<&'static Rule> {
    all().iter().copied().find(|r| r.answers_to(key))
}

/// The rule `key` names, or why there is none (with the closest name).
pub fn find_or_explain(key: &str) -> Result<&'static Rule, String> {
    find(key).ok_or_else(|| {
        let hint = crate::suggest::hint(key, all().iter().map(|r| r.name));
        format!("no rule `{key}` (see `lqls rules`).{hint}")
    })
}

/// The rule with this exact code.
pub fn by_code(code: &str) -> Option<&'static Rule> {
    all()
        .binary_search_by(|r| r.code.cmp(code))
        .ok()
        .map(|i| all()[i])
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_and_names_are_unique_and_well_formed() {
        let mut seen = HashSet::new();
        for r in all() {
            let prefix = match r.category {
                super::super::Category::Policy => "LB",
                super::super::Category::Safety => "MS",
                super::super::Category::Convention => "TC",
            };
            assert!(
                r.code.len() == 5
                    && r.code.starts_with(prefix)
                    && r.code[2..].bytes().all(|b| b.is_ascii_digit()),
                "{}: code must be {prefix} and three digits",
                r.code
            );
            assert!(
                r.name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{}: name must be kebab-case",
                r.name
            );
            for key in [Some(r.code), Some(r.name), r.liquibase]
                .into_iter()
                .flatten()
            {
                assert!(seen.insert(key.to_ascii_lowercase()), "{key} used twice");
            }
            assert!(!r.summary.is_empty() && !r.doc.what.is_empty() && !r.doc.why.is_empty());
            assert!(
                !r.doc.bad.is_empty() && !r.doc.good.is_empty(),
                "{}",
                r.code
            );
            for o in r.options {
                assert!(o.name.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'));
            }
        }
    }

    #[test]
    fn lookup_by_any_name() {
        for r in all() {
            assert_eq!(find(r.code).map(|x| x.code), Some(r.code));
            assert_eq!(find(r.name).map(|x| x.code), Some(r.code));
            assert_eq!(by_code(r.code).map(|x| x.code), Some(r.code));
        }
    }
}
