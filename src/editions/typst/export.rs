//! A laid-out book made a PDF: typst's compile and export, with the book's
//! date, identifier and standards; the boxes printers read; typst's
//! diagnostics turned into the book's, at the line of the file they come
//! from; images too coarse for print.

use typst::WorldExt;
use typst::diag::{Severity as TypstSeverity, SourceDiagnostic};
use typst::foundations::{Datetime, Smart};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use super::world::BookWorld;
use super::{PdfError, Sources, markup};
use crate::config::Standard;
use crate::diagnostic::{Code, Diagnostic, Location};
use crate::model::book::{Book, Essay};

/// A typst diagnostic as ours, pointing at the book file it comes from.
pub(super) fn convert(d: &SourceDiagnostic, world: &BookWorld, s: &Sources) -> Diagnostic {
    let mut message = d.message.to_string();
    for hint in &d.hints {
        message.push_str("; hint: ");
        message.push_str(&hint.v);
    }
    let code = if d.severity == TypstSeverity::Error { Code::Typeset } else { Code::TypesetWarning };
    let location = match d.span.id() {
        Some(id) => {
            let vpath = id.get().vpath().get_with_slash().to_string();
            // A piece's main file is a copy of the template (see `pieces`).
            let template = s
                .templates
                .get(&vpath)
                .or_else(|| vpath.starts_with("/pieces/").then(|| s.templates.get("/main.typ")).flatten());
            if let Some(t) = template {
                let file = if t.own { t.file } else { t.builtin };
                match (world.range(d.span), world.source_text(id)) {
                    (Some(r), Some(text)) if t.own => Location::at(file, text, r),
                    _ => Location::file(file),
                }
            } else if let Some((origin, lines)) = s.origins.get(&vpath) {
                match world.range(d.span).and_then(|r| markup::line_at(lines, r.start)) {
                    Some(line) => Location::line_col(origin, line as usize, 0),
                    None => Location::file(origin),
                }
            } else {
                Location::file(vpath)
            }
        }
        None => Location::file(crate::config::BOOK_FILE),
    };
    Diagnostic::new(code, location, message)
}

/// Lays out the document of a world: the pages, and typst's warnings.
pub fn typeset(s: &Sources, w: &BookWorld) -> Result<(PagedDocument, Vec<Diagnostic>), PdfError> {
    let result = typst::compile::<PagedDocument>(w);
    let warnings: Vec<Diagnostic> = result.warnings.iter().map(|d| convert(d, w, s)).collect();
    let doc = result.output.map_err(|errors| PdfError::Typeset(errors.iter().map(|d| convert(d, w, s)).collect()))?;
    Ok((doc, warnings))
}

/// Why a PDF does not declare PDF/UA-1 when the book asked for no standard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotUa {
    /// Images without alternative text: T007 names each.
    Images(usize),
    /// typst's own validation failed: its errors, each with its place.
    Typst(String),
}

impl std::fmt::Display for NotUa {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NotUa::Images(1) => write!(f, "1 image without alternative text (T007)"),
            NotUa::Images(n) => write!(f, "{n} images without alternative text (T007)"),
            NotUa::Typst(errors) => write!(f, "typst cannot meet it: {errors}"),
        }
    }
}

impl NotUa {
    /// What the warning that gives this reason suggests.
    pub fn hint(&self) -> &'static str {
        match self {
            NotUa::Images(_) => {
                "give every image its alternative text; `[pdf] standard = []` says no standard is wanted"
            }
            NotUa::Typst(_) => "mend what typst names, at its place; `[pdf] standard = []` says no standard is wanted",
        }
    }
}

/// How many images of `texts` have no alternative text.
pub fn without_alt<'a>(texts: impl Iterator<Item = &'a Essay>) -> usize {
    texts.flat_map(|e| &e.images).filter(|i| i.alt.trim().is_empty()).count()
}

