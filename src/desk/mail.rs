//! Messages as files: RFC 5322 messages (`.eml`) that any mail program
//! opens, ready to send, with their attachments. Nothing is sent by the tool.
//!
//! A message is written as a draft (`X-Unsent: 1`, which Outlook opens as
//! one; Thunderbird and Apple Mail open it as a message to edit as new or
//! forward). Headers with other characters than ASCII are encoded as RFC
//! 2047 says; the text is UTF-8, 8 bits; attachments are base64 in lines of
//! 76 characters.

use base64::Engine as _;

/// A file attached to a message.
pub struct Attachment {
    /// Its name, as the recipient sees it.
    pub name: String,
    /// Its media type.
    pub media_type: &'static str,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// A message to write.
pub struct Message<'a> {
    /// `From`: `Name <address>`, as `[desk] from` gives it.
    pub from: &'a str,
    /// The recipient's name.
    pub to_name: &'a str,
    /// The recipient's address; empty when it is not known.
    pub to: &'a str,
    /// The subject.
    pub subject: &'a str,
    /// The text.
    pub body: &'a str,
    /// `YYYY-MM-DD`: the `Date` header, at noon UTC.
    pub date: &'a str,
    /// Unique to this message, the same each time it is made again: the
    /// left-hand part of its `Message-ID`.
    pub id: &'a str,
    /// What is attached.
    pub attachments: &'a [Attachment],
}

/// A header value as RFC 2047 encodes a text that is not all printable
/// ASCII: base64 UTF-8 in encoded words of at most 75 characters.
fn encoded(text: &str) -> String {
    if text.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return text.to_string();
    }
    let mut words = Vec::new();
    let mut chunk = String::new();
    for c in text.chars() {
        // 45 bytes of UTF-8 make 60 characters of base64: 72 with the frame.
        if chunk.len() + c.len_utf8() > 45 {
            words.push(std::mem::take(&mut chunk));
        }
        chunk.push(c);
    }
    words.push(chunk);
    words
        .iter()
        .map(|w| format!("=?UTF-8?B?{}?=", base64::engine::general_purpose::STANDARD.encode(w)))
        .collect::<Vec<_>>()
        .join("\r\n ")
}

/// `Name <address>`, the name quoted or encoded as it needs.
fn mailbox(name: &str, address: &str) -> String {
    let plain = name.chars().all(|c| c.is_ascii_alphanumeric() || " .-'".contains(c));
    match (name.is_empty(), plain) {
        (true, _) => format!("<{address}>"),
        (false, true) => format!("{name} <{address}>"),
        (false, false) if name.is_ascii() => {
            format!("\"{}\" <{address}>", name.replace('\\', "\\\\").replace('"', "\\\""))
        }
        (false, false) => format!("{} <{address}>", encoded(name)),
    }
}

/// `From` as `[desk] from` writes it (`Name <address>` or an address).
fn from_header(from: &str) -> String {
    match from.rsplit_once('<') {
        Some((name, rest)) => mailbox(name.trim().trim_matches('"'), rest.trim_end_matches('>').trim()),
        None => format!("<{}>", from.trim()),
    }
}

/// The `Date` header of day `YYYY-MM-DD`, at noon UTC.
fn date_header(date: &str) -> String {
    let (y, m, d) = (
        date[..4].parse::<i64>().unwrap_or(1970),
        date[5..7].parse::<usize>().unwrap_or(1),
        date[8..10].parse::<i64>().unwrap_or(1),
    );
    // Day of the week (Sakamoto's method).
    let t = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];
    let yy = if m < 3 { y - 1 } else { y };
    let dow = (yy + yy / 4 - yy / 100 + yy / 400 + t[(m - 1) % 12] + d).rem_euclid(7) as usize;
    let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    format!("{}, {d:02} {} {y:04} 12:00:00 +0000", days[dow], months[(m - 1) % 12])
}

