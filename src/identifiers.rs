//! The identifiers that make a book and its essays citable: DOIs, ISBNs and
//! ORCID iDs, read in the forms people paste and checked before any edition
//! or deposit prints them.
//!
//! A mistyped ISBN or ORCID iD is caught by its check digit here, not by a
//! registration agency weeks later. Each function returns the identifier in
//! its canonical form, or why it is not one.

/// A DOI as written (`10.1234/abc`, `doi:10.1234/abc`,
/// `https://doi.org/10.1234/abc`), as `10.1234/abc`.
pub fn doi(written: &str) -> Result<String, String> {
    let s = written.trim();
    let lower = s.to_ascii_lowercase();
    let mut bare = s;
    for prefix in ["https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/", "doi:"] {
        if lower.starts_with(prefix) {
            bare = s[prefix.len()..].trim_start();
            break;
        }
    }
    let Some((registrant, suffix)) = bare.split_once('/') else {
        return Err("a DOI is `10.` and a registrant code, a slash and a suffix (`10.1234/abc`)".into());
    };
    let code = registrant.strip_prefix("10.").unwrap_or("");
    let digits_ok = !code.is_empty() && code.split('.').all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    if !digits_ok {
        return Err(format!("`{registrant}` is not a DOI prefix: it is `10.` followed by digits (`10.1234`)"));
    }
    if suffix.is_empty() || suffix.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("the DOI's suffix, after the slash, must be non-empty and without spaces".into());
    }
    Ok(format!("10.{code}/{suffix}"))
}

/// An ORCID iD as written (`0000-0002-1825-0097`, with or without
/// `https://orcid.org/`), as its 19-character form; its last character is
/// checked (ISO 7064 MOD 11-2).
pub fn orcid(written: &str) -> Result<String, String> {
    let s = written.trim();
    let bare =
        ["https://orcid.org/", "http://orcid.org/", "orcid.org/"].iter().find_map(|p| s.strip_prefix(p)).unwrap_or(s);
    let chars: Vec<char> = bare.chars().filter(|c| *c != '-').collect();
    let shape = bare.len() == 19 && bare.chars().enumerate().all(|(i, c)| if i % 5 == 4 { c == '-' } else { c != '-' });
    if chars.len() != 16
        || !shape
        || !chars[..15].iter().all(char::is_ascii_digit)
        || !(chars[15].is_ascii_digit() || chars[15] == 'X')
    {
        return Err(
            "an ORCID iD is four groups of four digits (`0000-0002-1825-0097`), the last one may end in X".into()
        );
    }
    let mut total = 0u32;
    for c in &chars[..15] {
        total = (total + c.to_digit(10).unwrap_or(0)) * 2;
    }
    let check = (12 - total % 11) % 11;
    let expected = if check == 10 { 'X' } else { char::from_digit(check, 10).unwrap_or('0') };
    if chars[15] != expected {
        return Err(format!("the check digit is wrong: an iD starting `{}` ends in {expected}", &bare[..18]));
    }
    Ok(bare.to_string())
}

/// An ISBN as written (ISBN-13 or ISBN-10, with or without hyphens or
/// spaces or an `ISBN` prefix), as its 13 digits; the check digit is verified.
pub fn isbn(written: &str) -> Result<String, String> {
    let s = written.trim();
    let s = s.strip_prefix("ISBN").or_else(|| s.strip_prefix("isbn")).unwrap_or(s);
    let s = s.trim_start_matches([':', ' ']).trim_start_matches("-13").trim_start_matches("-10");
    let s = s.trim_start_matches([':', ' ']);
    if s.chars().any(|c| !(c.is_ascii_digit() || c == '-' || c == ' ' || c == 'X' || c == 'x')) {
        return Err("an ISBN has only digits, hyphens and, in an ISBN-10, a final X".into());
    }
    let d: Vec<char> = s.chars().filter(|c| !matches!(c, '-' | ' ')).map(|c| c.to_ascii_uppercase()).collect();
    let value = |c: &char| c.to_digit(10);
    match d.len() {
        13 => {
            let digits: Option<Vec<u32>> = d.iter().map(value).collect();
            let digits = digits.ok_or("an ISBN-13 has 13 digits")?;
            let check = ean13_check(&digits[..12]);
            if digits[12] != check {
                return Err(format!("the check digit is wrong: this ISBN-13 would end in {check}"));
            }
            if !(d.starts_with(&['9', '7', '8']) || d.starts_with(&['9', '7', '9'])) {
                return Err("an ISBN-13 starts with 978 or 979".into());
            }
            Ok(d.into_iter().collect())
        }
        10 => {
            let digits: Option<Vec<u32>> = d[..9].iter().map(value).collect();
            let digits = digits.ok_or("an ISBN-10 has 9 digits and a check digit")?;
            let sum: u32 = digits.iter().enumerate().map(|(i, v)| (10 - i as u32) * v).sum();
            let check = (11 - sum % 11) % 11;
            let expected = if check == 10 { 'X' } else { char::from_digit(check, 10).unwrap_or('0') };
            if d[9] != expected {
                return Err(format!("the check digit is wrong: this ISBN-10 would end in {expected}"));
            }
            // The same book as an ISBN-13: 978, the first nine digits, a new check digit.
            let mut thirteen: Vec<u32> = vec![9, 7, 8];
            thirteen.extend(&digits);
            thirteen.push(ean13_check(&thirteen));
            Ok(thirteen.iter().map(|v| char::from_digit(*v, 10).unwrap_or('0')).collect())
        }
        n => Err(format!("an ISBN has 13 digits (or 10, for an older one); this one has {n}")),
    }
}

