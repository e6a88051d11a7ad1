//! `[print]`: the book as a print-on-demand service takes it.
//!
//! A service (Amazon KDP, IngramSpark, Lulu) prints an interior PDF at one
//! of its trim sizes, with bleed where artwork reaches the edge and an inner
//! margin (the gutter) that grows with the page count, and binds it in a
//! one-piece cover whose spine is as wide as the pages are thick. Those
//! figures are each service's, published in its guides: they are tables
//! here ([`SERVICES`], [`TRIMS`]), and [`Print`] answers the questions the
//! editions ask of them (how wide is the spine of a book of so many pages,
//! how wide its gutter, may its spine carry text).
//!
//! Lengths are in PostScript points (1/72 in), as typst and PDF count them.

use serde::Deserialize;

use super::toml_input::Schema;

pub use super::length::{INCH, MM};

/// `[print]` as written.
#[derive(Deserialize, Debug, Clone, Default, PartialEq)]
#[serde(default)]
pub struct RawPrint {
    /// A service whose figures to follow: `"kdp"`, `"ingramspark"`, `"lulu"`.
    pub service: Option<String>,
    /// The trim size: a name (`"6x9in"`, `"a5"`, `"royal"`) or `"<w>x<h><unit>"`.
    pub trim: Option<String>,
    /// `true` for the usual bleed (0.125 in, or 3 mm for a metric trim), or a length.
    pub bleed: Option<BleedSetting>,
    /// `"white"`, `"cream"` or `"colour"`: the paper, for the spine's width.
    pub paper: Option<String>,
    /// The thickness of one page (`"0.0572mm"`), when the service's table has none.
    pub page_thickness: Option<String>,
    /// The inner margin: a length, or `"auto"` to follow the service's steps by page count.
    pub gutter: Option<String>,
    /// The page count is made a multiple of this (2 or 4) with blank pages at the end.
    pub pages_multiple: Option<u32>,
    /// The text on the back cover; the book's description when absent.
    pub back_text: Option<String>,
    /// The price as printed on the back cover (`"EUR 18,00"`).
    pub price: Option<String>,
}
impl Schema for RawPrint {}

/// `bleed = true` or `bleed = "3mm"`.
#[derive(Deserialize, Debug, Clone, PartialEq)]
#[serde(untagged)]
pub enum BleedSetting {
    /// On with the usual width, or off.
    On(bool),
    /// This width.
    Length(String),
}

/// A paper stock, as the services name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paper {
    /// White, for black and white printing.
    White,
    /// Cream, for black and white printing.
    Cream,
    /// The paper of colour printing.
    Colour,
}

impl Paper {
    /// The names `paper` accepts.
    pub const NAMES: &'static [&'static str] = &["white", "cream", "colour", "color"];

    fn parse(s: &str) -> Option<Paper> {
        match s.trim().to_ascii_lowercase().as_str() {
            "white" => Some(Paper::White),
            "cream" | "creme" => Some(Paper::Cream),
            "colour" | "color" => Some(Paper::Colour),
            _ => None,
        }
    }

    /// Its name in messages.
    pub fn name(self) -> &'static str {
        match self {
            Paper::White => "white",
            Paper::Cream => "cream",
            Paper::Colour => "colour",
        }
    }
}

/// When a spine may carry text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SpineText {
    /// From this many pages.
    Pages(usize),
    /// From this spine width (points).
    Width(f64),
}

/// A print-on-demand service's published figures.
#[derive(Debug, PartialEq)]
pub struct Service {
    /// Its name in `book.toml`.
    pub id: &'static str,
    /// Its name in messages.
    pub name: &'static str,
    /// Inches per page for each paper it offers (its spine tables).
    pub papers: &'static [(Paper, f64)],
    /// Inches the spine has beyond the pages (the cover's own thickness).
    pub allowance: f64,
    /// Whether an interior's bleed is on the inner edge too (else top, bottom
    /// and outer edge only).
    pub bleed_inside: bool,
    /// Whether it wants bleed on every interior (else only when asked).
    pub bleed_always: bool,
    /// The gutter by page count: (up to this many pages, inches), ascending.
    pub gutter: &'static [(usize, f64)],
    /// When the spine may carry text.
    pub spine_text: SpineText,
    /// Inches inside the trim that text on the cover keeps clear of.
    pub cover_safety: f64,
    /// The fewest and most pages it binds.
    pub pages: (usize, usize),
    /// The standard its interior and cover must meet, when typst cannot write it.
    pub requires: Option<&'static str>,
}

