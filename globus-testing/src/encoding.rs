//! URL and form encoding helpers (`application/x-www-form-urlencoded`, Python's `quote_plus`).

/// Decodes one `x-www-form-urlencoded` component: `+` is a space, `%XX` a byte. A malformed
/// escape is kept literally; invalid UTF-8 is replaced, so decoding never fails.
pub(crate) fn decode_component(input: &str) -> String {
    let bytes = input.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex_value(bytes[i + 1]), hex_value(bytes[i + 2])) {
                (Some(high), Some(low)) => {
                    out.push(high << 4 | low);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            other => out.push(other),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex_value(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

/// Parses `a=1&b=2` into decoded pairs, in order. Empty segments are skipped; a key without
/// `=` gets an empty value.
pub(crate) fn parse_pairs(input: &str) -> Vec<(String, String)> {
    input
        .split('&')
        .filter(|segment| !segment.is_empty())
        .map(|segment| match segment.split_once('=') {
            Some((key, value)) => (decode_component(key), decode_component(value)),
            None => (decode_component(segment), String::new()),
        })
        .collect()
}

/// Encodes a component like Python's `urllib.parse.quote_plus`: `A-Za-z0-9_.-~` stay, a space
/// becomes `+`, everything else is `%XX`.
pub(crate) fn encode_component(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    for &byte in input.as_bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'_' | b'.' | b'-' | b'~' => out.push(byte as char),
            b' ' => out.push('+'),
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

/// Escapes text for inclusion in HTML.
pub(crate) fn escape_html(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    for ch in input.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_plus_and_percent() {
        assert_eq!(decode_component("a+b%2Fc%3A"), "a b/c:");
        assert_eq!(decode_component("100%"), "100%");
        assert_eq!(decode_component("%zz%4"), "%zz%4");
        assert_eq!(decode_component("%E2%9C%93"), "\u{2713}");
    }

    #[test]
    fn parses_pairs_in_order() {
        let pairs = parse_pairs("b=2&a=1&&flag&x=%20y");
        assert_eq!(
            pairs,
            vec![
                ("b".into(), "2".into()),
                ("a".into(), "1".into()),
                ("flag".into(), String::new()),
                ("x".into(), " y".into())
            ]
        );
    }

    #[test]
    fn encodes_like_quote_plus() {
        assert_eq!(encode_component("a b*[x]:/~_.-"), "a+b%2A%5Bx%5D%3A%2F~_.-");
        assert_eq!(
            decode_component(&encode_component("state & \u{2713}")),
            "state & \u{2713}"
        );
    }

    #[test]
    fn escapes_html() {
        assert_eq!(
            escape_html("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
