//! Saving a map as a user meets it: the file keeps who may read it, a
//! symbolic link stays a link, and a failed save says which file failed and
//! leaves everything as it was.

use std::fs;
use std::path::{Path, PathBuf};

use journeymap::atomic;
use journeymap::model::JourneyMap;
use journeymap::model::format;

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("journeymap-saves-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn sample() -> JourneyMap {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_maps");
    let mut samples: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .collect();
    samples.sort();
    format::load(&samples[0]).unwrap()
}

fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[cfg(unix)]
#[test]
fn a_private_map_and_its_backup_stay_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch("private");
    let path = dir.join("map.ron");
    let mut map = sample();
    format::save(&map, &path).unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
    map.title = "Renamed".into();
    format::save(&map, &path).unwrap();
    let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o7777;
    assert_eq!(mode(&path), 0o600, "the map");
    assert_eq!(mode(&atomic::backup_path(&path)), 0o600, "its backup");
    assert_eq!(format::load(&path).unwrap().title, "Renamed");
}

#[cfg(unix)]
#[test]
fn saving_through_links_replaces_the_real_file_and_keeps_the_links() {
    use std::os::unix::fs::symlink;
    let dir = scratch("symlink");
    fs::create_dir_all(dir.join("real")).unwrap();
    let real = dir.join("real").join("map.ron");
    let mut map = sample();
    format::save(&map, &real).unwrap();
    let before = fs::read_to_string(&real).unwrap();
    // A chain: an absolute link to a relative one.
    let inner = dir.join("inner.ron");
    let outer = dir.join("outer.ron");
    symlink(Path::new("real").join("map.ron"), &inner).unwrap();
    symlink(&inner, &outer).unwrap();

    map.title = "Saved through links".into();
    format::save(&map, &outer).unwrap();

    assert!(
        fs::symlink_metadata(&outer).unwrap().file_type().is_symlink(),
        "outer link kept"
    );
    assert!(
        fs::symlink_metadata(&inner).unwrap().file_type().is_symlink(),
        "inner link kept"
    );
    assert_eq!(format::load(&real).unwrap().title, "Saved through links");
    assert_eq!(fs::read_to_string(atomic::backup_path(&real)).unwrap(), before);
    assert_eq!(
        names(&dir),
        ["inner.ron", "outer.ron", "real"],
        "no backup or temporary beside the links"
    );
    assert_eq!(names(&dir.join("real")), ["map.ron", "map.ron.bak"]);
}

#[test]
fn a_backup_that_cannot_be_replaced_is_named_and_nothing_changes() {
    let dir = scratch("bak-blocked");
    let path = dir.join("map.ron");
    let mut map = sample();
    format::save(&map, &path).unwrap();
    let before = fs::read_to_string(&path).unwrap();
    // A folder where the backup goes: the old content cannot be put there.
    let backup = atomic::backup_path(&path);
    fs::create_dir(&backup).unwrap();
    fs::write(backup.join("keep.txt"), "mine").unwrap();

    map.title = "Never saved".into();
    let err = format::save(&map, &path).unwrap_err();

    assert_eq!(err.source.step, atomic::Step::ReplaceBackup);
    let message = err.to_string();
    let start = format!("cannot replace the backup {}: ", backup.display());
    assert!(message.starts_with(&start), "{message}");
    assert!(message.ends_with(" (the map file was not changed)"), "{message}");
    assert_eq!(fs::read_to_string(&path).unwrap(), before);
    assert_eq!(fs::read_to_string(backup.join("keep.txt")).unwrap(), "mine");
    assert_eq!(names(&dir), ["map.ron", "map.ron.bak"], "no temporary left behind");
}

#[test]
fn saving_into_a_missing_folder_names_the_map_file() {
    let dir = scratch("no-folder");
    let path = dir.join("gone").join("map.ron");
    let err = format::save(&sample(), &path).unwrap_err();
    assert_eq!(err.source.step, atomic::Step::Write);
    let message = err.to_string();
    assert!(
        message.starts_with(&format!("cannot write {}: ", path.display())),
        "{message}"
    );
    assert_eq!(names(&dir), Vec::<String>::new());
}