/// The message as an `.eml` file: CRLF line ends throughout.
pub fn write(m: &Message<'_>) -> Vec<u8> {
    let boundary = format!("anthology-{}", m.id.replace(|c: char| !c.is_ascii_alphanumeric(), "-"));
    let mut out = String::new();
    let mut header = |name: &str, value: &str| out.push_str(&format!("{name}: {value}\r\n"));
    header("From", &from_header(m.from));
    // Without an address the message is written all the same, for the
    // editor to address.
    if !m.to.is_empty() {
        header("To", &mailbox(m.to_name, m.to));
    }
    header("Subject", &encoded(m.subject));
    header("Date", &date_header(m.date));
    header("Message-ID", &format!("<{}@anthology.invalid>", m.id));
    header("MIME-Version", "1.0");
    header("X-Unsent", "1");
    let body = m.body.replace("\r\n", "\n").replace('\n', "\r\n");
    if m.attachments.is_empty() {
        header("Content-Type", "text/plain; charset=utf-8");
        header("Content-Transfer-Encoding", "8bit");
        out.push_str("\r\n");
        out.push_str(&body);
        out.push_str("\r\n");
        return out.into_bytes();
    }
    header("Content-Type", &format!("multipart/mixed; boundary=\"{boundary}\""));
    out.push_str("\r\n");
    out.push_str(&format!(
        "--{boundary}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{body}\r\n"
    ));
    for a in m.attachments {
        let name = a.name.replace(['"', '\\', '\r', '\n'], "_");
        out.push_str(&format!(
            "--{boundary}\r\nContent-Type: {}; name=\"{name}\"\r\nContent-Disposition: attachment; filename=\"{name}\"\r\nContent-Transfer-Encoding: base64\r\n\r\n",
            a.media_type
        ));
        let b64 = base64::engine::general_purpose::STANDARD.encode(&a.bytes);
        for line in b64.as_bytes().chunks(76) {
            out.push_str(std::str::from_utf8(line).unwrap_or_default());
            out.push_str("\r\n");
        }
    }
    out.push_str(&format!("--{boundary}--\r\n"));
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_with_an_attachment_is_what_rfc_5322_and_mime_ask() {
        let pdf = Attachment { name: "regards-essai.pdf".into(), media_type: "application/pdf", bytes: vec![7; 200] };
        let m = Message {
            from: "Camille Ferrand <camille@example.org>",
            to_name: "Inès Abadie",
            to: "ines@example.org",
            subject: "Épreuve de « La citation détournée »",
            body: "Bonjour,\nvoici l'épreuve.\n",
            date: "2026-12-07",
            id: "proof.la-citation.ines",
            attachments: std::slice::from_ref(&pdf),
        };
        let text = String::from_utf8(write(&m)).unwrap();
        assert!(text.starts_with("From: Camille Ferrand <camille@example.org>\r\nTo: =?UTF-8?B?"), "{text}");
        assert!(text.contains("\r\nDate: Mon, 07 Dec 2026 12:00:00 +0000\r\n"), "2026-12-07 is a Monday");
        assert!(text.contains("Subject: =?UTF-8?B?"));
        assert!(text.contains("\r\n\r\nBonjour,\r\nvoici l'épreuve.\r\n"));
        assert!(text.contains("filename=\"regards-essai.pdf\""));
        assert!(text.ends_with("--anthology-proof-la-citation-ines--\r\n"));
        assert!(text.lines().all(|l| l.len() <= 998), "RFC 5322's line limit");
        assert!(!text.replace("\r\n", "").contains('\n'), "CRLF only");
        // The attachment decodes to its bytes.
        let b64: String = text
            .split("Content-Transfer-Encoding: base64\r\n\r\n")
            .nth(1)
            .unwrap()
            .lines()
            .take_while(|l| !l.starts_with("--"))
            .collect();
        assert_eq!(base64::engine::general_purpose::STANDARD.decode(b64).unwrap(), pdf.bytes);
        // A long subject is cut into encoded words of at most 75 characters.
        let long = encoded(&"é".repeat(60));
        assert!(long.split("\r\n ").all(|w| w.len() <= 75 && w.starts_with("=?UTF-8?B?")), "{long}");
        assert_eq!(mailbox("Ada Example", "a@b.org"), "Ada Example <a@b.org>");
        assert_eq!(mailbox("Example, Ada", "a@b.org"), "\"Example, Ada\" <a@b.org>");
        assert_eq!(from_header("editor@example.org"), "<editor@example.org>");
    }
}
