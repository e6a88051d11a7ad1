//! The HTML edition: deterministic, escaped whatever contributors write,
//! canonical URLs and a sitemap with `[html] base_url`, and no error from the
//! W3C Nu Html Checker on every page of the sample book, the 97-things corpus
//! and a generated 112-essay book.

use std::path::Path;
use std::process::Command;

#[allow(dead_code)] // Each test binary uses its own part of the shared helpers.
mod common;
use common::repo;

fn site_of(dir: &Path) -> anthology::editions::html::Site {
    let (book, report) = anthology::prepare(dir, false).unwrap();
    assert_eq!(report.errors(), 0, "{:?}", report.diagnostics);
    anthology::editions::html::render(&book.unwrap()).unwrap()
}

fn page(site: &anthology::editions::html::Site, path: &str) -> String {
    String::from_utf8(site.files[Path::new(path)].clone()).unwrap()
}

#[test]
fn the_sample_site_has_every_page_and_is_deterministic() {
    let a = site_of(&repo());
    let b = site_of(&repo());
    assert!(a.files == b.files, "two renders differ");
    for p in [
        "index.html",
        "all.html",
        "contributors/index.html",
        "search/index.html",
        "la-citation-detournee/index.html",
        "part/ecrire/index.html",
        "front/preface/index.html",
        "back/remerciements/index.html",
        "assets/style.css",
        "assets/search.js",
        "assets/search-index.js",
    ] {
        assert!(a.files.contains_key(Path::new(p)), "{p} is missing");
    }
    let essay = page(&a, "la-citation-detournee/index.html");
    assert!(essay.contains("<article class=\"essay\" lang=\"fr\">"), "{essay}");
    assert!(essay.contains("srcset=\"../assets/img/"), "photos have srcset");
    assert!(essay.contains("rel=\"next\""), "previous/next links");
    assert!(essay.contains("<meta property=\"og:title\" content=\"La citation détournée\">"));
    let english = page(&a, "the-280-character-editor/index.html");
    assert!(english.contains("lang=\"en\""));
    let index = page(&a, "contributors/index.html");
    assert!(index.contains("href=\"#letter-E\""), "Ébrard files under E");
    assert!(!a.files.contains_key(Path::new("sitemap.xml")), "no sitemap without base_url");
}

#[test]
fn nothing_a_contributor_writes_becomes_markup_or_script() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir_all(d.join("contributions")).unwrap();
    std::fs::write(
        d.join("book.toml"),
        "[book]\ntitle = \"T <script>alert(1)</script>\"\nlanguage = \"en\"\n[rules]\nmin_words = 1\nallow_html = true\n[html]\nbase_url = \"https://example.org/book/\"\n",
    )
    .unwrap();
    std::fs::write(
        d.join("contributions/a.md"),
        "+++\ntitle = \"<img src=x onerror=alert(1)>\"\nsummary = \"\\\"><script>x</script>\"\n[[authors]]\nname = \"<b>Eve</b>\"\nbio = \"<script>steal()</script> *bio*\"\nhandle = \"@eve\\\" onmouseover=\\\"x\"\nurl = \"javascript:alert(1)\"\n+++\n\nText <script>bad()</script> and <iframe src=x></iframe> [link](javascript:alert(1)) <sub onclick=\"x\">2</sub>.\n",
    )
    .unwrap();
    let site = site_of(d);
    for (path, bytes) in &site.files {
        let text = String::from_utf8_lossy(bytes);
        if !path.to_string_lossy().ends_with(".html") {
            continue;
        }
        // JSON-LD is data, not script; `metadata::script_json` escapes its `<`.
        let scripts = text.matches("<script").count() - text.matches("<script type=\"application/ld+json\">").count();
        // reader.js on every page; the index and search.js on the search page.
        let expected = if path == Path::new("search/index.html") { 3 } else { 1 };
        assert!(text.contains("assets/reader.js\"></script>"), "{}: no reader.js", path.display());
        assert_eq!(scripts, expected, "{}: {text}", path.display());
        // Hostile text may show, escaped; no tag or attribute of it may exist.
        for bad in [
            "<iframe",
            "<img src=x",
            "<script>steal",
            "<script>bad",
            "<script>x",
            "<sub onclick",
            "onmouseover=\"",
            "javascript:",
            "<b>Eve",
        ] {
            assert!(!text.contains(bad), "{} contains {bad}: {text}", path.display());
        }
    }
    let index = page(&site, "assets/search-index.js");
    assert!(!index.contains("</script"), "the search index cannot close a script element");
    let essay = page(&site, "a/index.html");
    assert!(essay.contains("<link rel=\"canonical\" href=\"https://example.org/book/a/\">"), "{essay}");
    assert!(page(&site, "sitemap.xml").contains("<loc>https://example.org/book/contributors/</loc>"));
}

