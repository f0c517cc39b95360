//! What Liquibase sees for a plain (unquoted) scalar.
//!
//! Liquibase reads YAML with SnakeYAML's YAML 1.1 resolver and then turns the typed value back into
//! text: `id: 1.10` becomes changeset id `1.1`, `007` becomes `7`, `0x10` `16`, `yes` `true`. The model
//! keeps what Liquibase sees (the span still points at the text as written), so ids match the
//! DATABASECHANGELOG rows Liquibase writes. Timestamps are left as written.

/// The text Liquibase makes of plain scalar `s`, or `None` when it stays the string as written.
pub fn plain(s: &str) -> Option<String> {
    if let Some(b) = boolean(s) {
        return Some(b.to_string());
    }
    if matches!(s, "~" | "null" | "Null" | "NULL") {
        return Some(String::new());
    }
    int(s).or_else(|| float(s))
}

fn boolean(s: &str) -> Option<bool> {
    match s {
        "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => Some(true),
        "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => Some(false),
        _ => None,
    }
}

/// `(sign, rest)` of a number; the sign is kept only when negative.
fn sign(s: &str) -> (&'static str, &str) {
    match s.as_bytes().first() {
        Some(b'-') => ("-", &s[1..]),
        Some(b'+') => ("", &s[1..]),
        _ => ("", s),
    }
}

fn int(s: &str) -> Option<String> {
    let (neg, body) = sign(s);
    let digits = |t: &str, ok: fn(u8) -> bool| {
        !t.is_empty() && t.bytes().all(|b| b == b'_' || ok(b)) && t.bytes().any(ok)
    };
    let radix = |t: &str, r: u32| -> Option<String> {
        let clean: String = t.chars().filter(|&c| c != '_').collect();
        u128::from_str_radix(&clean, r)
            .ok()
            .map(|v| format!("{}{v}", if v == 0 { "" } else { neg }))
    };
    if let Some(b) = body.strip_prefix("0b") {
        return digits(b, |c| matches!(c, b'0' | b'1')).then(|| radix(b, 2))?;
    }
    if let Some(h) = body.strip_prefix("0x") {
        return digits(h, |c| c.is_ascii_hexdigit()).then(|| radix(h, 16))?;
    }
    if body == "0" {
        return Some("0".into());
    }
    if let Some(o) = body.strip_prefix('0') {
        return digits(o, |c| matches!(c, b'0'..=b'7')).then(|| radix(o, 8))?;
    }
    if body.starts_with(|c: char| ('1'..='9').contains(&c)) {
        if digits(body, |c| c.is_ascii_digit()) {
            let clean: String = body.chars().filter(|&c| c != '_').collect();
            return Some(format!("{neg}{clean}"));
        }
        return sexagesimal(body).map(|v| format!("{neg}{v}"));
    }
    None
}

/// `1:30` is 90 in YAML 1.1 (base 60).
fn sexagesimal(body: &str) -> Option<u128> {
    let mut parts = body.split(':');
    let first = parts.next()?.replace('_', "");
    let mut v: u128 = first.parse().ok()?;
    let mut any = false;
    for p in parts {
        any = true;
        if p.is_empty() || p.len() > 2 || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let d: u128 = p.parse().ok()?;
        if d >= 60 {
            return None;
        }
        v = v.checked_mul(60)?.checked_add(d)?;
    }
    any.then_some(v)
}

/// SnakeYAML's float: `[-+]?(\.[0-9]+|[0-9_]+(\.[0-9_]*)?)([eE][-+]?[0-9]+)?`, printed as Java's
/// `Double.toString` does. Infinity, NaN and base-60 floats are left as written.
fn float(s: &str) -> Option<String> {
    let (_, body) = sign(s);
    let (mantissa, exp) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    if let Some(e) = exp {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        if e.is_empty() || !e.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
    }
    let ok = if let Some(frac) = mantissa.strip_prefix('.') {
        !frac.is_empty() && frac.bytes().all(|b| b.is_ascii_digit())
    } else {
        let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        !int.is_empty()
            && int.bytes().all(|b| b.is_ascii_digit() || b == b'_')
            && frac.bytes().all(|b| b.is_ascii_digit() || b == b'_')
    };
    // `08`: not octal, and Liquibase 4.29 keeps it as written rather than reading 8.0
    let leading_zero_int = exp.is_none() && !mantissa.contains('.') && mantissa.starts_with('0');
    if !ok || leading_zero_int {
        return None;
    }
    let v: f64 = s.replace('_', "").parse().ok()?;
    Some(java_double(v))
}

/// Java's `Double.toString`: plain decimal with at least one fraction digit for 1e-3 <= |v| < 1e7,
/// else `d.dddE±n`.
fn java_double(v: f64) -> String {
    if !v.is_finite() {
        return if v.is_nan() {
            "NaN".into()
        } else if v > 0.0 {
            "Infinity".into()
        } else {
            "-Infinity".into()
        };
    }
    let a = v.abs();
    if a == 0.0 || (1e-3..1e7).contains(&a) {
        let t = format!("{v}");
        if t.contains('.') {
            t
        } else {
            format!("{t}.0")
        }
    } else {
        let t = format!("{v:e}");
        let (m, e) = t.split_once('e').unwrap_or((&t, "0"));
        let m = if m.contains('.') {
            m.to_string()
        } else {
            format!("{m}.0")
        };
        format!("{m}E{e}")
    }
}

#[cfg(test)]
mod tests {
    use super::plain;

    #[test]
    fn resolves_like_snakeyaml_and_java() {
        for (input, want) in [
            ("1.10", Some("1.1")),
            ("007", Some("7")),
            ("0x10", Some("16")),
            ("1_000", Some("1000")),
            ("yes", Some("true")),
            ("Off", Some("false")),
            ("1:30", Some("90")),
            ("1", Some("1")),
            ("-0", Some("0")),
            ("08", None),
            ("09.5", Some("9.5")),
            ("0b11", Some("3")),
            (".5", Some("0.5")),
            ("-1.5e-5", Some("-1.5E-5")),
            ("1e5", Some("100000.0")),
            ("12345678.5", Some("1.23456785E7")),
            ("~", Some("")),
            ("1.2.3", None),
            ("abc", None),
            ("1a", None),
            ("2024-01-01", None),
            ("v1", None),
        ] {
            assert_eq!(plain(input).as_deref(), want, "{input}");
        }
    }
}
