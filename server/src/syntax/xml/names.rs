//! Namespace scopes: which URI a prefix means at a given element, and whether that URI is Liquibase's.

/// Liquibase's changelog namespace. Older files append a version (`.../dbchangelog/1.9`); the
/// extension namespace (`dbchangelog-ext`) and Liquibase Pro's are *not* this namespace: their
/// elements are extensions.
const LIQUIBASE_NS: &str = "http://www.liquibase.org/xml/ns/dbchangelog";

pub fn is_liquibase(uri: &str) -> bool {
    uri.strip_prefix(LIQUIBASE_NS)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// In-scope namespace bindings, innermost last. `""` is the default namespace.
#[derive(Default)]
pub struct Scopes {
    bindings: Vec<(String, String)>,
}

impl Scopes {
    pub fn mark(&self) -> usize {
        self.bindings.len()
    }

    /// Drops the bindings declared since `mark` (when their element closes).
    pub fn reset(&mut self, mark: usize) {
        self.bindings.truncate(mark);
    }

    pub fn bind(&mut self, prefix: &str, uri: &str) {
        self.bindings.push((prefix.to_string(), uri.to_string()));
    }

    /// The URI bound to `prefix` (`""` = default namespace). `None` when unbound; the default namespace
    /// is unbound until declared.
    pub fn resolve(&self, prefix: &str) -> Option<&str> {
        if prefix == "xml" {
            return Some("http://www.w3.org/XML/1998/namespace");
        }
        self.bindings
            .iter()
            .rev()
            .find(|(p, _)| p == prefix)
            .map(|(_, u)| u.as_str())
            .filter(|u| !u.is_empty())
    }
}

/// Splits `prefix:local`.
pub fn split(qname: &str) -> (Option<&str>, &str) {
    match qname.split_once(':') {
        Some((p, l)) => (Some(p), l),
        None => (None, qname),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn liquibase_namespace_with_and_without_version() {
        assert!(is_liquibase("http://www.liquibase.org/xml/ns/dbchangelog"));
        assert!(is_liquibase(
            "http://www.liquibase.org/xml/ns/dbchangelog/1.9"
        ));
        assert!(!is_liquibase(
            "http://www.liquibase.org/xml/ns/dbchangelog-ext"
        ));
    }

    #[test]
    fn inner_bindings_shadow_and_unwind() {
        let mut s = Scopes::default();
        s.bind("", "a");
        let m = s.mark();
        s.bind("", "b");
        assert_eq!(s.resolve(""), Some("b"));
        s.reset(m);
        assert_eq!(s.resolve(""), Some("a"));
        assert_eq!(s.resolve("x"), None);
    }
}