#[test]
fn the_nu_checker_finds_no_error_on_any_page() {
    let Some(jar) = common::validator(
        common::vnu(),
        "the Nu Html Checker is missing: set VNU_JAR, or run `npm install vnu-jar` in ~/.cache/anthology-vnu",
    ) else {
        return;
    };
    let out = tempfile::tempdir().unwrap();
    let books = common::conformance_books(out.path(), 400);
    let sites = out.path().join("sites");
    for (name, dir) in &books {
        anthology::files::write_folder(&site_of(dir).files, &sites.join(name)).unwrap();
    }
    let result = Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args(["--errors-only", "--skip-non-html"])
        .arg(&sites)
        .output()
        .unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&result.stdout), String::from_utf8_lossy(&result.stderr));
    assert!(result.status.success() && text.trim().is_empty(), "{text}");
    println!("Nu Html Checker: no error on the sample, the corpus and the generated book");
}

/// The heading levels of an HTML or XHTML page, in order.
fn heading_levels(page: &str) -> Vec<u8> {
    let bytes = page.as_bytes();
    let mut out = Vec::new();
    for (i, w) in bytes.windows(3).enumerate() {
        if w[0] == b'<'
            && (w[1] == b'h' || w[1] == b'H')
            && (b'1'..=b'6').contains(&w[2])
            && matches!(bytes.get(i + 3), Some(b'>' | b' '))
        {
            out.push(w[2] - b'0');
        }
    }
    out
}

/// No page of the site and no document of the EPUB skips a heading level,
/// whatever levels the essays use (the links fixture goes from ## to ####):
/// every edition normalises them the same way.
#[test]
fn no_page_skips_a_heading_level() {
    let out = tempfile::tempdir().unwrap();
    let mut checked = 0;
    for (name, dir) in common::conformance_books(out.path(), 0) {
        let site = site_of(&dir);
        let (book, _) = anthology::prepare(&dir, false).unwrap();
        let epub = anthology::editions::epub::render(&book.unwrap()).unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(epub.bytes)).unwrap();
        let mut pages: Vec<(String, String)> = site
            .files
            .iter()
            .filter(|(p, _)| p.extension().is_some_and(|e| e == "html"))
            .map(|(p, b)| (p.display().to_string(), String::from_utf8_lossy(b).into_owned()))
            .collect();
        for i in 0..zip.len() {
            let mut f = zip.by_index(i).unwrap();
            let name = f.name().expect("a UTF-8 entry name").into_owned();
            if name.ends_with(".xhtml") {
                let mut text = String::new();
                std::io::Read::read_to_string(&mut f, &mut text).unwrap();
                pages.push((name, text));
            }
        }
        for (page, text) in pages {
            let levels = heading_levels(&text);
            for pair in levels.windows(2) {
                assert!(pair[1] <= pair[0] + 1, "{name}: {page} skips from h{} to h{}: {levels:?}", pair[0], pair[1]);
            }
            checked += 1;
        }
    }
    assert!(checked > 100, "{checked} pages");
}

