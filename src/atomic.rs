//! Atomic file replacement: a reader of a file sees either the old content or
//! the whole new one, never a torn write, even if the process dies mid-save.
//!
//! New content is written to a hidden temporary sibling (`.NAME.tmp-PID`),
//! synced, and renamed over the file. When a backup is kept, the old content
//! goes the same way to `NAME.bak` (through `.NAME.bak.tmp-PID`) before the
//! file itself is replaced, so a failure leaves the file, and the backup it
//! had, whole; the temporaries made are removed. (Only when the last rename
//! fails has the backup already become a copy of the unchanged file.) If
//! `write` fails, the file was not changed.
//!
//! Saving keeps the file's permission bits, and writes through a symbolic
//! link to the file it points to: the link stays a link, and the temporaries
//! and the backup live beside the real file. Temporaries left behind by a
//! process that died mid-save are removed by the next save of the same file.

use std::ffi::{OsStr, OsString};
use std::fmt;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// Which temporary file `write_with`'s `fill` is filling.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    /// The new content of the file.
    New,
    /// The old content, on its way to the backup.
    Backup,
}

/// The step of a save that failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// Following a symbolic link to the file it points to.
    FollowLink,
    /// Reading the existing file, for its permissions or to back it up.
    Read,
    /// Writing the new content beside the file.
    Write,
    /// Renaming the new content over the file.
    Replace,
    /// Writing the old content beside the backup.
    WriteBackup,
    /// Renaming the old content over the backup.
    ReplaceBackup,
}

/// A failed `write`: which step, on which file. The file written to was not
/// changed.
#[derive(Debug)]
pub struct Error {
    pub step: Step,
    /// The file the step was about: the file saved (after following links)
    /// or its backup, never a temporary the user has not heard of.
    pub path: PathBuf,
    pub source: io::Error,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let doing = match self.step {
            Step::FollowLink => "cannot follow the link",
            Step::Read => "cannot read",
            Step::Write => "cannot write",
            Step::Replace => "cannot replace",
            Step::WriteBackup => "cannot write the backup",
            Step::ReplaceBackup => "cannot replace the backup",
        };
        write!(f, "{doing} {}: {}", self.path.display(), self.source)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// For callers that deal in `io::Error`: keeps the kind, and the message
/// naming the file and the step.
impl From<Error> for io::Error {
    fn from(err: Error) -> io::Error {
        io::Error::new(err.source.kind(), err)
    }
}

/// Writes `bytes` to `path` atomically. When `path` exists and `keep_backup`
/// is set, its previous content is kept as `path` + `.bak`.
pub fn write(path: &Path, bytes: &[u8], keep_backup: bool) -> Result<(), Error> {
    write_with(path, bytes, keep_backup, |_, file, bytes| file.write_all(bytes))
}

/// `write`, with the step that fills each temporary file supplied by the
/// caller, so tests can make it fail part-way.
pub fn write_with(
    path: &Path,
    bytes: &[u8],
    keep_backup: bool,
    mut fill: impl FnMut(Part, &mut File, &[u8]) -> io::Result<()>,
) -> Result<(), Error> {
    let target = follow_links(path)?;
    remove_stale_temps(&target);
    let fail = |step, path: &Path| {
        let path = path.to_owned();
        move |source| Error { step, path, source }
    };
    let existing = match fs::metadata(&target) {
        Ok(meta) => Some(meta),
        Err(err) if err.kind() == io::ErrorKind::NotFound => None,
        Err(err) => return Err(fail(Step::Read, &target)(err)),
    };
    let permissions = existing.as_ref().map(|meta| meta.permissions());
    let mut temps = Temps(Vec::new());

    // New content first: a full disk most likely fails here, while both
    // the file and its backup are still untouched.
    let new = temps.add(temp_path(&target));
    write_temp(&new, bytes, permissions.as_ref(), |file, bytes| {
        fill(Part::New, file, bytes)
    })
    .map_err(fail(Step::Write, &target))?;

    if keep_backup && existing.is_some() {
        let backup = backup_path(&target);
        let old = fs::read(&target).map_err(fail(Step::Read, &target))?;
        let old_temp = temps.add(temp_path(&backup));
        write_temp(&old_temp, &old, permissions.as_ref(), |file, bytes| {
            fill(Part::Backup, file, bytes)
        })
        .map_err(fail(Step::WriteBackup, &backup))?;
        fs::rename(&old_temp, &backup).map_err(fail(Step::ReplaceBackup, &backup))?;
        // The backup must be on disk before the file it saves is replaced.
        sync_parent(&backup);
    }

    fs::rename(&new, &target).map_err(fail(Step::Replace, &target))?;
    temps.0.clear();
    sync_parent(&target);
    Ok(())
}

/// Where `write` keeps the previous version of `path`.
pub fn backup_path(path: &Path) -> PathBuf {
    let mut name = file_name(path).to_owned();
    name.push(".bak");
    path.with_file_name(name)
}

/// This process's temporary sibling of `path`: `.NAME.tmp-PID`.
fn temp_path(path: &Path) -> PathBuf {
    let mut name = OsString::from(".");
    name.push(file_name(path));
    name.push(format!(".tmp-{}", std::process::id()));
    path.with_file_name(name)
}

fn file_name(path: &Path) -> &OsStr {
    path.file_name().unwrap_or_default()
}

/// Temporary files made by one `write`, removed when it returns early.
struct Temps(Vec<PathBuf>);

impl Temps {
    fn add(&mut self, path: PathBuf) -> PathBuf {
        self.0.push(path.clone());
        path
    }
}

impl Drop for Temps {
    fn drop(&mut self) {
        for path in &self.0 {
            let _ = fs::remove_file(path);
        }
    }
}

/// Creates `path` with the permissions of the file it will replace (so a
/// private file's content is never readable by others, not even here),
/// fills it and syncs it.
fn write_temp(
    path: &Path,
    bytes: &[u8],
    permissions: Option<&fs::Permissions>,
    fill: impl FnOnce(&mut File, &[u8]) -> io::Result<()>,
) -> io::Result<()> {
    let mut options = OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    if permissions.is_some() {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    // Only unix permissions are worth carrying over: elsewhere they are
    // just the read-only flag, which would stop the rename.
    if let Some(permissions) = permissions.filter(|_| cfg!(unix)) {
        file.set_permissions(permissions.clone())?;
    }
    fill(&mut file, bytes)?;
    file.sync_all()
}

/// The real file behind `path`, following a chain of symbolic links, so the
/// save replaces that file and leaves the links alone. A link to nothing
/// resolves to the file it names, which the save creates.
fn follow_links(path: &Path) -> Result<PathBuf, Error> {
    // As many as Linux follows before giving up with ELOOP.
    const MAX_LINKS: usize = 40;
    let mut current = path.to_owned();
    for _ in 0..MAX_LINKS {
        match fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let to = fs::read_link(&current).map_err(|source| Error {
                    step: Step::FollowLink,
                    path: current.clone(),
                    source,
                })?;
                // A relative link is relative to the directory it is in.
                current = match current.parent() {
                    Some(dir) => dir.join(to),
                    None => to,
                };
            }
            _ => return Ok(current),
        }
    }
    Err(Error {
        step: Step::FollowLink,
        path: path.to_owned(),
        source: io::Error::other("too many levels of symbolic links"),
    })
}

