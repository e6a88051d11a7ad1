//! `anthology serve`: the website on 127.0.0.1, rebuilt when the book changes.
//!
//! A small HTTP server (standard library only, loopback only) serves the built
//! site. A [`Watcher`] polls the book's files (`book.toml`, `contributions/`,
//! `templates/`, the front and back matter, section intros, fonts); after a
//! change it checks the book and remakes the editions (the site always), and
//! pages reload themselves: every HTML
//! page served (never the files written) gets a few lines of script that ask
//! `/__anthology/version` for the build number, at low priority: a page
//! whose only requests are these counts as loaded (Lighthouse waits for
//! high-priority requests to stop). Text is sent gzipped to a browser that
//! takes it, as static hosts send it. When the book has errors, they are
//! printed and the last good site stays in place. The editor's desk is at
//! `/__anthology/desk` (see [`crate::desk::page`]), made at each request,
//! and reloads itself when the site is rebuilt or the desk's files change.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use crate::diagnostic::Report;
use crate::editions::{Edition, Editions};
use crate::live::watch::{Rebuild, Watcher};

/// The script added to served pages.
const RELOAD: &str = "<script>(function(){var v=null;setInterval(function(){fetch('/__anthology/version',{cache:'no-store',priority:'low'}).then(function(r){return r.text()}).then(function(t){if(v!==null&&t!==v){location.reload()}v=t}).catch(function(){})},700)})();</script>";

/// The script added to the desk's page: it reloads when the site is rebuilt
/// or the desk's files change.
const DESK_RELOAD: &str = "<script>(function(){var v=null;setInterval(function(){fetch('/__anthology/desk-version',{cache:'no-store',priority:'low'}).then(function(r){return r.text()}).then(function(t){if(v!==null&&t!==v){location.reload()}v=t}).catch(function(){})},1000)})();</script>";

/// Why serving stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The port could not be opened.
    #[error("cannot listen on 127.0.0.1:{port}: {source}")]
    Listen {
        /// The port asked for.
        port: u16,
        /// Why.
        source: std::io::Error,
    },
    /// Loading the book failed.
    #[error(transparent)]
    Load(#[from] crate::input::LoadError),
    /// Writing the site failed.
    #[error("cannot write the site: {0}")]
    Write(#[from] std::io::Error),
}

/// One line about a build, for the person watching, and the diagnostics to
/// show with it (the book's errors, or the PDF template's).
pub fn describe(root: &Path, built: &Result<Rebuild, crate::input::LoadError>) -> (String, Option<Report>) {
    match built {
        Ok(Rebuild::Built { outcome, essays, time, .. }) => {
            let mut made = Vec::new();
            let mut failed = Vec::new();
            let mut report = None;
            for (edition, r) in &outcome.editions {
                let name = edition.name();
                match r {
                    Ok(m) => made.push(format!("{name} ({})", m.detail)),
                    Err(e) => {
                        failed.push(format!("{name}: {e}"));
                        report = report.or_else(|| e.typeset_report(root));
                    }
                }
            }
            let plural = if *essays == 1 { "" } else { "s" };
            let mut line = format!("built {essays} essay{plural} in {:.2} s: {}", time.as_secs_f64(), made.join("; "));
            if !failed.is_empty() {
                line.push_str(&format!("; failed: {}; the last good editions stay", failed.join("; ")));
            }
            (line, report)
        }
        Ok(Rebuild::Errors(r)) => ("the book has errors; the last good editions stay".to_string(), Some(r.clone())),
        Err(e) => (format!("the book could not be loaded: {e}; the last good editions stay"), None),
    }
}

/// Serves `out`/html on 127.0.0.1:`port` and remakes the `which` editions
/// (`None`: the book's default set; the website always)
/// of the book at `root` in `out` when it changes, until `stop` is set.
/// `report` prints what happens. With `screen`, the PDF is the screen
/// edition even when the book has a `[print]` table.
#[allow(clippy::too_many_arguments)]
pub fn serve(
    root: &Path,
    out: &Path,
    which: Option<Editions>,
    port: u16,
    drafts: bool,
    screen: bool,
    stop: Arc<AtomicBool>,
    report: impl Fn(&str, Option<&Report>) + Send + Sync + 'static,
) -> Result<(), ServeError> {
    let which = which.map(|w| w.with(Edition::Html));
    let site = out.join(Edition::Html.id());
    let listener = TcpListener::bind(("127.0.0.1", port)).map_err(|source| ServeError::Listen { port, source })?;
    listener.set_nonblocking(true)?;
    let version = Arc::new(AtomicU64::new(0));
    let mut watcher = Watcher::new(root, out, which, drafts).screen(screen);
    let first = watcher.build();
    if matches!(&first, Ok(Rebuild::Built { outcome, .. }) if outcome.made(Edition::Html).is_some()) {
        version.fetch_add(1, Ordering::SeqCst);
    }
    let (line, r) = describe(root, &first);
    report(&line, r.as_ref());
    if let Err(e) = first {
        return Err(e.into());
    }
    let addr = listener.local_addr()?;
    report(&format!("serving http://{addr}/ (Ctrl-C to stop)"), None);
    if root.join(crate::desk::DESK_FILE).is_file() {
        report(&format!("the editor's desk: http://{addr}{}", crate::desk::page::PATH), None);
    }

    let watcher = {
        let (stop, version, root) = (stop.clone(), version.clone(), root.to_path_buf());
        std::thread::spawn(move || {
            watcher.warm();
            while !stop.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(200));
                if !watcher.changed() {
                    continue;
                }
                let built = watcher.build();
                if matches!(&built, Ok(Rebuild::Built { outcome, .. }) if outcome.made(Edition::Html).is_some()) {
                    version.fetch_add(1, Ordering::SeqCst);
                }
                let (line, r) = describe(&root, &built);
                report(&line, r.as_ref());
            }
        })
    };

    while !stop.load(Ordering::Relaxed) {
        match listener.accept() {
            Ok((stream, _)) => {
                let (site, version) = (site.clone(), version.clone());
                let (root, out) = (root.to_path_buf(), out.to_path_buf());
                std::thread::spawn(move || {
                    let _ = answer(stream, &site, &version, &Desk { root: &root, out: &out });
                });
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => return Err(e.into()),
        }
    }
    let _ = watcher.join();
    Ok(())
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "pdf" => "application/pdf",
        "epub" => "application/epub+zip",
        "xml" => "application/xml",
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "svg" => "image/svg+xml",
        "webp" => "image/webp",
        "gif" => "image/gif",
        _ => "application/octet-stream",
    }
}

