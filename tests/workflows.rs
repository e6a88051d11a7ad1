//! The contributor and release workflow, as a book's repository runs it: a
//! pull request checked with `check --changed`, release builds that give the
//! same bytes twice, and the GitHub workflows `init` writes, whose every
//! `anthology` command is run here as CI would run it.
//!
//! These tests need `git`; without it they say so, and fail under `CI=true`.

#[allow(dead_code)] // Each test binary uses its own part of the shared helpers.
mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{copy_dir, in_ci, repo};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_anthology"))
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Whether git can be run; says so plainly when not (and fails in CI).
fn have_git() -> bool {
    let ok = Command::new("git").arg("--version").output().is_ok_and(|o| o.status.success());
    if !ok {
        assert!(!in_ci(), "git is missing: the workflow tests need it");
        eprintln!("SKIPPED: git is missing");
    }
    ok
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.org", "-c", "commit.gpgsign=false"])
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// A copy of the sample book in a new repository, committed on `main`, with
/// `origin/main` pointing at that commit (as after a checkout in CI).
fn sample_repository(dir: &Path) {
    for item in ["book.toml", "contributions", "front", "back", "sections"] {
        let from = repo().join(item);
        if from.is_dir() {
            copy_dir(&from, &dir.join(item));
        } else {
            std::fs::copy(&from, dir.join(item)).unwrap();
        }
    }
    git(dir, &["init", "-q", "-b", "main"]);
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", "the book"]);
    git(dir, &["update-ref", "refs/remotes/origin/main", "HEAD"]);
}

#[test]
fn a_pull_request_sees_its_own_problems_on_their_lines() {
    if !have_git() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    sample_repository(d);
    // A problem already on main, in an essay the pull request does not touch.
    let old = d.join("contributions/la-citation-detournee.md");
    let old = if old.exists() { old } else { d.join("contributions/la-citation-detournee/index.md") };
    let text = std::fs::read_to_string(&old).unwrap();
    std::fs::write(&old, text.replacen("+++\n", "+++\nsection = \"nowhere\"\n", 1)).unwrap();
    git(d, &["commit", "-q", "-am", "an old problem"]);
    git(d, &["update-ref", "refs/remotes/origin/main", "HEAD"]);

    // The contributor's branch: a new essay with two mistakes.
    git(d, &["checkout", "-q", "-b", "my-essay"]);
    let essay = "+++\ntitle = \"Mon essai\"\nsection = \"nulle-part\"\n\n[[authors]]\nname = \"Camille Martin\"\nbio = \"Camille écrit.\"\nphoto = \"portrait.png\"\n+++\n\nUn texte.\n";
    let folder = d.join("contributions/mon-essai");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("index.md"), essay).unwrap();

    let out = bin().args(["check", "--changed", "origin/main", "--format", "github"]).current_dir(d).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let s = stdout(&out);
    assert!(s.contains("::error file=contributions/mon-essai/index.md,line=3,col=11,title=S004"), "{s}");
    assert!(s.contains("::error file=contributions/mon-essai/index.md,line=8,"), "the missing photo, on its line: {s}");
    assert!(!s.contains("la-citation-detournee"), "problems of essays the branch did not touch are not its: {s}");
    assert!(s.contains("checked (1 changed since origin/main)"), "{s}");

    // Fixed: the check passes, while the full check still sees main's problem.
    let fixed = essay.replace("section = \"nulle-part\"\n", "");
    std::fs::write(folder.join("index.md"), fixed + &"Des mots. ".repeat(80)).unwrap();
    std::fs::copy(d.join("contributions/relire-son-fil/portrait.png"), folder.join("portrait.png")).unwrap();
    let out = bin().args(["check", "--changed", "origin/main"]).current_dir(d).output().unwrap();
    assert!(out.status.success(), "{}", stdout(&out));
    assert_eq!(bin().args(["check"]).current_dir(d).output().unwrap().status.code(), Some(1));

    // Outside a repository, and with an unknown ref: clear errors.
    let plain = tempfile::tempdir().unwrap();
    assert!(bin().args(["init", plain.path().to_str().unwrap()]).output().unwrap().status.success());
    let out = bin().args(["check", "--changed", "main"]).current_dir(plain.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not in a git repository"));
    let out = bin().args(["check", "--changed", "no-such-branch"]).current_dir(d).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("git does not know `no-such-branch`"));
}