/// How long a temporary must be left alone before it counts as abandoned,
/// where there is no way to ask whether its process still runs.
const ABANDONED_AFTER: Duration = Duration::from_secs(60 * 60);

/// Removes the temporaries of `path` and of its backup left by processes
/// that died mid-save. Best effort: a temporary that stays is only clutter.
fn remove_stale_temps(path: &Path) {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let Ok(entries) = fs::read_dir(dir) else { return };
    let prefixes = [temp_prefix(path), temp_prefix(&backup_path(path))];
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = prefixes.iter().find_map(|prefix| temp_pid(&name, prefix)) else {
            continue;
        };
        let modified = || entry.metadata().and_then(|m| m.modified()).ok();
        if abandoned(pid, modified) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// `.NAME.tmp-`, as bytes.
fn temp_prefix(path: &Path) -> Vec<u8> {
    let mut prefix = b".".to_vec();
    prefix.extend_from_slice(file_name(path).as_encoded_bytes());
    prefix.extend_from_slice(b".tmp-");
    prefix
}

/// The PID in a temporary's name that starts with `prefix`.
fn temp_pid(name: &OsStr, prefix: &[u8]) -> Option<u32> {
    let pid = name.as_encoded_bytes().strip_prefix(prefix)?;
    if pid.is_empty() || !pid.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(pid).ok()?.parse().ok()
}

/// Whether the process `pid` is gone. Where `/proc` lists processes that is
/// certain; elsewhere a temporary untouched for an hour is taken as
/// abandoned.
fn abandoned(pid: u32, modified: impl FnOnce() -> Option<SystemTime>) -> bool {
    if pid == std::process::id() {
        return false;
    }
    let proc = Path::new("/proc");
    if proc.join("self").exists() {
        return !proc.join(pid.to_string()).exists();
    }
    modified()
        .and_then(|time| time.elapsed().ok())
        .is_some_and(|age| age > ABANDONED_AFTER)
}

/// Makes a rename durable. Best effort: not every platform can open a
/// directory for syncing, and by now the rename has happened.
fn sync_parent(path: &Path) {
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if let Ok(dir) = File::open(parent) {
        let _ = dir.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("journeymap-atomic-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    /// A map with a previous version already kept as its backup.
    fn saved_twice(name: &str) -> (PathBuf, PathBuf) {
        let dir = temp_dir(name);
        let path = dir.join("map.ron");
        write(&path, b"old backup", true).unwrap();
        write(&path, b"current map", true).unwrap();
        (dir, path)
    }

    /// A full disk: part of the bytes land, then the write fails.
    fn disk_full_on(failing: Part) -> impl FnMut(Part, &mut File, &[u8]) -> io::Result<()> {
        move |part, file, bytes| {
            if part != failing {
                return file.write_all(bytes);
            }
            file.write_all(&bytes[..bytes.len() / 2])?;
            Err(io::Error::from(io::ErrorKind::StorageFull))
        }
    }

    #[test]
    fn replaces_and_keeps_backup() {
        let dir = temp_dir("replace");
        let path = dir.join("map.ron");
        write(&path, b"first", true).unwrap();
        assert!(!backup_path(&path).exists(), "no backup of a file that did not exist");
        write(&path, b"second", true).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"second");
        assert_eq!(fs::read(backup_path(&path)).unwrap(), b"first");
        assert_eq!(names(&dir), ["map.ron", "map.ron.bak"], "no temporary file left behind");
    }

    #[test]
    fn full_disk_while_writing_the_new_content_changes_nothing() {
        let (dir, path) = saved_twice("fail-new");
        let err = write_with(&path, b"new content that never lands", true, disk_full_on(Part::New)).unwrap_err();
        assert_eq!(err.step, Step::Write);
        assert_eq!(err.path, path);
        assert_eq!(
            err.to_string(),
            format!(
                "cannot write {}: {}",
                path.display(),
                io::Error::from(io::ErrorKind::StorageFull)
            )
        );
        assert_eq!(fs::read(&path).unwrap(), b"current map");
        assert_eq!(fs::read(backup_path(&path)).unwrap(), b"old backup");
        assert_eq!(names(&dir), ["map.ron", "map.ron.bak"], "temporary file removed");
    }

    #[test]
    fn full_disk_while_writing_the_backup_keeps_the_old_backup_and_the_map() {
        let (dir, path) = saved_twice("fail-bak");
        let err = write_with(&path, b"new content that never lands", true, disk_full_on(Part::Backup)).unwrap_err();
        assert_eq!(err.step, Step::WriteBackup);
        assert_eq!(err.path, backup_path(&path));
        let message = err.to_string();
        assert!(
            message.starts_with(&format!("cannot write the backup {}: ", backup_path(&path).display())),
            "{message}"
        );
        assert_eq!(fs::read(&path).unwrap(), b"current map");
        assert_eq!(fs::read(backup_path(&path)).unwrap(), b"old backup");
        assert_eq!(names(&dir), ["map.ron", "map.ron.bak"], "both temporary files removed");
    }

    #[test]
    fn first_save_of_a_new_file_makes_no_backup_even_on_failure() {
        let dir = temp_dir("fail-first");
        let path = dir.join("map.ron");
        let err = write_with(&path, b"never lands", true, disk_full_on(Part::New)).unwrap_err();
        assert_eq!(err.step, Step::Write);
        assert_eq!(names(&dir), Vec::<String>::new(), "nothing left behind");
    }

    #[test]
    fn io_error_keeps_the_kind_and_the_message() {
        let (_dir, path) = saved_twice("into-io");
        let err: io::Error = write_with(&path, b"x", true, disk_full_on(Part::Backup))
            .unwrap_err()
            .into();
        assert_eq!(err.kind(), io::ErrorKind::StorageFull);
        assert!(err.to_string().contains("map.ron.bak"), "{err}");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn temps_of_dead_processes_are_removed_and_live_ones_kept() {
        let dir = temp_dir("stale");
        let path = dir.join("map.ron");
        write(&path, b"current map", true).unwrap();
        // PIDs stay below pid_max, so this one cannot belong to a process.
        let pid_max: u32 = fs::read_to_string("/proc/sys/kernel/pid_max")
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        let dead = pid_max + 1;
        let live = std::os::unix::process::parent_id();
        let long_ago = SystemTime::now() - Duration::from_secs(2 * 60 * 60);
        for name in [
            format!(".map.ron.tmp-{dead}"),
            format!(".map.ron.bak.tmp-{dead}"),
            format!(".map.ron.tmp-{live}"),
            format!(".map.ron.bak.tmp-{live}"),
            format!(".other.ron.tmp-{dead}"),
            ".map.ron.tmp-notes".to_owned(),
        ] {
            let file = File::create(dir.join(name)).unwrap();
            // Old, so only the liveness of the process can keep it.
            file.set_modified(long_ago).unwrap();
        }
        write(&path, b"next map", true).unwrap();
        let mut kept = vec![
            format!(".map.ron.tmp-{live}"),
            format!(".map.ron.bak.tmp-{live}"),
            format!(".other.ron.tmp-{dead}"),
            ".map.ron.tmp-notes".to_owned(),
            "map.ron".to_owned(),
            "map.ron.bak".to_owned(),
        ];
        kept.sort();
        assert_eq!(
            names(&dir),
            kept,
            "only temporaries of this file by a dead process are removed"
        );
        assert_eq!(fs::read(&path).unwrap(), b"next map");
    }
}
