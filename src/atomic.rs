//! Atomic file replacement: a reader of `path` sees either the old file or the
//! whole new one, never a torn write, even if the process dies mid-save.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Writes `bytes` to `path` atomically. When `path` exists and `keep_backup`
/// is set, its previous content is kept as `path` + `.bak`.
pub fn write(path: &Path, bytes: &[u8], keep_backup: bool) -> io::Result<()> {
    write_with(path, bytes, keep_backup, |file, bytes| file.write_all(bytes))
}

/// `write`, with the step that fills the temporary file supplied by the caller,
/// so tests can make it fail part-way.
pub fn write_with(
    path: &Path,
    bytes: &[u8],
    keep_backup: bool,
    fill: impl FnOnce(&mut File, &[u8]) -> io::Result<()>,
) -> io::Result<()> {
    let tmp = sibling(path, &format!(".tmp-{}", std::process::id()), true);
    let written = File::create(&tmp).and_then(|mut file| {
        fill(&mut file, bytes)?;
        file.sync_all()
    });
    if let Err(err) = written {
        let _ = fs::remove_file(&tmp);
        return Err(err);
    }
    if keep_backup && path.exists() {
        // Copy, not rename: the original stays in place until the new file
        // replaces it in one step.
        if let Err(err) = fs::copy(path, backup_path(path)) {
            let _ = fs::remove_file(&tmp);
            return Err(err);
        }
    }
    if let Err(err) = fs::rename(&tmp, path) {
        let _ = fs::remove_file(&tmp);
        return Err(err);
    }
    sync_parent(path);
    Ok(())
}

/// Where `write` keeps the previous version of `path`.
pub fn backup_path(path: &Path) -> PathBuf {
    sibling(path, ".bak", false)
}

fn sibling(path: &Path, suffix: &str, hidden: bool) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
    let dot = if hidden { "." } else { "" };
    path.with_file_name(format!("{dot}{name}{suffix}"))
}

/// Makes the rename itself durable. Best effort: not every platform can open a
/// directory for syncing.
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

    #[test]
    fn replaces_and_keeps_backup() {
        let dir = temp_dir("replace");
        let path = dir.join("map.ron");
        write(&path, b"first", true).unwrap();
        assert!(!backup_path(&path).exists(), "no backup of a file that did not exist");
        write(&path, b"second", true).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"second");
        assert_eq!(fs::read(backup_path(&path)).unwrap(), b"first");
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 2, "no temporary file left behind");
    }

    #[test]
    fn failed_write_leaves_old_file_intact() {
        let dir = temp_dir("fail");
        let path = dir.join("map.ron");
        fs::write(&path, b"precious").unwrap();
        let err = write_with(&path, b"new content that never lands", true, |file, bytes| {
            file.write_all(&bytes[..5])?;
            Err(io::Error::other("disk full"))
        })
        .unwrap_err();
        assert_eq!(err.to_string(), "disk full");
        assert_eq!(fs::read(&path).unwrap(), b"precious");
        assert!(!backup_path(&path).exists());
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 1, "temporary file removed");
    }
}