/// The check digit of an ISBN-13 (an EAN-13) from its first twelve digits:
/// weights 1 and 3 in turn, modulo 10.
fn ean13_check(first12: &[u32]) -> u32 {
    let sum: u32 = first12.iter().enumerate().map(|(i, v)| if i % 2 == 0 { *v } else { v * 3 }).sum();
    (10 - sum % 10) % 10
}

/// An ISBN-13 with the hyphens readers expect after its prefix
/// (`978-2-07-036822-8` is registrant-specific; this gives `978-2070368228`).
pub fn isbn_display(isbn13: &str) -> String {
    if isbn13.len() == 13 { format!("{}-{}", &isbn13[..3], &isbn13[3..]) } else { isbn13.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dois_in_the_forms_people_paste() {
        for s in ["10.1000/xyz123", "doi:10.1000/xyz123", "https://doi.org/10.1000/xyz123", " DOI:10.1000/xyz123 "] {
            assert_eq!(doi(s).as_deref(), Ok("10.1000/xyz123"), "{s}");
        }
        assert_eq!(doi("10.1000.10/a/b").as_deref(), Ok("10.1000.10/a/b"));
        for s in ["", "10.1000", "11.1000/x", "10.abc/x", "10.1000/", "10.1000/a b"] {
            assert!(doi(s).is_err(), "{s}");
        }
    }

    #[test]
    fn orcid_check_digits() {
        // The examples of ORCID's own documentation.
        assert_eq!(orcid("0000-0002-1825-0097").as_deref(), Ok("0000-0002-1825-0097"));
        assert_eq!(orcid("https://orcid.org/0000-0001-5109-3700").as_deref(), Ok("0000-0001-5109-3700"));
        assert_eq!(orcid("0000-0002-1694-233X").as_deref(), Ok("0000-0002-1694-233X"));
        assert!(orcid("0000-0002-1825-0098").unwrap_err().contains("ends in 7"));
        for s in ["0000000218250097", "0000-0002-1825", "abcd-0002-1825-0097", "0000-0002-1825-00970"] {
            assert!(orcid(s).is_err(), "{s}");
        }
    }

    #[test]
    fn isbn_check_digits() {
        assert_eq!(isbn("978-0-306-40615-7").as_deref(), Ok("9780306406157"));
        assert_eq!(isbn("ISBN 978 0 306 40615 7").as_deref(), Ok("9780306406157"));
        assert_eq!(isbn("0-306-40615-2").as_deref(), Ok("9780306406157"));
        assert_eq!(isbn("ISBN-10: 0-8044-2957-X").as_deref(), Ok("9780804429573"));
        assert!(isbn("978-0-306-40615-8").unwrap_err().contains("end in 7"));
        assert!(isbn("0-306-40615-3").is_err());
        assert!(isbn("123").is_err());
        assert!(isbn("977-0-306-40615-8").is_err());
    }

    proptest::proptest! {
        #[test]
        fn never_panic(s in proptest::prelude::any::<String>()) {
            let _ = (doi(&s), orcid(&s), isbn(&s));
        }
    }
}
