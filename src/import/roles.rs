//! An author's roles as pandoc and Quarto write them, for the front
//! matter: a string, a list of strings, `{investigation: lead}` (Quarto),
//! `{role: …, degree: …}`, or pandoc's `{credit: software, credit-name:
//! Software, degree: Lead, name: Programas}` (the name, when given, is
//! what is printed).

use serde::Serialize;

use super::values::plain;
use crate::model::credit::Degree;

/// A role as a contribution's `roles` writes it.
#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(untagged)]
pub(super) enum RoleOut {
    /// The role alone.
    Named(String),
    /// The role with its degree of contribution.
    Qualified {
        /// The role.
        role: String,
        /// `lead`, `equal` or `supporting`.
        degree: String,
    },
}

/// The roles `v` holds, and a note for what cannot be carried (a degree
/// CRediT does not have, an entry without a role).
pub(super) fn read(v: &toml::Value, who: &str) -> (Vec<RoleOut>, Vec<String>) {
    let (mut roles, mut notes) = (Vec::new(), Vec::new());
    let items: Vec<&toml::Value> = match v {
        toml::Value::Array(a) => a.iter().collect(),
        other => vec![other],
    };
    for item in items {
        let (role, degree) = match item {
            toml::Value::String(s) => (s.trim().to_string(), None),
            toml::Value::Table(t) => {
                let get = |k: &str| t.get(k).map(plain).filter(|s| !s.is_empty());
                match get("name").or_else(|| get("role")).or_else(|| get("credit-name")).or_else(|| get("credit")) {
                    Some(role) => (role, get("degree")),
                    // Quarto's `- investigation: lead`.
                    None if t.len() == 1 => {
                        let (k, d) = t.iter().next().map(|(k, d)| (k.clone(), plain(d))).unwrap_or_default();
                        (k, Some(d).filter(|d| !d.is_empty()))
                    }
                    None => (String::new(), None),
                }
            }
            other => (plain(other), None),
        };
        if role.is_empty() {
            notes.push(format!("{who} has a role without a name: left out"));
            continue;
        }
        match degree.map(|d| (Degree::parse(&d), d)) {
            Some((Some(d), _)) => roles.push(RoleOut::Qualified { role, degree: d.as_str().to_string() }),
            Some((None, written)) => {
                notes.push(format!(
                    "{who}'s degree `{written}` for the role `{role}` is not one of CRediT's (lead, equal, supporting): left out"
                ));
                roles.push(RoleOut::Named(role));
            }
            None => roles.push(RoleOut::Named(role)),
        }
    }
    (roles, notes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(s: &str) -> toml::Value {
        super::super::meta::yaml(&format!("roles:\n{s}")).unwrap().remove(0).1
    }

    #[test]
    fn pandocs_and_quartos_forms() {
        let (roles, notes) = read(
            &yaml(
                "  - Investigation\n  - conceptualization: lead\n  - {role: Software, degree: Supporting}\n\
                 \x20 - {credit: software, credit-name: Software, degree: Lead, name: Programas}\n  - {credit: methodology}\n\
                 \x20 - {role: Validation, degree: main}\n  - {degree: lead, other: x}",
            ),
            "Ada",
        );
        let named = |s: &str| RoleOut::Named(s.into());
        let qualified = |r: &str, d: &str| RoleOut::Qualified { role: r.into(), degree: d.into() };
        assert_eq!(
            roles,
            [
                named("Investigation"),
                qualified("conceptualization", "lead"),
                qualified("Software", "supporting"),
                qualified("Programas", "lead"),
                named("methodology"),
                named("Validation"),
            ]
        );
        assert_eq!(notes.len(), 2, "{notes:?}");
        assert!(notes[0].contains("`main`") && notes[1].contains("without a name"), "{notes:?}");
        assert_eq!(read(&yaml("  Software"), "Ada").0, [named("Software")]);
        assert!(read(&yaml("  []"), "Ada").0.is_empty());
    }
}
