//! `anthology serve`: the website on 127.0.0.1, rebuilt when the book changes.
//!
//! A small HTTP server (standard library only, loopback only) serves the built
//! site. A watcher polls the book's files (`book.toml`, `contributions/`,
//! `templates/`, the front and back matter and section intros); after a change
//! it checks and rebuilds the site, and pages reload themselves: every HTML
//! page served (never the files written) gets a few lines of script that ask
//! `/__anthology/version` for the build number. When the book has errors, they
//! are printed and the last good site stays in place.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use crate::diagnostic::Report;

/// The script added to served pages.
const RELOAD: &str = "<script>(function(){var v=null;setInterval(function(){fetch('/__anthology/version',{cache:'no-store'}).then(function(r){return r.text()}).then(function(t){if(v!==null&&t!==v){location.reload()}v=t}).catch(function(){})},700)})();</script>";

/// The outcome of one build of the site.
pub enum Built {
    /// The site was written.
    Site {
        /// Pages written.
        pages: usize,
    },
    /// The book has errors; the previous site was kept.
    Errors(Report),
}

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
    Load(#[from] crate::load::LoadError),
    /// Rendering the site failed.
    #[error(transparent)]
    Html(#[from] crate::html::HtmlError),
    /// Writing the site failed.
    #[error("cannot write the site: {0}")]
    Write(#[from] std::io::Error),
}

/// Checks the book in `root` and writes its site to `site`.
pub fn build(root: &Path, site: &Path, drafts: bool) -> Result<Built, ServeError> {
    let (book, report) = crate::prepare(root, drafts)?;
    let Some(book) = book else { return Ok(Built::Errors(report)) };
    let rendered = crate::html::render(&book)?;
    crate::html::write(&rendered, site)?;
    Ok(Built::Site { pages: rendered.pages })
}

/// A fingerprint of everything a build reads: paths, sizes and times of change.
pub fn fingerprint(root: &Path, out: &Path) -> u64 {
    fn walk(dir: &Path, out: &Path, acc: &mut Vec<(PathBuf, u64, SystemTime)>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for e in entries.flatten() {
            let path = e.path();
            let name = e.file_name();
            let name = name.to_string_lossy();
            if name.starts_with('.') || name == "target" || path.starts_with(out) {
                continue;
            }
            let Ok(meta) = e.metadata() else { continue };
            if meta.is_dir() {
                walk(&path, out, acc);
            } else {
                acc.push((path, meta.len(), meta.modified().unwrap_or(SystemTime::UNIX_EPOCH)));
            }
        }
    }
    let mut files = Vec::new();
    if let Ok(meta) = std::fs::metadata(root.join(crate::config::BOOK_FILE)) {
        files.push((
            root.join(crate::config::BOOK_FILE),
            meta.len(),
            meta.modified().unwrap_or(SystemTime::UNIX_EPOCH),
        ));
    }
    for d in ["contributions", "templates", "front", "back", "sections", "fonts"] {
        walk(&root.join(d), out, &mut files);
    }
    files.sort();
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    files.hash(&mut h);
    h.finish()
}

/// Serves `site` on 127.0.0.1:`port` and rebuilds it from `root` when the
/// book changes, until `stop` is set. `report` prints what happens.
pub fn serve(
    root: &Path,
    site: &Path,
    port: u16,
    drafts: bool,
    stop: Arc<AtomicBool>,
    report: impl Fn(&str, Option<&Report>) + Send + Sync + 'static,
) -> Result<(), ServeError> {
    let listener = TcpListener::bind(("127.0.0.1", port)).map_err(|source| ServeError::Listen { port, source })?;
    listener.set_nonblocking(true)?;
    let version = Arc::new(AtomicU64::new(1));
    let report = Arc::new(report);
    match build(root, site, drafts)? {
        Built::Site { pages } => report(&format!("built {pages} pages"), None),
        Built::Errors(r) => report("the book has errors; fix them and save", Some(&r)),
    }
    let addr = listener.local_addr()?;
    report(&format!("serving http://{addr}/ (Ctrl-C to stop)"), None);

    let watcher = {
        let (root, site, stop, version, report) =
            (root.to_path_buf(), site.to_path_buf(), stop.clone(), version.clone(), report.clone());
        let out = site.parent().unwrap_or(&site).to_path_buf();
        std::thread::spawn(move || {
            let mut last = fingerprint(&root, &out);
            while !stop.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(250));
                let now = fingerprint(&root, &out);
                if now == last {
                    continue;
                }
                last = now;
                let started = std::time::Instant::now();
                match build(&root, &site, drafts) {
                    Ok(Built::Site { pages }) => {
                        version.fetch_add(1, Ordering::SeqCst);
                        report(&format!("rebuilt {pages} pages in {:.2} s", started.elapsed().as_secs_f64()), None);
                    }
                    Ok(Built::Errors(r)) => report("the book has errors; the last good site stays", Some(&r)),
                    Err(e) => report(&format!("rebuild failed: {e}"), None),
                }
            }
        })
    };

    while !stop.load(Ordering::Relaxed) {
        match listener.accept() {
            Ok((stream, _)) => {
                let (site, version) = (site.to_path_buf(), version.clone());
                std::thread::spawn(move || {
                    let _ = answer(stream, &site, &version);
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
        "xml" => "application/xml",
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "svg" => "image/svg+xml",
        "webp" => "image/webp",
        "gif" => "image/gif",
        _ => "application/octet-stream",
    }
}

/// The file a URL path names inside `site`, if it is inside.
fn resolve(site: &Path, url_path: &str) -> Option<PathBuf> {
    let path = url_path.split(['?', '#']).next().unwrap_or("/");
    let decoded = crate::assets::percent_decode(path);
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

fn answer(mut stream: TcpStream, site: &Path, version: &AtomicU64) -> std::io::Result<()> {
    stream.set_nonblocking(false)?;
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request = String::new();
    reader.read_line(&mut request)?;
    // The headers are read and ignored.
    let mut line = String::new();
    while reader.read_line(&mut line)? > 2 {
        line.clear();
    }
    let mut parts = request.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or("/"));
    let respond = |stream: &mut TcpStream, status: &str, kind: &str, body: &[u8]| -> std::io::Result<()> {
        let head = format!(
            "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
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
            respond(&mut stream, "200 OK", content_type(&file), &body)
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
}
