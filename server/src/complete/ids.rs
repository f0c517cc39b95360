//! The id and author of a new changeset, following the conventions the file already shows.
//!
//! The most recent changeset's id says what the team does (ids drift over a project's life; the
//! newest style is the one to continue). A configured `changeset-id-pattern` wins over the file:
//! among the candidate ids the first that matches it is used.

use regex::Regex;

/// A UTC date and time, so that ids can be dated without a time library (and tests can fix "now").
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Clock {
    pub year: u32,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
}

fn leap(y: u32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

impl Clock {
    /// The current UTC time (1970-01-01 if the system clock is before it).
    pub fn now() -> Clock {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Clock::from_unix(secs)
    }

    pub fn from_unix(secs: u64) -> Clock {
        let mut days = secs / 86_400;
        let rem = secs % 86_400;
        let mut year = 1970;
        loop {
            let len = if leap(year) { 366 } else { 365 };
            if days < len {
                break;
            }
            days -= len;
            year += 1;
        }
        let feb = if leap(year) { 29 } else { 28 };
        let months = [31, feb, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
        let mut month = 1;
        for len in months {
            if days < len {
                break;
            }
            days -= len;
            month += 1;
        }
        Clock {
            year,
            month,
            day: days as u32 + 1,
            hour: (rem / 3600) as u32,
            minute: (rem % 3600 / 60) as u32,
            second: (rem % 60) as u32,
        }
    }

    /// `yyyyMMdd`.
    pub fn date(&self) -> String {
        format!("{:04}{:02}{:02}", self.year, self.month, self.day)
    }

    /// `yyyyMMddHHmmss`.
    pub fn timestamp(&self) -> String {
        format!(
            "{}{:02}{:02}{:02}",
            self.date(),
            self.hour,
            self.minute,
            self.second
        )
    }
}

/// `n` written with at least `width` digits.
fn padded(n: u64, width: usize) -> String {
    format!("{n:0width$}")
}

/// Splits `abc-12` into (`abc-`, `12`); `None` when the id does not end in digits.
fn trailing_number(id: &str) -> Option<(&str, &str)> {
    let digits = id.len() - id.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    (digits > 0).then(|| id.split_at(id.len() - digits))
}

/// A date-prefixed id: (`20241125`, separator, sequence).
fn dated(id: &str) -> Option<(&str, &str, &str)> {
    let date = id.get(..8)?;
    if !date.bytes().all(|b| b.is_ascii_digit()) || !date.starts_with(['1', '2']) {
        return None;
    }
    let rest = &id[8..];
    let sep_len = rest.len() - rest.trim_start_matches(['-', '_', '.']).len();
    let (sep, seq) = rest.split_at(sep_len);
    (sep_len > 0 && !seq.is_empty() && seq.bytes().all(|b| b.is_ascii_digit()))
        .then_some((date, sep, seq))
}

fn is_timestamp(id: &str) -> bool {
    id.len() >= 12 && id.starts_with(['1', '2']) && id.bytes().all(|b| b.is_ascii_digit())
}

/// The next id in the style of `last`, given every existing id.
fn continue_style(last: &str, ids: &[&str], now: &Clock) -> Option<String> {
    if is_timestamp(last) {
        return Some(now.timestamp()[..last.len().min(14)].to_string());
    }
    if let Some((_, sep, seq)) = dated(last) {
        let today = now.date();
        let next = ids
            .iter()
            .filter_map(|id| dated(id))
            .filter(|(d, s, _)| *d == today && *s == sep)
            .filter_map(|(_, _, n)| n.parse::<u64>().ok())
            .max()
            .map_or(1, |m| m + 1);
        return Some(format!("{today}{sep}{}", padded(next, seq.len())));
    }
    let (prefix, digits) = trailing_number(last)?;
    let width = if digits.starts_with('0') {
        digits.len()
    } else {
        1
    };
    let max = ids
        .iter()
        .filter_map(|id| trailing_number(id))
        .filter(|(p, d)| *p == prefix && !(prefix.is_empty() && is_timestamp(d)))
        .filter_map(|(_, d)| d.parse::<u64>().ok())
        .max()?;
    Some(format!("{prefix}{}", padded(max + 1, width)))
}

/// The id for a new changeset, given the ids already in the file (in document order), the
/// configured id pattern and now.
pub fn next_id(ids: &[String], pattern: Option<&str>, now: &Clock) -> String {
    let ids: Vec<&str> = ids
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty() && !s.contains("${"))
        .collect();
    let inferred = ids.last().and_then(|last| continue_style(last, &ids, now));
    let Some(re) = pattern.and_then(|p| Regex::new(p).ok()) else {
        return inferred.unwrap_or_else(|| now.timestamp());
    };
    // What the pattern might want, most specific first: the file's own style, dated sequences with
    // the usual separators and paddings, a timestamp, the next number.
    let today = now.date();
    let mut candidates: Vec<String> = inferred.into_iter().collect();
    for sep in ["-", "_", "."] {
        for seq in ["1", "01", "001"] {
            candidates.push(format!("{today}{sep}{seq}"));
        }
    }
    candidates.push(now.timestamp());
    candidates.push(today.clone());
    candidates.push("1".into());
    candidates
        .into_iter()
        .find(|c| re.is_match(c))
        .unwrap_or_else(|| now.timestamp())
}

/// The author for a new changeset: the preferred one, else the file's most common, else the fallback.
pub fn author(preferred: Option<&str>, authors: &[String], fallback: Option<&str>) -> String {
    if let Some(a) = preferred.map(str::trim).filter(|a| !a.is_empty()) {
        return a.to_string();
    }
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for a in authors.iter().map(|a| a.trim()).filter(|a| !a.is_empty()) {
        match counts.iter_mut().find(|(n, _)| *n == a) {
            Some(c) => c.1 += 1,
            None => counts.push((a, 1)),
        }
    }
    // most common; on a tie the first seen (max_by_key keeps the last maximum, so search reversed)
    if let Some((a, _)) = counts.iter().rev().max_by_key(|(_, n)| *n) {
        return a.to_string();
    }
    fallback
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .unwrap_or("author")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: Clock = Clock {
        year: 2026,
        month: 12,
        day: 1,
        hour: 9,
        minute: 5,
        second: 7,
    };

    fn ids(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn numeric_ids_count_up_keeping_padding() {
        assert_eq!(next_id(&ids(&["1", "2", "7", "3"]), None, &NOW), "8");
        assert_eq!(next_id(&ids(&["001", "002"]), None, &NOW), "003");
        assert_eq!(next_id(&ids(&["009"]), None, &NOW), "010");
    }

    #[test]
    fn dated_ids_use_today_with_the_next_sequence() {
        assert_eq!(next_id(&ids(&["20241125-01"]), None, &NOW), "20261201-01");
        let today = ids(&["20241125-01", "20261201-01", "20261201-02"]);
        assert_eq!(next_id(&today, None, &NOW), "20261201-03");
        assert_eq!(next_id(&ids(&["20241125_3"]), None, &NOW), "20261201_1");
    }

    #[test]
    fn ticket_ids_keep_their_prefix() {
        let list = ids(&["JIRA-123-1", "JIRA-123-2", "other"]);
        assert_eq!(next_id(&list[..2], None, &NOW), "JIRA-123-3");
        assert_eq!(next_id(&ids(&["add-email"]), None, &NOW), "20261201090507");
    }

    #[test]
    fn timestamps_and_nothing_give_a_timestamp() {
        assert_eq!(
            next_id(&ids(&["20240101120000"]), None, &NOW),
            "20261201090507"
        );
        assert_eq!(next_id(&[], None, &NOW), "20261201090507");
    }

    #[test]
    fn the_configured_pattern_wins() {
        let p = Some("^[0-9]{8}-[0-9]+$");
        assert_eq!(next_id(&[], p, &NOW), "20261201-1");
        assert_eq!(next_id(&ids(&["7"]), p, &NOW), "20261201-1");
        assert_eq!(next_id(&ids(&["7"]), Some("^[0-9]+$"), &NOW), "8");
        assert_eq!(
            next_id(&[], Some("^[0-9]{8}_[0-9]{3}$"), &NOW),
            "20261201_001"
        );
    }

    #[test]
    fn authors() {
        let a = ids(&["bob", "ana", "ana"]);
        assert_eq!(author(Some("me"), &a, Some("u")), "me");
        assert_eq!(author(None, &a, Some("u")), "ana");
        assert_eq!(author(None, &ids(&["bob", "ana"]), None), "bob");
        assert_eq!(author(None, &[], Some("u")), "u");
    }

    #[test]
    fn clock() {
        assert_eq!(Clock::from_unix(0).timestamp(), "19700101000000");
        // 2024-02-29T12:34:56Z
        assert_eq!(
            Clock::from_unix(1_709_210_096).timestamp(),
            "20240229123456"
        );
    }
}
