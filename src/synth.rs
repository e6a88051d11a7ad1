//! Synthetic anthologies for benchmarks and scale tests.
//!
//! [`generate`] writes a complete book (N essays, a chosen length, French or
//! English, a generated portrait per author, sections, footnotes) that passes
//! `anthology check` with no diagnostic. Essays differ in shape as real ones
//! do: some have bulleted or numbered lists, links to the web and to other
//! essays, quotations in the language's marks (« » with French spacing),
//! block quotes, citations of a `references.bib` (one essay in four, unless
//! asked for none), and
//! portraits in JPEG or PNG. Everything comes from a seeded
//! generator, so the same settings always give the same book. The portraits
//! are drawn shapes with a grain, not photos of anyone.

use std::fmt::Write as _;
use std::path::Path;

use image::{Rgb, RgbImage};

/// What to generate.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Number of essays.
    pub essays: usize,
    /// Approximate words per essay.
    pub words: usize,
    /// Book language: `fr` or `en`.
    pub language: String,
    /// Portrait size in pixels (square); 0 for no photos.
    pub photo_pixels: u32,
    /// Number of sections.
    pub sections: usize,
    /// Seed of the generator.
    pub seed: u64,
    /// Whether one essay in four cites a `references.bib` (else none does,
    /// and the text is otherwise the same).
    pub citations: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            essays: 112,
            words: 800,
            language: "fr".into(),
            photo_pixels: 800,
            sections: 4,
            seed: 112,
            citations: true,
        }
    }
}

/// A small deterministic generator (xorshift64*), so books are reproducible
/// without a dependency.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    /// The next number.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number below `n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// One of `items`.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const GIVEN: &[&str] = &[
    "Élodie",
    "Anouk",
    "Bastien",
    "Clémence",
    "Dorian",
    "Estelle",
    "Fanny",
    "Gaspard",
    "Hélène",
    "Inès",
    "Jules",
    "Katell",
    "Loïc",
    "Maëlle",
    "Nolwenn",
    "Octave",
    "Pauline",
    "Quentin",
    "Rosalie",
    "Sacha",
    "Timothée",
    "Ulysse",
    "Victoire",
    "Yann",
    "Zélie",
    "Amara",
    "Kenji",
    "Lior",
    "Mateo",
    "Noor",
];
const FAMILY: &[&str] = &[
    "Abgrall",
    "Le Bihan",
    "de Carvalho",
    "Delmas",
    "Ébrard",
    "Fauvel",
    "Guérin",
    "Hamon",
    "Le Goff",
    "Jacquemin",
    "Kervella",
    "Lambert",
    "Marchetti",
    "Nguyen",
    "Ollivier",
    "Pasquier",
    "Quéré",
    "Rouxel",
    "Sauvageot",
    "Tanguy",
    "Urvoy",
    "Vasseur",
    "Weil",
    "Yilmaz",
    "Zimmer",
    "d'Aubigné",
    "van Damme",
    "Ørsted",
    "Åberg",
    "Ibáñez",
];
const FR: &[&str] = &[
    "réseau",
    "lecture",
    "abonné",
    "message",
    "public",
    "conversation",
    "fil",
    "partage",
    "citation",
    "auteur",
    "éditeur",
    "livre",
    "page",
    "lien",
    "mot",
    "voix",
    "regard",
    "temps",
    "récit",
    "mémoire",
    "écran",
    "idée",
    "débat",
    "communauté",
    "plateforme",
    "signal",
    "silence",
    "attention",
    "rythme",
    "archive",
    "brouillon",
    "marge",
    "note",
    "lecteur",
    "texte",
    "forme",
    "usage",
    "trace",
    "question",
    "réponse",
    "nouvelle",
    "image",
];
const FR_GLUE: &[&str] = &[
    "le", "la", "les", "un", "une", "des", "du", "et", "ou", "mais", "donc", "car", "avec", "sans", "pour", "dans",
    "sur", "entre", "chaque", "notre", "leur", "ce", "cette", "qui", "que", "où",
];
const FR_VERB: &[&str] = &[
    "écrit",
    "lit",
    "partage",
    "cite",
    "relie",
    "efface",
    "publie",
    "suit",
    "retient",
    "oublie",
    "transforme",
    "interroge",
    "déplace",
    "prolonge",
    "accélère",
    "ralentit",
    "révèle",
    "cache",
];
const EN: &[&str] = &[
    "network",
    "reader",
    "follower",
    "message",
    "public",
    "conversation",
    "thread",
    "share",
    "quotation",
    "author",
    "editor",
    "book",
    "page",
    "link",
    "word",
    "voice",
    "glance",
    "time",
    "story",
    "memory",
    "screen",
    "idea",
    "debate",
    "community",
    "platform",
    "signal",
    "silence",
    "attention",
    "rhythm",
    "archive",
    "draft",
    "margin",
    "note",
    "text",
    "form",
    "habit",
    "trace",
    "question",
    "answer",
    "image",
];
const EN_GLUE: &[&str] = &[
    "the", "a", "every", "our", "their", "this", "that", "and", "or", "but", "so", "with", "without", "for", "in",
    "on", "between", "which", "where", "each",
];
const EN_VERB: &[&str] = &[
    "writes",
    "reads",
    "shares",
    "quotes",
    "links",
    "erases",
    "publishes",
    "follows",
    "keeps",
    "forgets",
    "transforms",
    "questions",
    "moves",
    "extends",
    "speeds",
    "slows",
    "reveals",
    "hides",
];

