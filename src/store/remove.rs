//! Taking one import out again (a wrong file, say): its events, its rejected
//! rows and its record go in one transaction, so the database is never left
//! with half an import; the stored event log is rebuilt in it too.

use rusqlite::{Connection, TransactionBehavior};

use super::StoreError;
use super::load::{ImportInfo, list_imports};
use super::schema::Database;

/// Removes import `import_id` with its events and rejected rows; returns
/// what it was. Imports that continued it (rows added to its file later)
/// are kept: their rows are theirs.
pub fn remove_import(db: &mut Database, import_id: i64) -> Result<ImportInfo, StoreError> {
    let Some(info) = list_imports(db)?.into_iter().find(|i| i.id == import_id) else {
        return Err(StoreError::NoSuchImport {
            db: db.path().to_path_buf(),
            import_id,
        });
    };
    let path = db.path().to_path_buf();
    let sql = |what| StoreError::sqlite(&path, what);
    let tx = db
        .conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(sql("starting to remove the import"))?;
    let before = super::snapshot::source_of(&tx).map_err(sql("removing the import"))?;
    let removed = delete_import(&tx, import_id).map_err(sql("removing the import"))?;
    if removed == 0 {
        // Removed by another program since it was listed.
        return Err(StoreError::NoSuchImport { db: path, import_id });
    }
    refresh_snapshot(&tx, &before).map_err(sql("updating the stored event log"))?;
    tx.commit().map_err(sql("removing the import"))?;
    Ok(info)
}

/// Rebuilds the snapshot from the rows left, unless they are the events
/// it was of (an ad spend report was removed).
fn refresh_snapshot(conn: &Connection, before: &str) -> rusqlite::Result<()> {
    let source = super::snapshot::source_of(conn)?;
    if source == before && super::snapshot::is_current(conn, &source)? {
        return Ok(());
    }
    let log = super::load::rows_log(conn, &mut |_| {})?;
    super::snapshot::write(conn, &log, &source)
}

/// Deletes one import's rows inside the caller's transaction; returns how
/// many import records went (0 or 1).
pub(super) fn delete_import(conn: &Connection, id: i64) -> rusqlite::Result<usize> {
    // Its events are the ids first_event_id..=last_event_id (see the schema).
    conn.execute(
        "DELETE FROM events WHERE id BETWEEN
             (SELECT first_event_id FROM imports WHERE id = ?1)
             AND (SELECT last_event_id FROM imports WHERE id = ?1)
         AND import_id = ?1",
        [id],
    )?;
    conn.execute("DELETE FROM rejected_rows WHERE import_id = ?1", [id])?;
    conn.execute("DELETE FROM spend WHERE import_id = ?1", [id])?;
    conn.execute(
        "UPDATE imports SET continues_import = NULL WHERE continues_import = ?1",
        [id],
    )?;
    conn.execute("DELETE FROM imports WHERE id = ?1", [id])
}
