//! The opt-in switch to WAL journaling.

use std::time::{Duration, Instant};

use rusqlite::{Connection, ErrorCode};

/// Switches the database to WAL unless it already is, and returns the journal mode
/// SQLite reports.
///
/// Changing the journal mode needs an exclusive lock, and SQLite answers `SQLITE_BUSY`
/// at once, without its busy handler, when two connections try it together (each holds
/// a shared lock the other waits for). So it is retried here until `timeout`.
pub(super) fn switch_to_wal(connection: &Connection, timeout: Duration) -> rusqlite::Result<String> {
    let deadline = Instant::now() + timeout;
    loop {
        let result = connection
            .query_row("PRAGMA journal_mode", [], |row| row.get::<_, String>(0))
            .and_then(|mode| {
                if mode.eq_ignore_ascii_case("wal") {
                    Ok(mode)
                } else {
                    connection.query_row("PRAGMA journal_mode=WAL", [], |row| row.get(0))
                }
            });
        match result {
            Err(error)
                if matches!(
                    error.sqlite_error_code(),
                    Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
                ) && Instant::now() < deadline =>
            {
                std::thread::sleep(Duration::from_millis(5));
            }
            other => return other,
        }
    }
}
