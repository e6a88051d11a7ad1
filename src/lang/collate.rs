//! Sorting names and titles the way readers of the book's language expect.
//!
//! Two problems: which part of a name is the family name ("Charles de Gaulle"
//! files under G, "Jean-Pierre Le Gall" under L), and how to compare strings
//! ("Élodie" sorts with "Elodie", not after "Zoé"). The first is
//! [`name_key`], a heuristic any author can override with `sort_as`
//! ("Gaulle, Charles de"); the second is ICU4X's collator for the book's
//! language (Unicode CLDR data), wrapped in [`Collation`].

use std::cmp::Ordering;

use icu_collator::options::{AlternateHandling, CollatorOptions};
use icu_collator::{CollatorBorrowed, CollatorPreferences};

/// Particles that, written in lowercase, do not decide where a name files:
/// "Charles de Gaulle" under G, "Vincent van Gogh" under G. Written with a
/// capital ("Le Gall", "Du Bellay", "De Niro") they are part of the family name.
const PARTICLES: &[&str] = &[
    "de", "du", "des", "d'", "d’", "la", "le", "van", "von", "der", "den", "ter", "ten", "da", "di", "del", "della",
    "dos", "das", "do", "zu", "af", "av",
];

/// A name split for sorting: family name first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NameKey {
    /// What the name files under ("Gaulle", "Le Gall").
    pub family: String,
    /// The rest ("Charles de", "Jean-Pierre").
    pub given: String,
}

impl NameKey {
    /// "Family, given", the form `sort_as` takes.
    pub fn display(&self) -> String {
        if self.given.is_empty() { self.family.clone() } else { format!("{}, {}", self.family, self.given) }
    }
}

fn is_particle(token: &str) -> bool {
    let lower = token.to_lowercase();
    PARTICLES.contains(&lower.as_str()) || lower.starts_with("d'") || lower.starts_with("d’")
}

/// The sort key of a name, from `sort_as` when given ("Family, Given"),
/// else guessed: the family name starts at the first particle after the
/// first word, or is the last word; lowercase particles at its start move to
/// the given names.
pub fn name_key(name: &str, sort_as: Option<&str>) -> NameKey {
    if let Some(s) = sort_as {
        return match s.split_once(',') {
            Some((f, g)) => NameKey { family: f.trim().to_string(), given: g.trim().to_string() },
            None => NameKey { family: s.trim().to_string(), given: String::new() },
        };
    }
    let tokens: Vec<&str> = name.split_whitespace().collect();
    if tokens.len() <= 1 {
        return NameKey { family: name.trim().to_string(), given: String::new() };
    }
    let start = (1..tokens.len()).find(|&i| is_particle(tokens[i])).unwrap_or(tokens.len() - 1);
    let mut given: Vec<String> = tokens[..start].iter().map(|s| s.to_string()).collect();
    let mut family: Vec<String> = tokens[start..].iter().map(|s| s.to_string()).collect();
    // Lowercase particles ("de", "van", "d'") move to the given names.
    while family.len() > 1 && is_particle(&family[0]) && family[0].starts_with(char::is_lowercase) {
        given.push(family.remove(0));
    }
    if let Some(first) = family.first_mut() {
        for p in ["d'", "d’"] {
            if let Some(rest) = first.strip_prefix(p)
                && !rest.is_empty()
            {
                given.push(p.to_string());
                *first = rest.to_string();
            }
        }
    }
    NameKey { family: family.join(" "), given: given.join(" ") }
}

/// String comparison for a language.
pub struct Collation {
    collator: Option<CollatorBorrowed<'static>>,
    /// The same collation comparing base letters only (`é` = `e` in French,
    /// `å` ≠ `a` in Swedish): which letter a name files under.
    letters: Option<CollatorBorrowed<'static>>,
}

impl std::fmt::Debug for Collation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Collation").finish_non_exhaustive()
    }
}

impl Collation {
    /// The collation of `lang` (BCP 47); the root collation when the tag
    /// cannot be parsed. Spaces and punctuation are ignored at first, so that
    /// "Le Gall" sorts between "Lefèvre" and "Legrand".
    pub fn new(lang: &str) -> Self {
        let locale = icu_locale_core::Locale::try_from_str(lang).unwrap_or(icu_locale_core::Locale::UNKNOWN);
        let prefs: CollatorPreferences = (&locale).into();
        let mut options = CollatorOptions::default();
        options.alternate_handling = Some(AlternateHandling::Shifted);
        let mut primary = CollatorOptions::default();
        primary.strength = Some(icu_collator::options::Strength::Primary);
        Collation {
            collator: CollatorBorrowed::try_new(prefs, options).ok(),
            letters: CollatorBorrowed::try_new(prefs, primary).ok(),
        }
    }