/// The services with presets. Figures as each service's guides publish
/// them (KDP's paperback submission guidelines, Lulu's book creation
/// guide, IngramSpark's file creation guide as summarised by publishing
/// guides); a service changes them now and then, and its own cover
/// calculator is the last word.
pub const SERVICES: &[Service] = &[
    Service {
        id: "kdp",
        name: "Amazon KDP",
        papers: &[(Paper::White, 0.002252), (Paper::Cream, 0.0025), (Paper::Colour, 0.002347)],
        allowance: 0.0,
        bleed_inside: false,
        bleed_always: false,
        gutter: &[(150, 0.375), (300, 0.5), (500, 0.625), (700, 0.75), (828, 0.875)],
        spine_text: SpineText::Pages(80),
        cover_safety: 0.125,
        pages: (24, 828),
        requires: None,
    },
    Service {
        id: "ingramspark",
        name: "IngramSpark",
        papers: &[(Paper::White, 0.002252), (Paper::Cream, 0.0025)],
        allowance: 0.0,
        bleed_inside: false,
        bleed_always: false,
        gutter: &[(150, 0.5), (400, 0.625), (600, 0.75), (usize::MAX, 0.875)],
        spine_text: SpineText::Width(0.5 * INCH),
        cover_safety: 0.25,
        pages: (18, 1200),
        requires: Some("PDF/X-1a:2001"),
    },
    Service {
        id: "lulu",
        name: "Lulu",
        // 444 pages to the inch, and 0.06 in for the cover.
        papers: &[(Paper::White, 1.0 / 444.0), (Paper::Cream, 1.0 / 444.0), (Paper::Colour, 1.0 / 444.0)],
        allowance: 0.06,
        bleed_inside: true,
        bleed_always: true,
        gutter: &[(usize::MAX, 0.75)],
        spine_text: SpineText::Pages(80),
        cover_safety: 0.5,
        pages: (32, 800),
        requires: None,
    },
];

/// The ids of [`SERVICES`].
pub fn service_ids() -> Vec<&'static str> {
    SERVICES.iter().map(|s| s.id).collect()
}

/// The trim sizes known by name: name, width, height, and whether the size
/// is metric (its default bleed is then 3 mm). The services' common sizes
/// in inches, ISO A5 and B5, and the British and European book formats.
pub const TRIMS: &[(&str, f64, f64, bool)] = &[
    ("5x8in", 5.0 * INCH, 8.0 * INCH, false),
    ("5.06x7.81in", 5.06 * INCH, 7.81 * INCH, false),
    ("5.25x8in", 5.25 * INCH, 8.0 * INCH, false),
    ("5.5x8.5in", 5.5 * INCH, 8.5 * INCH, false),
    ("6x9in", 6.0 * INCH, 9.0 * INCH, false),
    ("6.14x9.21in", 6.14 * INCH, 9.21 * INCH, false),
    ("6.69x9.61in", 6.69 * INCH, 9.61 * INCH, false),
    ("7x10in", 7.0 * INCH, 10.0 * INCH, false),
    ("7.44x9.69in", 7.44 * INCH, 9.69 * INCH, false),
    ("7.5x9.25in", 7.5 * INCH, 9.25 * INCH, false),
    ("8x10in", 8.0 * INCH, 10.0 * INCH, false),
    ("8.5x8.5in", 8.5 * INCH, 8.5 * INCH, false),
    ("8.5x11in", 8.5 * INCH, 11.0 * INCH, false),
    ("pocket", 4.25 * INCH, 6.87 * INCH, false),
    ("digest", 5.5 * INCH, 8.5 * INCH, false),
    ("us-trade", 6.0 * INCH, 9.0 * INCH, false),
    ("comic", 6.625 * INCH, 10.25 * INCH, false),
    ("a5", 148.0 * MM, 210.0 * MM, true),
    ("a4", 210.0 * MM, 297.0 * MM, true),
    ("b5", 176.0 * MM, 250.0 * MM, true),
    ("royal", 156.0 * MM, 234.0 * MM, true),
    ("demy", 138.0 * MM, 216.0 * MM, true),
    ("crown-quarto", 189.0 * MM, 246.0 * MM, true),
    ("b-format", 129.0 * MM, 198.0 * MM, true),
    ("12x19cm", 120.0 * MM, 190.0 * MM, true),
    ("13.5x21.5cm", 135.0 * MM, 215.0 * MM, true),
    ("14.8x21cm", 148.0 * MM, 210.0 * MM, true),
    ("15.5x22cm", 155.0 * MM, 220.0 * MM, true),
    ("17x22cm", 170.0 * MM, 220.0 * MM, true),
    ("21x29.7cm", 210.0 * MM, 297.0 * MM, true),
];

