//! `anthology desk invite FILE`: the invitees of a spreadsheet.
//!
//! The sheet is the one `anthology import roster` reads (CSV, TSV or XLSX,
//! a header row naming the columns), with a `due` column for each
//! invitee's deadline: the name, the address and the deadline go to the
//! desk; the other columns are the roster's, for `import roster` once the
//! essays are in.

use std::path::Path;

use super::{Invitee, is_date};
use crate::import::roster::{columns, read_sheet};

/// What the sheet's header names the deadline.
const DUE: &[&str] = &["due", "deadline", "due date", "échéance", "echeance", "date limite", "frist", "fecha límite"];

/// The invitees of the sheet at `path`, invited `today`; or why the sheet
/// cannot be read, naming the row.
pub fn read(path: &Path, today: &str) -> Result<Vec<Invitee>, String> {
    let sheet = read_sheet(path).map_err(|e| e.to_string())?;
    let known = columns();
    let find = |names: &[&str]| sheet.header.iter().position(|h| names.contains(&h.trim().to_lowercase().as_str()));
    let name = find(known["name"]).ok_or("no `name` column")?;
    let email = find(known["email"]);
    let due = find(DUE);
    let mut out = Vec::new();
    for (row, cells) in &sheet.rows {
        let cell = |i: Option<usize>| i.and_then(|i| cells.get(i)).map(|c| c.trim()).filter(|c| !c.is_empty());
        let Some(who) = cell(Some(name)) else { continue };
        let due = match cell(due) {
            None => None,
            Some(d) => Some(date(d).ok_or_else(|| {
                format!("row {row}: the deadline `{d}` of {who} is not a date (write it YYYY-MM-DD)")
            })?),
        };
        out.push(Invitee {
            name: who.to_string(),
            email: cell(email).map(str::to_string),
            due,
            invited: Some(today.to_string()),
            answer: None,
        });
    }
    Ok(out)
}

/// A deadline as a spreadsheet gives it: `YYYY-MM-DD` (a time after it is
/// dropped), or the day number a spreadsheet stores a date cell as (days
/// since 1899-12-30).
fn date(cell: &str) -> Option<String> {
    let day = cell.get(..10).filter(|d| is_date(d) && (cell.len() == 10 || cell[10..].starts_with([' ', 'T'])));
    if let Some(d) = day {
        return Some(d.to_string());
    }
    let serial: f64 = cell.parse().ok()?;
    if !(1.0..=2_958_465.0).contains(&serial) {
        return None;
    }
    let secs = (serial.floor() as i64 - 25_569) * 86_400;
    let (y, m, d, ..) = crate::lang::date::build_date(None, Some(secs))?;
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invitees_are_read_with_their_deadlines_from_a_roster_sheet() {
        let dir = tempfile::tempdir().unwrap();
        let sheet = dir.path().join("invitees.csv");
        std::fs::write(
            &sheet,
            "Name,E-mail,Bio,Deadline\nNoël Dupré,noel@example.org,Écrit.,2027-01-31\nAda Lovelace,,,46053\n,,,\nB C,b@c.org,,\n",
        )
        .unwrap();
        let people = read(&sheet, "2026-12-07").unwrap();
        assert_eq!(people.len(), 3);
        assert_eq!(people[0].email.as_deref(), Some("noel@example.org"));
        assert_eq!(people[0].due.as_deref(), Some("2027-01-31"));
        assert_eq!(people[1].due.as_deref(), Some("2026-01-31"), "a spreadsheet's day number");
        assert_eq!(people[2].due, None);
        assert!(people.iter().all(|p| p.invited.as_deref() == Some("2026-12-07")));
        std::fs::write(&sheet, "name,due\nA B,31/01/2027\n").unwrap();
        assert_eq!(
            read(&sheet, "2026-12-07").unwrap_err(),
            "row 2: the deadline `31/01/2027` of A B is not a date (write it YYYY-MM-DD)"
        );
        std::fs::write(&sheet, "who,due\nA B,2027-01-31\n").unwrap();
        assert!(read(&sheet, "2026-12-07").is_err());
    }
}