/// Whether a media type is text, which compresses.
fn is_text(kind: &str) -> bool {
    kind.starts_with("text/")
        || kind.starts_with("application/json")
        || kind.starts_with("application/xml")
        || kind.starts_with("image/svg")
}

/// The file of the output folder `out` that the desk's page links to as
/// `rest` (after [`crate::desk::page::FILES`]): only in the desk's own
/// folders, resolved as the site's files are.
fn desk_file(out: &Path, rest: &str) -> Option<PathBuf> {
    let folder = rest.split(['/', '?', '#']).next().unwrap_or("");
    let mine = crate::desk::page::FOLDERS.iter().any(|(f, _)| *f == folder);
    resolve(out, rest).filter(|_| mine)
}

/// The file a URL path names inside `site`, if it is inside.
fn resolve(site: &Path, url_path: &str) -> Option<PathBuf> {
    let path = url_path.split(['?', '#']).next().unwrap_or("/");
    let decoded = crate::input::assets::percent_decode(path);
    let mut out = site.to_path_buf();
    for c in Path::new(decoded.trim_start_matches('/')).components() {
        match c {
            Component::Normal(p) => out.push(p),
            Component::CurDir => {}
            _ => return None,
        }
    }
    if out.is_dir() {
        out.push("index.html");
    }
    out.is_file().then_some(out)
}

/// The book and its output folder, for the desk's page.
struct Desk<'a> {
    root: &'a Path,
    out: &'a Path,
}

impl Desk<'_> {
    /// What changes when the desk's page would: `desk.toml` and the
    /// folders of messages it links to.
    fn fingerprint(&self) -> u64 {
        let mut paths = vec![self.root.join(crate::desk::DESK_FILE)];
        paths.extend(crate::desk::page::FOLDERS.iter().map(|(f, _)| self.out.join(f)));
        crate::files::fingerprint_of(&paths)
    }
}