struct Lexicon {
    nouns: &'static [&'static str],
    glue: &'static [&'static str],
    verbs: &'static [&'static str],
    french: bool,
}

impl Lexicon {
    fn for_lang(lang: &str) -> Self {
        if lang.starts_with("fr") {
            Lexicon { nouns: FR, glue: FR_GLUE, verbs: FR_VERB, french: true }
        } else {
            Lexicon { nouns: EN, glue: EN_GLUE, verbs: EN_VERB, french: false }
        }
    }

    /// `sentence` followed by a quotation of `words` in the language's
    /// marks: « … » with the narrow spaces French sets inside them, and a
    /// colon with its space before it.
    fn quoted(&self, sentence: &str, words: &str) -> String {
        let body = sentence.trim_end_matches(['.', '?', '!', '\u{202F}']);
        if self.french {
            format!("{body}\u{202F}: «\u{202F}{words}\u{202F}».")
        } else {
            format!("{body}: \u{201C}{words}\u{201D}.")
        }
    }

    /// A sentence of about `n` words; returns it and its word count.
    fn sentence(&self, rng: &mut Rng, n: usize) -> (String, usize) {
        let mut words = Vec::with_capacity(n);
        while words.len() < n {
            words.push(*rng.pick(self.glue));
            words.push(*rng.pick(self.nouns));
            if words.len() < n {
                words.push(*rng.pick(self.verbs));
            }
        }
        let count = words.len();
        let mut s = words.join(" ");
        if let Some(first) = s.get(..1) {
            let upper = first.to_uppercase();
            s.replace_range(..1, &upper);
        }
        let end = match rng.below(8) {
            0 if self.french => "\u{202F}?",
            1 if self.french => "\u{202F}!",
            0 => "?",
            1 => "!",
            _ => ".",
        };
        s.push_str(end);
        (s, count)
    }
}

