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

/// A ROR id as written (`05rrcem69`, with or without `https://ror.org/`),
/// bare and in lower case: a 0, six characters of Crockford's base 32, and
/// two check digits (ISO 7064 MOD 97-10 of the six), which are checked.
pub fn ror(written: &str) -> Result<String, String> {
    const DIGITS: &str = "0123456789abcdefghjkmnpqrstvwxyz";
    let s = written.trim();
    let bare = ["https://ror.org/", "http://ror.org/", "ror.org/"].iter().find_map(|p| s.strip_prefix(p)).unwrap_or(s);
    let id = bare.to_ascii_lowercase();
    if id.len() != 9 || !id.starts_with('0') {
        return Err("a ROR id is 9 characters, starting with 0 (05rrcem69)".into());
    }
    let mut n: u64 = 0;
    for c in id[1..7].chars() {
        let Some(v) = DIGITS.find(c) else { return Err(format!("`{c}` is not a character of a ROR id")) };
        n = n * 32 + v as u64;
    }
    let check: u64 = id[7..].parse().map_err(|_| "its last two characters are digits".to_string())?;
    if 98 - (n * 100) % 97 != check {
        return Err("its check digits do not match: a character is wrong".into());
    }
    Ok(id)
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

/// The 95 modules of the EAN-13 barcode of a 13-digit code, left to right,
/// `true` for a bar: start guard, six digits encoded with the parities the
/// first digit selects, centre guard, six digits, end guard. `None` when
/// `code` is not 13 digits with a right check digit.
pub fn ean13_modules(code: &str) -> Option<Vec<bool>> {
    const L: [u8; 10] = [0x0D, 0x19, 0x13, 0x3D, 0x23, 0x31, 0x2F, 0x3B, 0x37, 0x0B];
    // For the first digit, which of the left six are set with the G code.
    const PARITY: [u8; 10] = [0x00, 0x0B, 0x0D, 0x0E, 0x13, 0x19, 0x1C, 0x15, 0x16, 0x1A];
    let d: Vec<u32> = code.chars().map(|c| c.to_digit(10)).collect::<Option<_>>()?;
    if d.len() != 13 || ean13_check(&d[..12]) != d[12] {
        return None;
    }
    let mut out = Vec::with_capacity(95);
    let mut push = |bits: u8, n: u32| out.extend((0..n).rev().map(|i| bits >> i & 1 == 1));
    push(0b101, 3);
    for (i, &v) in d[1..7].iter().enumerate() {
        let l = L[v as usize];
        let g = PARITY[d[0] as usize] >> (5 - i) & 1 == 1;
        // G is R (the complement of L) read backwards.
        let code = if g { (!l & 0x7F).reverse_bits() >> 1 } else { l };
        push(code, 7);
    }
    push(0b01010, 5);
    for &v in &d[7..] {
        push(!L[v as usize] & 0x7F, 7);
    }
    push(0b101, 3);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ror_ids_with_their_check_digits() {
        assert_eq!(ror("https://ror.org/05rrcem69").unwrap(), "05rrcem69");
        assert_eq!(ror(" 015W2MP89 ").unwrap(), "015w2mp89");
        assert!(ror("05rrcem68").unwrap_err().contains("check digits"));
        assert!(ror("5rrcem69").is_err());
        assert!(ror("0urrcem69").is_err(), "u is no digit of Crockford's base 32");
    }

    /// Reads the digits back from modules, as a scanner would: each digit's
    /// seven modules against the three code sets, the first digit from the
    /// parities of the left half.
    fn decode(m: &[bool]) -> String {
        let bits = |r: &[bool]| r.iter().fold(0u8, |a, &b| a << 1 | u8::from(b));
        let l = |v: u8| (0..10).find(|&d| bits(&ean13_modules_digit_l(d)) == v);
        let mut out = String::new();
        let mut parity = 0u8;
        for i in 0..6 {
            let v = bits(&m[3 + 7 * i..10 + 7 * i]);
            let (d, g) = match l(v) {
                Some(d) => (d, 0),
                None => (l((!v & 0x7F).reverse_bits() >> 1).expect("an L or G code"), 1),
            };
            parity = parity << 1 | g;
            out.push(char::from_digit(d as u32, 10).unwrap());
        }
        for i in 0..6 {
            let v = bits(&m[50 + 7 * i..57 + 7 * i]);
            out.push(char::from_digit(l(!v & 0x7F).expect("an R code") as u32, 10).unwrap());
        }
        let first = [0x00, 0x0B, 0x0D, 0x0E, 0x13, 0x19, 0x1C, 0x15, 0x16, 0x1A].iter().position(|&p| p == parity);
        format!("{}{out}", first.expect("a known parity"))
    }

    fn ean13_modules_digit_l(d: u8) -> Vec<bool> {
        let l = [0x0Du8, 0x19, 0x13, 0x3D, 0x23, 0x31, 0x2F, 0x3B, 0x37, 0x0B][d as usize];
        (0..7).rev().map(|i| l >> i & 1 == 1).collect()
    }

    #[test]
    fn ean13_bars_read_back_to_their_digits() {
        for code in ["9782070368228", "9780306406157", "4006381333931", "9791032305690"] {
            let m = ean13_modules(code).expect(code);
            assert_eq!(m.len(), 95);
            assert_eq!(&m[..3], &[true, false, true]);
            assert_eq!(&m[45..50], &[false, true, false, true, false]);
            assert_eq!(&m[92..], &[true, false, true]);
            // Every digit's code has two bars and two spaces: 7 modules,
            // starting with a space on the left half, a bar on the right.
            assert!(!m[3] && m[50]);
            assert_eq!(decode(&m), code);
        }
        // The textbook example: 4006381333931 starts LGLLGG after the guard.
        let m = ean13_modules("4006381333931").unwrap();
        let text: String = m[..17].iter().map(|&b| if b { '1' } else { '0' }).collect();
        assert_eq!(text, "10100011010100111");
        assert_eq!(ean13_modules("9782070368227"), None);
        assert_eq!(ean13_modules("978207036822"), None);
    }

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