#[test]
fn two_release_builds_of_a_commit_are_identical() {
    if !have_git() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    sample_repository(d);
    let release = || {
        let out = bin()
            .args(["build", "--release", "--version-tag", "v1.2.0", "--quiet"])
            .env_remove("SOURCE_DATE_EPOCH")
            .current_dir(d)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        std::fs::read_to_string(d.join("dist/SHA256SUMS")).unwrap()
    };
    let first = release();
    assert!(bin().args(["clean"]).current_dir(d).output().unwrap().status.success());
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let second = release();
    assert_eq!(first, second, "the same commit, the same bytes");
    let names: Vec<&str> = first.lines().map(|l| l.split("  ").nth(1).unwrap()).collect();
    assert_eq!(
        names,
        [
            "regards-croises-v1.2.0.pdf",
            "regards-croises-v1.2.0.epub",
            "regards-croises-v1.2.0-html.zip",
            "regards-croises-v1.2.0-offprints.zip",
            "regards-croises-v1.2.0-cards.zip"
        ]
    );

    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("dist/manifest.json")).unwrap()).unwrap();
    let formats: Vec<&str> =
        manifest["editions"].as_array().unwrap().iter().map(|e| e["format"].as_str().unwrap()).collect();
    // Every edition but the print cover, which is a printed book's (tests/print.rs).
    let every: Vec<&str> = anthology::editions::Edition::ALL
        .iter()
        .filter(|e| **e != anthology::editions::Edition::Cover)
        .map(|e| e.id())
        .collect();
    assert_eq!(formats, every, "the sample makes every edition, and its release holds each");
    assert_eq!(manifest["version"], "v1.2.0");
    assert_eq!(manifest["essays"], 12);
    assert_eq!(manifest["editions"][0]["pages"].as_u64().map(|p| p > 10), Some(true));
    // Every font the PDF embeds, with the hash of its file: Libertinus
    // Serif for the text, DejaVu Sans Mono for the code.
    let fonts = manifest["fonts"].as_array().unwrap();
    let names: Vec<&str> = fonts.iter().map(|f| f["name"].as_str().unwrap()).collect();
    assert!(names.contains(&"LibertinusSerif-Regular") && names.contains(&"DejaVuSansMono"), "{names:?}");
    for f in fonts {
        let sha = f["sha256"].as_str().unwrap();
        assert!(sha.len() == 64 && sha.chars().all(|c| c.is_ascii_hexdigit()), "{f}");
    }
    // Dated by the commit, not by the clock.
    let commit = Command::new("git").args(["-C", d.to_str().unwrap(), "log", "-1", "--format=%cI"]).output().unwrap();
    let commit = String::from_utf8_lossy(&commit.stdout).trim().to_string();
    let date = manifest["date"].as_str().unwrap();
    assert_eq!(&date[..10], &commit[..10], "{date} vs {commit}");
    let epub = std::fs::read(d.join("dist/regards-croises-v1.2.0.epub")).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(epub)).unwrap();
    let mut opf = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("EPUB/package.opf").unwrap(), &mut opf).unwrap();
    assert!(opf.contains("<meta property=\"schema:version\">v1.2.0</meta>"), "{opf}");

    let stats = stdout(&bin().args(["stats"]).current_dir(d).output().unwrap());
    assert!(stats.contains("12 essays, 13 contributors"), "{stats}");
    assert!(stats.contains("every author has a photo"), "{stats}");
    assert!(stats.contains(" pages (") && stats.contains("regards-croises-v1.2.0.pdf)"), "from the manifest: {stats}");
}

/// Splits a shell command line into words: spaces separate, double quotes group.
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    let mut any = false;
    for c in line.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                any = true;
            }
            ' ' if !quoted => {
                if any {
                    out.push(std::mem::take(&mut word));
                    any = false;
                }
            }
            c => {
                word.push(c);
                any = true;
            }
        }
    }
    if any {
        out.push(word);
    }
    out
}

/// Every `run:` line of a workflow, in order.
fn run_lines(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap();
    let docs = yaml_rust2::YamlLoader::load_from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut lines = Vec::new();
    for (_, job) in docs[0]["jobs"].as_hash().expect("jobs") {
        for step in job["steps"].as_vec().expect("steps") {
            if let Some(run) = step["run"].as_str() {
                lines.extend(run.lines().map(str::to_string));
            }
        }
    }
    lines
}

#[test]
fn the_repository_workflows_are_the_templates_init_writes() {
    // Only check.yml: a version tag of this repository releases the tool
    // (cargo-dist's release.yml), not the sample book.
    for (name, text) in anthology::scaffold::workflows(anthology::scaffold::INSTALL_FROM_SOURCES).into_iter().take(1) {
        let path = repo().join(anthology::scaffold::WORKFLOWS_DIR).join(name);
        let ours = std::fs::read_to_string(&path).unwrap();
        assert!(ours == text, "{} differs from src/workflows/{name}", path.display());
    }
}