/// Draws a portrait: a coloured background, shoulders and a head, in colours
/// drawn from `seed`.
pub fn portrait(seed: u64, size: u32) -> RgbImage {
    let mut rng = Rng::new(seed);
    let mut colour = || Rgb([64 + rng.below(160) as u8, 64 + rng.below(160) as u8, 64 + rng.below(160) as u8]);
    let (bg, skin, shirt, hair) = (colour(), colour(), colour(), colour());
    let s = size as f32;
    // A grain, as a photo has: flat colours would compress and decode far
    // faster than the photos editors receive.
    let mut grain = Rng::new(seed ^ 0x5EED);
    let image = RgbImage::from_fn(size, size, |x, y| {
        let (fx, fy) = (x as f32 / s, y as f32 / s);
        let head = (fx - 0.5).powi(2) / 0.035 + (fy - 0.40).powi(2) / 0.05 <= 1.0;
        let hair_cap = (fx - 0.5).powi(2) / 0.045 + (fy - 0.33).powi(2) / 0.045 <= 1.0 && fy < 0.33;
        let body = (fx - 0.5).powi(2) / 0.12 + (fy - 1.0).powi(2) / 0.09 <= 1.0;
        if hair_cap {
            hair
        } else if head {
            skin
        } else if body {
            shirt
        } else {
            // A light vertical gradient, so the image is not flat.
            let k = 1.0 - 0.25 * fy;
            Rgb(bg.0.map(|c| (c as f32 * k) as u8))
        }
    });
    let mut image = image;
    for p in image.pixels_mut() {
        let d = grain.below(17) as i16 - 8;
        p.0 = p.0.map(|c| (c as i16 + d).clamp(0, 255) as u8);
    }
    image
}

