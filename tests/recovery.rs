//! Unsaved work survives crashes window by window: one window's clean quit
//! never removes another's work, and work is offered once, after its window
//! is gone, with the absolute path of its map. Crashes are real: a window
//! process (this test binary, started again) is killed with SIGKILL.

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use journeymap::model::{JourneyMap, format, templates};
use journeymap::recovery::{self, Slot};

const WINDOW_STATE: &str = "JOURNEYMAP_TEST_WINDOW_STATE";
const WINDOW_TITLE: &str = "JOURNEYMAP_TEST_WINDOW_TITLE";
const WINDOW_ORIGIN: &str = "JOURNEYMAP_TEST_WINDOW_ORIGIN";

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("journeymap-recovery-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir.canonicalize().unwrap()
}

fn map(title: &str) -> JourneyMap {
    templates::find("basic").unwrap().new_map(title)
}

/// Slot folders under the state folder, live or dead.
fn slot_dirs(state: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(state.join("recovery")) else {
        return Vec::new();
    };
    entries.map(|e| e.unwrap().path()).filter(|p| p.is_dir()).collect()
}

struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// These tests run one at a time. A window's lock is an open file; a test
/// that starts a child process forks, and for a moment the child holds a
/// copy of every open file, locks included, so another test's "closed"
/// window could still look alive. (Windows of the app start no processes
/// while their slots change hands.)
fn serial() -> std::sync::MutexGuard<'static, ()> {
    static ONE: std::sync::Mutex<()> = std::sync::Mutex::new(());
    ONE.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Runs a window in another process with `cwd` as its working directory: it