#[test]
fn every_command_the_workflows_run_works_on_a_new_book() {
    if !have_git() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert!(bin().args(["init", d.to_str().unwrap(), "--title", "Flows"]).output().unwrap().status.success());
    git(d, &["init", "-q", "-b", "main"]);
    git(d, &["add", "-A"]);
    git(d, &["commit", "-q", "-m", "a new book"]);
    git(d, &["update-ref", "refs/remotes/origin/main", "HEAD"]);
    git(d, &["tag", "v1.0.0"]);

    let mut ran = Vec::new();
    for name in ["check.yml", "release.yml"] {
        let path: PathBuf = d.join(anthology::scaffold::WORKFLOWS_DIR).join(name);
        for line in run_lines(&path) {
            let line = line.replace("${{ github.base_ref }}", "main").replace("${{ github.ref_name }}", "v1.0.0");
            let w = words(&line);
            match w.first().map(String::as_str) {
                Some("anthology") => {
                    let out = bin().args(&w[1..]).current_dir(d).output().unwrap();
                    assert!(
                        out.status.success(),
                        "{name}: `{line}` failed:\n{}{}",
                        stdout(&out),
                        String::from_utf8_lossy(&out.stderr)
                    );
                    ran.push(line.clone());
                }
                Some("cd") => {
                    let out = Command::new("sh").args(["-c", &line]).current_dir(d).output().unwrap();
                    assert!(out.status.success(), "{name}: `{line}`: {}", String::from_utf8_lossy(&out.stderr));
                }
                Some("gh") => {
                    // What the release attaches must exist.
                    for file in w.iter().filter(|a| a.starts_with("dist/")) {
                        let (prefix, suffix) = file.split_once('*').unwrap_or((file, ""));
                        let found = std::fs::read_dir(d.join("dist")).unwrap().any(|e| {
                            let p = format!("dist/{}", e.unwrap().file_name().to_string_lossy());
                            p.starts_with(prefix) && p.ends_with(suffix) && p.len() >= prefix.len() + suffix.len()
                        });
                        assert!(found, "{name}: nothing in dist/ matches {file}");
                    }
                }
                _ => {}
            }
        }
    }
    assert_eq!(ran.len(), 4, "check, the preview build, the proofs and the release build: {ran:?}");
    assert!(d.join("preview/html/index.html").exists() && d.join("preview/flows.pdf").exists());
}

