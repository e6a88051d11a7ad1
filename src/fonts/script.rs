//! Writing systems: which ones a text uses, and what a font must have to
//! set each of them.
//!
//! A book is not set in one font: a French essay quoting Arabic needs a
//! Latin face and an Arabic one, and a Japanese essay needs a face drawn for
//! Japanese, not the Chinese forms of the same ideographs. This module names
//! the needs ([`Need`]: a script, and for Han the regional form); the parent
//! module finds a font for each.

use std::collections::BTreeSet;

use unicode_script::{Script, UnicodeScript};

/// The regional forms of Han ideographs, which differ in shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum HanForm {
    /// Simplified Chinese.
    Simplified,
    /// Traditional Chinese (Taiwan).
    Traditional,
    /// Traditional Chinese as written in Hong Kong.
    HongKong,
    /// Japanese.
    Japanese,
    /// Korean.
    Korean,
}

impl HanForm {
    /// The form readers of a language expect (BCP 47), or `None` for a
    /// language not written with Han.
    pub fn of_lang(tag: &str) -> Option<HanForm> {
        let lower = tag.to_ascii_lowercase();
        let mut parts = lower.split(['-', '_']);
        match parts.next()? {
            "ja" => Some(HanForm::Japanese),
            "ko" => Some(HanForm::Korean),
            "zh" | "yue" | "cmn" => {
                let rest: Vec<&str> = parts.collect();
                if rest.contains(&"hk") || rest.contains(&"mo") {
                    Some(HanForm::HongKong)
                } else if rest.contains(&"hant") || rest.contains(&"tw") {
                    Some(HanForm::Traditional)
                } else {
                    Some(HanForm::Simplified)
                }
            }
            _ => None,
        }
    }

    /// The suffix of Noto's and Source Han's family names for this form.
    fn suffix(self) -> &'static str {
        match self {
            HanForm::Simplified => "SC",
            HanForm::Traditional => "TC",
            HanForm::HongKong => "HK",
            HanForm::Japanese => "JP",
            HanForm::Korean => "KR",
        }
    }

    fn name(self) -> &'static str {
        match self {
            HanForm::Simplified => "Simplified Chinese",
            HanForm::Traditional => "Traditional Chinese",
            HanForm::HongKong => "Hong Kong Chinese",
            HanForm::Japanese => "Japanese",
            HanForm::Korean => "Korean",
        }
    }
}

/// What a text needs of a font: a script, and for Chinese, Japanese and
/// Korean text, the regional form (the three share one face per form).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Need {
    /// An alphabetic or abugida script other than CJK.
    Script(ScriptId),
    /// Han ideographs, kana or hangul, in a regional form.
    Cjk(HanForm),
}

/// A script as `unicode-script` names it, ordered and hashable by its code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ScriptId(pub Script);

impl PartialOrd for ScriptId {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for ScriptId {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.short_name().cmp(other.0.short_name())
    }
}

impl Need {
    /// The need of Latin text, which every book has.
    pub const LATIN: Need = Need::Script(ScriptId(Script::Latin));

    /// What a human calls it: "Arabic", "Han (Japanese)".
    pub fn name(self) -> String {
        match self {
            Need::Script(s) => s.0.full_name().replace('_', " "),
            Need::Cjk(form) => format!("Chinese, Japanese and Korean ({})", form.name()),
        }
    }

