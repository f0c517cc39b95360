//! Which changesets run: a target database and the active contexts, read the way Liquibase reads the
//! `dbms` list and the `context` expression.

use crate::model::access::split_list;
use crate::workspace::Step;

/// What to replay. The default replays every changeset.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    /// The target database (`postgresql`, `h2`, ...).
    pub dbms: Option<String>,
    /// The active contexts; `None` (or an empty list, as for Liquibase) runs every context.
    pub contexts: Option<Vec<String>>,
}

impl Filter {
    /// Whether the step runs under this filter.
    pub fn accepts(&self, step: &Step) -> bool {
        let cs = step.changeset;
        if let Some(db) = &self.dbms {
            if !dbms_matches(&cs.dbms(), db) {
                return false;
            }
        }
        match self.active_contexts() {
            Some(active) => {
                cs.contexts().is_none_or(|e| context_matches(e, active))
                    && step
                        .include_contexts
                        .iter()
                        .all(|e| context_matches(e, active))
            }
            None => true,
        }
    }

    fn active_contexts(&self) -> Option<&[String]> {
        self.contexts.as_deref().filter(|c| !c.is_empty())
    }

    /// Whether the step may or may not run on a real database while this filter cannot tell:
    /// preconditions, or a dbms/context restriction the filter does not decide. Its changes are
    /// replayed, but conflicts it is part of are alternatives, not errors.
    pub fn is_conditional(&self, step: &Step) -> bool {
        let cs = step.changeset;
        let restricted_dbms = cs.dbms().iter().any(|d| !d.eq_ignore_ascii_case("all"));
        let restricted_ctx = cs.contexts().is_some_and(|c| !c.trim().is_empty())
            || !step.include_contexts.is_empty();
        cs.preconditions.is_some()
            || (self.dbms.is_none() && restricted_dbms)
            || (self.active_contexts().is_none() && restricted_ctx)
    }
}

/// Liquibase's `dbms` list: `all`, `none`, names, and `!name` exclusions.
pub fn dbms_matches(list: &[String], db: &str) -> bool {
    if list.is_empty() {
        return true;
    }
    let mut positive = false;
    let mut included = false;
    for item in list {
        let item = item.trim();
        if let Some(neg) = item.strip_prefix('!') {
            if neg.trim().eq_ignore_ascii_case(db) {
                return false;
            }
        } else if item.eq_ignore_ascii_case("none") {
            positive = true;
        } else {
            positive = true;
            included |= item.eq_ignore_ascii_case("all") || item.eq_ignore_ascii_case(db);
        }
    }
    !positive || included
}

/// Evaluates a context expression (`a and (b or !c)`, `a, b`) against the active contexts. An empty
/// or unreadable expression matches, as an unrestricted changeset would.
pub fn context_matches(expr: &str, active: &[String]) -> bool {
    let tokens = tokenize(expr);
    if tokens.is_empty() {
        return true;
    }
    let mut p = Parser {
        tokens: &tokens,
        pos: 0,
        active,
    };
    p.or()
}

fn tokenize(expr: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    for c in expr.chars() {
        if c.is_whitespace() || matches!(c, '(' | ')' | ',' | '!') {
            if !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            if !c.is_whitespace() {
                out.push(c.to_string());
            }
        } else {
            word.push(c);
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

struct Parser<'t> {
    tokens: &'t [String],
    pos: usize,
    active: &'t [String],
}

impl Parser<'_> {
    fn peek(&self) -> Option<&str> {
        self.tokens.get(self.pos).map(String::as_str)
    }

    fn or(&mut self) -> bool {
        let mut v = self.and();
        while let Some(t) = self.peek() {
            if t == "," || t.eq_ignore_ascii_case("or") {
                self.pos += 1;
                let r = self.and();
                v = v || r;
            } else {
                break;
            }
        }
        v
    }

    fn and(&mut self) -> bool {
        let mut v = self.not();
        while self.peek().is_some_and(|t| t.eq_ignore_ascii_case("and")) {
            self.pos += 1;
            let r = self.not();
            v = v && r;
        }
        v
    }

    fn not(&mut self) -> bool {
        match self.peek() {
            Some(t) if t == "!" || t.eq_ignore_ascii_case("not") => {
                self.pos += 1;
                !self.not()
            }
            _ => self.atom(),
        }
    }

    fn atom(&mut self) -> bool {
        let Some(t) = self.tokens.get(self.pos) else {
            return true;
        };
        self.pos += 1;
        if t == "(" {
            let v = self.or();
            if self.peek() == Some(")") {
                self.pos += 1;
            }
            return v;
        }
        if t == ")" || t == "," {
            return true;
        }
        let name = t.trim_start_matches('@');
        self.active.iter().any(|a| a.eq_ignore_ascii_case(name)) || split_list(name).is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn act(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn dbms_lists() {
        let l = |s: &str| split_list(s);
        assert!(dbms_matches(&l("postgresql, h2"), "h2"));
        assert!(!dbms_matches(&l("postgresql, h2"), "oracle"));
        assert!(!dbms_matches(&l("!h2"), "h2"));
        assert!(dbms_matches(&l("!h2"), "postgresql"));
        assert!(dbms_matches(&l("all"), "mysql"));
        assert!(!dbms_matches(&l("none"), "mysql"));
        assert!(dbms_matches(&[], "mysql"));
    }

    #[test]
    fn context_expressions() {
        let a = act(&["test", "eu"]);
        assert!(context_matches("test", &a));
        assert!(!context_matches("prod", &a));
        assert!(context_matches("prod, test", &a));
        assert!(context_matches("prod or eu", &a));
        assert!(!context_matches("test and prod", &a));
        assert!(context_matches("test and !prod", &a));
        assert!(!context_matches("not (test or prod)", &a));
        assert!(context_matches("(prod or test) and eu", &a));
        assert!(context_matches("", &a));
    }
}
