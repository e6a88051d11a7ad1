//! Books in the world's scripts, set as their readers expect: the Persian,
//! Arabic, Chinese and Japanese fixture books (`tests/fixtures/valid/`) are
//! typeset and their laid-out pages read back. Each text is in a face made
//! for its script (never the monospace one), right-to-left pages put list
//! markers and contents numbers on the mirrored side, and the words the book
//! prints are in its language.
//!
//! The faces come from the machine (Debian's fonts-noto-core and
//! fonts-noto-cjk, which `.ci/run` installs): without them the tests say so
//! and stop, and fail in CI.

#[allow(dead_code)] // Each test binary uses its own part of the shared helpers.
mod common;

use std::sync::Arc;

use anthology::editions::typst;
use anthology::fonts::script::{HanForm, Need};
use typst_layout::PagedDocument;

/// Every run of text on the pages: (page, x, y, text, font family).
fn runs(doc: &PagedDocument) -> Vec<(usize, f64, f64, String, String)> {
    fn walk(
        frame: &::typst::layout::Frame,
        page: usize,
        at: (f64, f64),
        out: &mut Vec<(usize, f64, f64, String, String)>,
    ) {
        for (pos, item) in frame.items() {
            let (x, y) = (at.0 + pos.x.to_pt(), at.1 + pos.y.to_pt());
            match item {
                ::typst::layout::FrameItem::Group(g) => {
                    let t = g.transform;
                    walk(&g.frame, page, (x + t.tx.to_pt(), y + t.ty.to_pt()), out)
                }
                ::typst::layout::FrameItem::Text(t) => {
                    out.push((page, x, y, t.text.to_string(), t.font.info().family.clone()))
                }
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    for (i, p) in doc.pages().iter().enumerate() {
        walk(&p.frame, i, (0.0, 0.0), &mut out);
    }
    out
}

/// Every run of text set in `family`, with whether its glyphs stand in the
/// order of its characters (left to right): (text, left to right).
fn glyph_order(doc: &PagedDocument, family: &str) -> Vec<(String, bool)> {
    fn walk(frame: &::typst::layout::Frame, family: &str, out: &mut Vec<(String, bool)>) {
        for (_, item) in frame.items() {
            match item {
                ::typst::layout::FrameItem::Group(g) => walk(&g.frame, family, out),
                ::typst::layout::FrameItem::Text(t) if t.font.info().family == family => {
                    let starts: Vec<usize> = t.glyphs.iter().map(|g| g.range().start).collect();
                    out.push((t.text.to_string(), starts.windows(2).all(|w| w[0] <= w[1])));
                }
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    for p in doc.pages() {
        walk(&p.frame, family, &mut out);
    }
    out
}

/// The fixture book `name`, loaded, ordered and typeset, with its fonts;
/// `None` (said plainly, a failure in CI) when the machine lacks a face for
/// one of its scripts.
fn typeset(name: &str) -> Option<(anthology::model::book::Book, Arc<anthology::fonts::Fonts>, PagedDocument)> {
    let root = common::repo().join("tests/fixtures/valid").join(name);
    let (book, report) = anthology::prepare(&root, false).unwrap();
    let Some(book) = book else {
        let missing: Vec<String> =
            report.diagnostics.iter().filter(|d| d.code.as_str() == "P004").map(|d| d.message.clone()).collect();
        assert!(!missing.is_empty(), "{name}: {:#?}", report.diagnostics);
        let message = format!(
            "{name}: no text font for its script on this machine ({missing:?}); install fonts-noto-core and fonts-noto-cjk"
        );
        assert!(!common::in_ci(), "{message}");
        eprintln!("SKIPPED: {message}");
        return None;
    };
    assert_eq!(report.diagnostics.len(), 0, "{name}: {:#?}", report.diagnostics);
    let fonts = Arc::new(typst::fonts_for(&book).unwrap());
    let s = typst::sources(&book, &fonts).unwrap();
    let w = typst::world(&book, &s, fonts.clone(), &anthology::editions::images::Cache::default()).unwrap();
    let c = typst::pieces::compose(&book, &s, &w, &typst::pieces::Layouts::default()).unwrap();
    assert!(c.warnings.is_empty(), "{name}: {:#?}", c.warnings);
    Some((book, fonts, c.doc))
}

/// The family chosen for `need`.
fn chosen(fonts: &anthology::fonts::Fonts, need: Need) -> String {
    fonts.choices()[&need].as_ref().expect("a font").family.clone()
}

fn arabic() -> Need {
    let mut needs = std::collections::BTreeSet::new();
    anthology::fonts::script::needs("ب", "ar", &mut needs);
    needs.into_iter().next().unwrap()
}

/// Every run with a character of `need` is set in `family` (code too:
/// the monospace face sets only the scripts it is made for).
fn set_in(runs: &[(usize, f64, f64, String, String)], need: Need, lang: &str, family: &str) {
    let mut seen = 0;
    for (page, _, _, text, font) in runs {
        if text.chars().any(|c| anthology::fonts::script::need_of(c, lang) == Some(need)) {
            seen += 1;
            assert_eq!(font, family, "page {page}: {text:?} is set in {font}");
        }
    }
    assert!(seen > 20, "only {seen} runs of {need:?}");
}

/// Checks the mirrored layout of the fixture book `name` and gives its
/// pages; `None` (said plainly, a failure in CI) when this machine has no
/// face made for the Arabic script, and the layout is not the one the tests
/// expect.
fn mirrored_layout(name: &str, lang: &str, item: &str, contents: &str) -> Option<PagedDocument> {
    let (_, fonts, doc) = typeset(name)?;
    let family = chosen(&fonts, arabic());
    if !(family.contains("Arabic") || family == "Amiri" || family == "Vazirmatn") {
        // DejaVu Sans, on many machines, has Arabic letters but is not made
        // for the script: the book builds, and this test is not for it.
        let message = format!(
            "{name}: set in {family}, this machine having no face made for the Arabic script; install fonts-noto-core"
        );
        assert!(!common::in_ci(), "{message}");
        eprintln!("SKIPPED: {message}");
        return None;
    }
    let runs = runs(&doc);
    set_in(&runs, arabic(), lang, &family);
    assert!(
        runs.iter()
            .all(|r| !(r.4 == "DejaVu Sans Mono" && r.3.chars().any(|c| c as u32 >= 0x600 && c as u32 <= 0x6FF)))
    );
    // The first item of the numbered list: its number stands to the right
    // of its first word, and of everything on its line.
    let word = runs.iter().find(|r| r.3 == item).unwrap_or_else(|| panic!("{item} not found"));
    let line: Vec<_> = runs.iter().filter(|r| r.0 == word.0 && (r.2 - word.2).abs() < 1.0).collect();
    let number = line.iter().find(|r| r.3 == "1").expect("the number 1 on the item's line");
    assert!(line.iter().all(|r| r.1 <= number.1), "{line:?}");
    assert!(number.1 > word.1, "number at x = {}, text at x = {}", number.1, word.1);
    // The contents page, in the book's language.
    assert!(runs.iter().any(|r| r.3.contains(contents)), "no {contents}");
    Some(doc)
}

#[test]
fn a_persian_book_is_set_right_to_left_in_an_arabic_script_face() {
    // The pages the check above typeset, not typeset again.
    let Some(doc) = mirrored_layout("persian", "fa", "نام", "فهرست") else { return };
    let runs = runs(&doc);
    // The English essay stays left to right: its bullets stand left of its items.
    let item = runs.iter().find(|r| r.3.starts_with("Names")).expect("the English list");
    let bullet = runs.iter().find(|r| r.0 == item.0 && (r.2 - item.2).abs() < 1.0 && r.3 == "•").expect("a bullet");
    assert!(bullet.1 < item.1);
    // And it is in the book's Latin face.
    assert_eq!(item.4, "Libertinus Serif");
    // Inline code inside Persian text keeps its order: `--format json`
    // reads left to right, not `json format--`, and `@ci/report:` keeps its
    // `@` first and its colon last, in one left-to-right run: typst embeds
    // code left to right (the embedding's closing U+202C stays in its runs,
    // drawing nothing).
    let clean =
        |s: &str| s.chars().filter(|c| !matches!(*c as u32, 0x202A..=0x202E | 0x2066..=0x2069)).collect::<String>();
    let piece = |text: &str| {
        runs.iter().find(|r| r.4 == "DejaVu Sans Mono" && clean(&r.3).trim() == text).unwrap_or_else(|| {
            panic!("no piece {text:?} in {:?}", runs.iter().filter(|r| r.4 == "DejaVu Sans Mono").collect::<Vec<_>>())
        })
    };
    let (dashes, format) = (piece("--"), piece("format json"));
    assert!(dashes.2 == format.2 && dashes.1 < format.1, "{dashes:?} {format:?}");
    piece("@ci/report:");
    for (text, ltr) in glyph_order(&doc, "DejaVu Sans Mono") {
        assert!(ltr, "{text:?} is set right to left");
    }
}

#[test]
fn an_arabic_book_is_set_right_to_left_in_an_arabic_script_face() {
    let _ = mirrored_layout("arabic", "ar", "اكتب", "المحتويات");
}

fn cjk(name: &str, lang: &str, form: HanForm, contents: &str) {
    let Some((book, fonts, doc)) = typeset(name) else { return };
    let family = chosen(&fonts, Need::Cjk(form));
    let suffix = match form {
        HanForm::Japanese => "JP",
        _ => "SC",
    };
    assert!(family.ends_with(suffix) || family.contains(suffix), "{family}");
    let runs = runs(&doc);
    set_in(&runs, Need::Cjk(form), lang, &family);
    assert!(runs.iter().any(|r| r.3.contains(contents)), "no {contents}");
    // Lengths are counted in characters: far more than the words between spaces.
    for essay in book.essays() {
        let mut spaced = 0;
        essay.body.for_each_inline(&mut |i| {
            if let anthology::model::document::Inline::Text { text, .. } = i {
                spaced += text.split_whitespace().count();
            }
        });
        assert!(essay.words > 4 * spaced, "{}: {} against {spaced}", essay.slug, essay.words);
    }
    // No line starts with a closing mark (kinsoku).
    let mut lines: std::collections::BTreeMap<(usize, i64), Vec<(f64, String)>> = Default::default();
    for r in &runs {
        lines.entry((r.0, r.2.round() as i64)).or_default().push((r.1, r.3.clone()));
    }
    for ((page, y), mut line) in lines {
        line.sort_by(|a, b| a.0.total_cmp(&b.0));
        let first = line[0].1.chars().next().unwrap();
        assert!(!"、。，．）」』".contains(first), "page {page}, y {y}: a line starts with {first}");
    }
}

#[test]
fn a_chinese_book_is_set_in_a_simplified_chinese_face() {
    cjk("chinese", "zh", HanForm::Simplified, "目录");
}

#[test]
fn a_japanese_book_is_set_in_a_japanese_face() {
    cjk("japanese", "ja", HanForm::Japanese, "目次");
}

/// Turkish collation: Ç after C, Ğ after G, dotless I before İ, Ö after O,
/// Ş after S, Ü after U, where English files each with its base letter. The
/// contributor index of 97-things-tr is in that order. (Its contributors'
/// names have none of these letters: the pairs below are the proof of the
/// rules, the corpus the proof that the book uses them.)
#[test]
fn turkish_names_collate_as_turkish_does() {
    use std::cmp::Ordering::Less;
    let turkish = anthology::lang::collate::Collation::new("tr");
    for (a, b) in
        [("Cem", "Çağrı"), ("Gül", "Ğ"), ("Ozan", "Ömer"), ("Irmak", "İlker"), ("Uğur", "Ümit"), ("Sibel", "Şule")]
    {
        assert_eq!(turkish.compare(a, b), Less, "{a} < {b}");
    }
    assert_eq!(turkish.compare("Çınar", "Dilek"), Less);
    let english = anthology::lang::collate::Collation::new("en");
    assert_eq!(english.compare("Çağrı", "Cem"), Less, "English files Ç with C");
    assert_eq!(english.compare("Şule", "Sibel"), std::cmp::Ordering::Greater);
    assert_eq!(english.compare("Şule", "Sz"), Less);

    let dir = tempfile::tempdir().unwrap();
    let Some(copy) = common::buildable_corpus(dir.path(), "97-things-tr") else { return };
    let (book, report) = anthology::prepare(&copy, false).unwrap();
    let book = book.unwrap_or_else(|| panic!("{:#?}", report.diagnostics));
    assert_eq!(book.config.language, "tr");
    let names: Vec<_> = book
        .contributors
        .iter()
        .map(|c| anthology::lang::collate::name_key(&c.author.name, c.author.sort_as.as_deref()))
        .collect();
    for pair in names.windows(2) {
        assert_ne!(turkish.compare_names(&pair[0], &pair[1]), std::cmp::Ordering::Greater, "{pair:?}");
    }
    assert!(names.len() > 60, "{}", names.len());
}

/// A text that quotes a dozen scripts takes, for each, a face made for it:
/// the book's main font where it has the letters (Greek, Cyrillic, Hebrew in
/// Libertinus Serif), a Noto face of the machine for the others, never the
/// built-in math font that happens to have Devanagari letters.
#[test]
fn every_script_of_a_text_gets_a_face_made_for_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("contributions")).unwrap();
    std::fs::write(
        dir.path().join("book.toml"),
        "[book]\ntitle = \"Many\"\nlanguage = \"en\"\n[rules]\nmin_words = 3\n",
    )
    .unwrap();
    let text = "Hindi: नमस्ते दुनिया. Thai: สวัสดีชาวโลก. Korean: 안녕하세요. Hebrew: שלום עולם. Greek: Γειά σου. \
                Russian: Привет. Armenian: Բարեւ աշխարհ. Georgian: გამარჯობა. Tamil: வணக்கம். Amharic: ሰላም ልዑል. Bengali: ওহে বিশ্ব.";
    std::fs::write(
        dir.path().join("contributions/a.md"),
        format!("+++\ntitle = \"Many\"\n[[authors]]\nname = \"A B\"\n+++\n\n{text}\n"),
    )
    .unwrap();
    let (book, report) = anthology::prepare(dir.path(), false).unwrap();
    let Some(book) = book else {
        let message = format!(
            "no font for a script of the test on this machine: {:?}; install fonts-noto-core and fonts-noto-cjk",
            report.diagnostics
        );
        assert!(!common::in_ci(), "{message}");
        eprintln!("SKIPPED: {message}");
        return;
    };
    let fonts = typst::fonts_for(&book).unwrap();
    let chosen: Vec<(String, String)> = fonts
        .choices()
        .iter()
        .map(|(n, c)| (n.name(), c.as_ref().map(|c| c.family.clone()).unwrap_or_default()))
        .collect();
    for (script, family) in &chosen {
        let want = match script.as_str() {
            "Latin" | "Greek" | "Cyrillic" | "Hebrew" => "Libertinus Serif".to_string(),
            s if s.starts_with("Chinese, Japanese and Korean") => "Noto Serif CJK KR".to_string(),
            s => format!("Noto Serif {s}"),
        };
        assert_eq!(family, &want, "{chosen:?}");
    }
    assert_eq!(chosen.len(), 12, "{chosen:?}");
}
