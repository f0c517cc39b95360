//! Vendors' reserved words, as sorted upper-case arrays searched by binary search, and the check the
//! six reserved-keyword rules share.

pub mod oracle;
pub mod postgresql;
pub mod sqlserver;

use crate::rules::{Ctx, Findings, OptDefault, OptionSpec};

use crate::rules::names::defined_names;

/// Whether `name` (any case) is in the sorted upper-case list `words`.
pub fn contains(words: &[&str], name: &str) -> bool {
    let upper = name.trim().to_ascii_uppercase();
    words.binary_search(&upper.as_str()).is_ok()
}

/// The option every keyword rule has: names the team allows despite the list.
pub const OPTIONS: &[OptionSpec] = &[OptionSpec {
    name: "allowed",
    default: OptDefault::List(&[]),
    description: "Keywords allowed as names anyway (any case).",
}];

/// Reports each object name a change creates that is in `words`, unless listed in `allowed`.
pub fn check_names(cx: &Ctx, out: &mut Findings, words: &[&str], what: &str) {
    let allowed = cx.opt_list("allowed");
    for (_, _, ch) in cx.changes() {
        for (kind, a) in defined_names(ch) {
            let name = a.value.value.as_str();
            if !contains(words, name) || allowed.iter().any(|x| x.trim().eq_ignore_ascii_case(name))
            {
                continue;
            }
            out.add(
                a.value.span,
                format!(
                    "{} name {name} is {what}: quote it everywhere or choose another name",
                    kind.as_str()
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_sorted_unique_upper_case() {
        for list in [
            oracle::ORACLE_RESERVED,
            postgresql::POSTGRES_RESERVED,
            postgresql::POSTGRES_NON_RESERVED,
            sqlserver::SQLSERVER_RESERVED,
            sqlserver::SQLSERVER_FUTURE_RESERVED,
            sqlserver::SQLSERVER_ODBC_RESERVED,
        ] {
            assert!(list.windows(2).all(|w| w[0] < w[1]));
            assert!(list
                .iter()
                .all(|w| !w.bytes().any(|b| b.is_ascii_lowercase())));
        }
        assert!(contains(oracle::ORACLE_RESERVED, "comment"));
        assert!(!contains(oracle::ORACLE_RESERVED, "person"));
    }
}