    /// Characters any font made for this need has: a font that lacks one of
    /// them is not made for the script, even if it has a few of its letters.
    pub fn samples(self) -> &'static str {
        match self {
            Need::Cjk(HanForm::Japanese) => "永日本語のあアー",
            Need::Cjk(HanForm::Korean) => "한국어가힣永",
            Need::Cjk(_) => "永中文的一是国",
            Need::Script(ScriptId(s)) => match s {
                Script::Latin => "AZaz",
                Script::Greek => "ΑΩαω",
                Script::Cyrillic => "АЯая",
                Script::Armenian => "ԱՖաֆ",
                Script::Georgian => "აჰ",
                Script::Hebrew => "אבגת",
                Script::Arabic => "ابتيه",
                Script::Syriac => "ܐܒܓ",
                Script::Thaana => "ހށނ",
                Script::Devanagari => "अकहि",
                Script::Bengali => "অকহ",
                Script::Gurmukhi => "ਅਕਹ",
                Script::Gujarati => "અકહ",
                Script::Tamil => "அகஹ",
                Script::Telugu => "అకహ",
                Script::Kannada => "ಅಕಹ",
                Script::Malayalam => "അകഹ",
                Script::Sinhala => "අකහ",
                Script::Thai => "กขฮ",
                Script::Lao => "ກຂຮ",
                Script::Khmer => "កខអ",
                Script::Myanmar => "ကခအ",
                Script::Tibetan => "ཀཁཨ",
                Script::Ethiopic => "ሀለሐ",
                _ => "",
            },
        }
    }

    /// Text families made for this need, best first: serif faces (to go
    /// with a book face), then sans. The Noto names are Debian's.
    pub fn preferred(self) -> Vec<String> {
        let names: &[&str] = match self {
            Need::Cjk(form) => {
                let s = form.suffix();
                let mut v: Vec<String> = vec![
                    format!("Noto Serif CJK {s}"),
                    format!("Source Han Serif {s}"),
                    format!("Noto Sans CJK {s}"),
                    format!("Source Han Sans {s}"),
                ];
                let local: &[&str] = match form {
                    HanForm::Japanese => &["IPAexMincho", "IPAMincho", "Noto Serif JP", "Noto Sans JP"],
                    HanForm::Korean => &["Nanum Myeongjo", "UnBatang", "Noto Serif KR", "Noto Sans KR"],
                    HanForm::Simplified => &["Noto Serif SC", "Noto Sans SC", "AR PL UMing CN", "WenQuanYi Zen Hei"],
                    HanForm::Traditional | HanForm::HongKong => {
                        &["Noto Serif TC", "Noto Sans TC", "AR PL UMing TW", "WenQuanYi Zen Hei"]
                    }
                };
                v.extend(local.iter().map(|s| s.to_string()));
                return v;
            }
            Need::Script(ScriptId(s)) => match s {
                Script::Arabic => &[
                    "Noto Naskh Arabic",
                    "Amiri",
                    "Scheherazade New",
                    "Vazirmatn",
                    "Noto Sans Arabic",
                    "Noto Kufi Arabic",
                ],
                Script::Hebrew => &["Noto Serif Hebrew", "Frank Ruehl CLM", "David CLM", "Noto Sans Hebrew"],
                Script::Greek | Script::Cyrillic | Script::Latin => {
                    &["Libertinus Serif", "Noto Serif", "DejaVu Serif", "Noto Sans", "DejaVu Sans"]
                }
                Script::Thai => &["Noto Serif Thai", "Norasi", "Noto Sans Thai", "Garuda", "Loma"],
                Script::Ethiopic => &["Noto Serif Ethiopic", "Abyssinica SIL", "Noto Sans Ethiopic"],
                _ => &[],
            },
        };
        let mut v: Vec<String> = names.iter().map(|s| s.to_string()).collect();
        if let Need::Script(ScriptId(s)) = self
            && !matches!(s, Script::Latin | Script::Greek | Script::Cyrillic | Script::Arabic | Script::Hebrew)
        {
            let name = s.full_name().replace('_', " ");
            v.extend([format!("Noto Serif {name}"), format!("Noto Sans {name}")]);
        }
        v
    }

    /// How to get a font for this need on Debian and Ubuntu.
    pub fn package(self) -> &'static str {
        match self {
            Need::Cjk(_) => "fonts-noto-cjk",
            _ => "fonts-noto-core",
        }
    }
}