    /// The letter a name (its sort key) files under in an index, as the
    /// language files it: a Latin letter without its accent when the
    /// language counts them as one letter (É under E in French), apart when
    /// it does not (Å after Z in Swedish, Ç after C in Turkish); any other
    /// letter as it is (Ж, م, 王).
    pub fn initial(&self, key: &str) -> String {
        let c = key.chars().next().unwrap_or('#');
        let first = c.to_uppercase().to_string();
        let folded = crate::lang::slug::initial(key);
        match &self.letters {
            Some(letters) if letters.compare(&first, &folded) == Ordering::Equal => folded,
            Some(_) => first,
            None => folded,
        }
    }

    /// Whether two names are the same as the language compares letters:
    /// accents and case aside ("Noël Dupré" and "noel dupre"), spaces and
    /// punctuation as written.
    pub fn same(&self, a: &str, b: &str) -> bool {
        let a = a.split_whitespace().collect::<Vec<_>>().join(" ");
        let b = b.split_whitespace().collect::<Vec<_>>().join(" ");
        match &self.letters {
            Some(c) => c.compare(&a, &b) == Ordering::Equal,
            None => a.to_lowercase() == b.to_lowercase(),
        }
    }

    /// Compares two strings; falls back to code points without collation data.
    pub fn compare(&self, a: &str, b: &str) -> Ordering {
        match &self.collator {
            Some(c) => c.compare(a, b),
            None => a.cmp(b),
        }
    }

    /// Compares names: family names first, then given names, then as written.
    pub fn compare_names(&self, a: &NameKey, b: &NameKey) -> Ordering {
        self.compare(&a.family, &b.family)
            .then_with(|| self.compare(&a.given, &b.given))
            .then_with(|| a.family.cmp(&b.family))
            .then_with(|| a.given.cmp(&b.given))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(n: &str) -> String {
        name_key(n, None).display()
    }

    #[test]
    fn family_names() {
        assert_eq!(key("Charles de Gaulle"), "Gaulle, Charles de");
        assert_eq!(key("Jean-Pierre Le Gall"), "Le Gall, Jean-Pierre");
        assert_eq!(key("Marie de La Tour"), "La Tour, Marie de");
        assert_eq!(key("Vincent van Gogh"), "Gogh, Vincent van");
        assert_eq!(key("Jean d'Alembert"), "Alembert, Jean d'");
        assert_eq!(key("Robert De Niro"), "De Niro, Robert");
        assert_eq!(key("Ada Lovelace"), "Lovelace, Ada");
        assert_eq!(key("Madonna"), "Madonna");
        assert_eq!(name_key("X", Some("Zed, Ann")).display(), "Zed, Ann");
    }

    #[test]
    fn french_collation() {
        let c = Collation::new("fr");
        let mut names = vec!["Zoé", "Élodie", "Eric", "elodie", "Emile", "Lefèvre", "Le Gall", "Legrand"];
        names.sort_by(|a, b| c.compare(a, b));
        assert_eq!(names, vec!["elodie", "Élodie", "Emile", "Eric", "Lefèvre", "Le Gall", "Legrand", "Zoé"]);
    }

    #[test]
    fn names_sort_by_family_first() {
        let c = Collation::new("fr");
        let mut names = vec!["Zoé Martin", "Anne Martine", "Charles de Gaulle", "Élodie Garnier"];
        names.sort_by(|a, b| c.compare_names(&name_key(a, None), &name_key(b, None)));
        assert_eq!(names, vec!["Élodie Garnier", "Charles de Gaulle", "Zoé Martin", "Anne Martine"]);
    }

    #[test]
    fn index_letters_as_the_language_files_them() {
        assert_eq!(Collation::new("fr").initial("Ébrard, Émile"), "E");
        assert_eq!(Collation::new("sv").initial("Åberg, Anna"), "Å");
        assert_eq!(Collation::new("en").initial("Åberg, Anna"), "A");
        assert_eq!(Collation::new("tr").initial("Çelik, Ada"), "Ç");
        assert_eq!(Collation::new("fr").initial("Çelik, Ada"), "C");
        assert_eq!(Collation::new("fa").initial("رضایی، مریم"), "ر");
    }

    #[test]
    fn swedish_tailoring() {
        // Å, Ä, Ö come after Z in Swedish, unlike in French.
        let sv = Collation::new("sv");
        assert_eq!(sv.compare("Åsa", "Zelda"), Ordering::Greater);
        let fr = Collation::new("fr");
        assert_eq!(fr.compare("Åsa", "Zelda"), Ordering::Less);
    }
}
