//! Python's `str()` and `repr()` of criterion values.
//!
//! Generated class names are built from Python's string forms of the criteria, so
//! a class's name here is the one users of the Python package see: strings inside
//! containers are quoted, floats use the shortest round-trip digits with Python's
//! switch to exponent notation, and tuples of one element keep their trailing comma.

use crate::Scalar;

/// `repr()` of a scalar: strings quoted, `None`, `True`/`False`, Python float digits.
pub(crate) fn repr(value: &Scalar) -> String {
    match value {
        Scalar::Str(s) => repr_str(s),
        other => str(other),
    }
}

/// `str()` of a scalar: like [`repr`] but a string is itself.
pub(crate) fn str(value: &Scalar) -> String {
    match value {
        Scalar::Null => "None".to_string(),
        Scalar::Bool(true) => "True".to_string(),
        Scalar::Bool(false) => "False".to_string(),
        Scalar::Int(i) => i.to_string(),
        Scalar::Float(x) => repr_float(*x),
        Scalar::Str(s) => s.clone(),
    }
}

/// `str()` of a tuple (`('a',)`, `('a', 'b')`) or a list (`['a', 'b']`) of scalars.
pub(crate) fn sequence(values: &[Scalar], tuple: bool) -> String {
    let items: Vec<String> = values.iter().map(repr).collect();
    let body = items.join(", ");
    match (tuple, values.len()) {
        (true, 1) => format!("({body},)"),
        (true, _) => format!("({body})"),
        (false, _) => format!("[{body}]"),
    }
}

/// `str()` of a dict of column names to scalars, in insertion order.
pub(crate) fn dict(entries: &[(String, Scalar)]) -> String {
    let items: Vec<String> = entries
        .iter()
        .map(|(k, v)| format!("{}: {}", repr_str(k), repr(v)))
        .collect();
    format!("{{{}}}", items.join(", "))
}