/// The names of [`TRIMS`].
pub fn trim_names() -> Vec<&'static str> {
    TRIMS.iter().map(|t| t.0).collect()
}

/// A trim size by name, or written as `<w>x<h><unit>` (`"152x229mm"`):
/// width and height in points, and whether it is metric.
pub fn trim(written: &str) -> Option<(f64, f64, bool)> {
    let s: String = written.to_lowercase().chars().filter(|c| !c.is_whitespace()).collect();
    let s = s.replace('×', "x");
    if let Some(t) = TRIMS.iter().find(|t| t.0 == s) {
        return Some((t.1, t.2, t.3));
    }
    let (unit, factor, metric) = [("mm", MM, true), ("cm", 10.0 * MM, true), ("in", INCH, false)]
        .into_iter()
        .find(|(u, _, _)| s.ends_with(u))?;
    let (w, h) = s.strip_suffix(unit)?.split_once('x')?;
    let (w, h) = (w.trim().parse::<f64>().ok()?, h.trim().parse::<f64>().ok()?);
    let ok = |v: f64| v.is_finite() && v * factor >= INCH && v * factor <= 20.0 * INCH;
    (ok(w) && ok(h)).then_some((w * factor, h * factor, metric))
}

/// How the gutter is chosen.
#[derive(Debug, Clone, PartialEq)]
pub enum Gutter {
    /// Always this (points).
    Fixed(f64),
    /// By page count: (up to this many pages, points), ascending.
    Steps(Vec<(usize, f64)>),
}

/// `[print]`, resolved: what the print interior and its cover are made to.
#[derive(Debug, Clone, PartialEq)]
pub struct Print {
    /// The service whose figures it follows.
    pub service: Option<&'static Service>,
    /// The trim's name as written.
    pub trim_name: String,
    /// The trimmed page's width and height.
    pub width: f64,
    /// See `width`.
    pub height: f64,
    /// The bleed beyond the trim (0 for none).
    pub bleed: f64,
    /// Whether the interior's bleed is on the inner edge too.
    pub bleed_inside: bool,
    /// The paper.
    pub paper: Paper,
    /// One page's thickness.
    pub page_thickness: f64,
    /// What the spine has beyond the pages.
    pub allowance: f64,
    /// The gutter.
    pub gutter: Gutter,
    /// The page count is a multiple of this.
    pub pages_multiple: usize,
    /// The back cover's text.
    pub back_text: Option<String>,
    /// The price printed on the back cover.
    pub price: Option<String>,
}

