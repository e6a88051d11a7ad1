//! Slugs: the names of essays in file names and URLs, and how a title or a
//! name becomes one.
//!
//! A contribution is named as people name files: letters of any script,
//! digits, `-` and `_` (`noël-noël.md`, `functionalDB/`). Everything the
//! editions write (URLs, file names in the site, the EPUB, the offprints and
//! the cards) uses its ASCII form, transliterated by deunicode and lowercased
//! (`noel-noel`), so that links survive every server, zip tool and e-reader.

/// Whether `name`, a contribution's file stem or folder name, can name an
/// essay: letters of any script, digits, `-` and `_`, starting with a letter
/// or a digit.
pub fn valid_name(name: &str) -> bool {
    name.chars().next().is_some_and(char::is_alphanumeric)
        && name.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '_')
}

/// The ASCII form of a contribution's name, its slug in URLs and file names:
/// transliterated, lowercased, any other character a single `-`
/// (`Noël Noël` → `noel-noel`, `東京` → `dong-jing`). Already-ASCII names in
/// lowercase are their own form.
pub fn ascii(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in deunicode::deunicode(name).chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-');
    if !out.is_empty() {
        return out.to_string();
    }
    // Nothing transliterates: the code points, still unique per name.
    name.chars().map(|c| format!("u{:x}", c as u32)).collect::<Vec<_>>().join("-")
}

/// Whether `s` can be a slug: lowercase ASCII letters, digits, `-` and `_`,
/// starting with a letter or digit.
pub fn valid_slug(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// A file-name slug for a title: lowercase ASCII letters, digits and
/// hyphens, every script transliterated (deunicode): "Her Programcının
/// Bilmesi Gereken 97 Şey" → `her-programcinin-bilmesi-gereken-97-sey`,
/// "编者手记" → `bian-zhe-shou-ji`; `book` when nothing is left.
pub fn slugify(title: &str) -> String {
    let mut out = String::new();
    for c in deunicode::deunicode(title).chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() { "book".to_string() } else { out }
}

/// The letter a name files under in an index: a Latin letter without its
/// accent (É under E), any other letter as it is (Ж, م, 王).
pub fn initial(key: &str) -> String {
    use unicode_script::{Script, UnicodeScript};
    let c = key.chars().next().unwrap_or('#');
    if c.script() == Script::Latin
        && let Some(f) = deunicode::deunicode_char(c).and_then(|s| s.chars().next())
        && f.is_ascii_alphabetic()
    {
        return f.to_ascii_uppercase().to_string();
    }
    c.to_uppercase().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert!(valid_slug("du-fil_2") && !valid_slug("Bad Name") && !valid_slug("-x"));
    }

    #[test]
    fn names_of_any_script_and_their_ascii_forms() {
        for name in ["noël-noël", "functionalDB", "東京", "ελληνικά", "essai_2", "Отчёт"] {
            assert!(valid_name(name), "{name}");
        }
        for name in ["Bad Name", "-x", "a.b", "", "a/b", "émoji😀"] {
            assert!(!valid_name(name), "{name}");
        }
        assert_eq!(ascii("noël-noël"), "noel-noel");
        assert_eq!(ascii("functionalDB"), "functionaldb");
        assert_eq!(ascii("du-fil-au-chapitre"), "du-fil-au-chapitre");
        assert_eq!(ascii("essai_2"), "essai_2");
        assert_eq!(ascii("Отчёт"), "otchiot");
        assert!(ascii("東京").chars().all(|c| c.is_ascii_lowercase() || c == '-'), "{}", ascii("東京"));
        for name in ["noël-noël", "東京", "ελληνικά"] {
            assert!(valid_slug(&ascii(name)), "{name} → {}", ascii(name));
        }
    }

    #[test]
    fn titles_of_any_script_slugify() {
        assert_eq!(slugify("Her Programcının Bilmesi Gereken 97 Şey"), "her-programcinin-bilmesi-gereken-97-sey");
        assert_eq!(slugify("Œuvres — complètes !"), "oeuvres-completes");
        assert_eq!(slugify("编者手记"), "bian-zhe-shou-ji");
        assert!(valid_slug(&slugify("دفتر ویراستار")), "{}", slugify("دفتر ویراستار"));
        assert_eq!(slugify("???"), "book");
    }

    #[test]
    fn initials_fold_latin_accents_only() {
        assert_eq!(initial("Élodie"), "E");
        assert_eq!(initial("Åberg, Anna"), "A");
        assert_eq!(initial("Zoé"), "Z");
        assert_eq!(initial("Ølstad"), "O");
        assert_eq!(initial("Жуков"), "Ж");
        assert_eq!(initial("مریم"), "م");
        assert_eq!(initial("王丽"), "王");
    }
}