/// The editor's desk on a copy of the sample book: its authors invited with
/// three people who sent nothing (one past the deadline, one who declined),
/// every state where it applies, and a release that waits for every
/// approval, passes once they are in, and waits again after an edit.
#[test]
fn the_desk_derives_every_state_and_the_release_waits_for_approvals() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for item in ["book.toml", "contributions", "front", "back", "sections"] {
        let from = repo().join(item);
        if from.is_dir() {
            copy_dir(&from, &d.join(item));
        } else {
            std::fs::copy(&from, d.join(item)).unwrap();
        }
    }
    // 2026-12-07, noon UTC: the desk's today, and the release's date.
    let run = |args: &[&str]| bin().args(args).current_dir(d).env("SOURCE_DATE_EPOCH", "1796644800").output().unwrap();
    let (book, _) = anthology::prepare(d, false).unwrap();
    let book = book.unwrap();
    let mut sheet = String::from("name,email,due\n");
    for (i, c) in book.contributors.iter().enumerate() {
        sheet.push_str(&format!("{},author{i}@example.org,2027-01-15\n", c.author.name));
    }
    sheet.push_str("Hugo Silent,hugo@example.org,2026-11-30\nLéa Waiting,lea@example.org,2027-02-28\n");
    sheet.push_str("Marc Declines,marc@example.org,2027-01-15\n");
    std::fs::write(d.join("invitees.csv"), sheet).unwrap();
    let out = run(&["desk", "invite", "invitees.csv", "--from", "Camille Ferrand <camille@example.org>"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // One invitation each, addressed, in the book's language.
    let invitations = d.join("dist/invitations");
    let hugo = std::fs::read_to_string(invitations.join("hugo-silent.eml")).unwrap();
    assert!(hugo.contains("To: Hugo Silent <hugo@example.org>\r\n") && hugo.contains("30 novembre 2026"), "{hugo}");
    let invited = std::fs::read_to_string(invitations.join("messages.csv")).unwrap();
    assert_eq!(invited.lines().count(), book.contributors.len() + 3 + 1, "{invited}");
    assert!(run(&["desk", "answer", "Marc Declines", "declined"]).status.success());

    // One essay approved as it is, one approved then edited, one with an
    // error, one whose proof was made.
    assert!(run(&["desk", "approve", "le-lecteur-silencieux", "--by", "Zélie Quéré"]).status.success());
    assert!(run(&["desk", "approve", "relire-son-fil", "--by", "gaspard ollivier"]).status.success());
    let edited = d.join("contributions/relire-son-fil/index.md");
    let text = std::fs::read_to_string(&edited).unwrap();
    std::fs::write(&edited, format!("{text}\nUne phrase de plus.\n")).unwrap();
    let broken = d.join("contributions/a-handle-is-a-name/index.md");
    let original = std::fs::read_to_string(&broken).unwrap();
    std::fs::write(&broken, format!("{original}\n![](missing.png)\n")).unwrap();
    let essay = book.essays().find(|e| e.slug == "what-the-feed-remembered").unwrap();
    let digest = anthology::desk::state::digest(d, essay);
    anthology::desk::proof_made(d, &essay.slug, &digest, "2026-12-07").unwrap();

    let out = run(&["desk", "--format", "json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let people = json["contributors"].as_array().unwrap();
    let state = |name: &str| {
        let p = people.iter().find(|p| p["name"] == name).unwrap_or_else(|| panic!("{name} in {json}"));
        p["state"].as_str().unwrap().to_string()
    };
    assert_eq!(state("Léa Waiting"), "invited");
    assert_eq!(state("Marc Declines"), "declined");
    assert_eq!(state("Hugo Silent"), "late");
    assert_eq!(state("Noor Haddad"), "received", "her essay has an error");
    assert_eq!(state("Priya Nandakumar"), "checked");
    assert_eq!(state("Eva Ebner"), "proof-sent");
    assert_eq!(state("Zélie Quéré"), "approved");
    assert_eq!(state("Gaspard Ollivier"), "changed");
    // The preface's authors were never invited: contributors all the same.
    let camille = people.iter().find(|p| p["name"] == "Camille Ferrand").unwrap();
    assert_eq!(camille["essays"], serde_json::json!(["preface"]));
    assert_eq!(camille["missing"], serde_json::json!(["bio", "photo", "approval"]));
    let hugo = people.iter().find(|p| p["name"] == "Hugo Silent").unwrap();
    assert_eq!((hugo["email"].as_str(), hugo["due"].as_str()), (Some("hugo@example.org"), Some("2026-11-30")));
    let authors: std::collections::BTreeSet<&str> =
        book.texts().flat_map(|t| t.authors.iter().map(|a| a.name.as_str())).collect();
    assert_eq!(people.len(), authors.len() + 3, "every author of every text, and the three who sent nothing");
    std::fs::write(&broken, &original).unwrap();

    // Proofs: every author of every essay gets a message with the essay's
    // proof attached, and the essay whose approved text changed gets what
    // changed.
    let out = run(&["desk", "proofs"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let proofs = d.join("dist/proofs");
    let csv = std::fs::read_to_string(proofs.join("messages.csv")).unwrap();
    let mut messages = 0;
    for e in book.essays() {
        for a in &e.authors {
            let eml = proofs.join(&e.slug).join(format!("{}.eml", anthology::lang::slug::ascii(&a.name)));
            let text =
                std::fs::read_to_string(&eml).unwrap_or_else(|_| panic!("no message to {} for {}", a.name, e.slug));
            assert!(
                text.contains("Content-Type: application/pdf") && text.contains("\r\nJVBERi0"),
                "{}",
                eml.display()
            );
            assert!(text.contains("@example.org>\r\nSubject: "), "addressed as invited: {}", eml.display());
            messages += 1;
        }
        assert!(csv.contains(&format!(",{},", e.slug)));
    }
    assert_eq!(csv.lines().count(), messages + 1, "{csv}");
    let changes = std::fs::read_to_string(proofs.join("relire-son-fil/relire-son-fil-changes.diff")).unwrap();
    assert!(changes.contains("+Une phrase de plus."), "{changes}");
    let gaspard = std::fs::read_to_string(proofs.join("relire-son-fil/gaspard-ollivier.eml")).unwrap();
    assert!(gaspard.contains("relire-son-fil-changes.diff"));
    let out = run(&["desk", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let priya = json["contributors"].as_array().unwrap().iter().find(|p| p["name"] == "Priya Nandakumar").unwrap();
    assert_eq!(priya["state"], "proof-sent", "a proof of her text as it is now was made");
    // Reminders: to the late, and to those whose proof waits.
    assert!(run(&["desk", "remind"]).status.success());
    let reminders = d.join("dist/reminders");
    assert!(std::fs::read_to_string(reminders.join("hugo-silent.eml")).unwrap().contains("30 novembre 2026"));
    assert!(std::fs::read_to_string(reminders.join("priya-nandakumar.eml")).unwrap().contains("7 décembre 2026"));
    assert!(!reminders.join("lea-waiting.eml").exists() && !reminders.join("zelie-quere.eml").exists());

    // `check` warns; the release refuses, naming the essay and who must approve.
    let out = run(&["check"]);
    assert!(out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("warning[D001]: `relire-son-fil`: changed since Gaspard Ollivier approved it on 2026-12-07")
    );
    let out = run(&["build", "--release"]);
    let said = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(said.contains("error[D001]: `a-handle-is-a-name`: not approved by Noor Haddad"), "{said}");
    assert!(!d.join("dist/html").exists() && !d.join("dist/SHA256SUMS").exists(), "nothing built");

    // Every author approves every text: the release is made.
    for text in book.texts().filter(|t| !t.authors.is_empty()) {
        for a in &text.authors {
            assert!(run(&["desk", "approve", &text.slug, "--by", &a.name]).status.success());
        }
    }
    let out = run(&["build", "--release"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(d.join("dist/SHA256SUMS").exists());
    // Publication day: each author's share kit, the offprint and the card attached.
    assert!(run(&["desk", "announce"]).status.success());
    for e in book.essays() {
        for a in &e.authors {
            let name = format!("{}.eml", anthology::lang::slug::ascii(&a.name));
            let eml = d.join("dist/announcements").join(&e.slug).join(name);
            let text = std::fs::read_to_string(&eml).unwrap();
            let attached = text.contains("Content-Type: application/pdf") && text.contains("Content-Type: image/png");
            assert!(attached, "{}", eml.display());
        }
    }

    // An author who does not consent to their photo and handle: no
    // edition shows them.
    let page = || std::fs::read_to_string(d.join("dist/html/le-lecteur-silencieux/index.html")).unwrap();
    assert!(page().contains("@zelie@muets.example") && page().contains("<img class=\"portrait\""));
    let args = ["desk", "approve", "le-lecteur-silencieux", "--by", "Zélie Quéré", "--photo", "no", "--handle", "no"];
    assert!(run(&args).status.success());
    let out = run(&["build", "--format", "html"]);
    let said = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        said.contains("the photo of Zélie Quéré is left out") && said.contains("the handle of Zélie Quéré"),
        "{said}"
    );
    assert!(!page().contains("@zelie@muets.example"), "the handle is not printed");
    assert!(!page().contains("<img class=\"portrait\""), "nor the photo");

    // An approved essay edited: the release waits again.
    std::fs::write(&edited, format!("{text}\nUne autre phrase.\n")).unwrap();
    let out = run(&["build", "--release"]);
    let said = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(said.contains("error[D001]: `relire-son-fil`: changed since Gaspard Ollivier"), "{said}");
    // Unless the desk says a release does not wait.
    let desk = std::fs::read_to_string(d.join("desk.toml")).unwrap();
    std::fs::write(d.join("desk.toml"), desk.replacen("[desk]\n", "[desk]\nrelease_needs_approval = false\n", 1))
        .unwrap();
    assert_eq!(run(&["build", "--release"]).status.code(), Some(0));
}

/// The workflows `init` writes install anthology with this repository's
/// action at the version that wrote them: no address to fill in, no
/// compilation in a book's CI.
#[test]
fn init_writes_workflows_that_use_the_action_at_its_own_version() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert!(bin().args(["init", d.to_str().unwrap(), "--title", "Pinned"]).output().unwrap().status.success());
    let want = format!("uses: anthology-books/anthology@v{}\n", env!("CARGO_PKG_VERSION"));
    for name in ["check.yml", "release.yml"] {
        let text = std::fs::read_to_string(d.join(anthology::scaffold::WORKFLOWS_DIR).join(name)).unwrap();
        assert!(text.contains(&want), "{name}:\n{text}");
        assert!(!text.contains("cargo install") && !text.contains("your-organisation"), "{name}:\n{text}");
    }
    // The action is at the repository's root, where `uses: owner/repo@tag` finds it.
    let action = std::fs::read_to_string(repo().join("action.yml")).unwrap();
    assert!(action.contains("using: composite") && action.contains("sha256"), "{action}");
}