/// A problem with `[print]`: the key, the message and a hint.
pub type Problem = (&'static str, String, String);

impl Print {
    /// Resolves `raw`, with each problem at its key.
    pub fn resolve(raw: &RawPrint, problems: &mut Vec<Problem>) -> Option<Print> {
        let mut bad = |key: &'static str, msg: String, hint: String| problems.push((key, msg, hint));
        let service = match raw.service.as_deref() {
            None => None,
            Some(id) => match SERVICES.iter().find(|s| s.id == id.trim().to_ascii_lowercase()) {
                Some(s) => Some(s),
                None => {
                    let ids = service_ids();
                    let hint = match super::toml_input::suggest(id, &ids) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => format!("known services: {}; or leave it out and give the figures", ids.join(", ")),
                    };
                    bad("service", format!("unknown print service `{id}`"), hint);
                    return None;
                }
            },
        };
        let Some(written) = raw.trim.as_deref() else {
            bad(
                "trim",
                "`[print]` needs a `trim` size".into(),
                "name one, such as \"6x9in\", \"5.5x8.5in\" or \"a5\", or write \"152x229mm\"".into(),
            );
            return None;
        };
        let Some((width, height, metric)) = trim(written) else {
            let names = trim_names();
            let hint = match super::toml_input::suggest(written, &names) {
                Some(s) => format!("did you mean `{s}`?"),
                None => "name a size such as \"6x9in\", \"5x8in\", \"a5\" or \"royal\", or write \"152x229mm\"".into(),
            };
            bad("trim", format!("unknown trim size `{written}`"), hint);
            return None;
        };
        let usual = if metric && service.is_none() { 3.0 * MM } else { 0.125 * INCH };
        let bleed = match &raw.bleed {
            None if service.is_some_and(|s| s.bleed_always) => usual,
            None => 0.0,
            Some(BleedSetting::On(true)) => usual,
            Some(BleedSetting::On(false)) => 0.0,
            Some(BleedSetting::Length(l)) => match length(l) {
                Some(v) if v <= 0.5 * INCH => v,
                _ => {
                    bad(
                        "bleed",
                        format!("`{l}` is not a bleed"),
                        "write true, or a length up to 0.5in: \"3mm\"".into(),
                    );
                    0.0
                }
            },
        };
        let paper = match raw.paper.as_deref() {
            None => Paper::White,
            Some(p) => Paper::parse(p).unwrap_or_else(|| {
                let hint = match super::toml_input::suggest(p, Paper::NAMES) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => "write \"white\", \"cream\" or \"colour\"".into(),
                };
                bad("paper", format!("unknown paper `{p}`"), hint);
                Paper::White
            }),
        };
        let table = service.and_then(|s| s.papers.iter().find(|(p, _)| *p == paper)).map(|(_, t)| t * INCH);
        let page_thickness = match (raw.page_thickness.as_deref(), table) {
            (Some(t), _) => match length(t) {
                Some(v) if v < 1.0 * MM => v,
                _ => {
                    bad(
                        "page_thickness",
                        format!("`{t}` is not a page's thickness"),
                        "write a length such as \"0.0572mm\" or \"0.0025in\"".into(),
                    );
                    return None;
                }
            },
            (None, Some(t)) => t,
            (None, None) => {
                let why = match service {
                    Some(s) => format!("{} publishes no thickness for {} paper here", s.name, paper.name()),
                    None => "without a `service`, the spine's width needs the paper's thickness".into(),
                };
                bad(
                    "page_thickness",
                    why,
                    "give `page_thickness` from the printer's spine calculator (\"0.0572mm\"), or name a `service`"
                        .into(),
                );
                return None;
            }
        };
        let steps = |s: &Service| Gutter::Steps(s.gutter.iter().map(|&(n, g)| (n, g * INCH)).collect());
        let gutter = match raw.gutter.as_deref().map(str::trim) {
            None | Some("auto") => match service {
                Some(s) => steps(s),
                None => steps(&SERVICES[0]),
            },
            Some(g) => match length(g) {
                Some(v) if v < width / 3.0 => Gutter::Fixed(v),
                _ => {
                    bad(
                        "gutter",
                        format!("`{g}` is not a gutter"),
                        "write a length (\"0.75in\"), or \"auto\" to follow the page count".into(),
                    );
                    Gutter::Fixed(0.75 * INCH)
                }
            },
        };
        let pages_multiple = match raw.pages_multiple {
            None | Some(2) => 2,
            Some(4) => 4,
            Some(n) => {
                bad(
                    "pages_multiple",
                    format!("{n} is not 2 or 4"),
                    "write 2 (an even count) or 4 (folded sheets)".into(),
                );
                2
            }
        };
        Some(Print {
            service,
            trim_name: written.trim().to_string(),
            width,
            height,
            bleed,
            bleed_inside: service.is_some_and(|s| s.bleed_inside),
            paper,
            page_thickness,
            allowance: service.map_or(0.0, |s| s.allowance * INCH),
            gutter,
            pages_multiple,
            back_text: raw.back_text.clone(),
            price: raw.price.clone(),
        })
    }

    /// The page count once blank pages are added to reach the multiple.
    pub fn padded(&self, pages: usize) -> usize {
        pages.div_ceil(self.pages_multiple) * self.pages_multiple
    }

    /// The spine's width for a book of `pages` pages.
    pub fn spine(&self, pages: usize) -> f64 {
        self.padded(pages) as f64 * self.page_thickness + self.allowance
    }

    /// The gutter of a book of `pages` pages.
    pub fn gutter(&self, pages: usize) -> f64 {
        match &self.gutter {
            Gutter::Fixed(g) => *g,
            Gutter::Steps(steps) => {
                let pages = self.padded(pages);
                steps.iter().find(|(n, _)| pages <= *n).or(steps.last()).map_or(0.0, |s| s.1)
            }
        }
    }

    /// How many widths the gutter can take.
    pub fn gutter_steps(&self) -> usize {
        match &self.gutter {
            Gutter::Fixed(_) => 1,
            Gutter::Steps(s) => s.len(),
        }
    }

    /// The one-piece cover's trimmed width and height: back, spine, front.
    pub fn cover_size(&self, pages: usize) -> (f64, f64) {
        (2.0 * self.width + self.spine(pages), self.height)
    }

    /// Whether the spine of a book of `pages` pages may carry text, and if
    /// not, why.
    pub fn spine_text(&self, pages: usize) -> Result<(), String> {
        let spine = self.spine(pages);
        let pages = self.padded(pages);
        match self.service.map(|s| (s, s.spine_text)) {
            Some((s, SpineText::Pages(min))) if pages < min => {
                Err(format!("{} prints text on a spine from {min} pages; this book has {pages}", s.name))
            }
            Some((s, SpineText::Width(min))) if spine < min => Err(format!(
                "{} prints text on a spine from {:.3} in wide; this one is {:.3} in",
                s.name,
                min / INCH,
                spine / INCH
            )),
            // Without a service: text needs a spine of a quarter inch.
            None if spine < 0.25 * INCH => {
                Err(format!("a spine of {:.1} mm is too thin for text (6.4 mm at least)", spine / MM))
            }
            _ => Ok(()),
        }
    }

    /// How far inside the trim text on the cover keeps.
    pub fn cover_safety(&self) -> f64 {
        self.service.map_or(0.25 * INCH, |s| s.cover_safety * INCH)
    }

    /// What the service's limits say of a book of `pages` pages, if anything.
    pub fn page_count_problem(&self, pages: usize) -> Option<String> {
        let s = self.service?;
        let pages = self.padded(pages);
        let (min, max) = s.pages;
        if pages < min {
            Some(format!("{} binds paperbacks of {min} pages or more; this one has {pages}", s.name))
        } else if pages > max {
            Some(format!("{} binds paperbacks of at most {max} pages; this one has {pages}", s.name))
        } else {
            None
        }
    }
}

