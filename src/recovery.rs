//! Unsaved work kept where a crash cannot take it: one recovery slot per
//! window.
//!
//! The rule: a window never reads, offers, moves or deletes a recovery whose
//! owner is alive. A recovery is offered only after its owner is gone, and
//! with the absolute, canonical path of the map it came from.
//!
//! Each window owns `STATE/recovery/<id>/` and holds an exclusive lock on its
//! `lock` file for as long as it runs. The operating system drops that lock
//! when the process ends, however it ends, so a lock that can be taken means a
//! dead owner. Beside it: `map.ron`, the unsaved map (replaced atomically), and
//! `origin`, the map file the work came from, resolved by the owner itself so
//! it never depends on the working directory of the window that restores it.
//! Claiming slots and scanning for orphans both hold `recovery/claims.lock`,
//! so a scan never mistakes a slot still being made for one whose owner died.
//!
//! Work that does not load is never deleted: it is moved to
//! `STATE/recovery-unreadable/` and reported. The single `STATE/recovery.ron`
//! of older versions is taken over as an ownerless slot.

use std::fs::{self, File, TryLockError};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::model::{JourneyMap, format};

const SLOTS: &str = "recovery";
const UNREADABLE: &str = "recovery-unreadable";
const CLAIMS: &str = "claims.lock";
const LOCK: &str = "lock";
const MAP: &str = "map.ron";
const ORIGIN: &str = "origin";
/// An origin that could not be trusted (a relative path from an older
/// version): kept only to be shown.
const ORIGIN_HINT: &str = "origin-hint";
const LEGACY_MAP: &str = "recovery.ron";
const LEGACY_ORIGIN: &str = "recovery-origin.txt";

/// The recovery slot of one running window.
#[derive(Debug)]
pub struct Slot {
    dir: PathBuf,
    _lock: File,
    released: bool,
}

impl Slot {
    /// Makes a fresh slot under `state_dir` and locks it for the life of
    /// this value.
    pub fn claim(state_dir: &Path) -> io::Result<Slot> {
        let root = state_dir.join(SLOTS);
        let _claims = claims_lock(&root)?;
        let (dir, lock) = new_slot(&root)?;
        Ok(Slot {
            dir,
            _lock: lock,
            released: false,
        })
    }

    /// The slot's folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Keeps `map` as the window's unsaved work. `origin` is the file it
    /// belongs to (None for a map never saved); a relative path is resolved
    /// against this process's working directory.
    pub fn write(&self, map: &JourneyMap, origin: Option<&Path>) -> io::Result<()> {
        let (origin, hint) = match origin {
            Some(path) => origin_text(&absolute_origin(path)),
            None => (String::new(), None),
        };
        // The origin is written first; when it changes, the old map goes
        // first, so a crash between the two never pairs a map with the
        // wrong file.
        if fs::read_to_string(self.dir.join(ORIGIN)).ok().as_deref() != Some(origin.as_str()) {
            remove_if_present(&self.dir.join(MAP))?;
            crate::atomic::write(&self.dir.join(ORIGIN), origin.as_bytes(), false)?;
        }
        match hint {
            Some(hint) => crate::atomic::write(&self.dir.join(ORIGIN_HINT), hint.as_bytes(), false)?,
            None if !origin.is_empty() => remove_if_present(&self.dir.join(ORIGIN_HINT))?,
            None => {}
        }
        crate::atomic::write(&self.dir.join(MAP), format::to_string(map).as_bytes(), false)?;
        Ok(())
    }

    /// Forgets the saved work (it was saved to its file, or discarded) but
    /// keeps owning the slot.
    pub fn clear(&self) -> io::Result<()> {
        for name in [MAP, ORIGIN, ORIGIN_HINT] {
            remove_if_present(&self.dir.join(name))?;
        }
        Ok(())
    }

    /// A clean exit: removes the slot and any work in it.
    pub fn release(mut self) -> io::Result<()> {
        self.released = true;
        remove_slot(&self.dir)
    }
}

impl Drop for Slot {
    /// Unlocks. Work still in the slot stays, to be offered at the next start
    /// (an exit with unsaved changes, or a panic); an empty slot is removed.
    fn drop(&mut self) {
        if !self.released && !exists(&self.dir.join(MAP)) {
            let _ = remove_slot(&self.dir);
        }
    }
}