/// Exports laid-out pages as PDF, with the book's date and standards and
/// `ident` as the document's identifier. Without `[pdf] standard`, the PDF
/// declares PDF/UA-1 when none of its images is `without_alt` (see
/// [`without_alt`]: the book's, or one essay's for its offprint) and typst
/// can meet the standard; else it is tagged only, and the second value
/// says why, for a warning.
pub fn export(
    book: &Book,
    s: &Sources,
    w: &BookWorld,
    doc: &PagedDocument,
    ident: String,
    without_alt: usize,
) -> Result<(Vec<u8>, Option<NotUa>), PdfError> {
    let pdf = |asked: &[Standard]| {
        let standards: Vec<PdfStandard> = asked
            .iter()
            .map(|s| match s {
                Standard::A2b => PdfStandard::A_2b,
                Standard::Ua1 => PdfStandard::Ua_1,
            })
            .collect();
        let standards = PdfStandards::new(&standards).map_err(|e| PdfError::Standard(e.message().to_string()))?;
        // PDF/A needs a date: the one the EPUB is dated by when the build has none.
        let timestamp = timestamp(book).or_else(|| {
            asked
                .contains(&Standard::A2b)
                .then(|| Datetime::from_ymd_hms(1970, 1, 1, 0, 0, 0).map(Timestamp::new_utc))
                .flatten()
        });
        let options = PdfOptions { ident: Smart::Custom(ident.clone()), timestamp, standards, ..PdfOptions::default() };
        typst_pdf::pdf(doc, &options)
            .map_err(|errors| PdfError::Typeset(errors.iter().map(|d| convert(d, w, s)).collect()))
    };
    if let Some(asked) = &book.config.pdf.standard {
        return Ok((pdf(asked)?, None));
    }
    if without_alt > 0 {
        return Ok((pdf(&[])?, Some(NotUa::Images(without_alt))));
    }
    match pdf(&[Standard::Ua1]) {
        Ok(bytes) => Ok((bytes, None)),
        Err(PdfError::Typeset(errors)) => {
            // Each error once, with all its places.
            let mut reasons: Vec<(&str, Vec<String>)> = Vec::new();
            for d in &errors {
                let place = (d.location.line > 0)
                    .then(|| format!("{}:{}", crate::diagnostic::slash_path(&d.location.file), d.location.line));
                match reasons.iter_mut().find(|(m, _)| *m == d.message) {
                    Some((_, places)) => places.extend(place),
                    None => reasons.push((&d.message, place.into_iter().collect())),
                }
            }
            let reasons: Vec<String> = reasons
                .into_iter()
                .map(
                    |(m, places)| {
                        if places.is_empty() { m.to_string() } else { format!("{m} ({})", places.join(", ")) }
                    },
                )
                .collect();
            Ok((pdf(&[])?, Some(NotUa::Typst(reasons.join("; ")))))
        }
        Err(e) => Err(e),
    }
}

/// The fewest pixels per inch an image should have on paper.
pub const PRINT_DPI: f64 = 300.0;

/// A warning for each raster image a printed book prints at under
/// [`PRINT_DPI`], at the image in its text, with its page and printed size.
pub(super) fn low_resolution(doc: &PagedDocument, w: &BookWorld, s: &Sources) -> Vec<Diagnostic> {
    fn walk(
        frame: &typst::layout::Frame,
        scale: f64,
        found: &mut dyn FnMut(&typst::visualize::Image, f64, typst::syntax::Span),
    ) {
        for (_, item) in frame.items() {
            match item {
                typst::layout::FrameItem::Group(g) => {
                    walk(&g.frame, scale * g.transform.sx.get().abs().max(g.transform.sy.get().abs()), found)
                }
                typst::layout::FrameItem::Image(image, size, span) => found(image, size.x.to_pt() * scale, *span),
                _ => {}
            }
        }
    }
    let mut out: Vec<Diagnostic> = Vec::new();
    for (i, page) in doc.pages().iter().enumerate() {
        walk(&page.frame, 1.0, &mut |image, width_pt, span| {
            if !matches!(image.kind(), typst::visualize::ImageKind::Raster(_)) || width_pt <= 0.0 {
                return;
            }
            let dpi = image.width() / (width_pt / 72.0);
            if dpi >= PRINT_DPI {
                return;
            }
            let message = format!(
                "page {}: an image of {}×{} px printed {:.2} in wide, at {dpi:.0} dpi (300 for print)",
                i + 1,
                image.width(),
                image.height(),
                width_pt / 72.0
            );
            let d = typst::diag::SourceDiagnostic::warning(span, message);
            let mut d = convert(&d, w, s);
            d.code = Code::LowResolution;
            if !out.iter().any(|k| k.location == d.location && k.code == d.code) {
                out.push(d.hint(format!("give an image of at least {:.0} px wide", PRINT_DPI * width_pt / 72.0)));
            }
        });
    }
    out
}

/// What the summary says of a printed book's interior.
pub fn print_summary(p: &crate::config::print::Print, gutter: f64, outside: Option<f64>) -> String {
    let outside = outside.map(|o| format!(", outer margin {:.3} in", o / 72.0)).unwrap_or_default();
    format!(
        "print interior {} ({:.3} × {:.3} in), bleed {:.3} in, gutter {:.3} in{outside}",
        p.trim_name,
        p.width / 72.0,
        p.height / 72.0,
        p.bleed / 72.0,
        gutter / 72.0
    )
}

/// The date a PDF of `book` carries: its build date, never the clock's.
pub(super) fn timestamp(book: &Book) -> Option<Timestamp> {
    book.config
        .build_date()
        .and_then(|(y, m, d, h, mi, sec)| Datetime::from_ymd_hms(y, m, d, h, mi, sec).map(Timestamp::new_utc))
}