/// Points in a length with a unit (`"3mm"`, `"0.125in"`, `"9pt"`, `"0.3cm"`).
fn length(s: &str) -> Option<f64> {
    super::Length::parse(s).map(super::Length::points)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(toml: &str) -> (Option<Print>, Vec<Problem>) {
        let raw: RawPrint = toml::from_str(toml).expect("toml");
        let mut problems = Vec::new();
        (Print::resolve(&raw, &mut problems), problems)
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-6
    }

    #[test]
    fn trims_by_name_and_by_size() {
        assert_eq!(trim("6x9in"), Some((432.0, 648.0, false)));
        assert_eq!(trim("6 × 9 in"), Some((432.0, 648.0, false)));
        assert_eq!(trim("US-Trade"), Some((432.0, 648.0, false)));
        let (w, h, metric) = trim("a5").unwrap();
        assert!(close(w, 148.0 * MM) && close(h, 210.0 * MM) && metric);
        let (w, _, _) = trim("152x229mm").unwrap();
        assert!(close(w, 152.0 * MM));
        assert_eq!(trim("6x9"), None);
        assert_eq!(trim("0.1x9in"), None);
        assert_eq!(trim("royale"), None);
    }

    #[test]
    fn kdp_cream_six_by_nine_with_bleed() {
        let (p, problems) = resolve("service = \"kdp\"\ntrim = \"6x9in\"\nbleed = true\npaper = \"cream\"\n");
        assert!(problems.is_empty(), "{problems:?}");
        let p = p.unwrap();
        assert!(close(p.bleed, 9.0));
        assert!(!p.bleed_inside);
        // 300 pages of cream: 0.75 in; the cover is 12.75 in wide before bleed.
        assert!(close(p.spine(300), 0.75 * INCH));
        assert!(close(p.cover_size(300).0, 12.75 * INCH));
        // An odd count is bound as the next even one.
        assert!(close(p.spine(299), 0.75 * INCH));
        assert!(close(p.gutter(150), 0.375 * INCH));
        assert!(close(p.gutter(151), 0.5 * INCH));
        assert!(close(p.gutter(5000), 0.875 * INCH));
        assert!(p.spine_text(78).is_err());
        assert!(p.spine_text(80).is_ok());
        assert!(p.page_count_problem(900).unwrap().contains("828"));
    }

    #[test]
    fn lulu_counts_a_cover_allowance_and_bleeds_every_edge() {
        let (p, _) = resolve("service = \"lulu\"\ntrim = \"6x9in\"\n");
        let p = p.unwrap();
        assert!(close(p.spine(444), 1.06 * INCH));
        assert!(close(p.bleed, 9.0) && p.bleed_inside);
    }

    #[test]
    fn a_metric_trim_bleeds_three_millimetres_and_needs_a_thickness_without_a_service() {
        let (p, problems) = resolve("trim = \"a5\"\nbleed = true\n");
        assert!(p.is_none());
        assert_eq!(problems[0].0, "page_thickness");
        let (p, problems) = resolve("trim = \"a5\"\nbleed = true\npage_thickness = \"0.06mm\"\npages_multiple = 4\n");
        assert!(problems.is_empty(), "{problems:?}");
        let p = p.unwrap();
        assert!(close(p.bleed, 3.0 * MM));
        assert_eq!(p.padded(101), 104);
        assert!(close(p.spine(101), 104.0 * 0.06 * MM));
    }

    #[test]
    fn near_misses_are_named() {
        let (_, problems) = resolve("service = \"kpd\"\ntrim = \"6x9in\"\n");
        assert!(problems[0].2.contains("`kdp`"), "{problems:?}");
        let (_, problems) = resolve("service = \"kdp\"\ntrim = \"6x9im\"\n");
        assert!(problems[0].2.contains("`6x9in`"), "{problems:?}");
        let (_, problems) = resolve("service = \"kdp\"\ntrim = \"6x9in\"\npaper = \"craem\"\n");
        assert!(problems[0].2.contains("`cream`"), "{problems:?}");
        let (_, problems) = resolve("service = \"ingramspark\"\ntrim = \"6x9in\"\npaper = \"colour\"\n");
        assert_eq!(problems[0].0, "page_thickness");
    }
}