fn answer(mut stream: TcpStream, site: &Path, version: &AtomicU64, desk: &Desk<'_>) -> std::io::Result<()> {
    stream.set_nonblocking(false)?;
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request = String::new();
    reader.read_line(&mut request)?;
    // Of the headers, only whether the browser takes gzip matters.
    let mut gzip_ok = false;
    let mut line = String::new();
    while reader.read_line(&mut line)? > 2 {
        if let Some((name, value)) = line.split_once(':')
            && name.trim().eq_ignore_ascii_case("accept-encoding")
        {
            gzip_ok = value.split(',').any(|v| v.split(';').next().unwrap_or("").trim().eq_ignore_ascii_case("gzip"));
        }
        line.clear();
    }
    let mut parts = request.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or("/"));
    let respond = |stream: &mut TcpStream, status: &str, kind: &str, body: &[u8]| -> std::io::Result<()> {
        // Text goes compressed, as static hosts send it: the search index
        // is the size of the book's text.
        let gzipped = if gzip_ok && is_text(kind) && body.len() > 1024 {
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            gz.write_all(body)?;
            Some(gz.finish()?)
        } else {
            None
        };
        let (encoding, body) = match &gzipped {
            Some(z) => ("Content-Encoding: gzip\r\nVary: Accept-Encoding\r\n", z.as_slice()),
            None => ("", body),
        };
        let head = format!(
            "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\n{encoding}Content-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
            body.len()
        );
        stream.write_all(head.as_bytes())?;
        if method != "HEAD" {
            stream.write_all(body)?;
        }
        stream.flush()
    };
    if method != "GET" && method != "HEAD" {
        return respond(&mut stream, "405 Method Not Allowed", "text/plain", b"only GET and HEAD\n");
    }
    if target.starts_with("/__anthology/version") {
        let v = version.load(Ordering::SeqCst).to_string();
        return respond(&mut stream, "200 OK", "text/plain", v.as_bytes());
    }
    if target.starts_with("/__anthology/desk-version") {
        let v = format!("{}-{}", version.load(Ordering::SeqCst), desk.fingerprint());
        return respond(&mut stream, "200 OK", "text/plain", v.as_bytes());
    }
    if let Some(rest) = target.strip_prefix(crate::desk::page::FILES) {
        return match desk_file(desk.out, rest) {
            Some(file) => {
                let kind = match file.extension().and_then(|e| e.to_str()) {
                    Some("eml") => "message/rfc822",
                    Some("csv") => "text/csv; charset=utf-8",
                    Some("diff") => "text/plain; charset=utf-8",
                    _ => content_type(&file),
                };
                respond(&mut stream, "200 OK", kind, &std::fs::read(&file)?)
            }
            None => respond(&mut stream, "404 Not Found", "text/plain", b"not found\n"),
        };
    }
    if target.split(['?', '#']).next() == Some(crate::desk::page::PATH) {
        let page = crate::desk::page::render(desk.root, desk.out, DESK_RELOAD);
        return respond(&mut stream, "200 OK", "text/html; charset=utf-8", page.as_bytes());
    }
    match resolve(site, target) {
        Some(file) => {
            let mut body = std::fs::read(&file)?;
            if file.extension().is_some_and(|e| e == "html") {
                let text = String::from_utf8_lossy(&body).into_owned();
                body = match text.rfind("</body>") {
                    Some(i) => format!("{}{RELOAD}{}", &text[..i], &text[i..]).into_bytes(),
                    None => body,
                };
            }
            let kind = content_type(&file);
            respond(&mut stream, "200 OK", kind, &body)
        }
        None => respond(&mut stream, "404 Not Found", "text/plain", b"not found\n"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_never_leave_the_site() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("a")).unwrap();
        std::fs::write(dir.path().join("a/index.html"), "x").unwrap();
        assert_eq!(resolve(dir.path(), "/a/"), Some(dir.path().join("a/index.html")));
        assert_eq!(resolve(dir.path(), "/a/index.html?q=1"), Some(dir.path().join("a/index.html")));
        assert_eq!(resolve(dir.path(), "/../etc/passwd"), None);
        assert_eq!(resolve(dir.path(), "/a/%2e%2e/%2e%2e/etc/passwd"), None);
        assert_eq!(resolve(dir.path(), "/missing"), None);
    }

    #[test]
    fn the_desk_serves_only_the_files_of_its_own_folders() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        std::fs::create_dir_all(out.join("proofs/essai")).unwrap();
        std::fs::write(out.join("proofs/essai/ada.eml"), "x").unwrap();
        std::fs::write(out.join("book.pdf"), "x").unwrap();
        assert_eq!(desk_file(out, "proofs/essai/ada.eml"), Some(out.join("proofs/essai/ada.eml")));
        assert_eq!(desk_file(out, "book.pdf"), None, "not a desk folder");
        assert_eq!(desk_file(out, "proofs/../book.pdf"), None);
        assert_eq!(desk_file(out, "proofs/%2e%2e/book.pdf"), None);
        assert_eq!(desk_file(out, "/etc/passwd"), None);
    }
}