/// Scripts that are not a need of their own: punctuation, digits and
/// combining marks take the font of the letters around them.
fn is_shared(s: Script) -> bool {
    matches!(s, Script::Common | Script::Inherited | Script::Unknown)
}

/// The need of one character in text of language `lang`, or `None` for
/// characters any font has or shares (spaces, digits, punctuation).
pub fn need_of(c: char, lang: &str) -> Option<Need> {
    let script = c.script();
    if is_shared(script) {
        // Full-width punctuation and CJK symbols are Common, yet only CJK
        // fonts have them.
        return matches!(c as u32, 0x3000..=0x303F | 0xFF00..=0xFFEF | 0x30FB..=0x30FC)
            .then(|| Need::Cjk(HanForm::of_lang(lang).unwrap_or(HanForm::Simplified)));
    }
    Some(match script {
        Script::Han | Script::Bopomofo => Need::Cjk(HanForm::of_lang(lang).unwrap_or(HanForm::Simplified)),
        Script::Hiragana | Script::Katakana => Need::Cjk(HanForm::Japanese),
        Script::Hangul => Need::Cjk(HanForm::Korean),
        s => Need::Script(ScriptId(s)),
    })
}

/// Every need of `text` in language `lang`.
pub fn needs(text: &str, lang: &str, into: &mut BTreeSet<Need>) {
    // A need goes into the set when it differs from the last character's:
    // a book's text is long runs of one script, and `watch` reads all of it
    // at every rebuild.
    let mut last = None;
    for c in text.chars() {
        let need = if c.is_ascii() {
            if !c.is_ascii_alphabetic() {
                continue;
            }
            Need::LATIN
        } else {
            match need_of(c, lang) {
                Some(n) => n,
                None => continue,
            }
        };
        if last != Some(need) {
            into.insert(need);
            last = Some(need);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(text: &str, lang: &str) -> Vec<Need> {
        let mut s = BTreeSet::new();
        needs(text, lang, &mut s);
        s.into_iter().collect()
    }

    #[test]
    fn scripts_of_mixed_text() {
        let arabic = Need::Script(ScriptId(Script::Arabic));
        assert_eq!(of("Un mot : سلام, 42.", "fr"), {
            let mut v = vec![Need::LATIN, arabic];
            v.sort();
            v
        });
        assert_eq!(of("123 — « » !", "fr"), vec![]);
    }

    #[test]
    fn han_takes_the_form_of_the_language() {
        assert_eq!(of("漢字", "ja"), vec![Need::Cjk(HanForm::Japanese)]);
        assert_eq!(of("漢字", "zh-Hant"), vec![Need::Cjk(HanForm::Traditional)]);
        assert_eq!(of("汉字", "zh"), vec![Need::Cjk(HanForm::Simplified)]);
        assert_eq!(of("汉字", "en"), vec![Need::Cjk(HanForm::Simplified)]);
        assert_eq!(of("ひらがな", "zh"), vec![Need::Cjk(HanForm::Japanese)]);
        assert_eq!(of("한국어", "en"), vec![Need::Cjk(HanForm::Korean)]);
        assert_eq!(of("「」。", "ja"), vec![Need::Cjk(HanForm::Japanese)]);
    }

    #[test]
    fn every_named_need_has_samples_of_its_own_script() {
        for s in [Script::Arabic, Script::Hebrew, Script::Devanagari, Script::Thai, Script::Greek, Script::Cyrillic] {
            let n = Need::Script(ScriptId(s));
            assert!(!n.samples().is_empty());
            assert!(n.samples().chars().all(|c| need_of(c, "en") == Some(n)), "{s:?}");
        }
        for form in [HanForm::Japanese, HanForm::Korean, HanForm::Simplified] {
            let n = Need::Cjk(form);
            let lang = match form {
                HanForm::Japanese => "ja",
                HanForm::Korean => "ko",
                _ => "zh",
            };
            assert!(n.samples().chars().all(|c| need_of(c, lang) == Some(n)), "{form:?}");
        }
    }
}