/// Python's `repr(float)`: shortest round-trip digits, fixed notation when the decimal
/// exponent is in (-4, 16], exponent notation (`1e-05`, `1.5e+16`) otherwise.
pub(crate) fn repr_float(x: f64) -> String {
    if x.is_nan() {
        return "nan".to_string();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf" } else { "-inf" }.to_string();
    }
    let sign = if x.is_sign_negative() { "-" } else { "" };
    if x == 0.0 {
        return format!("{sign}0.0");
    }
    // Rust's `{:e}` gives the same shortest round-trip digits as Python's repr.
    let scientific = format!("{:e}", x.abs());
    let (mantissa, exponent) = scientific
        .split_once('e')
        .unwrap_or((scientific.as_str(), "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    // Position of the decimal point relative to the first digit, as Python counts it.
    let point = exponent + 1;
    let body = if -4 < point && point <= 16 {
        let n = digits.len() as i32;
        if point <= 0 {
            format!("0.{}{digits}", "0".repeat((-point) as usize))
        } else if point >= n {
            format!("{digits}{}.0", "0".repeat((point - n) as usize))
        } else {
            let (int, frac) = digits.split_at(point as usize);
            format!("{int}.{frac}")
        }
    } else {
        let (first, rest) = digits.split_at(1);
        let mantissa = if rest.is_empty() {
            first.to_string()
        } else {
            format!("{first}.{rest}")
        };
        let e = point - 1;
        let e_sign = if e < 0 { '-' } else { '+' };
        format!("{mantissa}e{e_sign}{:02}", e.abs())
    };
    format!("{sign}{body}")
}

/// Python's `repr(str)`: single quotes unless the text holds a single quote and no
/// double quote; backslash escapes for the quote, backslash, `\t`, `\n`, `\r` and
/// characters Python does not print.
pub(crate) fn repr_str(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if !is_printable(c) => {
                let code = c as u32;
                if code < 0x100 {
                    out.push_str(&format!("\\x{code:02x}"));
                } else if code < 0x10000 {
                    out.push_str(&format!("\\u{code:04x}"));
                } else {
                    out.push_str(&format!("\\U{code:08x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// Python's `str.isprintable` for one character, without the Unicode database: control,
/// separator (other than the space), format and private-use characters are not
/// printable. Unassigned code points, which Python also escapes, are printed as they are.
fn is_printable(c: char) -> bool {
    if c == ' ' {
        return true;
    }
    if c.is_control() || c.is_whitespace() {
        return false;
    }
    let code = c as u32;
    let format = matches!(
        code,
        0x00AD
            | 0x0600..=0x0605
            | 0x061C
            | 0x06DD
            | 0x070F
            | 0x0890..=0x0891
            | 0x08E2
            | 0x180E
            | 0x200B..=0x200F
            | 0x202A..=0x202E
            | 0x2060..=0x2064
            | 0x2066..=0x206F
            | 0xFEFF
            | 0xFFF9..=0xFFFB
            | 0x110BD
            | 0x110CD
            | 0x13430..=0x1343F
            | 0x1BCA0..=0x1BCA3
            | 0x1D173..=0x1D17A
            | 0xE0001
            | 0xE0020..=0xE007F
    );
    let private_use = matches!(code, 0xE000..=0xF8FF | 0xF0000..=0xFFFFD | 0x100000..=0x10FFFD);
    let noncharacter = (0xFDD0..=0xFDEF).contains(&code) || code & 0xFFFE == 0xFFFE;
    !(format || private_use || noncharacter)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_print_as_python_repr() {
        // Expected strings are Python 3's repr() of the same floats.
        let cases = [
            (5e-05, "5e-05"),
            (0.0001, "0.0001"),
            (100000000.0, "100000000.0"),
            (0.249917785243865, "0.249917785243865"),
            (1e16, "1e+16"),
            (1e15, "1000000000000000.0"),
            (123456789012345678.0, "1.2345678901234568e+17"),
            (1.5e-7, "1.5e-07"),
            (-2.5, "-2.5"),
            (-0.0, "-0.0"),
            (0.0, "0.0"),
            (f64::INFINITY, "inf"),
            (f64::NEG_INFINITY, "-inf"),
            (1e300, "1e+300"),
            (5.0, "5.0"),
        ];
        for (x, want) in cases {
            assert_eq!(repr_float(x), want, "repr({x:e})");
        }
    }

    #[test]
    fn strings_print_as_python_repr() {
        let cases = [
            ("sst", "'sst'"),
            ("it's", "\"it's\""),
            ("both ' and \"", "'both \\' and \"'"),
            ("tab\tnew\nline", "'tab\\tnew\\nline'"),
            ("back\\slash", "'back\\\\slash'"),
            ("\u{7}", "'\\x07'"),
            ("nbsp\u{a0}", "'nbsp\\xa0'"),
            ("zw\u{200b}", "'zw\\u200b'"),
            ("µm é", "'µm é'"),
        ];
        for (s, want) in cases {
            assert_eq!(repr_str(s), want, "repr({s:?})");
        }
    }

    #[test]
    fn containers_print_as_python_str() {
        let two = [Scalar::from("sst"), Scalar::from("pvalb")];
        assert_eq!(sequence(&two, true), "('sst', 'pvalb')");
        assert_eq!(sequence(&two, false), "['sst', 'pvalb']");
        assert_eq!(sequence(&two[..1], true), "('sst',)");
        assert_eq!(sequence(&[], true), "()");
        assert_eq!(sequence(&[], false), "[]");
        let mixed = [
            Scalar::Null,
            Scalar::Int(5),
            Scalar::Bool(true),
            Scalar::Float(0.5),
        ];
        assert_eq!(sequence(&mixed, false), "[None, 5, True, 0.5]");
        let alternatives = [
            ("cre_type".to_string(), Scalar::from("sst")),
            ("dendrite_type".to_string(), Scalar::from("aspiny")),
        ];
        assert_eq!(
            dict(&alternatives),
            "{'cre_type': 'sst', 'dendrite_type': 'aspiny'}"
        );
    }
}