/// Unsaved work whose window is gone. Holds the dead slot's lock while it
/// exists, so no other window offers it at the same time; dropped without
/// `discard` or `adopt`, it stays to be offered at the next start.
#[derive(Debug)]
pub struct Orphan {
    pub map: JourneyMap,
    /// Absolute path of the map file the work came from; None when it was
    /// never saved, or when its recorded path could not be trusted.
    pub origin: Option<PathBuf>,
    /// A relative origin recorded by an older version: ambiguous, so never
    /// used to save, only shown to help the user pick a name.
    pub origin_hint: Option<String>,
    /// When the work was last written.
    pub saved: Option<SystemTime>,
    dir: PathBuf,
    _lock: File,
}

impl Orphan {
    /// Deletes the work.
    pub fn discard(self) -> io::Result<()> {
        remove_slot(&self.dir)
    }

    /// Moves the work into `slot`, replacing whatever the slot held, so it is
    /// protected by a live window again and offered nowhere else.
    pub fn adopt(self, slot: &Slot) -> io::Result<()> {
        slot.clear()?;
        let origin = self.origin.as_deref().map(Path::to_string_lossy).unwrap_or_default();
        crate::atomic::write(&slot.dir.join(ORIGIN), origin.as_bytes(), false)?;
        if let Some(hint) = &self.origin_hint {
            crate::atomic::write(&slot.dir.join(ORIGIN_HINT), hint.as_bytes(), false)?;
        }
        // A rename: the work is in one slot or the other at every moment.
        fs::rename(self.dir.join(MAP), slot.dir.join(MAP))?;
        remove_slot(&self.dir)
    }
}

/// What a start-up scan found.
#[derive(Debug, Default)]
pub struct Scan {
    pub orphans: Vec<Orphan>,
    /// Plain-language reports of recoveries that could not be offered.
    pub notices: Vec<String>,
}

/// The unsaved work left by windows that are gone, newest first. Recoveries
/// of live windows are not looked at.
pub fn orphans(state_dir: &Path) -> Scan {
    let mut scan = Scan::default();
    let root = state_dir.join(SLOTS);
    if !root.exists() && !exists(&state_dir.join(LEGACY_MAP)) {
        let _ = fs::remove_file(state_dir.join(LEGACY_ORIGIN));
        return scan;
    }
    let _claims = match claims_lock(&root) {
        Ok(lock) => lock,
        Err(err) => {
            scan.notices
                .push(format!("Could not look for unsaved work in {}: {err}", root.display()));
            return scan;
        }
    };
    let legacy = match take_over_legacy(state_dir, &root) {
        Ok(legacy) => legacy,
        Err(err) => {
            let path = state_dir.join(LEGACY_MAP);
            scan.notices.push(format!(
                "Could not take over the unsaved work in {}: {err}. It was left in place.",
                path.display()
            ));
            None
        }
    };
    let mut dirs: Vec<PathBuf> = match fs::read_dir(&root) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
            .map(|e| e.path())
            .collect(),
        Err(err) => {
            scan.notices.push(format!("Could not list {}: {err}", root.display()));
            Vec::new()
        }
    };
    dirs.sort();
    for dir in dirs {
        if legacy.as_ref().is_some_and(|(held, _)| *held == dir) {
            continue;
        }
        // No lock file: a slot being removed right now; leave it be.
        let Ok(lock) = File::open(dir.join(LOCK)) else { continue };
        match lock.try_lock() {
            Ok(()) => take(dir, lock, state_dir, &mut scan),
            Err(TryLockError::WouldBlock) => {}
            Err(TryLockError::Error(err)) => scan.notices.push(format!(
                "Could not tell whether the window that kept {} is still open: {err}. It was left alone.",
                dir.display()
            )),
        }
    }
    if let Some((dir, lock)) = legacy {
        take(dir, lock, state_dir, &mut scan);
    }
    scan.orphans.sort_by_key(|orphan| std::cmp::Reverse(orphan.saved));
    scan
}