/// The site's Atom feed lists every essay with what a reader of feeds needs,
/// and every page names the feed and an icon the site has.
#[test]
fn the_feed_lists_every_essay_and_every_page_has_an_icon() {
    let site = site_of(&repo());
    let feed = page(&site, "feed.xml");
    let mut reader = quick_xml::Reader::from_str(&feed);
    let (mut entries, mut in_entry, mut fields) = (0, false, Vec::new());
    loop {
        match reader.read_event().expect("the feed is well-formed XML") {
            quick_xml::events::Event::Start(e) => {
                let name = e.name().as_ref().to_string();
                if name == "entry" {
                    entries += 1;
                    in_entry = true;
                } else if in_entry {
                    fields.push(name);
                }
            }
            quick_xml::events::Event::Empty(e) if in_entry => fields.push(e.name().as_ref().to_string()),
            quick_xml::events::Event::End(e) if e.name().as_ref() == "entry" => in_entry = false,
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    let (book, _) = anthology::prepare(&repo(), false).unwrap();
    let essays = book.unwrap().essays().count();
    assert_eq!(entries, essays);
    for field in ["title", "id", "link", "updated", "author", "name", "summary"] {
        assert!(fields.iter().filter(|f| *f == field).count() >= essays, "every entry has a {field}");
    }
    // The sample has no `[html] base_url`: addresses relative to the feed.
    assert!(feed.contains("<link rel=\"alternate\" type=\"text/html\" href=\"index.html\"/>"), "{feed}");
    assert!(!feed.contains("rel=\"self\""));
    // Each page links the feed and the icon, and both are in the site.
    let icon =
        ["assets/icon.png", "assets/icon.svg"].into_iter().find(|p| site.files.contains_key(Path::new(p))).unwrap();
    for (path, bytes) in &site.files {
        if path.extension().is_some_and(|e| e == "html") {
            let html = String::from_utf8_lossy(bytes);
            let depth = path.components().count() - 1;
            let root = "../".repeat(depth);
            assert!(html.contains(&format!("<link rel=\"icon\" href=\"{root}{icon}\">")), "{}", path.display());
            assert!(html.contains(&format!("href=\"{root}feed.xml\"")), "{}", path.display());
        }
    }
}

#[test]
fn with_a_cover_and_an_address_the_icon_is_the_cover_and_the_feed_absolute() {
    let d = tempfile::tempdir().unwrap();
    for f in ["contributions", "front", "back", "sections"] {
        common::copy_dir(&repo().join(f), &d.path().join(f));
    }
    let toml = std::fs::read_to_string(repo().join("book.toml")).unwrap().replacen(
        "[book]\n",
        "[book]\ncover = \"contributions/la-citation-detournee/abadie.png\"\n",
        1,
    );
    std::fs::write(d.path().join("book.toml"), format!("{toml}\n[html]\nbase_url = \"https://example.org/b/\"\n"))
        .unwrap();
    let site = site_of(d.path());
    let icon = &site.files[Path::new("assets/icon.png")];
    assert!(icon.starts_with(b"\x89PNG"));
    assert!(!site.files.contains_key(Path::new("assets/icon.svg")));
    let feed = page(&site, "feed.xml");
    assert!(
        feed.contains("<link rel=\"self\" type=\"application/atom+xml\" href=\"https://example.org/b/feed.xml\"/>"),
        "{feed}"
    );
    assert!(feed.contains("<id>https://example.org/b/la-citation-detournee/index.html</id>"), "{feed}");
    assert!(page(&site, "index.html").contains("<link rel=\"icon\" href=\"assets/icon.png\">"));
}

/// A build of the PDF, the EPUB and the site: the home page offers the two
/// editions (copies served in `downloads/`) and the single-page edition, and
/// every link and image of every page of the written site resolves.
#[test]
fn the_home_page_offers_the_editions_built_and_every_link_resolves() {
    use anthology::editions::{Edition, Editions};
    let d = tempfile::tempdir().unwrap();
    let (book, _) = anthology::prepare(&repo(), false).unwrap();
    let book = book.unwrap();
    let which: Editions = [Edition::Pdf, Edition::Epub, Edition::Html, Edition::Offprints].into_iter().collect();
    let session = anthology::build::Session::with_cache(anthology::cache::DiskCache::disabled());
    let outcome = session.editions(&book, d.path(), which);
    assert!(outcome.succeeded());
    let site = d.path().join("html");
    // Each essay offers its offprint under its byline: its pages and size.
    let essay = std::fs::read_to_string(site.join("archiving-the-ephemeral/index.html")).unwrap();
    let at = essay.find("<p class=\"offprint\"><a href=\"").expect("an offprint link");
    let line = &essay[at..essay[at..].find('\n').map_or(essay.len(), |n| at + n)];
    assert!(line.contains("type=\"application/pdf\"") && line.contains("(PDF, Pages\u{a0}: "), "{line}");
    let home = std::fs::read_to_string(site.join("index.html")).unwrap();
    for (file, kind) in [("regards-croises.pdf", "application/pdf"), ("regards-croises.epub", "application/epub+zip")] {
        assert!(home.contains(&format!("<a href=\"downloads/{file}\" type=\"{kind}\" download=\"{file}\">")), "{file}");
        assert_eq!(
            std::fs::read(site.join("downloads").join(file)).unwrap(),
            std::fs::read(d.path().join(file)).unwrap()
        );
    }
    let pages = outcome.made(Edition::Pdf).unwrap().pages.unwrap();
    assert!(home.contains(&format!("Pages\u{a0}: {pages},")), "the PDF's pages, in French");
    // A contributor's page offers the offprint of each essay they wrote.
    let ines = std::fs::read_to_string(site.join("contributors/abadie-ines/index.html")).unwrap();
    assert!(
        ines.contains(" · <span class=\"offprint\"><a href=\"../../la-citation-detournee/regards-croises-la-citation-detournee.pdf\" type=\"application/pdf\" download=\"regards-croises-la-citation-detournee.pdf\">Télécharger</a> (PDF, Pages\u{a0}: 3, "),
        "{ines}"
    );
    // Every link and image of every page, relative ones resolved.
    let mut checked = 0;
    let mut stack = vec![site.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "html") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(!text.contains("<!--anthology:"), "{} keeps a marker", path.display());
            let html = scraper::Html::parse_document(&text);
            let sel = scraper::Selector::parse("[href], [src]").unwrap();
            for el in html.select(&sel) {
                for attr in ["href", "src"] {
                    let Some(target) = el.value().attr(attr) else { continue };
                    if target.contains("://")
                        || target.starts_with('#')
                        || target.starts_with("mailto:")
                        || target.starts_with("data:")
                    {
                        continue;
                    }
                    let file = target.split(['#', '?']).next().unwrap();
                    if file.is_empty() {
                        continue;
                    }
                    let resolved = path.parent().unwrap().join(file);
                    let resolved = if resolved.is_dir() { resolved.join("index.html") } else { resolved };
                    assert!(resolved.is_file(), "{} links {target}, which the build did not make", path.display());
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 200, "{checked} links and images checked");
}

#[test]
fn a_site_built_alone_offers_no_edition_it_did_not_make() {
    let site = site_of(&repo());
    let home = page(&site, "index.html");
    assert!(!home.contains("downloads/"), "no PDF or EPUB was built");
    assert!(home.contains("<a href=\"all.html\">"));
    assert!(!site.files.keys().any(|p| p.starts_with("downloads")));
    let essay = page(&site, "archiving-the-ephemeral/index.html");
    assert!(!essay.contains("class=\"offprint\"") && !essay.contains("anthology:offprint"), "no offprint was built");
}

/// With an address on the web, each essay page has share links that need no
/// script, carrying its share card's post and its address, percent-encoded.
#[test]
fn share_links_carry_the_post_and_the_address() {
    let d = tempfile::tempdir().unwrap();
    for f in ["contributions", "front", "back", "sections"] {
        common::copy_dir(&repo().join(f), &d.path().join(f));
    }
    let toml = std::fs::read_to_string(repo().join("book.toml")).unwrap();
    std::fs::write(d.path().join("book.toml"), format!("{toml}\n[html]\nbase_url = \"https://example.org/b\"\n"))
        .unwrap();
    let (book, _) = anthology::prepare(d.path(), false).unwrap();
    let book = book.unwrap();
    let e = book.essays().find(|e| e.slug == "archiving-the-ephemeral").unwrap();
    let post = anthology::editions::typst::cards::post(&book, e);
    let site = anthology::editions::html::render(&book).unwrap();
    let html = page(&site, "archiving-the-ephemeral/index.html");
    let encode = |s: &str| {
        s.bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect::<String>()
    };
    assert!(post.contains("https://example.org/b/archiving-the-ephemeral/"), "{post}");
    for want in [
        format!("https://x.com/intent/post?text={}", encode(&post)),
        format!("https://bsky.app/intent/compose?text={}", encode(&post)),
        format!(
            "https://www.linkedin.com/sharing/share-offsite/?url={}",
            encode("https://example.org/b/archiving-the-ephemeral/")
        ),
        format!("mailto:?subject={}&amp;body={}", encode(&e.title), encode(&post)),
    ] {
        assert!(html.contains(&want), "{want}");
    }
    assert!(!html.contains("<script src=\"http"), "no script of a network");
    // Without an address there is nothing to share.
    assert!(!page(&site_of(&repo()), "archiving-the-ephemeral/index.html").contains("class=\"share\""));
}

/// Each contributor has a page: who they are, every essay they wrote, and
/// their co-authors' pages, linked both ways; the index links to it.
#[test]
fn a_contributor_with_two_essays_has_a_page_listing_both() {
    let d = tempfile::tempdir().unwrap();
    for f in ["contributions", "front", "back", "sections"] {
        common::copy_dir(&repo().join(f), &d.path().join(f));
    }
    std::fs::copy(repo().join("book.toml"), d.path().join("book.toml")).unwrap();
    let photo = "la-citation-detournee/abadie.png";
    std::fs::write(
        d.path().join("contributions/second-essay.md"),
        format!(
            "+++\ntitle = \"Un second essai\"\n\n[[authors]]\nname = \"Inès Abadie\"\nbio = \"Une autre bio.\"\nphoto = \"{photo}\"\n+++\n\n{}\n",
            "Un texte assez long pour passer les règles du livre, avec des mots. ".repeat(30)
        ),
    )
    .unwrap();
    let site = site_of(d.path());
    let ines = page(&site, "contributors/abadie-ines/index.html");
    assert!(ines.contains("<h1>Inès Abadie</h1>"));
    assert!(ines.contains("<a href=\"../../la-citation-detournee/index.html\">La citation détournée</a>"), "{ines}");
    assert!(ines.contains("<a href=\"../../second-essay/index.html\">Un second essai</a>"), "{ines}");
    assert!(ines.contains("<a href=\"../../contributors/benslimane-karim/index.html\">Karim Benslimane</a>"));
    let karim = page(&site, "contributors/benslimane-karim/index.html");
    assert!(karim.contains("<a href=\"../../contributors/abadie-ines/index.html\">Inès Abadie</a>"), "both ways");
    assert!(page(&site, "contributors/index.html").contains("<a href=\"abadie-ines/index.html\">"));
}

/// The sidebar of `page`: its `<nav id="sidebar">` element.
fn sidebar(page: &str) -> Option<&str> {
    let at = page.find("<nav id=\"sidebar\"")?;
    Some(&page[at..at + page[at..].find("</nav>")?])
}

#[test]
fn every_page_but_the_home_page_has_the_contents_beside_it_with_itself_marked() {
    let site = site_of(&repo());
    for (path, own) in [
        ("la-citation-detournee/index.html", "../la-citation-detournee/index.html"),
        ("part/ecrire/index.html", "../../part/ecrire/index.html"),
        ("front/preface/index.html", "../../front/preface/index.html"),
        ("contributors/index.html", "../contributors/index.html"),
    ] {
        let html = page(&site, path);
        let nav = sidebar(&html).unwrap_or_else(|| panic!("{path} has no sidebar"));
        assert_eq!(nav.matches("aria-current=\"page\"").count(), 1, "{path}: {nav}");
        assert!(nav.contains(&format!("href=\"{own}\" aria-current=\"page\"")), "{path}: {nav}");
        // All twelve essays: the sample is small enough for every part to be open.
        assert_eq!(nav.matches("<span class=\"authors\">").count(), 12, "{path}");
        assert!(html.contains("<a class=\"menu-link\" href=\"#sidebar\">Sommaire</a>"), "{path}: the phone's menu");
    }
    for path in ["index.html", "all.html"] {
        let html = page(&site, path);
        assert!(sidebar(&html).is_none(), "{path} has its own contents");
        assert!(!html.contains("menu-link"), "{path}");
    }
    // Every page: the reader's settings, labelled in the book's language,
    // the script that remembers them, and a description.
    for (path, bytes) in &site.files {
        if path.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = String::from_utf8_lossy(bytes);
        for want in [
            "<summary>Affichage</summary>",
            "<input type=\"radio\" name=\"theme\" id=\"theme-sepia\" value=\"sepia\"><label for=\"theme-sepia\">Sépia</label>",
            "<input type=\"radio\" name=\"size\" id=\"size-100\" value=\"100\" checked>",
            "assets/reader.js\"></script>",
            "<meta name=\"description\" content=\"",
        ] {
            assert!(html.contains(want), "{} lacks {want}", path.display());
        }
    }
    assert!(site.files.contains_key(Path::new("assets/reader.js")));
}

/// A generated book of `essays` short essays in `sections` parts, and its site.
fn generated_site(essays: usize, sections: usize) -> (anthology::model::book::Book, anthology::editions::html::Site) {
    let d = tempfile::tempdir().unwrap();
    let settings = anthology::synth::Settings { essays, words: 120, photo_pixels: 0, sections, ..Default::default() };
    anthology::synth::generate(d.path(), &settings).unwrap();
    let (book, _) = anthology::prepare(d.path(), false).unwrap();
    let book = book.unwrap();
    let site = anthology::editions::html::render(&book).unwrap();
    (book, site)
}

#[test]
fn a_large_book_s_sidebar_opens_only_the_current_part() {
    let (book, site) = generated_site(240, 2);
    let part = |n: usize| &book.parts.iter().filter(|p| p.section.is_some()).nth(n).unwrap().essays;
    let (first, second) = (part(0), part(1));
    assert!(first.len() + second.len() == 240 && first.len() <= 150 && second.len() <= 150);
    let html = page(&site, &format!("{}/index.html", first[3].slug));
    let nav = sidebar(&html).unwrap();
    assert_eq!(nav.matches("<span class=\"authors\">").count(), first.len(), "the open part's essays, all");
    assert!(nav.contains(&format!("href=\"../{}/index.html\" aria-current=\"page\"", first[3].slug)));
    assert!(!nav.contains(&format!("../{}/index.html", second[0].slug)), "the other part is closed");
    assert_eq!(nav.matches("<li class=\"part\">").count(), 2, "both parts' titles");
    // A page that belongs to no part lists the parts alone.
    let index = page(&site, "contributors/index.html");
    assert_eq!(sidebar(&index).unwrap().matches("<span class=\"authors\">").count(), 0);

    // One part of 240: the current fifty, and the first of every other fifty.
    let (book, site) = generated_site(240, 1);
    let all: Vec<_> = book.essays().collect();
    let html = page(&site, &format!("{}/index.html", all[75].slug));
    let nav = sidebar(&html).unwrap();
    assert_eq!(nav.matches("<span class=\"authors\">").count(), 50 + 4, "essays 51 to 100, and 1, 101, 151 and 201");
    for i in [0, 50, 75, 99, 100, 150, 200] {
        assert!(nav.contains(&format!("../{}/index.html", all[i].slug)), "essay {i}");
    }
    for i in [1, 49, 101, 239] {
        assert!(!nav.contains(&format!("../{}/index.html\"", all[i].slug)), "essay {i}");
    }
}

#[test]
fn watch_writes_the_site_before_the_pdf_and_ends_with_a_cold_builds_site() {
    use anthology::live::watch::{Rebuild, Watcher};
    let d = tempfile::tempdir().unwrap();
    for f in ["book.toml", "contributions", "front", "back", "sections"] {
        let from = repo().join(f);
        if from.is_dir() {
            common::copy_dir(&from, &d.path().join(f));
        } else {
            std::fs::copy(&from, d.path().join(f)).unwrap();
        }
    }
    let mut watcher = Watcher::new(d.path(), &d.path().join("dist"), None, false);
    // The first build has no PDF before it: the site waits for this one's.
    let Ok(Rebuild::Built { site_first, .. }) = watcher.build() else { panic!("built") };
    assert_eq!(site_first, None);
    // An edit: the site goes out early, then again once the PDF is done.
    let contributions = d.path().join("contributions");
    let essay = common::files_under(&contributions)
        .into_keys()
        .find(|p| p.extension().is_some_and(|x| x == "md"))
        .map(|p| contributions.join(p))
        .expect("an essay file");
    let mut text = std::fs::read_to_string(&essay).unwrap();
    text.push_str("\nUne phrase ajoutée pendant `watch`.\n");
    std::fs::write(&essay, text).unwrap();
    let Ok(Rebuild::Built { site_first, time, .. }) = watcher.build() else { panic!("built") };
    let early = site_first.expect("the site written before the PDF was done");
    assert!(early < time, "{early:?} within the build's {time:?}");
    // What `watch` leaves is what a cold build writes.
    let cold = tempfile::tempdir().unwrap();
    let (book, _) = anthology::prepare(d.path(), false).unwrap();
    let session = anthology::build::Session::with_cache(anthology::cache::DiskCache::disabled());
    let book = book.unwrap();
    session.editions(&book, cold.path(), anthology::editions::Editions::default_for(&book.config));
    let (watched, built) =
        (common::files_under(&d.path().join("dist/html")), common::files_under(&cold.path().join("html")));
    assert_eq!(watched.keys().collect::<Vec<_>>(), built.keys().collect::<Vec<_>>());
    for (path, bytes) in &watched {
        assert!(bytes == &built[path], "{} differs from a cold build's", path.display());
    }
}