/// Writes a synthetic book into `dir` (created if needed).
pub fn generate(dir: &Path, s: &Settings) -> std::io::Result<()> {
    let mut rng = Rng::new(s.seed);
    let lex = Lexicon::for_lang(&s.language);
    std::fs::create_dir_all(dir.join("contributions"))?;
    let mut toml = String::new();
    let title = if lex.french { "Regards synthétiques" } else { "Synthetic Views" };
    writeln!(toml, "[book]\ntitle = \"{title}\"\nlanguage = \"{}\"", s.language).ok();
    writeln!(toml, "editors = [\"Générateur Anthology\"]\ndate = \"2026-01-01\"\nlicense = \"CC BY 4.0\"\n").ok();
    writeln!(toml, "[rules]\nmin_words = 10\nmax_words = {}\nrequire_bio = true", s.words * 4 + 100).ok();
    writeln!(toml, "require_photo = {}\nmin_photo_pixels = {}\n", s.photo_pixels > 0, s.photo_pixels.min(600)).ok();
    for i in 0..s.sections {
        let word = rng.pick(lex.nouns);
        writeln!(toml, "[[sections]]\nid = \"part-{}\"\ntitle = \"{} {}\"\n", i + 1, capitalise(word), i + 1).ok();
    }
    std::fs::write(dir.join("book.toml"), toml)?;

    for n in 0..s.essays {
        let slug = format!("essay-{:04}", n + 1);
        let folder = dir.join("contributions").join(&slug);
        std::fs::create_dir_all(&folder)?;
        let name = format!("{} {}", rng.pick(GIVEN), rng.pick(FAMILY));
        let (title, _) = lex.sentence(&mut rng, 4);
        let title = title.trim_end_matches(['.', '?', '!', '\u{202F}']).to_string();
        let (bio, _) = lex.sentence(&mut rng, 18);
        let mut md = String::new();
        writeln!(md, "+++\ntitle = \"{title}\"").ok();
        if s.sections > 0 {
            writeln!(md, "section = \"part-{}\"", n % s.sections + 1).ok();
        }
        writeln!(md, "\n[[authors]]\nname = \"{name}\"\nbio = \"{bio}\"\nhandle = \"@{slug}\"").ok();
        if s.photo_pixels > 0 {
            // Two photos in three are JPEG, as cameras and phones give them.
            let file = if n % 3 == 2 { "portrait.png" } else { "portrait.jpg" };
            writeln!(md, "photo = \"{file}\"").ok();
            portrait(s.seed ^ n as u64, s.photo_pixels).save(folder.join(file)).map_err(std::io::Error::other)?;
        }
        md.push_str("+++\n\n");
        let mut words = 0;
        let mut para = 0;
        // The shape of this essay: which of the optional pieces it has.
        let shape = rng.below(8);
        while words < s.words {
            para += 1;
            if para % 4 == 0 {
                let (h, c) = lex.sentence(&mut rng, 3);
                writeln!(md, "## {}\n", h.trim_end_matches(['.', '?', '!', '\u{202F}'])).ok();
                words += c;
            }
            let mut p = String::new();
            for k in 0..4 {
                let len = 8 + rng.below(10);
                let (mut sentence, c) = lex.sentence(&mut rng, len);
                if k == 1 {
                    let w = rng.pick(lex.nouns);
                    sentence = sentence.replacen(&format!(" {w} "), &format!(" *{w}* "), 1);
                }
                if k == 2 && para % 3 == 1 {
                    let (q, _) = lex.sentence(&mut rng, 5);
                    sentence = lex.quoted(&sentence, q.trim_end_matches(['.', '?', '!', '\u{202F}']));
                }
                if k == 3 && para == 5 && shape.is_multiple_of(2) {
                    let w = rng.pick(lex.nouns);
                    let to = format!("https://example.org/{}/{}", slug, crate::lang::slug::slugify(w));
                    sentence = sentence.replacen(&format!(" {w} "), &format!(" [{w}]({to}) "), 1);
                }
                if k == 0 && para == 6 && n > 0 && shape.is_multiple_of(3) {
                    let other = format!("essay-{:04}", rng.below(n) + 1);
                    let w = rng.pick(lex.nouns);
                    sentence = sentence.replacen(&format!(" {w} "), &format!(" [{w}](../{other}/index.md) "), 1);
                }
                words += c;
                p.push_str(&sentence);
                p.push(' ');
            }
            // One essay in four cites three works, in brackets and in the
            // sentence, from a references.bib beside it. Without citations
            // the generator draws the same numbers, so the text is the same.
            if shape % 4 == 1 && (para == 2 || para == 3) {
                let text = p.trim_end().to_string();
                let end = text.char_indices().last().map_or(0, |(i, _)| i);
                let cite = if para == 2 {
                    format!(" [@ref-a, p. {}]", 10 + rng.below(200))
                } else {
                    " [see @ref-b; @ref-c, chap. 2]".to_string()
                };
                if s.citations {
                    p = format!("{}{cite}{} ", text[..end].trim_end(), &text[end..]);
                }
            }
            if para == 2 {
                p.push_str("[^1]");
            }
            writeln!(md, "{}\n", p.trim_end()).ok();
            if para == 3 {
                let (q, c) = lex.sentence(&mut rng, 12);
                writeln!(md, "> {q}\n").ok();
                words += c;
            }
            if para == 4 && shape < 5 {
                // A list: bulleted or numbered, of three to five items.
                let numbered = shape % 2 == 1;
                for i in 0..3 + rng.below(3) {
                    let len = 6 + rng.below(6);
                    let (item, c) = lex.sentence(&mut rng, len);
                    let bullet = if numbered { format!("{}.", i + 1) } else { "-".to_string() };
                    writeln!(md, "{bullet} {item}").ok();
                    words += c;
                }
                md.push('\n');
            }
        }
        let (note, _) = lex.sentence(&mut rng, 10);
        writeln!(md, "[^1]: {note}").ok();
        std::fs::write(folder.join("index.md"), md)?;
        if shape % 4 == 1 {
            let works = references(&mut rng, &lex);
            if s.citations {
                std::fs::write(folder.join("references.bib"), works)?;
            }
        }
    }
    Ok(())
}