/// Reads a dead slot, locked by the caller: offers its work, moves it aside
/// if it does not load, or removes the slot if it holds nothing.
fn take(dir: PathBuf, lock: File, state_dir: &Path, scan: &mut Scan) {
    let map_path = dir.join(MAP);
    let bytes = match fs::read(&map_path) {
        Ok(bytes) => bytes,
        Err(err) if err.kind() == io::ErrorKind::NotFound => {
            let _ = remove_slot(&dir);
            return;
        }
        Err(err) => {
            scan.notices.push(format!(
                "Could not read unsaved work in {}: {err}. It was left in place.",
                map_path.display()
            ));
            return;
        }
    };
    let (origin, origin_hint) = read_origin(&dir);
    let saved = fs::metadata(&map_path).and_then(|m| m.modified()).ok();
    if let Ok(map) = format::parse_bytes(&bytes, &map_path) {
        scan.orphans.push(Orphan {
            map,
            origin,
            origin_hint,
            saved,
            dir,
            _lock: lock,
        });
        return;
    }
    let of = match (&origin, &origin_hint) {
        (Some(path), _) => format!(" on {}", path.display()),
        (None, Some(hint)) => format!(" on {hint}"),
        (None, None) => String::new(),
    };
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    match move_aside(&map_path, &state_dir.join(UNREADABLE), &name) {
        Ok(kept) => {
            let _ = remove_slot(&dir);
            // Described as the kept file, so the line numbers point into it.
            let err = format::parse_bytes(&bytes, &kept)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            scan.notices.push(format!(
                "Unsaved work{of} could not be restored and was kept as {}. {err}",
                kept.display()
            ));
        }
        Err(move_err) => {
            let err = format::parse_bytes(&bytes, &map_path)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            scan.notices.push(format!(
                "Unsaved work{of} could not be restored and was left in place ({move_err} when moving it aside). {err}"
            ));
        }
    }
}

/// Moves `file` into `folder` as `name.ron`, never over an earlier file.
fn move_aside(file: &Path, folder: &Path, name: &str) -> io::Result<PathBuf> {
    fs::create_dir_all(folder)?;
    let mut kept = folder.join(format!("{name}.ron"));
    let mut n = 1;
    while fs::symlink_metadata(&kept).is_ok() {
        n += 1;
        kept = folder.join(format!("{name}-{n}.ron"));
    }
    fs::rename(file, &kept)?;
    Ok(kept)
}

fn read_origin(dir: &Path) -> (Option<PathBuf>, Option<String>) {
    let text = fs::read_to_string(dir.join(ORIGIN)).unwrap_or_default();
    let hint = fs::read_to_string(dir.join(ORIGIN_HINT)).ok().filter(|h| !h.is_empty());
    if text.is_empty() {
        return (None, hint);
    }
    let path = PathBuf::from(&text);
    if path.is_absolute() {
        (Some(path), None)
    } else {
        (None, Some(text))
    }
}

/// Moves the single recovery file of older versions into a new slot, locked
/// by the caller, so it is offered like any orphan. Its origin was stored as
/// given: an absolute one is kept, a relative one only as a hint.
fn take_over_legacy(state_dir: &Path, root: &Path) -> io::Result<Option<(PathBuf, File)>> {
    let legacy_map = state_dir.join(LEGACY_MAP);
    let legacy_origin = state_dir.join(LEGACY_ORIGIN);
    if !exists(&legacy_map) {
        let _ = fs::remove_file(&legacy_origin);
        return Ok(None);
    }
    let text = fs::read_to_string(&legacy_origin).unwrap_or_default();
    let (dir, lock) = new_slot(root)?;
    let moved = (|| {
        let path = PathBuf::from(&text);
        let (origin, hint) = if path.is_absolute() {
            origin_text(&absolute_origin(&path))
        } else {
            (String::new(), Some(text).filter(|t| !t.is_empty()))
        };
        crate::atomic::write(&dir.join(ORIGIN), origin.as_bytes(), false)?;
        if let Some(hint) = hint {
            crate::atomic::write(&dir.join(ORIGIN_HINT), hint.as_bytes(), false)?;
        }
        fs::rename(&legacy_map, dir.join(MAP))
    })();
    if let Err(err) = moved {
        let _ = remove_slot(&dir);
        return Err(err);
    }
    let _ = fs::remove_file(&legacy_origin);
    Ok(Some((dir, lock)))
}

/// Locks `root/claims.lock`, waiting for the window that holds it.
fn claims_lock(root: &Path) -> io::Result<File> {
    fs::create_dir_all(root)?;
    let lock = File::create(root.join(CLAIMS))?;
    lock.lock()?;
    Ok(lock)
}

/// Makes and locks a slot folder with a name no other slot has had; the
/// caller holds the claims lock.
fn new_slot(root: &Path) -> io::Result<(PathBuf, File)> {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    loop {
        let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let dir = root.join(format!("{}-{nanos:x}-{n}", std::process::id()));
        match fs::create_dir(&dir) {
            Ok(()) => {}
            Err(err) if err.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(err) => return Err(err),
        }
        let locked = File::create(dir.join(LOCK)).and_then(|lock| {
            lock.try_lock()?;
            Ok(lock)
        });
        return match locked {
            Ok(lock) => Ok((dir, lock)),
            Err(err) => {
                let _ = fs::remove_dir_all(&dir);
                Err(err)
            }
        };
    }
}

