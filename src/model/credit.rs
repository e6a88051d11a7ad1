//! What each author did for an essay, in the words of CRediT, the
//! Contributor Roles Taxonomy (ANSI/NISO Z39.104-2022), which journals,
//! pandoc and Quarto use: fourteen named roles, each with an optional
//! degree of contribution (lead, equal, supporting).
//!
//! A role is recognised however it is written (`Writing-original draft`,
//! `writing-original-draft`, `Writing – original draft`, the role's address
//! on credit.niso.org, British spellings) and then printed by its standard
//! name; a role outside the taxonomy is kept and printed as written.

/// The fourteen roles: the identifier CRediT gives each (the last segment
/// of its address on credit.niso.org), then its standard name.
pub const ROLES: [(&str, &str); 14] = [
    ("conceptualization", "Conceptualization"),
    ("data-curation", "Data curation"),
    ("formal-analysis", "Formal analysis"),
    ("funding-acquisition", "Funding acquisition"),
    ("investigation", "Investigation"),
    ("methodology", "Methodology"),
    ("project-administration", "Project administration"),
    ("resources", "Resources"),
    ("software", "Software"),
    ("supervision", "Supervision"),
    ("validation", "Validation"),
    ("visualization", "Visualization"),
    ("writing-original-draft", "Writing \u{2013} original draft"),
    ("writing-review-editing", "Writing \u{2013} review & editing"),
];

/// How much an author did in a role that several share.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Degree {
    /// Led the work in this role.
    Lead,
    /// Shared it equally.
    Equal,
    /// Supported it.
    Supporting,
}

impl Degree {
    /// The degree written (`lead`, `Equal`, ` supporting `), or `None`.
    pub fn parse(written: &str) -> Option<Degree> {
        match written.trim().to_lowercase().as_str() {
            "lead" => Some(Degree::Lead),
            "equal" => Some(Degree::Equal),
            "supporting" => Some(Degree::Supporting),
            _ => None,
        }
    }

    /// The degree as CRediT and the metadata write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Degree::Lead => "lead",
            Degree::Equal => "equal",
            Degree::Supporting => "supporting",
        }
    }
}

/// One role of an author in an essay.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Role {
    /// The role as printed: CRediT's name for a role of the taxonomy, else
    /// as written.
    pub name: String,
    /// The degree of contribution, when given.
    pub degree: Option<Degree>,
}

impl Role {
    /// The role written as `written`, with its degree.
    pub fn new(written: &str, degree: Option<Degree>) -> Role {
        let name = credit(written).map_or_else(|| written.trim().to_string(), |(_, name)| name.to_string());
        Role { name, degree }
    }
}

/// The CRediT role `written` names, as (identifier, standard name).
pub fn credit(written: &str) -> Option<(&'static str, &'static str)> {
    let written = written.trim().trim_end_matches('/');
    // The role's address: https://credit.niso.org/contributor-roles/software/
    let written = written.rsplit_once("contributor-roles/").map_or(written, |(_, id)| id);
    let key = key(written);
    ROLES.iter().copied().find(|(id, _)| key == self::key(id))
}

/// A role reduced to what tells roles apart: lower-case letters and digits,
/// "and" and "&" left out, British "-isation" read as "-ization".
fn key(s: &str) -> String {
    let lower = s.to_lowercase().replace("isation", "ization");
    lower.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty() && *w != "and").collect::<Vec<_>>().concat()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_recognised_however_they_are_written() {
        for written in [
            "Writing-original draft",
            "writing-original-draft",
            "Writing \u{2013} Original Draft",
            "writing original draft",
            "https://credit.niso.org/contributor-roles/writing-original-draft/",
        ] {
            assert_eq!(credit(written), Some(ROLES[12]), "{written}");
        }
        assert_eq!(credit("Writing - review and editing"), Some(ROLES[13]));
        assert_eq!(credit("Writing – review & editing"), Some(ROLES[13]));
        assert_eq!(credit("Conceptualisation"), Some(ROLES[0]));
        assert_eq!(credit("project administration"), Some(ROLES[6]));
        assert_eq!(credit("Photography"), None);
        assert_eq!(credit(""), None);
    }

    #[test]
    fn a_role_is_printed_by_its_standard_name_or_as_written() {
        let r = Role::new("formal-analysis", Degree::parse(" Lead "));
        assert_eq!((r.name.as_str(), r.degree), ("Formal analysis", Some(Degree::Lead)));
        let r = Role::new(" Photographie ", None);
        assert_eq!((r.name.as_str(), r.degree), ("Photographie", None));
        assert_eq!(Degree::parse("main"), None);
        assert_eq!(Degree::Supporting.as_str(), "supporting");
    }
}