/// claims a slot in `state`, writes a map titled `title` (if any) from
/// `origin` (if any, as given), and is then killed. Returns its slot folder.
fn crashed_window(state: &Path, cwd: &Path, title: Option<&str>, origin: Option<&str>) -> PathBuf {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command
        .args([
            "--ignored",
            "--exact",
            "window_process",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(WINDOW_STATE, state)
        .current_dir(cwd)
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    if let Some(title) = title {
        command.env(WINDOW_TITLE, title);
    }
    if let Some(origin) = origin {
        command.env(WINDOW_ORIGIN, origin);
    }
    let mut child = KillOnDrop(command.spawn().unwrap());
    let stdout = BufReader::new(child.0.stdout.take().unwrap());
    let slot = stdout
        .lines()
        .map(Result::unwrap)
        .find_map(|line| line.split_once("window slot: ").map(|(_, dir)| PathBuf::from(dir)))
        .expect("the window process reports its slot");
    child.0.kill().unwrap(); // SIGKILL: no destructor, no clean-up
    child.0.wait().unwrap();
    slot
}

/// The window process of `crashed_window`; does nothing when run directly.
#[test]
#[ignore = "started by the crash tests as a separate window process"]
fn window_process() {
    let Some(state) = std::env::var_os(WINDOW_STATE) else {
        return;
    };
    let slot = Slot::claim(Path::new(&state)).unwrap();
    if let Some(title) = std::env::var_os(WINDOW_TITLE) {
        let origin = std::env::var_os(WINDOW_ORIGIN).map(PathBuf::from);
        slot.write(&map(title.to_str().unwrap()), origin.as_deref()).unwrap();
    }
    // libtest has already started this line with the test's name.
    println!("window slot: {}", slot.dir().display());
    std::io::stdout().flush().unwrap();
    std::thread::sleep(Duration::from_secs(120));
    std::process::abort(); // never a clean exit
}

#[test]
fn a_clean_quit_leaves_another_windows_work_alone() {
    let _one_at_a_time = serial();
    let state = scratch("two-windows");
    let trip = state.join("trip.ron");
    format::save(&map("Trip"), &trip).unwrap();

    let a = Slot::claim(&state).unwrap();
    a.write(&map("Trip, unsaved edits"), Some(&trip)).unwrap();
    let b = Slot::claim(&state).unwrap();
    assert_ne!(a.dir(), b.dir());
    b.write(&map("Other map"), None).unwrap();
    let b_dir = b.dir().to_owned();
    b.release().unwrap();

    assert!(!b_dir.exists(), "a clean quit removes the window's own slot");
    let kept = format::load(&a.dir().join("map.ron")).unwrap();
    assert_eq!(kept.title, "Trip, unsaved edits");
    let scan = recovery::orphans(&state);
    assert!(scan.orphans.is_empty(), "A is alive: {:?}", scan.orphans);
    assert!(scan.notices.is_empty(), "{:?}", scan.notices);
    assert!(
        a.dir().join("map.ron").exists(),
        "scanning leaves a live window's work in place"
    );
}

#[test]
fn a_live_windows_recovery_is_never_read_or_moved() {
    let _one_at_a_time = serial();
    let state = scratch("live-unreadable");
    let a = Slot::claim(&state).unwrap();
    a.write(&map("Mine"), None).unwrap();
    // Even work that would not load is the live window's business.
    fs::write(a.dir().join("map.ron"), "(format_version: 1, title: ").unwrap();
    let scan = recovery::orphans(&state);
    assert!(scan.orphans.is_empty());
    assert!(scan.notices.is_empty(), "{:?}", scan.notices);
    assert_eq!(
        fs::read_to_string(a.dir().join("map.ron")).unwrap(),
        "(format_version: 1, title: "
    );
    assert!(!state.join("recovery-unreadable").exists());
}

#[test]
fn a_crashed_window_is_offered_once_with_the_absolute_path_of_its_map() {
    let _one_at_a_time = serial();
    let state = scratch("crash");
    let work = scratch("crash-cwd");
    fs::create_dir_all(work.join("maps")).unwrap();
    format::save(&map("Trip"), &work.join("maps/trip.ron")).unwrap();

    // The window ran in another folder and was given a relative path.
    crashed_window(
        &state,
        &work,
        Some("Trip, unsaved edits"),
        Some("maps/../maps/trip.ron"),
    );
    // This process's folder has no maps/trip.ron: the relative text alone
    // would point at the wrong file (or none).
    assert!(!Path::new("maps/trip.ron").exists());

    let mut scan = recovery::orphans(&state);
    assert!(scan.notices.is_empty(), "{:?}", scan.notices);
    assert_eq!(scan.orphans.len(), 1);
    let orphan = scan.orphans.pop().unwrap();
    assert_eq!(orphan.map.title, "Trip, unsaved edits");
    assert_eq!(orphan.origin.as_deref(), Some(work.join("maps/trip.ron").as_path()));
    assert_eq!(orphan.origin_hint, None);
    assert!(
        orphan
            .saved
            .is_some_and(|t| t.elapsed().unwrap() < Duration::from_secs(600))
    );

    // Another window starting while this one offers it sees nothing.
    let second = recovery::orphans(&state);
    assert!(second.orphans.is_empty(), "offered twice: {:?}", second.orphans);
    assert!(second.notices.is_empty(), "{:?}", second.notices);

    // Restored: the work lives in the restoring window's slot, offered nowhere.
    let mine = Slot::claim(&state).unwrap();
    orphan.adopt(&mine).unwrap();
    assert!(recovery::orphans(&state).orphans.is_empty());
    assert_eq!(
        format::load(&mine.dir().join("map.ron")).unwrap().title,
        "Trip, unsaved edits"
    );
    assert_eq!(slot_dirs(&state), vec![mine.dir().to_owned()], "the dead slot is gone");

    // That window exits with the work still unsaved: offered again, same origin.
    drop(mine);
    let mut again = recovery::orphans(&state);
    assert_eq!(again.orphans.len(), 1);
    let orphan = again.orphans.pop().unwrap();
    assert_eq!(orphan.map.title, "Trip, unsaved edits");
    assert_eq!(orphan.origin.as_deref(), Some(work.join("maps/trip.ron").as_path()));

    orphan.discard().unwrap();
    assert!(recovery::orphans(&state).orphans.is_empty());
    assert!(slot_dirs(&state).is_empty());
    assert!(
        work.join("maps/trip.ron").exists(),
        "discarding never touches the map file"
    );
}

#[test]
fn a_crashed_new_map_keeps_where_it_was_to_be_saved_or_no_origin() {
    let _one_at_a_time = serial();
    let state = scratch("crash-new");
    let work = scratch("crash-new-cwd");
    crashed_window(&state, &work, Some("Draft"), Some("drafts/new.ron"));
    crashed_window(&state, &work, Some("Never saved"), None);

    let scan = recovery::orphans(&state);
    assert!(scan.notices.is_empty(), "{:?}", scan.notices);
    let mut found: Vec<(String, Option<PathBuf>)> = scan
        .orphans
        .iter()
        .map(|o| (o.map.title.clone(), o.origin.clone()))
        .collect();
    found.sort();
    assert_eq!(
        found,
        vec![
            ("Draft".to_owned(), Some(work.join("drafts/new.ron"))),
            ("Never saved".to_owned(), None),
        ]
    );
}

#[test]
fn a_crashed_window_with_nothing_unsaved_leaves_nothing_behind() {
    let _one_at_a_time = serial();
    let state = scratch("crash-empty");
    let slot = crashed_window(&state, &state, None, None);
    assert!(slot.join("lock").exists(), "the killed window left its slot");
    let scan = recovery::orphans(&state);
    assert!(scan.orphans.is_empty());
    assert!(scan.notices.is_empty(), "{:?}", scan.notices);
    assert!(!slot.exists(), "the empty slot is removed");
}

#[test]
fn unreadable_work_is_kept_aside_and_reported() {
    let _one_at_a_time = serial();
    let state = scratch("unreadable");
    let work = scratch("unreadable-cwd");
    let slot = crashed_window(&state, &work, Some("Half written"), Some("trip.ron"));
    let garbage = "// Journeymap map file.\n(\n    format_version: 1,\n    title: \"Half wri";
    fs::write(slot.join("map.ron"), garbage).unwrap();

    let scan = recovery::orphans(&state);
    assert!(scan.orphans.is_empty());
    assert_eq!(scan.notices.len(), 1, "{:?}", scan.notices);
    let kept = state
        .join("recovery-unreadable")
        .join(format!("{}.ron", slot.file_name().unwrap().to_str().unwrap()));
    assert_eq!(fs::read_to_string(&kept).unwrap(), garbage, "kept byte for byte");
    let notice = &scan.notices[0];
    assert!(notice.contains(&format!("kept as {}", kept.display())), "{notice}");
    assert!(
        notice.contains(&format!("{}:4:", kept.display())),
        "names the line: {notice}"
    );
    assert!(
        notice.contains(&work.join("trip.ron").display().to_string()),
        "says whose work: {notice}"
    );
    assert!(!slot.exists());

    let again = recovery::orphans(&state);
    assert!(
        again.orphans.is_empty() && again.notices.is_empty(),
        "reported once: {:?}",
        again.notices
    );
    assert!(kept.exists());
}

#[test]
fn the_old_single_recovery_file_is_offered_and_cleaned_up() {
    let _one_at_a_time = serial();
    let state = scratch("legacy");
    fs::write(state.join("recovery.ron"), format::to_string(&map("Old work"))).unwrap();
    fs::write(state.join("recovery-origin.txt"), "maps/old.ron").unwrap();

    let mut scan = recovery::orphans(&state);
    assert!(scan.notices.is_empty(), "{:?}", scan.notices);
    assert_eq!(scan.orphans.len(), 1);
    assert!(
        recovery::orphans(&state).orphans.is_empty(),
        "not offered twice at once"
    );
    let orphan = scan.orphans.pop().unwrap();
    assert_eq!(orphan.map.title, "Old work");
    // Relative to which folder? Unknown: saving must ask for a name.
    assert_eq!(orphan.origin, None);
    assert_eq!(orphan.origin_hint.as_deref(), Some("maps/old.ron"));
    orphan.discard().unwrap();

    assert!(!state.join("recovery.ron").exists());
    assert!(!state.join("recovery-origin.txt").exists());
    assert!(recovery::orphans(&state).orphans.is_empty());
    assert!(slot_dirs(&state).is_empty());
}

#[test]
fn an_old_recovery_with_an_absolute_origin_is_restored_into_a_window() {
    let _one_at_a_time = serial();
    let state = scratch("legacy-absolute");
    let trip = state.join("trip.ron");
    format::save(&map("Trip"), &trip).unwrap();
    fs::write(state.join("recovery.ron"), format::to_string(&map("Old edits"))).unwrap();
    fs::write(state.join("recovery-origin.txt"), trip.display().to_string()).unwrap();

    let mine = Slot::claim(&state).unwrap();
    let mut scan = recovery::orphans(&state);
    assert_eq!(scan.orphans.len(), 1);
    let orphan = scan.orphans.pop().unwrap();
    assert_eq!(orphan.origin.as_deref(), Some(trip.as_path()));
    orphan.adopt(&mine).unwrap();

    assert!(!state.join("recovery.ron").exists());
    assert!(!state.join("recovery-origin.txt").exists());
    assert_eq!(format::load(&mine.dir().join("map.ron")).unwrap().title, "Old edits");
    assert!(recovery::orphans(&state).orphans.is_empty());
    mine.release().unwrap();
    assert!(slot_dirs(&state).is_empty());
    assert_eq!(
        format::load(&trip).unwrap().title,
        "Trip",
        "the map file itself is untouched"
    );
}