/// The absolute path of `path`, canonical when the file exists.
fn absolute_origin(path: &Path) -> PathBuf {
    path.canonicalize()
        .or_else(|_| std::path::absolute(path))
        .unwrap_or_else(|_| path.to_owned())
}

/// A path as stored in an `origin` file, with no hint; or, for a path that is
/// not Unicode and cannot be stored faithfully, no origin and the path as a
/// hint: a wrong origin could overwrite an unrelated map.
fn origin_text(path: &Path) -> (String, Option<String>) {
    match path.to_str() {
        Some(text) => (text.to_owned(), None),
        None => (String::new(), Some(path.to_string_lossy().into_owned())),
    }
}

/// Removes a slot's work before the rest, so a scan that catches the folder
/// half-removed finds nothing to offer.
fn remove_slot(dir: &Path) -> io::Result<()> {
    remove_if_present(&dir.join(MAP))?;
    match fs::remove_dir_all(dir) {
        Err(err) if err.kind() != io::ErrorKind::NotFound => Err(err),
        _ => Ok(()),
    }
}

fn remove_if_present(path: &Path) -> io::Result<()> {
    match fs::remove_file(path) {
        Err(err) if err.kind() != io::ErrorKind::NotFound => Err(err),
        _ => Ok(()),
    }
}

fn exists(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::templates;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("journeymap-recovery-unit-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn map(title: &str) -> JourneyMap {
        templates::find("basic").unwrap().new_map(title)
    }

    #[test]
    fn cleared_slot_stays_owned_and_an_empty_slot_goes_on_drop() {
        let state = scratch("clear");
        let slot = Slot::claim(&state).unwrap();
        slot.write(&map("Saved since"), None).unwrap();
        slot.clear().unwrap();
        let scan = orphans(&state);
        assert!(scan.orphans.is_empty() && scan.notices.is_empty());
        assert!(slot.dir().join(LOCK).exists(), "a scan leaves a live, empty slot alone");
        let dir = slot.dir().to_owned();
        drop(slot);
        assert!(!dir.exists());
    }

    #[test]
    fn work_outlives_a_drop_and_an_undecided_offer() {
        let state = scratch("drop");
        let slot = Slot::claim(&state).unwrap();
        slot.write(&map("Unsaved at exit"), None).unwrap();
        drop(slot);
        let first = orphans(&state);
        assert_eq!(first.orphans.len(), 1);
        drop(first); // the user closed the window without deciding
        let mut second = orphans(&state);
        assert_eq!(
            second.orphans.pop().map(|o| o.map.title),
            Some("Unsaved at exit".to_owned())
        );
    }

    #[test]
    fn writing_another_origin_replaces_the_old_one() {
        let state = scratch("origin-change");
        let slot = Slot::claim(&state).unwrap();
        slot.write(&map("Was a file"), Some(&state.join("a.ron"))).unwrap();
        slot.write(&map("Now new"), None).unwrap();
        assert_eq!(read_origin(slot.dir()), (None, None));
        slot.write(&map("Saved as"), Some(&state.join("b.ron"))).unwrap();
        let b = std::path::absolute(state.join("b.ron")).unwrap();
        assert_eq!(read_origin(slot.dir()), (Some(b), None));
    }

    #[test]
    fn moving_aside_never_overwrites_an_earlier_kept_file() {
        let dir = scratch("aside");
        let folder = dir.join("kept");
        for content in ["first", "second"] {
            fs::write(dir.join("map.ron"), content).unwrap();
            move_aside(&dir.join("map.ron"), &folder, "slot").unwrap();
        }
        assert_eq!(fs::read_to_string(folder.join("slot.ron")).unwrap(), "first");
        assert_eq!(fs::read_to_string(folder.join("slot-2.ron")).unwrap(), "second");
    }

    #[cfg(unix)]
    #[test]
    fn a_path_that_cannot_be_stored_is_a_hint_never_an_origin() {
        use std::os::unix::ffi::OsStrExt;
        let state = scratch("non-unicode");
        let odd = state.join(std::ffi::OsStr::from_bytes(b"caf\xe9.ron"));
        let slot = Slot::claim(&state).unwrap();
        slot.write(&map("Odd name"), Some(&odd)).unwrap();
        let (origin, hint) = read_origin(slot.dir());
        assert_eq!(origin, None);
        assert!(hint.is_some_and(|h| h.ends_with("caf\u{fffd}.ron")));
    }
}