/// Three works to cite: a book, an article and a chapter, by generated authors.
fn references(rng: &mut Rng, lex: &Lexicon) -> String {
    let title = |rng: &mut Rng| {
        let (t, _) = lex.sentence(rng, 5);
        t.trim_end_matches(['.', '?', '!', '\u{202F}', ' ']).replace(['{', '}'], "")
    };
    let person = |rng: &mut Rng| format!("{}, {}", rng.pick(FAMILY), rng.pick(GIVEN));
    let (a, b, c) = (title(rng), title(rng), title(rng));
    let (pa, pb, pc, pe) = (person(rng), person(rng), person(rng), person(rng));
    let year = |rng: &mut Rng| 1950 + rng.below(75);
    let (ya, yb, yc) = (year(rng), year(rng), year(rng));
    let first = 1 + rng.below(300);
    format!(
        "@book{{ref-a, author = {{{pa}}}, title = {{{a}}}, publisher = {{Éditions du Quai}}, location = {{Paris}}, year = {{{ya}}}}}\n\n\
         @article{{ref-b, author = {{{pb}}}, title = {{{b}}}, journal = {{Revue des fils}}, volume = {{{}}}, pages = {{{first}--{}}}, year = {{{yb}}}}}\n\n\
         @incollection{{ref-c, author = {{{pc}}}, title = {{{c}}}, booktitle = {{{a}}}, editor = {{{pe}}}, publisher = {{Presses imaginaires}}, year = {{{yc}}}}}\n",
        1 + rng.below(40),
        first + 5 + rng.below(30)
    )
}

fn capitalise(w: &str) -> String {
    let mut c = w.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_books_check_clean_and_are_reproducible() {
        for lang in ["fr", "en"] {
            let a = tempfile::tempdir().unwrap();
            let b = tempfile::tempdir().unwrap();
            let s = Settings {
                essays: 6,
                words: 200,
                language: lang.into(),
                photo_pixels: 64,
                sections: 2,
                ..Settings::default()
            };
            generate(a.path(), &s).unwrap();
            generate(b.path(), &s).unwrap();
            let read = |p: &Path| std::fs::read(p.join("contributions/essay-0003/index.md")).unwrap();
            assert_eq!(read(a.path()), read(b.path()));
            let checked = crate::check(a.path()).unwrap();
            assert!(checked.report.diagnostics.is_empty(), "{lang}: {:#?}", checked.report.diagnostics);
            assert_eq!(checked.loaded.essays.len(), 6);
            assert!(checked.loaded.essays.iter().all(|e| e.words >= 200));
        }
    }

    #[test]
    fn a_book_without_citations_is_the_same_text_without_them() {
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let s = Settings { essays: 8, words: 200, photo_pixels: 0, ..Settings::default() };
        generate(a.path(), &s).unwrap();
        generate(b.path(), &Settings { citations: false, ..s }).unwrap();
        let read = |d: &Path, e: &str| std::fs::read_to_string(d.join(format!("contributions/{e}/index.md"))).unwrap();
        let essays: Vec<String> = (1..=8).map(|i| format!("essay-{i:04}")).collect();
        let cites = |e: &&String| a.path().join(format!("contributions/{e}/references.bib")).exists();
        let (citing, plain): (Vec<&String>, Vec<&String>) = essays.iter().partition(cites);
        assert!(!citing.is_empty() && !plain.is_empty(), "some essays cite, others do not");
        for e in plain {
            assert_eq!(read(a.path(), e), read(b.path(), e));
        }
        for e in citing {
            assert!(!b.path().join(format!("contributions/{e}/references.bib")).exists());
            // The cited text with its citations taken out is the other (but
            // for the thin space before the sentence's end, which a
            // citation takes the place of).
            let mut cited = read(a.path(), e);
            assert!(cited.contains("[@ref-a"));
            while let Some(at) = cited.find(" [@").or_else(|| cited.find(" [see @")) {
                let end = at + cited[at..].find(']').unwrap() + 1;
                cited.replace_range(at..end, "");
            }
            assert_eq!(cited.replace('\u{202f}', ""), read(b.path(), e).replace('\u{202f}', ""));
        }
        assert!(crate::check(b.path()).unwrap().report.diagnostics.is_empty());
    }
}
