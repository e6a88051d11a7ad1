//! Lengths as a book writes them (`18mm`, `10pt`, `2.5cm`, `0.125in`):
//! `[pdf]`'s page size, margin and type size, `[print]`'s bleed, page
//! thickness and gutter. One reading for all of them, in PostScript points
//! (1/72 in), as typst and PDF count.

/// Points in an inch.
pub const INCH: f64 = 72.0;
/// Points in a millimetre.
pub const MM: f64 = 72.0 / 25.4;

/// A length with its unit, as written.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Length {
    /// The number, in its unit.
    value: f64,
    /// Points in one of its unit.
    per_unit: f64,
}

impl Length {
    /// The units a length may be written in, with their points.
    const UNITS: [(&'static str, f64); 4] = [("mm", MM), ("cm", 10.0 * MM), ("in", INCH), ("pt", 1.0)];

    /// The length `s` writes: a number not below zero, then a unit (a space
    /// between them allowed); `None` for anything else.
    pub fn parse(s: &str) -> Option<Length> {
        let s = s.trim();
        Length::UNITS.iter().find_map(|(unit, per_unit)| {
            let n = s.strip_suffix(unit)?.trim_end();
            let value = n.parse::<f64>().ok().filter(|v| v.is_finite() && *v >= 0.0 && !n.starts_with('+'))?;
            Some(Length { value, per_unit: *per_unit })
        })
    }

    /// Its points.
    pub fn points(self) -> f64 {
        self.value * self.per_unit
    }

    /// Whether it can be a page's size, margin or type size: more than
    /// nothing, less than 10,000 of its unit.
    pub fn is_page_length(self) -> bool {
        self.value > 0.0 && self.value < 10_000.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_in_points() {
        let pt = |s: &str| Length::parse(s).map(Length::points);
        assert!((pt("18mm").unwrap() - 51.02).abs() < 0.01);
        assert_eq!(pt("10pt"), Some(10.0));
        assert_eq!(pt("1in"), Some(72.0));
        assert_eq!(pt(" 0.3 cm "), Some(0.3 * 10.0 * MM));
        for bad in ["in", "-3mm", "3", "3 furlongs", "NaNpt", "infpt", "+3mm", ""] {
            assert_eq!(Length::parse(bad), None, "{bad}");
        }
        assert!(Length::parse("10.5pt").unwrap().is_page_length());
        assert!(!Length::parse("0mm").unwrap().is_page_length());
        assert!(!Length::parse("10000in").unwrap().is_page_length());
    }
}
