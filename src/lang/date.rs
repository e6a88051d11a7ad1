//! The date a book is dated, for output that is the same on every machine.
//!
//! Editions never read the clock: the date is `SOURCE_DATE_EPOCH` when set
//! (the reproducible-builds convention), else, for a release build, the time
//! of the book's last commit, else the book's `date`.

/// A moment as (year, month, day, hour, minute, second), in UTC.
pub type Moment = (i32, u8, u8, u8, u8, u8);

/// The date the book is dated: `SOURCE_DATE_EPOCH` when set, else the
/// release's commit time, else the book's `date`; never the clock.
/// `date` is the book's (`YYYY-MM-DD`, `YYYY-MM` or `YYYY`), `release_epoch`
/// the release's commit time in seconds since 1970.
pub fn build_date(date: Option<&str>, release_epoch: Option<i64>) -> Option<Moment> {
    let env = std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|s| s.trim().parse::<i64>().ok());
    if let Some(secs) = env.or(release_epoch) {
        let days = secs.div_euclid(86_400);
        let rem = secs.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        return Some((y, m, d, (rem / 3600) as u8, (rem % 3600 / 60) as u8, (rem % 60) as u8));
    }
    let date = date?;
    let mut p = date.split('-').map(|x| x.parse::<u32>().unwrap_or(1));
    Some((p.next()? as i32, p.next().unwrap_or(1) as u8, p.next().unwrap_or(1) as u8, 0, 0, 0))
}

/// Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i32, u8, u8) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    ((if m <= 2 { y + 1 } else { y }) as i32, m, d)
}

/// `YYYY-MM-DDThh:mm:ssZ`, the form EPUB's `dcterms:modified` takes; the
/// Unix epoch when the book has no date.
pub fn iso8601(moment: Option<Moment>) -> String {
    let (y, m, d, h, mi, s) = moment.unwrap_or((1970, 1, 1, 0, 0, 0));
    format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
}

/// A book's date (`YYYY-MM-DD`) as readers of language `lang` (BCP 47)
/// write it, in their calendar: "27 novembre 2026", "November 27, 2026",
/// "2026年11月27日", a Persian date in the Solar Hijri calendar (ICU4X, CLDR
/// data). A date without its day (`YYYY-MM`, `YYYY`) is given as written,
/// since a month of one calendar is not a month of another.
pub fn long(date: &str, lang: &str) -> Option<String> {
    use icu_datetime::DateTimeFormatter;
    use icu_datetime::fieldsets::YMD;
    use icu_datetime::input::Date;
    let mut parts = date.split('-');
    let (y, m, d) = (parts.next()?, parts.next(), parts.next());
    let (Some(m), Some(d)) = (m, d) else { return Some(date.to_string()) };
    let date = Date::try_new_iso(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?).ok()?;
    let locale = icu_locale_core::Locale::try_from_str(lang).unwrap_or(icu_locale_core::Locale::UNKNOWN);
    let formatter = DateTimeFormatter::try_new((&locale).into(), YMD::long()).ok()?;
    Some(formatter.format(&date).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_the_language_and_its_calendar() {
        assert_eq!(long("2026-11-27", "fr").as_deref(), Some("27 novembre 2026"));
        assert_eq!(long("2026-11-27", "en").as_deref(), Some("November 27, 2026"));
        assert_eq!(long("2026-11-27", "de").as_deref(), Some("27. November 2026"));
        assert_eq!(long("2026-11-27", "ja").as_deref(), Some("2026年11月27日"));
        // Persian is dated in the Solar Hijri calendar, with Persian digits.
        let fa = long("2026-11-27", "fa").unwrap();
        assert!(fa.contains("۱۴۰۵"), "{fa}");
        assert_eq!(long("2026-11", "fr").as_deref(), Some("2026-11"));
        assert_eq!(long("2026-13-45", "fr"), None);
    }

    #[test]
    fn dates_from_epoch() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_419), (2025, 11, 27));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
    }

    #[test]
    fn the_book_date_without_source_date_epoch() {
        if std::env::var_os("SOURCE_DATE_EPOCH").is_none() {
            assert_eq!(iso8601(build_date(Some("2026-03-09"), None)), "2026-03-09T00:00:00Z");
        }
    }
}
